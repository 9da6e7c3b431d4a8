"""Exporting every matching quote with its speaker, sources, topics and stances.

Rows are streamed in chunks so an export of a large database does not hold it
in memory. The CSV keeps one row per quote; list columns are joined with
``;`` like the import format (``topics``: ``a;b``, ``stance``: ``topic=label``
for a person's labels), so an exported CSV can be imported again;
``auto_stance`` (``topic=label:score``) and ``auto_confidence``
(``topic=confidence``, automatic stances whose confidence is known) are for
reading only. The ``kind`` column says whether ``text`` is verbatim or a
paraphrase.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, TextIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from quotes.exports.csv_safety import SPREADSHEET_SAFE, CsvStyle
from quotes.exports.files import atomic_output, check_writable
from quotes.records.documents import quote_documents
from quotes.search.filters import QuoteFilters, ResolvedFilters, resolve_filters
from quotes.store.models import Quote, Speaker
from quotes.vocabulary import Method, choose

EXPORT_FORMATS = ("csv", "jsonl", "parquet")
CSV_COLUMNS = [
    "id",
    "text",
    "speaker",
    "date",
    "kind",
    "context",
    "language",
    "source_url",
    "outlet",
    "topics",
    "stance",
    "auto_stance",
    "auto_confidence",
]
CHUNK = 500


def iter_quotes(session: Session, filters: QuoteFilters | None = None) -> Iterator[dict[str, Any]]:
    """Every quote passing ``filters`` as a dict, by speaker, date, id.

    The filters are checked now, before the first row is asked for, so a bad
    value fails before anything has been written.
    """
    resolved = resolve_filters(session, filters or QuoteFilters())
    return _iter_resolved(session, resolved)


def _iter_resolved(session: Session, resolved: ResolvedFilters) -> Iterator[dict[str, Any]]:
    ids = session.scalars(
        select(Quote.id)
        .join(Speaker, Speaker.id == Quote.speaker_id)
        .where(*resolved.clauses())
        .order_by(Speaker.name, Quote.date.is_(None), Quote.date, Quote.id)
    ).all()
    for start in range(0, len(ids), CHUNK):
        yield from quote_documents(session, ids[start : start + CHUNK])


def csv_row(quote: dict[str, Any]) -> dict[str, Any]:
    """Flatten a quote dict into the CSV columns."""
    sources = quote["sources"]
    return {
        **{
            key: quote[key]
            for key in ("id", "text", "speaker", "date", "kind", "context", "language")
        },
        "source_url": ";".join(s["url"] for s in sources if s["url"]),
        "outlet": ";".join(dict.fromkeys(s["outlet"] for s in sources if s["outlet"])),
        "topics": ";".join(quote["topics"]),
        "stance": ";".join(
            f"{s['topic']}={s['label']}" for s in quote["stances"] if s["method"] == Method.MANUAL
        ),
        "auto_stance": ";".join(
            f"{s['topic']}={s['label']}:{s['score']:+.3f}"
            for s in quote["stances"]
            if s["method"] == Method.AUTO
        ),
        "auto_confidence": ";".join(
            f"{s['topic']}={s['confidence']:.3f}"
            for s in quote["stances"]
            if s["method"] == "auto" and s.get("confidence") is not None
        ),
    }


def write_export(
    rows: Iterator[dict[str, Any]], fmt: str, out: TextIO, style: CsvStyle = SPREADSHEET_SAFE
) -> int:
    """Write quotes to ``out`` in ``fmt``; returns how many were written.

    CSV cells a spreadsheet would evaluate are neutralised unless ``style``
    says raw (quotes.exports.csv_safety); ``quotes import`` reverses it.
    """
    fmt = choose(fmt, EXPORT_FORMATS, "export format")
    count = 0
    if fmt == "csv":
        out.write(style.start())
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for quote in rows:
            writer.writerow(style.mapping(csv_row(quote)))
            count += 1
    else:
        for quote in rows:
            out.write(json.dumps(quote, ensure_ascii=False) + "\n")
            count += 1
    return count


def export_quotes(
    session: Session,
    filters: QuoteFilters | None,
    fmt: str,
    output: Path | IO[str] | IO[bytes],
    style: CsvStyle = SPREADSHEET_SAFE,
) -> int:
    """Export matching quotes to ``output`` (a path or an open stream); returns the count.

    A stream is text for csv and jsonl, binary for parquet; the caller decides
    where it goes (the CLI: stdout). Values are checked before anything is
    written, and a file is written to a temporary name and renamed at the
    end, so a failure leaves no partial file.
    """
    fmt = choose(fmt, EXPORT_FORMATS, "export format")
    if fmt == "parquet":
        return _export_parquet(session, filters, output)
    if not isinstance(output, Path):
        return write_export(iter_quotes(session, filters), fmt, output, style)  # type: ignore[arg-type]
    check_writable(output)
    rows = iter_quotes(session, filters)
    with atomic_output(output) as stream:
        return write_export(rows, fmt, stream, style)


def _export_parquet(
    session: Session, filters: QuoteFilters | None, output: Path | IO[str] | IO[bytes]
) -> int:
    """Parquet (the optional ``parquet`` extra): the JSON quote object as typed columns."""
    from quotes.exports.parquet import quote_schema, require_pyarrow, write_parquet

    require_pyarrow()
    rows = iter_quotes(session, filters)
    if not isinstance(output, Path):
        return write_parquet(rows, quote_schema(), output)  # type: ignore[arg-type]
    with atomic_output(output, binary=True) as stream:
        return write_parquet(rows, quote_schema(), stream)
