"""Records of CSV, TSV and JSON Lines files, each with the line it starts on.

A bad record never stops the ones after it. The hard case is CSV, where one
unclosed quotation mark would swallow the rest of the file into a single
field: the parser runs in strict mode with a bounded field size, and when a
record breaks, its first line is rejected and the lines after it are parsed
again from scratch, so the good rows that follow still land.
"""

from __future__ import annotations

import csv
import json
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from quotes.errors import BadInputError
from quotes.ingest.importing.lines import MAX_LINE_BYTES, Line
from quotes.vocabulary import choose

Format = Literal["csv", "tsv", "jsonl"]
FORMATS: tuple[Format, ...] = ("csv", "tsv", "jsonl")
_EXTENSIONS: dict[str, Format] = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
#: A CSV field may not grow past this (an unclosed quote would grow it forever).
MAX_FIELD_CHARS = MAX_LINE_BYTES
#: A record whose quoted fields run over more lines than this is broken.
MAX_RECORD_LINES = 500


@dataclass(slots=True)
class Record:
    """Values of one row: a list (CSV/TSV columns) or a dict (a JSON object).

    Not frozen, like :class:`Line`: one is built per row, and a frozen
    dataclass costs four times as much to build.
    """

    line: int
    values: list[str] | dict[str, Any]
    raw: str
    lines: int = 1


@dataclass(slots=True)
class Rejected:
    line: int
    reason: str
    raw: str


def format_for(path: str, explicit: str | None) -> Format:
    """``--format``, else the file's extension (``.csv``, ``.tsv``, ``.jsonl``, ``.ndjson``)."""
    if explicit is not None:
        return choose(explicit, FORMATS, "--format")
    for extension, found in _EXTENSIONS.items():
        if path.lower().endswith(extension):
            return found
    if path == "-":
        return "csv"
    raise BadInputError(
        f"cannot tell the format of {path!r} from its name: pass --format csv, tsv or jsonl."
    )


class _Feed:
    """Feeds lines to ``csv.reader`` and remembers which lines the current record used."""

    def __init__(self, lines: Iterator[Line]) -> None:
        self.source = lines
        self.replay: deque[Line] = deque()
        self.current: list[Line] = []

    def __iter__(self) -> _Feed:
        return self

    def __next__(self) -> str:
        line = self.replay.popleft() if self.replay else next(self.source)
        self.current.append(line)
        return line.text if line.error is None else "\n"


def csv_records(lines: Iterator[Line], delimiter: str = ",") -> Iterator[Record | Rejected]:
    """Rows of a CSV file (quoted fields may hold newlines), bad ones rejected."""
    csv.field_size_limit(MAX_FIELD_CHARS)
    feed = _Feed(lines)
    reader = csv.reader(feed, delimiter=delimiter, strict=True)
    while True:
        feed.current = []
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            used = feed.current
            yield Rejected(used[0].number, _csv_reason(used, exc), _raw(used[:1]))
            feed.replay.extendleft(reversed(used[1:]))
            reader = csv.reader(feed, delimiter=delimiter, strict=True)
            continue
        used = feed.current
        if len(used) == 1:  # the common record: one line
            only = used[0]
            if only.error is not None:
                yield Rejected(only.number, only.error, only.text)
            elif row:
                yield Record(only.number, row, only.text)
            continue
        broken = next((line for line in used if line.error), None)
        if broken is not None:
            yield Rejected(used[0].number, str(broken.error), _raw(used))
        elif len(used) > MAX_RECORD_LINES:
            yield Rejected(used[0].number, _unclosed(used[0].number), _raw(used[:1]))
            feed.replay.extendleft(reversed(used[1:]))
            reader = csv.reader(feed, delimiter=delimiter, strict=True)
        elif row:
            yield Record(used[0].number, row, _raw(used), len(used))


def split_record(record: Record, delimiter: str = ",") -> Iterator[Record | Rejected]:
    """Re-read the lines of a multi-line record that came out malformed.

    When a record spans several lines and has the wrong number of fields, the
    likeliest cause is a quote opened on its first line and closed only on a
    later one: reject the first line and parse the others again.
    """
    lines = record.raw.splitlines(keepends=True)
    yield Rejected(record.line, _unclosed(record.line), lines[0])
    again = (Line(record.line + i, text) for i, text in enumerate(lines[1:], start=1))
    yield from csv_records(again, delimiter)


def _unclosed(number: int) -> str:
    return f"line {number} opens a quoted field that is not closed where it should be"


def _csv_reason(used: list[Line], exc: csv.Error) -> str:
    number = used[0].number
    message = str(exc)
    if "field larger than field limit" in message:
        if len(used) > 1:
            return _unclosed(number)
        return f"line {number} has a field longer than {MAX_FIELD_CHARS:,} characters"
    if "unexpected end of data" in message:
        return f"line {number} opens a quoted field that is never closed"
    if len(used) > 1:
        return _unclosed(number)
    return f"line {number} is not valid CSV ({message})"


def _raw(lines: list[Line]) -> str:
    return "".join(line.text for line in lines)


def tsv_records(lines: Iterator[Line]) -> Iterator[Record | Rejected]:
    """Rows of a tab-separated file: one line each, no quote processing."""
    for line in lines:
        if line.error is not None:
            yield Rejected(line.number, line.error, line.text)
            continue
        text = line.text.rstrip("\r\n")
        if text.strip():
            yield Record(line.number, text.split("\t"), line.text)


_JSON_KINDS = {
    "list": "an array",
    "str": "a string",
    "int": "a number",
    "float": "a number",
    "bool": "a boolean",
}


def jsonl_records(lines: Iterator[Line]) -> Iterator[Record | Rejected]:
    """One JSON object per line; anything else on a line is rejected with its number."""
    for line in lines:
        if line.error is not None:
            yield Rejected(line.number, line.error, line.text)
            continue
        text = line.text.strip()
        if not text:
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            yield Rejected(
                line.number,
                f"line {line.number} is not valid JSON ({exc.msg} at column {exc.colno})",
                line.text,
            )
            continue
        if not isinstance(value, dict):
            kind = _JSON_KINDS.get(type(value).__name__, "null")
            yield Rejected(
                line.number,
                f"line {line.number} is {kind}, not a JSON object with text and speaker",
                line.text,
            )
            continue
        yield Record(line.number, value, line.text)
