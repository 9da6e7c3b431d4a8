"""``import_file``: stream a file into the database in batches.

Rows are read, validated and written a batch at a time, and each batch is
committed on its own, so memory stays flat however long the file is and an
interrupted import keeps what it committed; running it again finds those rows
by their dedup key and completes without duplicates. ``--strict`` and
``--dry-run`` instead run everything in one transaction that is rolled back
(dry run, or strict with a rejected row), so they write nothing.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import Connection, select

from quotes.errors import BadInputError
from quotes.exports.csv_safety import CsvStyle, restore
from quotes.exports.files import protect_input
from quotes.ingest.importing.formats import (
    Format,
    Record,
    Rejected,
    csv_records,
    format_for,
    jsonl_records,
    split_record,
    tsv_records,
)
from quotes.ingest.importing.lines import codec_names, read_lines
from quotes.ingest.importing.mapping import (
    REQUIRED,
    Columns,
    json_values,
    parse_map,
    resolve_columns,
    resolve_keys,
)
from quotes.ingest.importing.rejects import RejectsFile
from quotes.ingest.importing.rows import ImportRow, RowValidator
from quotes.ingest.importing.similar import near_duplicates
from quotes.ingest.importing.writer import Writer
from quotes.store.engine import Database
from quotes.store.models import Topic

#: Rows per committed batch. 50,000 rather than 10,000 (measured at 200k real
#: rows): each batch costs a commit with its WAL checkpoint, an FTS5 segment
#: to merge and its look-ups, and fewer, larger batches took about 1 s less CPU
#: and 2-3 s less wall time for 30 MiB more peak memory; a killed import still
#: keeps every committed batch and a rerun completes the rest.
BATCH_SIZE = 50_000
KEPT_REJECTS = 20
#: Rows between two progress reports (a report costs a tell() and a redraw).
PROGRESS_EVERY = 1_000


@dataclass(frozen=True)
class ImportOptions:
    format: str | None = None
    header: bool = True
    mapping: tuple[str, ...] = ()
    date_format: str | None = None
    encoding: str = "utf-8"
    rejects: Path | None = None
    dry_run: bool = False
    strict: bool = False
    batch_size: int = BATCH_SIZE
    #: Read CSV cells as they are, without removing the apostrophe that
    #: ``quotes export`` puts before cells a spreadsheet would evaluate.
    raw_cells: bool = False
    #: Start the rejects file with a UTF-8 byte-order mark.
    bom: bool = False


@dataclass
class Progress:
    """Where an import is, for a progress bar (bytes of the file, rows so far)."""

    bytes_read: int
    total_bytes: int | None
    rows: int
    elapsed: float


@dataclass
class ImportSummary:
    file: str
    format: str
    rows: int = 0
    added: int = 0
    merged: int = 0
    rejected: int = 0
    sources_attached: int = 0
    speakers_created: int = 0
    similar_speakers: list[dict[str, Any]] = field(default_factory=list)
    rejects: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0
    dry_run: bool = False
    strict: bool = False
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        rate = self.rows / self.seconds if self.seconds > 0 else None
        return {
            "file": self.file,
            "format": self.format,
            "rows": self.rows,
            "added": self.added,
            "merged": self.merged,
            "rejected": self.rejected,
            "sources_attached": self.sources_attached,
            "speakers_created": self.speakers_created,
            "similar_speakers": self.similar_speakers,
            "rejects": self.rejects,
            "seconds": round(self.seconds, 3),
            "rows_per_second": round(rate) if rate else None,
            "dry_run": self.dry_run,
            "strict": self.strict,
            "note": self.note,
        }


ProgressCallback = Callable[[Progress], None]


def import_file(
    database: Database,
    source: str | BinaryIO,
    options: ImportOptions,
    progress: ProgressCallback | None = None,
    *,
    name: str = "-",
) -> ImportSummary:
    """Import ``source`` (a file path, or an open binary stream called ``name``)
    and say what happened.

    Raises BadInputError before writing anything when the file cannot be read
    or its columns cannot be mapped, and (with ``strict``) after rolling back
    when any row was rejected.
    """
    started = time.perf_counter()
    path = source if isinstance(source, str) else name
    kind = format_for(path, options.format)
    codec_names(options.encoding)
    mapping = parse_map(options.mapping)
    summary = ImportSummary(path, kind, dry_run=options.dry_run, strict=options.strict)
    if path != "-":
        protect_input(path)  # the rejects file may not be the file being read
    with ExitStack() as stack:
        stack.enter_context(_no_cycle_collection())
        stream, total = _open(source, stack)
        records = _records(stream, kind, options.encoding)
        values_of = _mapper(records, kind, options.header, mapping, summary)
        values_of.restore_cells = kind == "csv" and not options.raw_cells
        style = CsvStyle(raw=options.raw_cells, bom=options.bom)
        rejects = stack.enter_context(RejectsFile(options.rejects, style))
        single = options.dry_run or options.strict
        connection = stack.enter_context(_write_connection(database))
        outer = connection.begin() if single else None
        writer = Writer(connection, _topic_ids(connection, single))
        run = _Run(summary, writer, rejects, options.batch_size, single)
        stack.callback(run.close)  # before the connection closes
        validate = RowValidator(writer.topic_ids, options.date_format)
        columns = values_of.columns
        reach = max(columns.index.values(), default=-1) + 1 if columns is not None else 0
        values, add = values_of.values, run.add  # looked up once, called for every row
        for item in records:
            whole = (
                columns is None
                or isinstance(item, Rejected)
                or (
                    len(item.values) >= reach
                    and (item.lines == 1 or columns.width in (None, len(item.values)))
                )
            )  # the common row, with every mapped column: no per-row generator
            for record in (item,) if whole else _checked(item, kind, values_of):
                summary.rows += 1
                if isinstance(record, Rejected):
                    run.reject(record.line, record.reason, record.raw)
                else:
                    try:
                        add(validate(record.line, values(record)))
                    except BadInputError as exc:
                        run.reject(
                            record.line, f"line {record.line}: {exc}".rstrip("."), record.raw
                        )
                if progress is not None and summary.rows % PROGRESS_EVERY == 0:
                    elapsed = time.perf_counter() - started
                    progress(Progress(_position(stream), total, summary.rows, elapsed))
        run.flush()
        run.settle()
        summary.speakers_created = len(writer.created_speakers)
        if writer.created_speakers:
            summary.similar_speakers = near_duplicates(connection, writer.created_speakers)
            rejects.similar_speakers(summary.similar_speakers)
        if outer is not None:
            if options.strict and summary.rejected and not options.dry_run:
                outer.rollback()
                raise BadInputError(_strict_message(summary))
            if options.dry_run:
                outer.rollback()
            else:
                outer.commit()
    summary.seconds = time.perf_counter() - started
    return summary


@dataclass
class _Run:
    """Collects rows into batches and rejects into the summary and the rejects file.

    Each batch's rows are written on this thread; its completion (the
    full-text entries of its rows, one ``INSERT ... SELECT``, and the commit
    with its WAL checkpoint) runs on a second thread while this one reads
    and validates the next batch. SQLite runs both statements without
    Python's lock, so on a machine with a free core the completion overlaps
    the parsing instead of following it (small statements stay on this
    thread: on the second one each waited for the lock behind the parser).
    Only one batch is ever in completion, and the next batch writes nothing
    until it has committed (:meth:`settle`), so batches commit in order, the
    connection is used by one thread at a time, and an interrupted import
    keeps exactly the batches that committed.
    """

    summary: ImportSummary
    writer: Writer
    rejects: RejectsFile
    batch_size: int
    single: bool
    batch: list[ImportRow] = field(default_factory=list)
    completing: Future[None] | None = None
    completer: ThreadPoolExecutor | None = None

    def reject(self, line: int, reason: str, raw: str) -> None:
        self.summary.rejected += 1
        if len(self.summary.rejects) < KEPT_REJECTS:
            self.summary.rejects.append({"line": line, "reason": reason})
        self.rejects.write(line, reason, raw)

    def add(self, row: ImportRow) -> None:
        self.batch.append(row)
        if len(self.batch) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        """Write the batch: in its own transaction, or in the single outer one."""
        if not self.batch:
            return
        self.settle()
        if self.single:
            outcome = self.writer.write(self.batch)
        else:
            finish = ExitStack()
            with ExitStack() as on_error:
                finish.enter_context(self.writer.connection.begin())
                on_error.push(finish)  # closed with the error: rolled back, here
                outcome = self.writer.write_rows(self.batch, finish)
                on_error.pop_all()
            if self.completer is None:
                self.completer = ThreadPoolExecutor(1, thread_name_prefix="quotes-import")
            self.completing = self.completer.submit(finish.close)
        self.summary.added += outcome.added
        self.summary.merged += outcome.merged
        self.summary.sources_attached += outcome.sources_attached
        self.batch.clear()

    def settle(self) -> None:
        """Wait until the batch in completion has committed; raise what it raised."""
        completing, self.completing = self.completing, None
        if completing is not None:
            completing.result()

    def close(self) -> None:
        """On the way out, error or not: no completion may outlive the connection."""
        try:
            self.settle()
        finally:
            if self.completer is not None:
                self.completer.shutdown(wait=True)


#: Imports running now in this process (the web app runs them on threads),
#: and whether the collector was on when the first of them began.
_PAUSES = {"running": 0, "was_enabled": False}
_PAUSE_LOCK = threading.Lock()


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while any import runs; restore it after the last.

    An import allocates millions of short-lived tuples, dicts and rows with no
    reference cycles (reference counting frees them), but each allocation
    burst makes the collector rescan every live object, the batch included:
    that cost 1.2-1.5 s CPU of a 200k-row import (about 13%, measured with the
    collector off and with a raised threshold; peak memory unchanged). The
    collector is process-wide, so overlapping imports (two web jobs) share
    one pause: the first records whether it was on, the last puts it back,
    and a finishing import never leaves it off for the rest of the process
    or on under another import.
    """
    with _PAUSE_LOCK:
        if _PAUSES["running"] == 0:
            _PAUSES["was_enabled"] = gc.isenabled()
            gc.disable()
        _PAUSES["running"] += 1
    try:
        yield
    finally:
        with _PAUSE_LOCK:
            _PAUSES["running"] -= 1
            if _PAUSES["running"] == 0 and _PAUSES["was_enabled"]:
                gc.enable()


def _strict_message(summary: ImportSummary) -> str:
    first = summary.rejects[0]["reason"] if summary.rejects else "see --rejects"
    return (
        f"{summary.rejected:,} of {summary.rows:,} rows were rejected (first: {first}); "
        "--strict wrote nothing."
    )


def _open(path: str | BinaryIO, stack: ExitStack) -> tuple[BinaryIO, int | None]:
    if not isinstance(path, str):
        return path, None
    file = Path(path)
    if file.is_dir():
        raise BadInputError(f"cannot import {path!r}: it is a directory.")
    try:
        stream = stack.enter_context(file.open("rb"))
    except OSError as exc:
        raise BadInputError(f"cannot read {path!r}: {exc.strerror or exc}.") from None
    size = file.stat().st_size
    if size == 0:
        raise BadInputError(f"{path!r} is empty: there is nothing to import.")
    return stream, size


def _position(stream: BinaryIO) -> int:
    try:
        return stream.tell()
    except OSError:
        return 0


def _records(stream: BinaryIO, kind: Format, encoding: str) -> Iterator[Record | Rejected]:
    lines = read_lines(stream, encoding)
    if kind == "csv":
        return csv_records(lines)
    if kind == "tsv":
        return tsv_records(lines)
    return jsonl_records(lines)


@dataclass
class _Values:
    """Turns a record into field values, by column (CSV/TSV) or by key (JSONL)."""

    columns: Columns | None
    keys: dict[str, str] | None
    #: Undo the spreadsheet guard of an exported CSV (quotes.exports.csv_safety).
    restore_cells: bool = False

    def values(self, record: Record) -> dict[str, Any]:
        cells = record.values
        if type(cells) is dict:
            assert self.keys is not None
            return json_values(cells, self.keys)
        assert self.columns is not None and isinstance(cells, list)
        found = self.columns.values(cells)
        if self.restore_cells and _may_be_guarded(record.raw):
            return {
                k: restore(v) if type(v) is str and v.startswith("'") else v
                for k, v in found.items()
            }
        return found


def _may_be_guarded(raw: str) -> bool:
    """Whether a cell of this CSV record could start with an apostrophe.

    A cell starts the record or follows a comma, perhaps after its opening
    double quote; three substring scans rule out most rows (a false positive
    only costs the exact per-cell check).
    """
    return raw.startswith(("'", "\"'")) or ",'" in raw or ",\"'" in raw


def _mapper(
    records: Iterator[Record | Rejected],
    kind: Format,
    header: bool,
    mapping: dict[str, str],
    summary: ImportSummary,
) -> _Values:
    """Read the header (if any) and check the mapping before any row is written."""
    if kind == "jsonl":
        return _Values(None, resolve_keys(mapping))
    if not header:
        return _Values(resolve_columns(None, mapping), None)
    first = next(records, None)
    if isinstance(first, Rejected):
        raise BadInputError(f"the header row cannot be read: {first.reason}.")
    if first is None:
        raise BadInputError(
            f"{summary.file!r} is empty: a {kind.upper()} import needs a header row "
            "(or --no-header with --map) and rows."
        )
    assert isinstance(first.values, list)
    return _Values(resolve_columns(first.values, mapping), None)


def _checked(
    item: Record | Rejected, kind: Format, values_of: _Values
) -> Iterator[Record | Rejected]:
    """Rows whose columns cannot be what the mapping expects are rejected here."""
    if isinstance(item, Rejected) or values_of.columns is None:
        yield item
        return
    assert isinstance(item.values, list)
    columns = values_of.columns
    width = columns.width
    if item.lines > 1 and width is not None and len(item.values) != width:
        for part in split_record(item):  # each part has fewer lines: this ends
            yield from _checked(part, kind, values_of)
        return
    missing = [field for field in columns.missing_in(item.values) if field in REQUIRED]
    if missing:
        where = " and ".join(
            f"{field} is in column {columns.index[field] + 1}" for field in missing
        )
        count = len(item.values)
        yield Rejected(
            item.line, f"line {item.line} has {count} field{'s' * (count != 1)}; {where}", item.raw
        )
        return
    yield item


def _topic_ids(connection: Connection, single: bool) -> dict[str, int]:
    if single:
        rows = connection.execute(select(Topic.name, Topic.id)).all()
    else:
        with connection.begin():
            rows = connection.execute(select(Topic.name, Topic.id)).all()
    return {str(name): int(topic_id) for name, topic_id in rows}


#: SQLite page cache for an import (KiB): the dedup-key indexes take random
#: inserts, which thrash the default 2 MiB cache once the table is large.
IMPORT_CACHE_KIB = 131_072


@contextmanager
def _write_connection(database: Database) -> Iterator[Connection]:
    """A connection whose transactions take the SQLite write lock up front."""
    engine = database.engine.execution_options(sqlite_immediate=True)
    with engine.connect() as connection:
        if database.is_sqlite:
            connection.exec_driver_sql(f"PRAGMA cache_size=-{IMPORT_CACHE_KIB}")
            connection.commit()
        try:
            yield connection
        finally:
            if database.is_sqlite:
                connection.rollback()
                connection.exec_driver_sql("PRAGMA cache_size=-2000")
                connection.commit()
