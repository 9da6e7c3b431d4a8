"""Merging: two speakers who are one person, two quotes that are one statement.

``merge_speakers`` moves every quote, alias and role of one speaker to another
in the caller's transaction; a statement both speakers have (same normalised
text) becomes one quote, the duplicate handing over its sources, topic links
and a person's labels first (``absorb_quote``). It lives apart from
:mod:`quotes.records.speakers` and :mod:`quotes.records.quotes` because it
needs both, and neither needs it.
"""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from quotes.errors import BadInputError
from quotes.records import history
from quotes.records.quotes import load_quotes, manual_assessment
from quotes.records.sources import attach_source
from quotes.records.speakers import forget_resolved_speakers, require_speaker
from quotes.results import Merged
from quotes.store.models import (
    Quote,
    QuoteSource,
    QuoteTopic,
    Role,
    Speaker,
    SpeakerAlias,
    StanceAssessment,
    TopicRejection,
)
from quotes.vocabulary import Method


def absorb_quote(session: Session, *, remove_id: int, keep_id: int) -> None:
    """Fold quote ``remove_id`` into ``keep_id``: one statement, one quote.

    Used when merging speakers and when an edit makes two quotes the same
    statement. Sources, topic links (a person's link stays a person's), rejected
    topics and a person's labels move over; automatic assessments are redone
    by the next ``stance assign``. The removed quote goes to history first.
    """
    removed = load_quotes(session, [remove_id])[0]
    snapshot = {**history.quote_snapshot(session, removed), "merged_into": keep_id}
    history.append(session, "quote", remove_id, "merge", snapshot)
    for source_id in session.scalars(
        select(QuoteSource.source_id).where(QuoteSource.quote_id == remove_id)
    ).all():
        attach_source(session, keep_id, source_id)
    for qt in session.scalars(select(QuoteTopic).where(QuoteTopic.quote_id == remove_id)):
        kept = session.get(QuoteTopic, (keep_id, qt.topic_id))
        if kept is None:
            session.add(
                QuoteTopic(
                    quote_id=keep_id,
                    topic_id=qt.topic_id,
                    origin=qt.origin,
                    confidence=qt.confidence,
                )
            )
        elif qt.origin == Method.MANUAL and kept.origin != Method.MANUAL:
            kept.origin, kept.confidence = Method.MANUAL, None
    session.flush()
    for rejection in session.scalars(
        select(TopicRejection).where(TopicRejection.quote_id == remove_id)
    ).all():
        kept = session.get(QuoteTopic, (keep_id, rejection.topic_id))
        if (kept is None or kept.origin != Method.MANUAL) and session.get(
            TopicRejection, (keep_id, rejection.topic_id)
        ) is None:
            session.add(TopicRejection(quote_id=keep_id, topic_id=rejection.topic_id))
    for st in session.scalars(
        select(StanceAssessment).where(
            StanceAssessment.quote_id == remove_id, StanceAssessment.method == Method.MANUAL
        )
    ):
        if manual_assessment(session, keep_id, st.topic_id) is None:
            session.add(
                StanceAssessment(
                    quote_id=keep_id,
                    topic_id=st.topic_id,
                    label=st.label,
                    score=st.score,
                    method=Method.MANUAL,
                    model=st.model,
                )
            )
    session.flush()
    session.expunge(removed)
    session.execute(delete(Quote).where(Quote.id == remove_id))
    session.flush()


def merge_speakers(session: Session, source_name: str, target_name: str) -> Merged:
    """Move every quote and alias of ``source_name`` to ``target_name``, then delete it.

    A statement both speakers have (same normalised text) becomes one quote:
    the source's duplicate hands its sources, topics and stances over first.
    Runs inside the caller's transaction, so it is all or nothing.
    """
    forget_resolved_speakers(session)
    source = require_speaker(session, source_name)
    target = require_speaker(session, target_name)
    if source.id == target.id:
        raise BadInputError(f"{source_name!r} and {target_name!r} are already the same speaker.")
    snapshot = {**history.speaker_snapshot(source), "merged_into": target.id}
    history.append(session, "speaker", source.id, "merge", snapshot)
    duplicates = session.execute(
        select(Quote.id, Quote.text_hash).where(
            Quote.speaker_id == source.id,
            Quote.text_hash.in_(select(Quote.text_hash).where(Quote.speaker_id == target.id)),
        )
    ).all()
    for quote_id, text_hash in duplicates:
        keep = session.scalar(
            select(Quote.id).where(Quote.speaker_id == target.id, Quote.text_hash == text_hash)
        )
        assert keep is not None
        absorb_quote(session, remove_id=quote_id, keep_id=keep)
    moved = len(session.scalars(select(Quote.id).where(Quote.speaker_id == source.id)).all())
    session.execute(update(Quote).where(Quote.speaker_id == source.id).values(speaker_id=target.id))
    aliases = [a.alias for a in source.aliases]
    session.execute(
        update(SpeakerAlias)
        .where(SpeakerAlias.speaker_id == source.id)
        .values(speaker_id=target.id)
    )
    session.execute(update(Role).where(Role.speaker_id == source.id).values(speaker_id=target.id))
    for attr in ("country", "party", "wikidata_id"):
        if getattr(target, attr) is None and getattr(source, attr) is not None:
            value = getattr(source, attr)
            setattr(source, attr, None)
            session.flush()
            setattr(target, attr, value)
    session.expunge(source)
    session.execute(delete(Speaker).where(Speaker.id == source.id))
    session.flush()
    session.expire(target)
    return Merged(target.name, moved, len(duplicates), tuple(aliases))
