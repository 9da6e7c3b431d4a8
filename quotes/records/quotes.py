"""Recording statements and reading them back.

``add_quote`` validates everything before it writes anything, so bad input
never leaves a partial write. The same statement by the same speaker (after
normalising quotation marks, spacing and case) is one quote: adding it again
attaches the new source to the existing quote and reports its id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session, joinedload, selectinload

from quotes.errors import BadInputError, NotFoundError
from quotes.records.documents import shape
from quotes.records.sources import attach_source, find_or_create_source, validate_url
from quotes.records.speakers import resolve_speaker
from quotes.records.topics import get_topic
from quotes.store.dates import PartialDate, optional_date
from quotes.store.ids import storable_ids
from quotes.store.models import (
    Base,
    Quote,
    QuoteSource,
    QuoteTopic,
    StanceAssessment,
    Topic,
    TopicRejection,
)
from quotes.store.normalize import MAX_TEXT_LENGTH, clean_text, text_hash
from quotes.store.upsert import insert_if_absent
from quotes.vocabulary import Method, quote_kind


def validate_text(text: str) -> str:
    """The statement as stored; empty or over-long text is bad input."""
    cleaned = clean_text(text, what="quote text")
    if not cleaned:
        raise BadInputError("the quote text is empty: give the statement's words.")
    if len(cleaned) > MAX_TEXT_LENGTH:
        raise BadInputError(
            f"the quote text is {len(cleaned):,} characters long; the limit is {MAX_TEXT_LENGTH:,}."
        )
    return cleaned


def validate_kind(kind: str) -> str:
    """``quote`` or ``paraphrase``; anything else is bad input."""
    return quote_kind(kind)


# Built once: recording statements one by one is a hot path, and reusing the
# statement objects lets SQLAlchemy reuse their compiled form.
_QUOTES = Base.metadata.tables["quotes"]
_FIND_QUOTE = select(_QUOTES.c.id, _QUOTES.c.date, _QUOTES.c.context).where(
    _QUOTES.c.speaker_id == bindparam("speaker"), _QUOTES.c.text_hash == bindparam("digest")
)


@dataclass
class AddResult:
    """What ``add_quote`` did: the quote's id and whether it was new."""

    quote_id: int
    created: bool
    source_attached: bool
    speaker: str
    speaker_created: bool


def add_quote(
    session: Session,
    text: str,
    speaker: str,
    *,
    date: str | PartialDate | None = None,
    source_url: str | None = None,
    outlet: str | None = None,
    context: str | None = None,
    topics: Sequence[str] = (),
    kind: str = "quote",
    language: str | None = None,
    new_speaker: bool = False,
) -> AddResult:
    """Record one statement (or find it again) inside the caller's transaction."""
    cleaned = validate_text(text)
    when = date if isinstance(date, PartialDate) or date is None else optional_date(date)
    url = validate_url(source_url)
    validate_kind(kind)
    topic_rows = [get_topic(session, name) for name in dict.fromkeys(topics)]
    person, speaker_created = resolve_speaker(session, speaker, allow_similar=new_speaker)

    digest = text_hash(cleaned)
    connection = session.connection()
    existing = connection.execute(_FIND_QUOTE, {"speaker": person.id, "digest": digest}).first()
    quote_id: int | None = None
    if existing is None:
        # Another process may be recording the same statement right now: insert
        # only if absent; if it won, this becomes a repeat (quotes.store.upsert).
        quote_id = connection.execute(
            insert_if_absent(session, _QUOTES).returning(_QUOTES.c.id),
            {
                "speaker_id": person.id,
                "text": cleaned,
                "text_hash": digest,
                "date": when.start if when else None,
                "date_precision": when.precision if when else None,
                "kind": kind,
                "context": clean_text(context, what="context") if context else None,
                "language": language,
            },
        ).scalar()
        if quote_id is None:
            existing = connection.execute(
                _FIND_QUOTE, {"speaker": person.id, "digest": digest}
            ).one()
    if existing is not None:
        quote_id = existing[0]
        _fill_missing(session, quote_id, existing[1], existing[2], when, context)
    assert quote_id is not None
    source_id = find_or_create_source(session, url, outlet)
    attached = attach_source(session, quote_id, source_id, new_quote=existing is None)
    link_topics(session, quote_id, topic_rows)
    return AddResult(quote_id, existing is None, attached, person.name, speaker_created)


def _fill_missing(
    session: Session,
    quote_id: int,
    known_date: object,
    known_context: str | None,
    when: PartialDate | None,
    context: str | None,
) -> None:
    """A repeated statement may bring facts the first record lacked; never overwrite."""
    values: dict[str, object] = {}
    if known_date is None and when is not None:
        values.update(date=when.start, date_precision=when.precision)
    if not known_context and context:
        values["context"] = clean_text(context, what="context")
    if values:
        session.execute(update(Quote).where(Quote.id == quote_id).values(**values))


def link_topics(session: Session, quote_id: int, topics: Iterable[Topic]) -> None:
    """Mark the quote as being about each topic (a person's link: origin manual)."""
    topics = list(topics)
    if not topics:
        return
    session.flush()
    links = Base.metadata.tables["quote_topics"]
    for topic in topics:
        # Insert-if-absent: another process may link the same topic right now.
        session.execute(
            insert_if_absent(session, links).values(
                quote_id=quote_id, topic_id=topic.id, origin="manual"
            )
        )
        session.execute(
            update(links)
            .where(
                links.c.quote_id == quote_id,
                links.c.topic_id == topic.id,
                links.c.origin != "manual",
            )
            .values(origin="manual", confidence=None)
        )
    # A person's link wins over an earlier "not about this topic".
    session.execute(
        delete(TopicRejection).where(
            TopicRejection.quote_id == quote_id,
            TopicRejection.topic_id.in_([topic.id for topic in topics]),
        )
    )
    session.expire_all()


def manual_assessment(session: Session, quote_id: int, topic_id: int) -> StanceAssessment | None:
    """A person's stance label for this quote and topic, if there is one (at most one)."""
    return session.scalar(
        select(StanceAssessment).where(
            StanceAssessment.quote_id == quote_id,
            StanceAssessment.topic_id == topic_id,
            StanceAssessment.method == Method.MANUAL,
        )
    )


# A quote's speaker, and the source or topic of each of its links, are
# many-to-one: joined into the query that loads their parent rows, they cost
# no statement of their own. Four statements load any number of quotes as
# objects (seven with selectin loads throughout). Readers that only show
# quotes use quotes.records.documents instead: two statements, no objects.
_LOAD_OPTIONS = (
    joinedload(Quote.speaker),
    selectinload(Quote.source_links).joinedload(QuoteSource.source),
    selectinload(Quote.topic_links).joinedload(QuoteTopic.topic),
    selectinload(Quote.stances).joinedload(StanceAssessment.topic),
)


def load_quotes(session: Session, ids: Sequence[int]) -> list[Quote]:
    """Quotes with everything ``quote_to_dict`` needs, in the order of ``ids``."""
    ids = storable_ids(session, ids)
    if not ids:
        return []
    rows = session.scalars(select(Quote).where(Quote.id.in_(ids)).options(*_LOAD_OPTIONS)).all()
    by_id = {q.id: q for q in rows}
    return [by_id[i] for i in ids if i in by_id]


def get_quote(session: Session, quote_id: int) -> Quote:
    """One quote by id; a missing id raises NotFoundError."""
    found = load_quotes(session, [quote_id])
    if not found:
        raise NotFoundError(f"no quote with id {quote_id}: see `quotes search` or `quotes export`.")
    return found[0]


def quote_to_dict(quote: Quote) -> dict[str, Any]:
    """The contract's JSON shape of a loaded quote (:func:`quotes.records.documents.shape`).

    For quotes already loaded as objects (after an edit); to read quotes for
    display use :func:`quotes.records.documents.quote_documents`.
    """
    return shape(
        quote,
        quote.speaker.name,
        [(link.source.url, link.source.outlet, link.source.title) for link in quote.source_links],
        [(link.topic.name, link.origin, link.confidence) for link in quote.topic_links],
        [(s.topic.name, s.label, s.score, s.method, s.model, s.confidence) for s in quote.stances],
    )
