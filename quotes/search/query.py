"""Searching statements: one entry point for every mode, every filter.

The filters are resolved once (quotes.search.filters) and become SQL conditions that
each mode applies. ``match`` is the mode's relevance, higher is better: in
text mode the bm25 score (SQLite) or ts_rank_cd (PostgreSQL), comparable only
within one result list; in semantic mode the cosine similarity in [-1, 1]; in
hybrid mode the reciprocal-rank-fusion score scaled to [0, 1] (quotes.search.semantic).

Without a mode, search is hybrid once any vectors exist, else text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from quotes.errors import BadInputError
from quotes.records.documents import quote_documents
from quotes.results import QuoteRecord, SearchHit
from quotes.search.filters import QuoteFilters, resolve_filters
from quotes.search.fulltext import text_search
from quotes.store.engine import Database
from quotes.store.models import Embedding
from quotes.store.normalize import clean_text
from quotes.vocabulary import DEFAULT_MIN_MATCH, choose

if TYPE_CHECKING:
    from quotes.meaning.encoder import Embedder
    from quotes.meaning.vectors import Progress

SEARCH_MODES = ("text", "semantic", "hybrid")
MAX_LIMIT = 10_000


def search(
    session: Session,
    query: str,
    *,
    filters: QuoteFilters | None = None,
    mode: str | None = "text",
    limit: int = 20,
    embedder: Embedder | None = None,
    min_match: float | None = None,
) -> list[SearchHit]:
    """The ``limit`` best statements for ``query`` that pass every filter.

    Semantic and hybrid modes search the vectors already stored under the
    configured model (or ``embedder``'s); ``prepare_search``
    embeds what is missing first. ``min_match`` is the least cosine
    similarity a semantic hit needs (default
    :data:`DEFAULT_MIN_MATCH`, 0.25); text mode ignores it.
    """
    query = clean_text(query, what="search query")
    mode = check_mode(mode) if mode is not None else default_mode(session)
    if not 1 <= limit <= MAX_LIMIT:
        raise BadInputError(f"invalid limit {limit}: use a number from 1 to {MAX_LIMIT}.")
    if min_match is not None and not -1.0 <= min_match <= 1.0:
        raise BadInputError(
            f"invalid minimum match {min_match}: use a cosine similarity from -1 to 1."
        )
    resolved = resolve_filters(session, filters or QuoteFilters())
    if mode == "text":
        hits = text_search(session, query, resolved.clauses(), limit)
    else:
        from quotes.search.semantic import meaning_search

        least = DEFAULT_MIN_MATCH if min_match is None else min_match
        hits = meaning_search(session, query, resolved.clauses(), limit, mode, embedder, least)
    documents = {d["id"]: d for d in quote_documents(session, [h.quote_id for h in hits])}
    return [
        SearchHit(QuoteRecord.from_dict(documents[hit.quote_id]), rank, hit.match, hit.snippet)
        for rank, hit in enumerate(hits, start=1)
    ]


def check_mode(mode: str) -> str:
    """``text``, ``semantic`` or ``hybrid``; anything else is bad input."""
    return choose(mode, SEARCH_MODES, "search mode")


def default_mode(session: Session) -> str:
    """Hybrid once any quote has a vector under any model, else text (no model needed)."""
    return "hybrid" if session.scalar(select(Embedding.id).limit(1)) is not None else "text"


def prepare_search(database: Database, mode: str | None, progress: Progress | None = None) -> str:
    """Resolve the mode and, for semantic or hybrid, embed what is missing first.

    It lives here, not beside the vectors, so that a text search (the default
    on a database without vectors) never imports numpy or the embedding layer:
    start-up time is most of a text search's cost.
    """
    if mode is None:
        with database.session() as session:
            mode = default_mode(session)
    mode = check_mode(mode)
    if mode != "text":
        from quotes.meaning.vectors import embed_before_search

        embed_before_search(database, progress)
    return mode
