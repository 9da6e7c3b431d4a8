"""quotes: record what leaders say, find it again, and follow their stances.

The public Python API::

    import quotes

    with quotes.open("news.db") as db:
        db.add("We cannot negotiate on our sovereignty.", speaker="Mette Frederiksen")
        hits = db.search("sovereignty")

:func:`open` returns a :class:`QuotesDatabase` (:mod:`quotes.api`) whose
methods mirror the CLI verbs and return the frozen records of
:mod:`quotes.results`; failures are the typed errors of :mod:`quotes.errors`.
Those names are imported on first use, so ``import quotes`` stays light.

The CLI lives in :mod:`quotes.cli` and only parses, calls one API method and
renders. Nothing in the library prints or exits.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: public name -> the module that defines it (imported on first access)
_LAZY = {
    "open": "quotes.api",
    "QuotesDatabase": "quotes.api",
    "Added": "quotes.results",
    "Extraction": "quotes.results",
    "ExtractedQuote": "quotes.results",
    "QuoteRecord": "quotes.results",
    "SearchHit": "quotes.results",
    "SpeakerRecord": "quotes.results",
    "StanceRecord": "quotes.results",
    "TopicRecord": "quotes.results",
    "QuotesError": "quotes.errors",
    "BadInputError": "quotes.errors",
    "NotFoundError": "quotes.errors",
    "StanceLabel": "quotes.vocabulary",
    "Method": "quotes.vocabulary",
    "QuoteKind": "quotes.vocabulary",
}

__all__ = [
    "Added",
    "BadInputError",
    "ExtractedQuote",
    "Extraction",
    "Method",
    "NotFoundError",
    "QuoteKind",
    "QuoteRecord",
    "QuotesDatabase",
    "QuotesError",
    "SearchHit",
    "SpeakerRecord",
    "StanceLabel",
    "StanceRecord",
    "TopicRecord",
    "__version__",
    "open",
]

if TYPE_CHECKING:
    from quotes.api import QuotesDatabase, open
    from quotes.errors import BadInputError, NotFoundError, QuotesError
    from quotes.results import (
        Added,
        ExtractedQuote,
        Extraction,
        QuoteRecord,
        SearchHit,
        SpeakerRecord,
        StanceRecord,
        TopicRecord,
    )
    from quotes.vocabulary import Method, QuoteKind, StanceLabel


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'quotes' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
