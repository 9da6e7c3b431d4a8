"""Bucketing by date precision and the two aggregates, on constructed series."""

from __future__ import annotations

import math
from datetime import date

import pytest

from quotes.errors import BadInputError
from quotes.timelines.aggregate import (
    MANUAL_WEIGHT,
    Observation,
    Timeline,
    build_points,
    logodds_raw,
    logodds_score,
    mean_score,
    validate_score_method,
)
from quotes.timelines.periods import bucket, date_span, period_of, validate_granularity
from quotes.vocabulary import effective_stance


def obs(
    quote_id: int,
    score: float,
    *,
    when: date = date(2025, 8, 5),
    precision: str = "day",
    method: str = "auto",
    speaker: str = "Mette Frederiksen",
    label: str | None = None,
) -> Observation:
    if label is None:
        label = "favor" if score > 0.15 else "against" if score < -0.15 else "neutral"
    return Observation(
        quote_id,
        speaker,
        "sovereignty",
        when,
        precision,
        score,
        label,
        method,
        f"quote {quote_id}",
        "Reuters",
    )


@pytest.mark.parametrize(
    ("granularity", "label", "start", "end"),
    [
        ("day", "2025-08-05", date(2025, 8, 5), date(2025, 8, 5)),
        ("month", "2025-08", date(2025, 8, 1), date(2025, 8, 31)),
        ("quarter", "2025-Q3", date(2025, 7, 1), date(2025, 9, 30)),
        ("year", "2025", date(2025, 1, 1), date(2025, 12, 31)),
    ],
)
def test_day_precision_lands_in_every_granularity(
    granularity: str, label: str, start: date, end: date
) -> None:
    period = bucket(date(2025, 8, 5), "day", validate_granularity(granularity))
    assert (period.label, period.start, period.end) == (label, start, end)


@pytest.mark.parametrize(
    ("granularity", "label"),
    [("day", "2025-08"), ("month", "2025-08"), ("quarter", "2025-Q3"), ("year", "2025")],
)
def test_month_precision_never_gets_a_day(granularity: str, label: str) -> None:
    assert bucket(date(2025, 8, 1), "month", validate_granularity(granularity)).label == label


@pytest.mark.parametrize("granularity", ["day", "month", "quarter", "year"])
def test_year_precision_only_ever_gets_its_year(granularity: str) -> None:
    period = bucket(date(2019, 1, 1), "year", validate_granularity(granularity))
    assert (period.label, period.granularity) == ("2019", "year")


def test_quarter_boundaries_and_leap_february() -> None:
    assert period_of(date(2024, 3, 31), "quarter").label == "2024-Q1"
    assert period_of(date(2024, 4, 1), "quarter").label == "2024-Q2"
    assert period_of(date(2024, 12, 31), "quarter").end == date(2024, 12, 31)
    assert period_of(date(2024, 2, 10), "month").end == date(2024, 2, 29)


def test_date_span_and_midpoint_follow_precision() -> None:
    assert date_span(date(2025, 8, 1), "month").label == "2025-08"
    assert date_span(date(2025, 1, 1), "year").midpoint == date(2025, 7, 2)
    assert date_span(date(2025, 8, 5), "day").midpoint == date(2025, 8, 5)


def test_unknown_granularity_and_score_are_bad_input() -> None:
    with pytest.raises(BadInputError, match="'week'.*day, month, quarter or year"):
        validate_granularity("week")
    with pytest.raises(BadInputError, match="'median'.*mean or logodds"):
        validate_score_method("median")
    assert validate_granularity(" Quarter ") == "quarter"
    assert validate_score_method("LOGODDS") == "logodds"


def test_manual_label_replaces_the_automatic_score() -> None:
    assert effective_stance("against", "favor", 0.9) == ("against", -1.0, "manual")
    assert effective_stance("neutral", "favor", 0.9) == ("neutral", 0.0, "manual")
    assert effective_stance(None, "favor", 0.4) == ("favor", 0.4, "auto")
    assert effective_stance(None, None, None) is None


def test_mean_weighs_manual_labels_more_than_automatic_scores() -> None:
    manual = obs(1, 1.0, method="manual")
    auto = obs(2, -0.8)
    expected = (MANUAL_WEIGHT * 1.0 - 0.8) / (MANUAL_WEIGHT + 1)
    assert mean_score([manual, auto]) == pytest.approx(expected)
    # The same two scores, both automatic, would cancel out almost entirely.
    assert mean_score([obs(1, 1.0), auto]) == pytest.approx(0.1)


def test_logodds_uses_label_counts_and_is_scaled_to_the_unit_range() -> None:
    series = [obs(1, 0.9), obs(2, 0.3), obs(3, -0.6), obs(4, 0.0)]
    assert logodds_raw(series) == pytest.approx(math.log(2.5 / 1.5))
    assert logodds_score(series) == pytest.approx((2 - 1) / (2 + 1 + 1))
    # A person's favor label counts MANUAL_WEIGHT favor statements.
    labelled = [obs(1, 1.0, method="manual"), obs(3, -0.6)]
    assert logodds_score(labelled) == pytest.approx((2 - 1) / (2 + 1 + 1))
    # Many statements one way approach the bound; few stay shrunk towards 0.
    assert logodds_score([obs(i, 0.2) for i in range(50)]) > 0.95
    assert logodds_score([obs(1, 0.2)]) == pytest.approx(0.5)
    assert logodds_score([obs(1, 0.0)]) == 0.0


def test_build_points_groups_sorts_and_keeps_imprecise_dates_apart() -> None:
    series = [
        obs(1, 0.8, when=date(2025, 8, 5), speaker="Mark Rutte"),
        obs(2, 0.4, when=date(2025, 8, 20), speaker="Mark Rutte"),
        obs(3, -0.5, when=date(2025, 8, 1), precision="month", speaker="Mark Rutte"),
        obs(4, 0.6, when=date(2025, 1, 1), precision="year", speaker="Mark Rutte"),
        obs(5, 0.9, when=date(2025, 9, 2), speaker="donald trump"),
    ]
    points = build_points(series, "month", "mean")
    rows = [(p.speaker, p.period.label, p.quote_ids) for p in points]
    assert rows == [
        ("donald trump", "2025-09", [5]),
        ("Mark Rutte", "2025", [4]),
        ("Mark Rutte", "2025-08", [3, 1, 2]),
    ]
    assert points[2].score == pytest.approx((0.8 + 0.4 - 0.5) / 3)
    daily = build_points(series, "day", "mean")
    assert [p.period.label for p in daily if p.speaker == "Mark Rutte"] == [
        "2025",
        "2025-08",
        "2025-08-05",
        "2025-08-20",
    ]
    timeline = Timeline("sovereignty", "day", "mean", ["Mark Rutte"], daily)
    assert [timeline.is_coarse(p) for p in daily[1:]] == [True, True, False, False]


def test_rows_have_the_contract_columns() -> None:
    points = build_points([obs(7, 0.123456), obs(8, 0.5)], "year", "mean")
    timeline = Timeline("sovereignty", "year", "mean", ["Mette Frederiksen"], points)
    assert timeline.rows() == [
        {
            "speaker": "Mette Frederiksen",
            "topic": "sovereignty",
            "period": "2025",
            "score": round((0.123456 + 0.5) / 2, 4),
            "n": 2,
            "quote_ids": [7, 8],
        },
    ]
