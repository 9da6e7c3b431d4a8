"""quotes: record what leaders say, find it again, and follow their stances.

The package is the library; the Typer CLI lives in :mod:`quotes.cli` and only
parses, calls one library function and renders. Nothing here prints or exits:
failures are raised as the typed errors of :mod:`quotes.errors`.
"""

__version__ = "0.1.0"
