"""Stance shifts: where a speaker's position on a topic changed between periods.

The rule compares each period of one speaker's timeline on one topic with the
most recent earlier period that ends before it starts (empty periods are
skipped; a wider period such as ``2025`` in a monthly timeline, which holds the
quotes dated only to the year, is compared with what came before 2025 and
after it, never with the months inside it). It reports:

- a **reversal** (``kind="reversal"``) when the score changes sign and both
  scores lie outside the neutral band (``|score| >= neutral_band``, default
  0.15), so a wobble around zero is not a reversal;
- otherwise a **move** (``kind="move"``) when the score changes by at least
  ``threshold`` (default 0.5, a quarter of the whole -1..1 scale).

Only periods with sufficient evidence are compared (the rule of
:mod:`quotes.timelines.evidence`: a person's label, or at least three
automatic assessments above the confidence bar); a thin period is skipped as
if it were empty, so a shift never rests on one stray automatic score. Each
shift says what each side rests on (``2 labelled quotes``, ``5 automatic,
mean confidence 0.82``).

Each shift carries its evidence: from the earlier period the quote that most
clearly held the old position (the highest score when the position fell, the
lowest when it rose) and from the later period the quote that most clearly
holds the new one (the lowest when it fell, the highest when it rose); ties go
to the latest quote before and the earliest quote after the change.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from quotes.errors import BadInputError
from quotes.timelines.aggregate import Observation, TimelinePoint
from quotes.timelines.evidence import DEFAULT_MINIMUM, EvidenceMinimum

DEFAULT_THRESHOLD = 0.5
DEFAULT_NEUTRAL_BAND = 0.15

ShiftKind = Literal["reversal", "move"]


@dataclass(frozen=True)
class Shift:
    """A change of position between two consecutive periods, with its evidence."""

    kind: ShiftKind
    before: TimelinePoint
    after: TimelinePoint
    evidence_before: Observation
    evidence_after: Observation

    @property
    def speaker(self) -> str:
        return self.after.speaker

    @property
    def topic(self) -> str:
        return self.after.topic

    @property
    def change(self) -> float:
        return self.after.score - self.before.score

    def to_dict(self) -> dict[str, object]:
        return {
            "speaker": self.speaker,
            "topic": self.topic,
            "kind": self.kind,
            "from_period": self.before.period.label,
            "to_period": self.after.period.label,
            "from_score": round(self.before.score, 4),
            "to_score": round(self.after.score, 4),
            "change": round(self.change, 4),
            "before": _evidence(self.evidence_before),
            "after": _evidence(self.evidence_after),
            "from_basis": self.before.evidence.to_dict(),
            "to_basis": self.after.evidence.to_dict(),
        }


def _evidence(obs: Observation) -> dict[str, object]:
    return {
        "id": obs.quote_id,
        "text": obs.text,
        "date": obs.date_label,
        "score": round(obs.score, 4),
        "label": obs.label,
        "method": obs.method,
        "confidence": None if obs.confidence is None else round(obs.confidence, 4),
        "kind": obs.kind,
        "source": obs.source,
    }


def validate_threshold(value: float) -> float:
    """A change threshold must lie in (0, 2]: the widest possible move is 2."""
    if not 0 < value <= 2:
        raise BadInputError(f"invalid --threshold {value}: use a number above 0 and at most 2.")
    return value


def classify(
    before: float, after: float, *, threshold: float, neutral_band: float
) -> ShiftKind | None:
    """``reversal``, ``move`` or None for a change of score from ``before`` to ``after``."""
    if abs(before) >= neutral_band and abs(after) >= neutral_band and before * after < 0:
        return "reversal"
    if abs(after - before) >= threshold:
        return "move"
    return None


def _pick(observations: Sequence[Observation], *, highest: bool, latest: bool) -> Observation:
    """The most extreme quote in one direction; ``max`` keeps the first of equals.

    A point's observations are in time order, so walking them backwards makes
    the latest of equals win, forwards the earliest.
    """
    ordered = list(reversed(observations)) if latest else list(observations)
    return max(ordered, key=lambda o: o.score if highest else -o.score)


def _previous_finder(series: Sequence[TimelinePoint]) -> Callable[[int], TimelinePoint | None]:
    """For each point, the latest-ending period of the series that ends before it starts.

    On equal ends the narrower period wins (2024-12 over 2024): it is the more
    recent evidence. Keys are sorted once and looked up by bisection.
    """
    keyed = sorted(
        ((p.period.end.toordinal(), -(p.period.end - p.period.start).days), i)
        for i, p in enumerate(series)
    )
    keys = [k for k, _ in keyed]

    def previous(index: int) -> TimelinePoint | None:
        start = series[index].period.start.toordinal()
        position = bisect_left(keys, (start, -(10**9)))
        return series[keyed[position - 1][1]] if position else None

    return previous


def detect_shifts(
    points: Sequence[TimelinePoint],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    neutral_band: float = DEFAULT_NEUTRAL_BAND,
    minimum: EvidenceMinimum = DEFAULT_MINIMUM,
) -> list[Shift]:
    """Shifts in timeline rows sorted by speaker, topic, then period (as built).

    Periods whose evidence is not sufficient under ``minimum`` are left out
    before periods are compared.
    """
    grouped: dict[tuple[str, str], list[TimelinePoint]] = {}
    for point in points:
        if point.evidence.sufficient(minimum):
            grouped.setdefault((point.speaker, point.topic), []).append(point)
    shifts: list[Shift] = []
    for series in grouped.values():
        series.sort(key=lambda p: p.period.sort_key)
        shifts.extend(_series_shifts(series, threshold, neutral_band))
    return shifts


def _series_shifts(
    series: Sequence[TimelinePoint], threshold: float, neutral_band: float
) -> list[Shift]:
    shifts: list[Shift] = []
    previous = _previous_finder(series)
    for index, after in enumerate(series):
        before = previous(index)
        if before is None:
            continue
        kind = classify(before.score, after.score, threshold=threshold, neutral_band=neutral_band)
        if kind is None:
            continue
        fell = after.score < before.score
        shifts.append(
            Shift(
                kind=kind,
                before=before,
                after=after,
                evidence_before=_pick(before.observations, highest=fell, latest=True),
                evidence_after=_pick(after.observations, highest=not fell, latest=False),
            )
        )
    return shifts
