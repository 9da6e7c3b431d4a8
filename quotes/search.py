"""Searching statements: one entry point for every mode, every filter.

The filters are resolved once (quotes.filters) and become SQL conditions that
each mode applies. ``match`` is the mode's relevance, higher is better: in
text mode the bm25 score (SQLite) or ts_rank_cd (PostgreSQL), comparable only
within one result list.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from quotes.errors import BadInputError
from quotes.filters import QuoteFilters, resolve_filters
from quotes.fulltext import text_search
from quotes.records import load_quotes, quote_to_dict

SEARCH_MODES = ("text",)
MAX_LIMIT = 10_000


@dataclass
class SearchHit:
    rank: int
    match: float
    snippet: str | None
    quote: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.quote,
            "rank": self.rank,
            "match": round(self.match, 6),
            "snippet": self.snippet,
        }


def search(
    session: Session,
    query: str,
    *,
    filters: QuoteFilters | None = None,
    mode: str = "text",
    limit: int = 20,
) -> list[SearchHit]:
    """The ``limit`` best statements for ``query`` that pass every filter."""
    if mode not in SEARCH_MODES:
        raise BadInputError(f"unknown search mode {mode!r}: use {', '.join(SEARCH_MODES)}.")
    if not 1 <= limit <= MAX_LIMIT:
        raise BadInputError(f"invalid limit {limit}: use a number from 1 to {MAX_LIMIT}.")
    resolved = resolve_filters(session, filters or QuoteFilters())
    hits = text_search(session, query, resolved.clauses(), limit)
    quotes = {q.id: q for q in load_quotes(session, [h.quote_id for h in hits])}
    return [
        SearchHit(rank, hit.match, hit.snippet, quote_to_dict(quotes[hit.quote_id]))
        for rank, hit in enumerate(hits, start=1)
    ]
