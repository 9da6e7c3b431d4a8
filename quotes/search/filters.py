"""The filters every listing shares: speaker, topic, stance, since, until, kind.

Search (every mode), export and timelines resolve the user's values once here,
so an unknown speaker, topic or stance label is the same error everywhere, and
build the same SQL conditions on ``quotes``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, exists, or_, select, true
from sqlalchemy.orm import Session, aliased

from quotes.records.speakers import require_speaker
from quotes.records.topics import get_topic
from quotes.store.dates import date_range
from quotes.store.models import Quote, QuoteTopic, StanceAssessment
from quotes.vocabulary import Method, quote_kind, stance_label, validate_min_confidence


@dataclass(frozen=True)
class QuoteFilters:
    """Filter values as the user typed them."""

    speaker: str | None = None
    topic: str | None = None
    stance: str | None = None
    since: str | None = None
    until: str | None = None
    #: With ``stance``: an automatic stance counts only at this confidence or
    #: above (0: every automatic stance counts); a person's label always counts.
    min_confidence: float = 0.0
    kind: str | None = None  # quote or paraphrase


@dataclass(frozen=True)
class ResolvedFilters:
    """Filter values checked against the database, ready to become SQL."""

    speaker_id: int | None = None
    topic_id: int | None = None
    stance: str | None = None
    since: date | None = None
    until: date | None = None
    min_confidence: float = 0.0
    kind: str | None = None

    def clauses(self) -> list[ColumnElement[bool]]:
        """Conditions on ``Quote`` implementing these filters."""
        found: list[ColumnElement[bool]] = []
        if self.speaker_id is not None:
            found.append(Quote.speaker_id == self.speaker_id)
        if self.since is not None:
            found.append(Quote.date >= self.since)
        if self.until is not None:
            found.append(Quote.date <= self.until)
        if self.kind is not None:
            found.append(Quote.kind == self.kind)
        if self.topic_id is not None:
            found.append(
                exists().where(
                    QuoteTopic.quote_id == Quote.id, QuoteTopic.topic_id == self.topic_id
                )
            )
        if self.stance is not None:
            found.append(effective_stance_is(self.stance, self.topic_id, self.min_confidence))
        return found


def effective_stance_is(
    label: str, topic_id: int | None, min_confidence: float = 0.0
) -> ColumnElement[bool]:
    """The quote's effective stance is ``label``: the SQL form of
    :func:`quotes.vocabulary.manual_wins` (a person's label wins over the
    automatic one).

    With a topic, on that topic; without one, on any topic. An automatic
    stance counts only at ``min_confidence`` or above (an unknown confidence
    is below any bar above 0), the rule of ``quotes.vocabulary.passes_confidence``.
    """
    assessed = aliased(StanceAssessment)
    manual = aliased(StanceAssessment)
    no_manual_override = ~exists(
        select(manual.id).where(
            manual.quote_id == assessed.quote_id,
            manual.topic_id == assessed.topic_id,
            manual.method == Method.MANUAL,
        )
    )
    conditions = [
        assessed.quote_id == Quote.id,
        assessed.label == label,
        or_(
            assessed.method == Method.MANUAL,
            and_(
                no_manual_override,
                assessed.confidence >= min_confidence if min_confidence > 0 else true(),
            ),
        ),
    ]
    if topic_id is not None:
        conditions.append(assessed.topic_id == topic_id)
    return exists(select(assessed.id).where(*conditions))


def resolve_filters(session: Session, filters: QuoteFilters) -> ResolvedFilters:
    """Check every value (raising BadInputError for unknown ones) and resolve ids."""
    since, until = date_range(filters.since, filters.until)
    stance = stance_label(filters.stance) if filters.stance else None
    bar = validate_min_confidence(filters.min_confidence)
    topic = get_topic(session, filters.topic) if filters.topic else None
    speaker = require_speaker(session, filters.speaker) if filters.speaker else None
    kind = quote_kind(filters.kind) if filters.kind else None
    return ResolvedFilters(
        speaker_id=speaker.id if speaker else None,
        topic_id=topic.id if topic else None,
        stance=stance,
        since=since,
        until=until,
        min_confidence=bar,
        kind=kind,
    )
