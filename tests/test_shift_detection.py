"""Shift detection on constructed series: the rule, the evidence, imprecise dates."""

from __future__ import annotations

from datetime import date

import pytest

from quotes.errors import BadInputError
from quotes.timelines.aggregate import Observation, build_points
from quotes.timelines.evidence import EvidenceMinimum
from quotes.timelines.shifts import classify, detect_shifts, validate_threshold

#: These tests are about the shift rule itself: any one quote is enough evidence.
ANY_ONE = EvidenceMinimum(labelled=1, automatic=1)


def obs(
    quote_id: int,
    score: float,
    month: int,
    *,
    day: int = 10,
    precision: str = "day",
    speaker: str = "Mark Rutte",
    year: int = 2025,
) -> Observation:
    label = "favor" if score > 0.15 else "against" if score < -0.15 else "neutral"
    when = date(year, month, day) if precision == "day" else date(year, month, 1)
    return Observation(
        quote_id, speaker, "security", when, precision, score, label, "auto", f"quote {quote_id}"
    )


def test_classify_reversal_move_and_noise() -> None:
    assert classify(0.6, -0.4, threshold=0.5, neutral_band=0.15) == "reversal"
    assert classify(0.2, -0.2, threshold=0.5, neutral_band=0.15) == "reversal"
    assert classify(0.1, -0.1, threshold=0.5, neutral_band=0.15) is None  # wobble round 0
    assert classify(0.9, 0.3, threshold=0.5, neutral_band=0.15) == "move"
    assert classify(0.9, 0.5, threshold=0.5, neutral_band=0.15) is None
    assert classify(0.05, -0.6, threshold=0.5, neutral_band=0.15) == "move"


def test_detects_each_change_with_the_clearest_quotes_as_evidence() -> None:
    series = [
        obs(1, 0.7, 1),
        obs(2, 0.9, 1, day=20),
        obs(3, 0.5, 1, day=25),  # Jan: favor
        obs(4, 0.8, 2),  # Feb: steady
        obs(5, -0.3, 4),
        obs(6, -0.7, 4, day=12),  # Apr: reversal (March empty)
        obs(7, -0.5, 5),  # May: steady
        obs(8, 0.3, 6),  # Jun: a move of +0.8 but also a reversal
    ]
    shifts = detect_shifts(build_points(series, "month", "mean"), minimum=ANY_ONE)
    summary = [(s.kind, s.before.period.label, s.after.period.label) for s in shifts]
    assert summary == [("reversal", "2025-02", "2025-04"), ("reversal", "2025-05", "2025-06")]
    fall = shifts[0]
    assert fall.change == pytest.approx(-0.5 - 0.8)
    assert (fall.evidence_before.quote_id, fall.evidence_after.quote_id) == (4, 6)
    rise = shifts[1].to_dict()
    assert rise["before"]["id"] == 7 and rise["after"]["id"] == 8
    assert rise["from_score"] == -0.5 and rise["to_score"] == 0.3
    assert set(rise) >= {"speaker", "topic", "kind", "from_period", "to_period", "change"}


def test_threshold_controls_moves_and_speakers_are_never_mixed() -> None:
    series = [obs(1, 0.9, 1), obs(2, 0.5, 2), obs(3, -0.9, 3, speaker="Donald Trump")]
    points = build_points(series, "month", "mean")
    assert detect_shifts(points, minimum=ANY_ONE) == []
    assert [s.kind for s in detect_shifts(points, threshold=0.3, minimum=ANY_ONE)] == ["move"]


def test_evidence_ties_go_to_the_latest_before_and_earliest_after() -> None:
    series = [
        obs(1, 0.8, 1, day=3),
        obs(2, 0.8, 1, day=28),
        obs(3, -0.8, 2, day=1),
        obs(4, -0.8, 2, day=27),
    ]
    (shift,) = detect_shifts(build_points(series, "month", "mean"), minimum=ANY_ONE)
    assert (shift.evidence_before.quote_id, shift.evidence_after.quote_id) == (2, 3)


def test_a_year_period_is_not_compared_with_the_months_inside_it() -> None:
    series = [
        obs(1, 0.8, 12, year=2024),
        obs(2, -0.9, 1, precision="year"),  # "2025": only the year is known
        obs(3, 0.8, 3),
        obs(4, 0.8, 4),
    ]
    shifts = detect_shifts(build_points(series, "month", "mean"), minimum=ANY_ONE)
    assert [(s.before.period.label, s.after.period.label) for s in shifts] == [
        ("2024-12", "2025"),
    ]


def test_threshold_must_be_in_range() -> None:
    assert validate_threshold(0.4) == 0.4
    for bad in (0, -0.1, 2.5):
        with pytest.raises(BadInputError, match="--threshold"):
            validate_threshold(bad)


def test_a_claim_on_nothing_says_so_rather_than_zero_labels() -> None:
    """``0 labelled quotes`` read as if only labels had been looked for."""
    from quotes.timelines.evidence import Evidence

    assert Evidence(0, 0, None).describe() == (
        "no quote a person labelled or scored above the confidence bar"
    )
    assert Evidence(0, 2, 0.8).describe() == "2 automatic, mean confidence 0.80"
    assert Evidence(1, 0, None).describe() == "1 labelled quote"
