"""Time buckets for timelines: day, month, quarter, year, respecting date precision.

A quote dated ``2019-08`` is known only to the month, so it can be placed in the
month, quarter or year that contains it, but never in a day. When the timeline
asks for a finer bucket than the date supports, the quote goes into the period
of its own precision instead: with ``--by day`` a ``2019-08`` quote lands in the
period ``2019-08``, a ``2019`` quote in ``2019``. The period's label shows how
much is known, so no day (or month) is ever invented, and nothing is silently
dropped. Such coarser periods sort before the finer periods they contain (same
start, longer span first).

Period labels: ``2019-08-05`` (day), ``2019-08`` (month), ``2019-Q3`` (quarter),
``2019`` (year).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from quotes.vocabulary import choose

Granularity = Literal["day", "month", "quarter", "year"]
GRANULARITIES: tuple[Granularity, ...] = ("day", "month", "quarter", "year")

#: How fine each granularity is (smaller is finer); date precisions share the scale.
_FINENESS = {"day": 0, "month": 1, "quarter": 2, "year": 3}


def validate_granularity(value: str) -> Granularity:
    """``day``, ``month``, ``quarter`` or ``year``; anything else is bad input."""
    return choose(value, GRANULARITIES, "period")


@dataclass(frozen=True)
class Period:
    """A calendar span from ``start`` to ``end`` (inclusive) with its label."""

    label: str
    start: date
    end: date
    granularity: Granularity

    @property
    def sort_key(self) -> tuple[date, int]:
        """By start, then longest span first: ``2019``, ``2019-Q1``, ``2019-01``."""
        return (self.start, -(self.end - self.start).days)

    @property
    def midpoint(self) -> date:
        """The middle day: where charts draw a period (or an imprecise date)."""
        return self.start + timedelta(days=(self.end - self.start).days // 2)


def _make(start: date, end: date, label: str, granularity: Granularity) -> Period:
    return Period(label, start, end, granularity)


def period_of(day: date, granularity: Granularity) -> Period:
    """The period of ``granularity`` that contains the (exactly known) day."""
    if granularity == "day":
        return _make(day, day, day.isoformat(), "day")
    if granularity == "month":
        last = calendar.monthrange(day.year, day.month)[1]
        return _make(
            date(day.year, day.month, 1),
            date(day.year, day.month, last),
            f"{day.year:04d}-{day.month:02d}",
            "month",
        )
    if granularity == "quarter":
        quarter = (day.month - 1) // 3 + 1
        first_month = 3 * quarter - 2
        last_month = first_month + 2
        last = calendar.monthrange(day.year, last_month)[1]
        return _make(
            date(day.year, first_month, 1),
            date(day.year, last_month, last),
            f"{day.year:04d}-Q{quarter}",
            "quarter",
        )
    return _make(date(day.year, 1, 1), date(day.year, 12, 31), f"{day.year:04d}", "year")


def bucket(start: date, precision: str | None, granularity: Granularity) -> Period:
    """The period a quote dated (``start``, ``precision``) belongs to.

    ``start`` is the stored first day of the known period. The bucket is the
    requested granularity, or the quote's own precision when that is coarser
    (a month-precision quote in a day timeline gets its month). A month fits
    exactly inside one quarter, so month-precision quotes do get quarter
    buckets; a year-precision quote only ever gets a year.
    """
    own: Granularity = precision if precision in ("day", "month", "year") else "day"  # type: ignore[assignment]
    effective = granularity if _FINENESS[granularity] >= _FINENESS[own] else own
    return period_of(start, effective)


def date_span(start: date, precision: str | None) -> Period:
    """The span a stored date really covers (a day, a month or a year)."""
    own: Granularity = precision if precision in ("day", "month", "year") else "day"  # type: ignore[assignment]
    return period_of(start, own)
