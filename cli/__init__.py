"""The Typer CLI (installed as ``quotes.cli``): parse, call the library, render."""
