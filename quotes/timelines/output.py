"""Writing a timeline as CSV, JSON, Parquet, PNG or HTML.

Every check happens before the database is read and before a byte is written:
an unknown format or an output path that cannot be written is bad input (exit
2). Files are written to a temporary name beside the target and renamed at the
end, so a failure never leaves a partial or empty file behind.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from quotes.errors import BadInputError
from quotes.exports.csv_safety import SPREADSHEET_SAFE, CsvStyle
from quotes.exports.files import atomic_output, check_writable
from quotes.timelines.aggregate import Timeline
from quotes.timelines.shifts import Shift
from quotes.vocabulary import choose

TimelineFormat = Literal["table", "csv", "json", "html", "png", "parquet"]
TIMELINE_FORMATS: tuple[TimelineFormat, ...] = ("table", "csv", "json", "html", "png", "parquet")
COLUMNS = ("speaker", "topic", "period", "score", "n", "quote_ids")
#: Formats that are files, not text: without --output they go to ``timeline.<ext>``.
FILE_FORMATS = ("png", "html")


def validate_format(value: str) -> TimelineFormat:
    """One of ``TIMELINE_FORMATS``; anything else is bad input."""
    return choose(value, TIMELINE_FORMATS, "format")


def output_path(fmt: TimelineFormat, output: Path | None) -> Path | None:
    """Where the timeline goes: ``--output``, ``timeline.<fmt>`` for charts, else stdout
    (None); a table goes to the terminal unless ``--output`` is given.

    Also checks, before any work, that parquet can be written at all.
    """
    if fmt == "parquet":
        from quotes.exports.parquet import require_pyarrow

        require_pyarrow()
    if output is not None:
        check_writable(output)
        return output
    if fmt in FILE_FORMATS:  # a chart without --output goes to ./timeline.<fmt>
        default = Path(f"timeline.{fmt}")
        check_writable(default)
        return default
    return None


def csv_text(timeline: Timeline, style: CsvStyle = SPREADSHEET_SAFE) -> str:
    """The rows as CSV; ``quote_ids`` is ``;``-joined like every list column in CSV.

    Text cells a spreadsheet would evaluate (a speaker or topic named ``=...``)
    are neutralised unless ``style`` is raw; scores are numbers and stay so.
    """
    buffer = io.StringIO()
    buffer.write(style.start())
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in timeline.rows():
        ids = row["quote_ids"]
        assert isinstance(ids, list)
        cells = [*(row[c] for c in COLUMNS[:-1]), ";".join(str(i) for i in ids)]
        writer.writerow(style.row(cells))
    return buffer.getvalue()


def json_text(timeline: Timeline) -> str:
    return json.dumps(timeline.rows(), ensure_ascii=False, indent=2) + "\n"


def _bytes(
    timeline: Timeline, shifts: Sequence[Shift], fmt: TimelineFormat, style: CsvStyle
) -> bytes:
    if fmt == "csv":
        return csv_text(timeline, style).encode("utf-8")
    if fmt == "json":
        return json_text(timeline).encode("utf-8")
    if fmt == "parquet":
        from quotes.exports.parquet import timeline_schema, write_parquet

        buffer = io.BytesIO()
        write_parquet(timeline.rows(), timeline_schema(), buffer)
        return buffer.getvalue()
    if fmt in FILE_FORMATS:
        from quotes.timelines.charts import render_chart

        return render_chart(timeline, shifts, fmt)  # type: ignore[arg-type]
    raise BadInputError(f"format {fmt!r} cannot be written to a file; use csv, json or parquet.")


def render_timeline(
    timeline: Timeline, fmt: TimelineFormat, style: CsvStyle = SPREADSHEET_SAFE
) -> bytes:
    """The whole document in ``fmt`` (csv, json, parquet, png or html) as bytes.

    Charts mark the timeline's stance shifts. Timelines are small, so the
    document is rendered in memory; the caller decides where it goes.
    """
    if fmt == "parquet":
        from quotes.exports.parquet import require_pyarrow

        require_pyarrow()
    shifts: Sequence[Shift] = ()
    if fmt in FILE_FORMATS:
        from quotes.timelines.shifts import detect_shifts

        shifts = detect_shifts(timeline.points)
    return _bytes(timeline, shifts, fmt, style)


def write_timeline(
    timeline: Timeline,
    shifts: Sequence[Shift],
    fmt: TimelineFormat,
    path: Path,
    style: CsvStyle = SPREADSHEET_SAFE,
) -> None:
    """Write csv, json, parquet, png or html to ``path`` (atomically)."""
    if fmt == "parquet":
        from quotes.exports.parquet import require_pyarrow

        require_pyarrow()
    data = _bytes(timeline, shifts, fmt, style)
    with atomic_output(path, binary=True) as handle:
        handle.write(data)
