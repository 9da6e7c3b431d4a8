"""Reading stance timelines and shifts out of the database.

This is the only part of the timeline code that talks SQL: it resolves the
user's topic and speaker names (unknown ones are bad input), loads every stance
assessment of the chosen quotes in one query, reduces each quote to its
effective stance (a person's label wins, see :mod:`quotes.timelines.aggregate`) and hands
the observations to the pure bucketing and aggregation code.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, distinct, func, or_, select
from sqlalchemy.orm import Session

from quotes.errors import BadInputError
from quotes.records.speakers import require_speaker
from quotes.records.topics import get_topic
from quotes.store.dates import date_range
from quotes.store.models import Quote, QuoteSource, Source, Speaker, StanceAssessment, Topic
from quotes.timelines.aggregate import (
    Observation,
    Timeline,
    build_points,
    speaker_order,
    validate_score_method,
)
from quotes.timelines.periods import validate_granularity
from quotes.timelines.shifts import DEFAULT_THRESHOLD, Shift, detect_shifts, validate_threshold
from quotes.vocabulary import (
    DEFAULT_MIN_CONFIDENCE,
    Method,
    effective_stance,
    passes_confidence,
    validate_min_confidence,
)

_CHUNK = 500


@dataclass
class _Assessed:
    """What the query found for one (quote, topic) pair."""

    quote_id: int
    speaker: str
    topic: str
    when: date | None
    precision: str | None
    text: str
    kind: str
    manual: tuple[str, float] | None = None
    auto: tuple[str, float, float | None] | None = None  # label, score, confidence

    def counts(self, bar: float) -> bool:
        """A person's label always counts; an automatic stance only above the bar."""
        if self.manual is not None:
            return True
        return self.auto is not None and passes_confidence("auto", self.auto[2], bar)


@dataclass
class Observed:
    """What :func:`load_observations` found."""

    observations: list[Observation]
    undated: int  # quotes that count but have no date
    below_bar: int  # dated quotes whose only stance is automatic and under the bar


def date_clauses(since: str | None, until: str | None) -> list[ColumnElement[bool]]:
    start, end = date_range(since, until)
    clauses: list[ColumnElement[bool]] = []
    if start:
        clauses.append(Quote.date >= start)
    if end:
        clauses.append(Quote.date <= end)
    return clauses


def _sources(session: Session, quote_ids: Sequence[int]) -> dict[int, str]:
    """The first source of each quote as one line: ``outlet, url``."""
    found: dict[int, str] = {}
    for start in range(0, len(quote_ids), _CHUNK):
        rows = session.execute(
            select(QuoteSource.quote_id, Source.outlet, Source.url)
            .join(Source, Source.id == QuoteSource.source_id)
            .where(QuoteSource.quote_id.in_(quote_ids[start : start + _CHUNK]))
            .order_by(QuoteSource.quote_id, QuoteSource.created_at, Source.id)
        ).all()
        for quote_id, outlet, url in rows:
            if quote_id not in found:
                found[quote_id] = ", ".join(part for part in (outlet, url) if part)
    return found


def load_observations(
    session: Session,
    *,
    topic_ids: Iterable[int] | None = None,
    speaker_ids: Iterable[int] | None = None,
    extra: Sequence[ColumnElement[bool]] = (),
    min_confidence: float = 0.0,
) -> Observed:
    """Effective stances of dated quotes that pass the confidence bar, with counts of
    the quotes left out (undated, or automatic and below the bar)."""
    query = (
        select(
            StanceAssessment.quote_id,
            Speaker.name,
            Topic.name,
            StanceAssessment.method,
            StanceAssessment.label,
            StanceAssessment.score,
            StanceAssessment.confidence,
            Quote.date,
            Quote.date_precision,
            Quote.text,
            Quote.kind,
        )
        .join(Quote, Quote.id == StanceAssessment.quote_id)
        .join(Speaker, Speaker.id == Quote.speaker_id)
        .join(Topic, Topic.id == StanceAssessment.topic_id)
        .where(*extra)
        .order_by(StanceAssessment.id)  # later assessments of a pair replace earlier ones
    )
    if topic_ids is not None:
        query = query.where(StanceAssessment.topic_id.in_(list(topic_ids)))
    if speaker_ids is not None:
        query = query.where(Quote.speaker_id.in_(list(speaker_ids)))
    pairs: dict[tuple[int, str], _Assessed] = {}
    for row in session.execute(query):
        quote_id, speaker, topic, method, label, score, confidence = row[:7]
        when, precision, text, kind = row[7:]
        pair = pairs.setdefault(
            (quote_id, topic), _Assessed(quote_id, speaker, topic, when, precision, text, kind)
        )
        if method == Method.MANUAL:
            pair.manual = (label, score)
        else:
            pair.auto = (label, score, confidence)
    counted = [p for p in pairs.values() if p.counts(min_confidence)]
    undated = {p.quote_id for p in counted if p.when is None}
    below_bar = sum(
        1 for p in pairs.values() if p.when is not None and not p.counts(min_confidence)
    )
    dated = [p for p in counted if p.when is not None]
    sources = _sources(session, sorted({p.quote_id for p in dated}))
    observations = []
    for pair in dated:
        stance = effective_stance(
            pair.manual[0] if pair.manual else None,
            pair.auto[0] if pair.auto else None,
            pair.auto[1] if pair.auto else None,
        )
        if stance is None:
            continue
        assert pair.when is not None
        label, score, method = stance
        observations.append(
            Observation(
                quote_id=pair.quote_id,
                speaker=pair.speaker,
                topic=pair.topic,
                date=pair.when,
                precision=pair.precision or "day",
                score=score,
                label=label,
                method=method,
                text=pair.text,
                source=sources.get(pair.quote_id),
                confidence=pair.auto[2] if method == "auto" and pair.auto else None,
                kind=pair.kind,
            )
        )
    return Observed(observations, len(undated), below_bar)


def build_timeline(
    session: Session,
    topic: str,
    speakers: Sequence[str],
    *,
    by: str = "month",
    score: str = "mean",
    since: str | None = None,
    until: str | None = None,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    default_speakers: int = 0,
) -> Timeline:
    """A topic's stance timeline for the named speakers (aliases resolve).

    Without speakers, the ``default_speakers`` speakers with the most assessed
    dated quotes on the topic (none named and no default is bad input).
    Every value is checked before anything is read: an unknown topic, speaker,
    period or score is bad input. Speakers without assessed quotes on the topic
    simply have no rows; the caller decides what to say about an empty result.
    """
    granularity = validate_granularity(by)
    method = validate_score_method(score)
    bar = validate_min_confidence(min_confidence)
    if not speakers and default_speakers < 1:
        raise BadInputError("give at least one --speaker for the timeline.")
    clauses = date_clauses(since, until)
    found = get_topic(session, topic)
    if not speakers:
        speakers = most_assessed_speakers(session, found.id, limit=default_speakers)
    people = list({s.id: s for s in (require_speaker(session, n) for n in speakers)}.values())
    observed = load_observations(
        session,
        topic_ids=[found.id],
        speaker_ids=[p.id for p in people],
        extra=clauses,
        min_confidence=bar,
    )
    return Timeline(
        topic=found.name,
        granularity=granularity,
        method=method,
        speakers=[p.name for p in people],
        points=build_points(observed.observations, granularity, method),
        undated=observed.undated,
        favor=found.favor_pole,
        against=found.against_pole,
        min_confidence=bar,
        below_bar=observed.below_bar,
    )


def find_shifts(
    session: Session,
    *,
    topic: str | None = None,
    speaker: str | None = None,
    by: str = "month",
    score: str = "mean",
    threshold: float = DEFAULT_THRESHOLD,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
) -> list[Shift]:
    """Shifts of every speaker on every topic, or only the ones named.

    Only evidence above the confidence bar counts, and only periods with
    sufficient evidence (:mod:`quotes.timelines.evidence`) are compared.
    """
    granularity = validate_granularity(by)
    method = validate_score_method(score)
    limit = validate_threshold(threshold)
    bar = validate_min_confidence(min_confidence)
    topic_ids = [get_topic(session, topic).id] if topic else None
    speaker_ids = [require_speaker(session, speaker).id] if speaker else None
    observed = load_observations(
        session, topic_ids=topic_ids, speaker_ids=speaker_ids, min_confidence=bar
    )
    shifts = detect_shifts(
        build_points(observed.observations, granularity, method), threshold=limit
    )
    shifts.sort(key=lambda s: (speaker_order(s.speaker), s.topic, s.after.period.sort_key))
    return shifts


def most_assessed_speakers(session: Session, topic_id: int, *, limit: int) -> list[str]:
    """The ``limit`` speakers with the most stance-assessed dated quotes on the topic,
    most first (ties by name)."""
    count = func.count(distinct(Quote.id))
    rows = session.execute(
        select(Speaker.name, count)
        .select_from(StanceAssessment)
        .join(Quote, Quote.id == StanceAssessment.quote_id)
        .join(Speaker, Speaker.id == Quote.speaker_id)
        .where(StanceAssessment.topic_id == topic_id, Quote.date.is_not(None))
        .group_by(Speaker.name)
        .order_by(count.desc(), Speaker.name)
        .limit(limit)
    ).all()
    return [name for name, _ in rows]


def most_assessed(
    session: Session, *, limit: int = 3, min_confidence: float = 0.0
) -> tuple[str, list[str]] | None:
    """The topic with the most stance-assessed dated quotes, and its most-quoted speakers.

    This picks what a first timeline should show (the demo uses it): the
    ``limit`` speakers with the most assessed quotes on that topic, most first.
    None when nothing is assessed yet. Only stances that pass ``min_confidence``
    are counted (a person's label always is).
    """
    counted = (
        []
        if min_confidence <= 0
        else [
            or_(StanceAssessment.method == "manual", StanceAssessment.confidence >= min_confidence)
        ]
    )
    rows = session.execute(
        select(Topic.name, Speaker.name, func.count(distinct(Quote.id)))
        .select_from(StanceAssessment)
        .join(Quote, Quote.id == StanceAssessment.quote_id)
        .join(Speaker, Speaker.id == Quote.speaker_id)
        .join(Topic, Topic.id == StanceAssessment.topic_id)
        .where(Quote.date.is_not(None), *counted)
        .group_by(Topic.name, Speaker.name)
    ).all()
    if not rows:
        return None
    totals: dict[str, int] = {}
    for topic, _, count in rows:
        totals[topic] = totals.get(topic, 0) + count
    topic = min(totals, key=lambda t: (-totals[t], t))
    speakers = sorted(((-c, s) for t, s, c in rows if t == topic))[:limit]
    return topic, [s for _, s in speakers]
