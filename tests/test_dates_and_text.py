"""Dates keep their precision; normalisation makes one statement one quote."""

from __future__ import annotations

from datetime import date

import pytest

from quotes.errors import BadInputError
from quotes.store.dates import PartialDate, format_date, parse_date, parse_date_with_format
from quotes.store.normalize import clean_text, name_key, normalize_text, text_hash


@pytest.mark.parametrize(
    ("value", "start", "precision", "shown"),
    [
        ("2026-01-22", date(2026, 1, 22), "day", "2026-01-22"),
        ("2019-08", date(2019, 8, 1), "month", "2019-08"),
        ("2019-8", date(2019, 8, 1), "month", "2019-08"),
        ("2020", date(2020, 1, 1), "year", "2020"),
        (" 2024-02-29 ", date(2024, 2, 29), "day", "2024-02-29"),
    ],
)
def test_parse_date_keeps_precision(value: str, start: date, precision: str, shown: str) -> None:
    parsed = parse_date(value)
    assert parsed == PartialDate(start, precision)
    assert str(parsed) == shown
    assert format_date(parsed.start, parsed.precision) == shown


@pytest.mark.parametrize(
    "value", ["", "yesterday", "2026-13", "2023-02-29", "26-01-01", "2026/01/02", "2026-01-01x"]
)
def test_parse_date_rejects_malformed(value: str) -> None:
    with pytest.raises(BadInputError) as info:
        parse_date(value, what="--date")
    assert repr(value) in str(info.value)
    assert "YYYY-MM-DD" in str(info.value)


def test_period_end_covers_the_whole_period() -> None:
    assert parse_date("2024-02").end == date(2024, 2, 29)
    assert parse_date("2025").end == date(2025, 12, 31)
    assert parse_date("2025-03-04").end == date(2025, 3, 4)


def test_strftime_formats_set_precision() -> None:
    assert parse_date_with_format("29/01/2009", "%d/%m/%Y") == PartialDate(date(2009, 1, 29), "day")
    assert parse_date_with_format("Jan 2009", "%b %Y") == PartialDate(date(2009, 1, 1), "month")
    assert parse_date_with_format("2009", "%Y").precision == "year"
    with pytest.raises(BadInputError, match="does not match"):
        parse_date_with_format("2009-01-29", "%d/%m/%Y")


def test_normalisation_folds_quote_marks_spacing_and_case() -> None:
    a = "“We cannot negotiate on our sovereignty.”"
    b = '  "we  cannot negotiate on OUR sovereignty."'
    assert normalize_text(a) == normalize_text(b)
    assert text_hash(a) == text_hash(b)
    assert text_hash(a) != text_hash("We can negotiate on our sovereignty.")
    assert text_hash("It’s fine") == text_hash("It's fine")


def test_clean_text_keeps_the_words_as_typed() -> None:
    assert clean_text("  I hope —\n even early  ") == "I hope — even early"
    assert name_key("  Mette   FREDERIKSEN ") == "mette frederiksen"
