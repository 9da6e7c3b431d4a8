"""Stance timelines: one score per speaker and period, from the quotes' stances.

Each quote contributes one *effective* stance on the topic:

- a person's label (``method=manual``) counts as +1 (favor), -1 (against) or
  0 (neutral) and replaces any automatic assessment of the same quote;
- otherwise the automatic score in [-1, 1] is used as it is.

Manually labelled quotes then also weigh ``MANUAL_WEIGHT`` (2) times as much as
automatic ones when a period is aggregated, because a person read them. Two
aggregates are offered:

``mean``
    The weighted mean of the effective scores. It keeps the strength of each
    automatic score, so it suits sparse timelines (a few quotes per period)
    and shows gradual movement; one strongly worded quote can swing a period.

``logodds``
    The Manifesto Project's position measure (Lowe et al. 2011),
    ``log((favor + 0.5) / (against + 0.5))`` over the weighted counts of favor
    and against labels (neutral quotes count in ``n`` but not in the ratio),
    scaled to [-1, 1] with ``tanh(x / 2)``, which is exactly
    ``(favor - against) / (favor + against + 1)``. It ignores how strongly each
    quote leans and pulls periods with few quotes towards 0, so it suits dense
    timelines (many quotes per period) where the balance of favor against
    against matters more than any single wording.

Quotes without a date cannot be placed in time and are counted in
``Timeline.undated`` instead.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from quotes.timelines.evidence import Evidence, evidence_of
from quotes.timelines.periods import Granularity, Period, bucket, date_span
from quotes.vocabulary import Method, choose

ScoreMethod = Literal["mean", "logodds"]
SCORE_METHODS: tuple[ScoreMethod, ...] = ("mean", "logodds")

#: How much more a quote with a person's label weighs than an automatic one.
MANUAL_WEIGHT = 2.0


def validate_score_method(value: str) -> ScoreMethod:
    """``mean`` or ``logodds``; anything else is bad input."""
    return choose(value, SCORE_METHODS, "score")


@dataclass(frozen=True)
class Observation:
    """One quote's effective stance on the topic, with what a chart shows of it."""

    quote_id: int
    speaker: str
    topic: str
    date: date
    precision: str
    score: float
    label: str
    method: str
    text: str = ""
    source: str | None = None
    #: The calibrated confidence of an automatic stance (None: a person's
    #: label, or not known).
    confidence: float | None = None
    #: ``quote`` (verbatim) or ``paraphrase`` (reported speech).
    kind: str = "quote"

    @property
    def span(self) -> Period:
        """The calendar span the quote's date really covers."""
        return date_span(self.date, self.precision)

    @property
    def date_label(self) -> str:
        """The date as it was given (``2019-08`` stays a month)."""
        return self.span.label

    @property
    def weight(self) -> float:
        return MANUAL_WEIGHT if self.method == Method.MANUAL else 1.0


def mean_score(observations: Sequence[Observation]) -> float:
    """Weighted mean of effective scores (manual labels weigh ``MANUAL_WEIGHT``)."""
    total = sum(o.weight for o in observations)
    if total == 0:
        return 0.0
    return sum(o.weight * o.score for o in observations) / total


def logodds_raw(observations: Sequence[Observation]) -> float:
    """log((favor + 0.5) / (against + 0.5)) over weighted label counts (unbounded)."""
    favor = sum(o.weight for o in observations if o.label == "favor")
    against = sum(o.weight for o in observations if o.label == "against")
    return math.log((favor + 0.5) / (against + 0.5))


def logodds_score(observations: Sequence[Observation]) -> float:
    """The log-odds position scaled to [-1, 1] with tanh(x / 2)."""
    return math.tanh(logodds_raw(observations) / 2)


def aggregate(observations: Sequence[Observation], method: ScoreMethod) -> float:
    """One period's score by ``method``."""
    return mean_score(observations) if method == "mean" else logodds_score(observations)


@dataclass(frozen=True)
class TimelinePoint:
    """One row of a timeline: a speaker's score on the topic in one period."""

    speaker: str
    topic: str
    period: Period
    score: float
    observations: tuple[Observation, ...]

    @property
    def n(self) -> int:
        return len(self.observations)

    @property
    def quote_ids(self) -> list[int]:
        return [o.quote_id for o in self.observations]

    @property
    def evidence(self) -> Evidence:
        """What the period's score rests on (labelled and automatic quotes)."""
        return evidence_of(self.observations)

    def to_dict(self) -> dict[str, object]:
        """The contract's row: speaker, topic, period, score, n, quote_ids."""
        return {
            "speaker": self.speaker,
            "topic": self.topic,
            "period": self.period.label,
            "score": round(self.score, 4),
            "n": self.n,
            "quote_ids": self.quote_ids,
        }


@dataclass
class Timeline:
    """A topic's timeline for some speakers: rows plus the quotes behind them."""

    topic: str
    granularity: Granularity
    method: ScoreMethod
    speakers: list[str]
    points: list[TimelinePoint] = field(default_factory=list)
    undated: int = 0
    #: The topic's poles, so a chart can say what +1 and -1 mean.
    favor: str = ""
    against: str = ""
    #: The confidence bar automatic stances had to pass, and how many did not.
    min_confidence: float = 0.0
    below_bar: int = 0

    @property
    def observations(self) -> list[Observation]:
        return [o for p in self.points for o in p.observations]

    def series(self) -> dict[str, list[TimelinePoint]]:
        """Points per speaker in period order (speakers without quotes are absent)."""
        grouped: dict[str, list[TimelinePoint]] = defaultdict(list)
        for point in self.points:
            grouped[point.speaker].append(point)
        return dict(grouped)

    def is_coarse(self, point: TimelinePoint) -> bool:
        """True for a period wider than asked for (quotes dated less precisely).

        Charts draw such a period as a point spanning its whole width, not as a
        step of the speaker's line, and shifts are never measured against the
        finer periods it contains.
        """
        return point.period.granularity != self.granularity

    def rows(self) -> list[dict[str, object]]:
        """The contract's rows: speaker, topic, period, score, n, quote_ids."""
        return [p.to_dict() for p in self.points]

    def to_dict(self) -> list[dict[str, object]]:
        """What ``timeline --format json`` prints: :meth:`rows`."""
        return self.rows()


def speaker_order(name: str) -> tuple[str, str]:
    """Speakers sort case-insensitively (ties broken by the exact name)."""
    return (name.casefold(), name)


def build_points(
    observations: Iterable[Observation], granularity: Granularity, method: ScoreMethod
) -> list[TimelinePoint]:
    """Bucket observations per (speaker, period) and aggregate each bucket.

    Rows are sorted by speaker, then period; quotes inside a row by date, then id.
    """
    buckets: dict[tuple[str, str, Period], list[Observation]] = defaultdict(list)
    for obs in observations:
        buckets[(obs.speaker, obs.topic, bucket(obs.date, obs.precision, granularity))].append(obs)
    points = [
        TimelinePoint(
            speaker=speaker,
            topic=topic,
            period=period,
            score=aggregate(found, method),
            observations=tuple(sorted(found, key=lambda o: (o.span.sort_key, o.quote_id))),
        )
        for (speaker, topic, period), found in buckets.items()
    ]
    points.sort(key=lambda p: (speaker_order(p.speaker), p.topic, p.period.sort_key))
    return points
