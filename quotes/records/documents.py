"""The contract's JSON shape of a quote, and reading many of them in two statements.

Every reader that hands quotes to a person (search hits, exports, the web
app's lists) needs the same document: the quote, its speaker, its sources,
its topic links and its stances. :func:`shape` is the one place that says
what that document is (field names, order of the lists, rounding), whether
the values come from ORM objects (:func:`quotes.records.quotes.quote_to_dict`,
after an edit) or from plain rows (:func:`quote_documents`).

:func:`quote_documents` reads without the ORM: one statement for the quotes
and their speakers, one for the three kinds of linked rows at once (a UNION
ALL with one column layout). The ORM needed four statements (its selectin
loads, one per collection) and built an object per row; for the 20 hits of
a warm semantic search on PostgreSQL that was about as much client CPU as
encoding the query, and two more round trips (benchmarks/warm_phases.py).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Float,
    String,
    cast,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from quotes.store.dates import format_date
from quotes.store.ids import among_bound_ids, storable_ids
from quotes.store.models import (
    Quote,
    QuoteSource,
    QuoteTopic,
    Source,
    Speaker,
    StanceAssessment,
    Topic,
)
from quotes.vocabulary import Method

#: Ids per statement on SQLite (bound parameters stay well under its limit).
_CHUNK = 5000
#: What :func:`shape` reads of a quote (plain columns: no ORM objects to build).
_QUOTE_COLUMNS = (
    Quote.id,
    Quote.text,
    Quote.date,
    Quote.date_precision,
    Quote.kind,
    Quote.context,
    Quote.language,
    Quote.created_at,
)


def shape(
    quote: Any,
    speaker: str,
    sources: Iterable[tuple[str | None, str | None, str | None]],
    topic_links: Iterable[tuple[str, str, float | None]],
    stances: Iterable[tuple[str, str, float, str, str | None, float | None]],
) -> dict[str, Any]:
    """The document of one quote.

    ``quote`` has the quote's columns as attributes (an ORM ``Quote`` or a
    row); ``sources`` are (url, outlet, title) in the order they were
    attached; ``topic_links`` (topic, origin, confidence); ``stances``
    (topic, label, score, method, model, confidence), in any order.
    """
    links = sorted(topic_links, key=lambda link: link[0])
    # A person's label first on each topic: it is the one that counts.
    assessed = sorted(stances, key=lambda s: (s[0], s[3] != Method.MANUAL))
    created: datetime | None = quote.created_at
    day: date | None = quote.date
    return {
        "id": quote.id,
        "text": quote.text,
        "speaker": speaker,
        "date": format_date(day, quote.date_precision),
        "date_precision": quote.date_precision,
        "kind": quote.kind,
        "context": quote.context,
        "language": quote.language,
        "sources": [
            {"url": url, "outlet": outlet, "title": title} for url, outlet, title in sources
        ],
        "topics": [topic for topic, _, _ in links],
        "topic_links": [
            {"topic": topic, "origin": origin, "confidence": confidence}
            for topic, origin, confidence in links
        ],
        "stances": [
            {
                "topic": topic,
                "label": label,
                "score": round(score, 4),
                "method": method,
                "model": model,
                "confidence": None if confidence is None else round(confidence, 4),
            }
            for topic, label, score, method, model, confidence in assessed
        ],
        "created_at": created.isoformat(timespec="seconds") if created else None,
    }


def quote_documents(session: Session, ids: Sequence[int]) -> list[dict[str, Any]]:
    """The documents of the quotes ``ids``, in that order (ids with no quote left out)."""
    wanted = list(dict.fromkeys(storable_ids(session, ids)))
    postgres = session.get_bind().dialect.name == "postgresql"
    step = (len(wanted) or 1) if postgres else _CHUNK
    found: dict[int, dict[str, Any]] = {}
    for start in range(0, len(wanted), step):
        found.update(_read(session, wanted[start : start + step], postgres))
    return [found[i] for i in ids if i in found]


@functools.cache
def _statements(postgres: bool) -> tuple[Any, Any]:
    """The two statements, built once: SQLAlchemy then reuses their compiled form."""
    quotes = (
        select(*_QUOTE_COLUMNS, Speaker.name.label("speaker"))
        .join(Speaker, Speaker.id == Quote.speaker_id)
        .where(among_bound_ids(Quote.id, "quote_ids", postgres))
    )
    return quotes, _linked(postgres)


def _read(session: Session, ids: list[int], postgres: bool) -> dict[int, dict[str, Any]]:
    read_quotes, read_linked = _statements(postgres)
    quotes = session.execute(read_quotes, {"quote_ids": ids}).all()
    if not quotes:
        return {}
    sources: dict[int, list[tuple[Any, ...]]] = {}
    links: dict[int, list[tuple[Any, ...]]] = {}
    stances: dict[int, list[tuple[Any, ...]]] = {}
    parts = {"source": sources, "topic": links, "stance": stances}
    linked = {"source_ids": ids, "topic_ids": ids, "stance_ids": ids}
    for row in session.execute(read_linked, linked):
        quote_id, part, *values = row
        parts[part].setdefault(quote_id, []).append(tuple(values))
    documents = {}
    for quote in quotes:
        documents[quote.id] = shape(
            quote,
            quote.speaker,
            [(url, outlet, title) for url, outlet, title, *_ in sources.get(quote.id, [])],
            [(topic, origin, number) for topic, origin, _, _, number, _ in links.get(quote.id, [])],
            [
                (topic, label, score, method, model, confidence)
                for topic, label, method, model, score, confidence in stances.get(quote.id, [])
            ],
        )
    return documents


def _text() -> ColumnElement[Any]:
    return cast(null(), String)


def _linked(postgres: bool) -> Any:
    """Sources, topic links and stances of the bound ids in one statement.

    Columns: quote id, part, four texts, two numbers; ordered so each
    quote's sources come in the order they were attached.
    """
    sources = (
        select(
            QuoteSource.quote_id.label("quote_id"),
            literal("source").label("part"),
            Source.url.label("t1"),
            Source.outlet.label("t2"),
            Source.title.label("t3"),
            _text().label("t4"),
            cast(null(), Float).label("n1"),
            cast(null(), Float).label("n2"),
            QuoteSource.created_at.label("at"),
            QuoteSource.source_id.label("seq"),
        )
        .join(Source, Source.id == QuoteSource.source_id)
        .where(among_bound_ids(QuoteSource.quote_id, "source_ids", postgres))
    )
    topics = (
        select(
            QuoteTopic.quote_id,
            literal("topic"),
            Topic.name,
            QuoteTopic.origin,
            _text(),
            _text(),
            QuoteTopic.confidence,
            cast(null(), Float),
            cast(null(), DateTime(timezone=True)),
            QuoteTopic.topic_id,
        )
        .join(Topic, Topic.id == QuoteTopic.topic_id)
        .where(among_bound_ids(QuoteTopic.quote_id, "topic_ids", postgres))
    )
    assessed = (
        select(
            StanceAssessment.quote_id,
            literal("stance"),
            Topic.name,
            StanceAssessment.label,
            StanceAssessment.method,
            StanceAssessment.model,
            StanceAssessment.score,
            StanceAssessment.confidence,
            cast(null(), DateTime(timezone=True)),
            StanceAssessment.id,
        )
        .join(Topic, Topic.id == StanceAssessment.topic_id)
        .where(among_bound_ids(StanceAssessment.quote_id, "stance_ids", postgres))
    )
    union = union_all(sources, topics, assessed).subquery()
    return select(
        union.c.quote_id,
        union.c.part,
        union.c.t1,
        union.c.t2,
        union.c.t3,
        union.c.t4,
        union.c.n1,
        union.c.n2,
    ).order_by(union.c.quote_id, union.c.part, union.c.at, union.c.seq)
