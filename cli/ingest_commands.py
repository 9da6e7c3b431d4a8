"""``quotes import`` and ``quotes extract``: statements in bulk, and from articles."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .common import DbOption, JsonOption, console, echo_json, err_console, open_db, say
from .wording import counted, plural

if TYPE_CHECKING:
    from quotes.ingest.importing.run import ImportSummary, Progress
    from quotes.results import Extraction

SHOWN_REJECTS = 10


def import_command(
    file: Annotated[
        str, typer.Argument(metavar="FILE", help="A CSV, TSV or JSON Lines file, or - for stdin.")
    ],
    format: Annotated[
        str | None,
        typer.Option("--format", help="csv, tsv or jsonl (default: from the file's extension)."),
    ] = None,
    no_header: Annotated[
        bool,
        typer.Option("--no-header", help="The first line is data; --map names column numbers."),
    ] = False,
    map: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            metavar="FIELD=COLUMN,...",
            help="Read a field from another column: a header name or a 1-based number.",
        ),
    ] = None,
    date_format: Annotated[
        str | None,
        typer.Option("--date-format", help="strftime pattern of the file's dates, e.g. %d/%m/%Y."),
    ] = None,
    encoding: Annotated[
        str, typer.Option(help="The file's text encoding (a UTF-8 BOM is fine).")
    ] = "utf-8",
    rejects: Annotated[
        Path | None,
        typer.Option(help="Write rejected rows (line, reason, record) to this CSV file."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check everything and report; write nothing.")
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Any rejected row: write nothing and exit 2.")
    ] = False,
    batch_size: Annotated[
        int, typer.Option(min=1, max=100_000, hidden=True, help="Rows per committed batch.")
    ] = 10_000,
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Import statements from a file; rows that fail are reported with their line."""
    quotes_db = open_db(db)
    with _ProgressBar(enabled=err_console.is_terminal) as bar:
        summary = quotes_db.import_file(
            sys.stdin.buffer if file == "-" else file,
            format=format,
            header=not no_header,
            mapping=map or (),
            date_format=date_format,
            encoding=encoding,
            rejects=rejects,
            dry_run=dry_run,
            strict=strict,
            batch_size=batch_size,
            progress=bar.update,
        )
    if json:
        echo_json(summary.to_dict())
    else:
        _print_summary(summary, rejects)


def _print_summary(summary: ImportSummary, rejects: Path | None) -> None:
    verb = "Dry run of" if summary.dry_run else "Imported"
    added = "would be added" if summary.dry_run else "added"
    rate = f", {summary.rows / summary.seconds:,.0f} rows/s" if summary.seconds > 0 else ""
    say(
        f"{verb} {summary.file}: {summary.added:,} {added}, "
        f"{counted(summary.merged, 'merged duplicate', separators=True)}, "
        f"{summary.rejected:,} rejected ({counted(summary.rows, 'row', separators=True)} in "
        f"{summary.seconds:.1f} s{rate})."
    )
    if summary.speakers_created:
        say(f"New {plural(summary.speakers_created, 'speaker')}: {summary.speakers_created:,}.")
    if summary.rows == 0:
        say("The file has no data rows.")
    for item in summary.rejects[:SHOWN_REJECTS]:
        err_console.print(f"Rejected {item['reason']}.", markup=False)
    if summary.rejected > SHOWN_REJECTS:
        where = f"all in {rejects}" if rejects else "pass --rejects FILE to get them all"
        err_console.print(
            f"... and {summary.rejected - SHOWN_REJECTS:,} more rejected "
            f"{plural(summary.rejected - SHOWN_REJECTS, 'row')} ({where}).",
            markup=False,
        )
    for item in summary.similar_speakers[:SHOWN_REJECTS]:
        close = " or ".join(repr(name) for name in item["similar"])
        err_console.print(
            f"New speaker {item['name']!r} is very close to {close}: "
            "check it, and use `quotes speakers merge` if they are one person.",
            markup=False,
        )
    if len(summary.similar_speakers) > SHOWN_REJECTS:
        more = len(summary.similar_speakers) - SHOWN_REJECTS
        err_console.print(
            f"... and {more} more close {plural(more, 'name')} (see --json).", markup=False
        )


class _ProgressBar:
    """A rich progress bar on a terminal (bytes of the file, rows and rows/s)."""

    def __init__(self, *, enabled: bool, file: Any = None) -> None:
        self.enabled = enabled
        self.file = file if file is not None else sys.stderr
        self._progress: Any = None
        self._task: Any = None

    def __enter__(self) -> _ProgressBar:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            # A real Console: rich's live display keeps state on it (the shared
            # err_console builds a fresh one at every use).
            self._progress = Progress(
                TextColumn("Importing"),
                BarColumn(),
                TextColumn("{task.percentage:>3.0f}%"),
                TextColumn("{task.fields[rows]:>10,} rows  {task.fields[rate]:>8,.0f} rows/s"),
                TimeElapsedColumn(),
                console=Console(file=self.file, highlight=False),
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task("import", total=None, rows=0, rate=0.0)
        return self

    def update(self, progress: Progress) -> None:
        if self._progress is None:
            return
        rate = progress.rows / progress.elapsed if progress.elapsed > 0 else 0.0
        self._progress.update(
            self._task,
            total=progress.total_bytes,
            completed=progress.bytes_read,
            rows=progress.rows,
            rate=rate,
        )

    def __exit__(self, *_: object) -> None:
        if self._progress is not None:
            self._progress.stop()


def extract_command(
    file: Annotated[
        str, typer.Argument(metavar="FILE|-", help="The article as plain text, or - for stdin.")
    ],
    date: Annotated[
        str | None, typer.Option(help="When the statements were made (with --save).")
    ] = None,
    source: Annotated[str | None, typer.Option(help="The article's URL (with --save).")] = None,
    outlet: Annotated[str | None, typer.Option(help="The publication (with --save).")] = None,
    save: Annotated[
        bool, typer.Option("--save", help="Record the attributed quotations like `add`.")
    ] = False,
    new_speaker: Annotated[
        bool,
        typer.Option("--new-speaker", help="With --save, create speakers even if similar."),
    ] = False,
    encoding: Annotated[str, typer.Option(help="The article's text encoding.")] = "utf-8",
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Find the quotations in a news article and attribute each to its speaker."""
    found = open_db(db).extract(
        sys.stdin.buffer.read() if file == "-" else Path(file),
        save=save,
        date=date,
        source=source,
        outlet=outlet,
        new_speaker=new_speaker,
        encoding=encoding,
        name=_name(file),
    )
    if json:
        echo_json(found.to_dict())
    else:
        _print_candidates(found)
    text = found.text
    for offset in found.unclosed:
        line = text.count("\n", 0, offset) + 1
        err_console.print(
            f"Note: a quotation mark on line {line} is never closed; that quotation was skipped.",
            markup=False,
        )
    if save:
        skipped = found.without_speaker
        saved = [q for q in found.quotations if q.id is not None]
        new = sum(1 for q in saved if q.created)
        message = (
            f"Saved {counted(len(saved), 'quotation')} "
            f"({new} new, {len(saved) - new} already recorded)"
        )
        if skipped:
            message += f"; {skipped} without a speaker {plural(skipped, 'was')} not saved"
        err_console.print(message + ".", markup=False)


def _print_candidates(found: Extraction) -> None:
    candidates = found.quotations
    if not candidates:
        say("No quotations found.")
        return
    from rich.table import Table

    saved = any(c.id is not None for c in candidates)
    table = Table(title=counted(len(candidates), "quotation"), show_lines=False)
    for column in ("speaker", "quotation", "cue", "kind"):
        table.add_column(column, overflow="fold")
    if saved:
        table.add_column("id", justify="right")
    for candidate in candidates:
        kind = "partial quote" if candidate.partial else candidate.kind
        cells = [candidate.speaker or "?", candidate.text, candidate.cue or "", kind]
        if saved:
            cells.append(str(candidate.id) if candidate.id is not None else "")
        table.add_row(*cells)
    console.print(table)


def _name(file: str) -> str:
    return "standard input" if file == "-" else repr(file)


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)
    app.command("extract")(extract_command)
