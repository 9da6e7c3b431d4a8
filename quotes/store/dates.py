"""Dates with a precision: ``2019-08`` is a month, not the first of August.

A statement is often known only to the month or year. We store the first day of
the period plus its precision, and always print the date back in the form it
was given, so no day is ever invented.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, cast

from quotes.errors import BadInputError
from quotes.vocabulary import DatePrecision, values

Precision = Literal["day", "month", "year"]  # the values of vocabulary.DatePrecision
PRECISIONS: tuple[str, ...] = values(DatePrecision)

#: ASCII digits only: ``\d`` would also take "٢٠٢٦" (Arabic-Indic) or full-width digits.
_PATTERN = re.compile(r"^([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?$")
ACCEPTED = "YYYY-MM-DD, YYYY-MM or YYYY"


@dataclass(frozen=True, order=True)
class PartialDate:
    """A calendar date known to a precision of a day, a month or a year."""

    start: date
    precision: Precision

    def __str__(self) -> str:
        if self.precision == "year":
            return f"{self.start.year:04d}"
        if self.precision == "month":
            return f"{self.start.year:04d}-{self.start.month:02d}"
        return self.start.isoformat()

    @property
    def end(self) -> date:
        """The last day of the period (used for ``--until``)."""
        if self.precision == "year":
            return date(self.start.year, 12, 31)
        if self.precision == "month":
            last = calendar.monthrange(self.start.year, self.start.month)[1]
            return date(self.start.year, self.start.month, last)
        return self.start


def parse_date(value: str, *, what: str = "date") -> PartialDate:
    """Parse ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; raise BadInputError otherwise."""
    text = value.strip()
    match = _PATTERN.match(text)
    if not match:
        raise BadInputError(f"invalid {what} {value!r}: use {ACCEPTED}.")
    year, month, day = match.groups()
    try:
        if day is not None:
            return PartialDate(date(int(year), int(month), int(day)), "day")
        if month is not None:
            return PartialDate(date(int(year), int(month), 1), "month")
        return PartialDate(date(int(year), 1, 1), "year")
    except ValueError:
        raise BadInputError(f"invalid {what} {value!r}: no such date; use {ACCEPTED}.") from None


def parse_date_with_format(value: str, fmt: str | None, *, what: str = "date") -> PartialDate:
    """Parse with a strftime pattern (``%d/%m/%Y``), or the standard forms if ``fmt`` is None.

    The precision follows the pattern: a pattern without ``%d`` gives a month,
    one without ``%m``/``%b``/``%B`` either gives a year.
    """
    if fmt is None:
        return parse_date(value, what=what)
    if not value.isascii() or not value.isprintable():
        raise BadInputError(f"invalid {what} {value!r}: dates are written with ASCII digits.")
    try:
        parsed = datetime.strptime(value.strip(), fmt).date()
    except ValueError:
        raise BadInputError(f"invalid {what} {value!r}: it does not match {fmt!r}.") from None
    if "%d" in fmt or "%j" in fmt:
        return PartialDate(parsed, "day")
    if any(code in fmt for code in ("%m", "%b", "%B")):
        return PartialDate(parsed.replace(day=1), "month")
    return PartialDate(parsed.replace(month=1, day=1), "year")


def optional_date(value: str | None, *, what: str = "date") -> PartialDate | None:
    """``parse_date`` for optional values; empty strings count as missing."""
    if value is None or not value.strip():
        return None
    return parse_date(value, what=what)


def date_range(since: str | None, until: str | None) -> tuple[date | None, date | None]:
    """``--since`` and ``--until`` as the first and the last day they cover.

    ``--until 2026-01`` ends on 31 January, so a period always includes the
    whole of its last month or year. A start after the end is bad input (it
    could match nothing, and is most likely two values swapped).
    """
    start = optional_date(since, what="--since date")
    end = optional_date(until, what="--until date")
    if start and end and start.start > end.end:
        raise BadInputError(f"--since {start} is after --until {end}: nothing can match.")
    return (start.start if start else None, end.end if end else None)


def format_date(start: date | None, precision: str | None) -> str | None:
    """Render a stored (start, precision) pair in the form it was given."""
    if start is None:
        return None
    known = cast(Precision, precision) if precision in PRECISIONS else "day"
    return str(PartialDate(start, known))
