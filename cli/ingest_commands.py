"""``quotes import`` and ``quotes extract``: statements in bulk, and from articles."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from quotes.errors import BadInputError
from quotes.store.engine import database_exists

from .common import (
    BomOption,
    DbOption,
    JsonOption,
    console,
    database,
    db_target,
    echo_json,
    err_console,
    open_db,
    say,
)
from .wording import counted, plural

if TYPE_CHECKING:
    from quotes.ingest.importing.run import ImportSummary, Progress

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
        int | None,
        typer.Option(min=1, max=100_000, hidden=True, help="Rows per committed batch."),
    ] = None,
    raw_cells: Annotated[
        bool,
        typer.Option(
            "--raw-cells",
            help="Read CSV cells exactly as they are (do not remove the ' that `quotes export` "
            "puts before cells starting with = + - @), and write the rejects file raw.",
        ),
    ] = False,
    bom: BomOption = False,
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Import statements from a file; rows that fail are reported with their line."""
    quotes_db = open_db(db, create=not dry_run)
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
            raw_cells=raw_cells,
            bom=bom,
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
    _print_similar(summary.similar_speakers, rejects)


#: How many close-name pairs the terminal summary shows (all are in --json and --rejects).
SHOWN_SIMILAR = 3


def _print_similar(similar: list[dict[str, Any]], rejects: Path | None) -> None:
    """A count and a short sample: hundreds of names on one line help nobody."""
    if not similar:
        return
    sample = "; ".join(
        f"{item['name']!r} ~ {' or '.join(repr(n) for n in item['similar'][:2])}"
        for item in similar[:SHOWN_SIMILAR]
    )
    more = f" and {len(similar) - SHOWN_SIMILAR:,} more" if len(similar) > SHOWN_SIMILAR else ""
    where = f"all in {rejects} and --json" if rejects else "all in --json or --rejects FILE"
    err_console.print(
        f"{len(similar):,} new speaker(s) have names very close to known ones ({sample}{more}; "
        f"{where}): check them, and use `quotes speakers merge` if they are one person.",
        markup=False,
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
    min_confidence: Annotated[
        float | None,
        typer.Option(
            "--min-confidence",
            help="With --save, record only quotations whose speaker is at least this "
            "confident (0-1; default 0.5).",
        ),
    ] = None,
    save_all: Annotated[
        bool,
        typer.Option("--all", help="With --save, record every quotation that has a speaker."),
    ] = False,
    encoding: Annotated[str, typer.Option(help="The article's text encoding.")] = "utf-8",
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Find the quotations in a news article and attribute each to its speaker."""
    from quotes.ingest.articles import (
        DEFAULT_MIN_ATTRIBUTION_CONFIDENCE,
        extract_article,
        read_article,
        save_candidates,
    )
    from quotes.records.sources import validate_url
    from quotes.store.dates import optional_date
    from quotes.vocabulary import validate_min_confidence

    optional_date(date)
    validate_url(source)
    if save_all and min_confidence is not None:
        raise BadInputError("--all and --min-confidence contradict each other: give one.")
    threshold = (
        0.0
        if save_all
        else validate_min_confidence(
            DEFAULT_MIN_ATTRIBUTION_CONFIDENCE if min_confidence is None else min_confidence
        )
    )
    text = read_article(_read_bytes(file), encoding=encoding, name=_name(file))
    if not save and not database_exists(db_target(db)):
        # Finding quotations needs no database; a missing one is not created.
        found = extract_article(None, text)
        _finish_extract(found, [], text, save=False, json=json, threshold=threshold)
        return
    target = database(db, create=save)
    with target.session(write=save) as active:
        found = extract_article(active, text)
        saved = (
            save_candidates(
                active,
                found.candidates,
                text,
                date=date,
                source_url=source,
                outlet=outlet,
                new_speaker=new_speaker,
                min_confidence=threshold,
            )
            if save
            else []
        )
    _finish_extract(found, saved, text, save=save, json=json, threshold=threshold)


def _finish_extract(
    found: Any, saved: list[Any], text: str, *, save: bool, json: bool, threshold: float
) -> None:
    from quotes.ingest.articles import worth_saving

    by_start = {item.candidate.start: item for item in saved}
    if json:
        echo_json(
            [
                by_start[c.start].to_dict() if c.start in by_start else c.to_dict()
                for c in found.candidates
            ]
        )
    else:
        _print_candidates(found.candidates, by_start)
    for offset in found.unclosed:
        line = text.count("\n", 0, offset) + 1
        err_console.print(
            f"Note: a quotation mark on line {line} is never closed; that quotation was skipped.",
            markup=False,
        )
    if save:
        skipped = sum(1 for c in found.candidates if c.speaker is None)
        unsure = sum(1 for c in found.candidates if c.speaker and not worth_saving(c, threshold))
        new = sum(1 for s in saved if s.created)
        message = (
            f"Saved {counted(len(saved), 'quotation')} "
            f"({new} new, {len(saved) - new} already recorded)"
        )
        if skipped:
            message += f"; {skipped} without a speaker {plural(skipped, 'was')} not saved"
        if unsure:
            message += (
                f"; {unsure} with a speaker less than {threshold:g} confident "
                f"{plural(unsure, 'was')} not saved (--all or --min-confidence saves them)"
            )
        err_console.print(message + ".", markup=False)


def _print_candidates(candidates: list[Any], saved: dict[int, Any]) -> None:
    if not candidates:
        say("No quotations found.")
        return
    from rich.table import Table

    table = Table(title=counted(len(candidates), "quotation"), show_lines=False)
    for column in ("speaker", "quotation", "cue", "kind", "conf"):
        table.add_column(column, overflow="fold")
    if saved:
        table.add_column("id", justify="right")
    for candidate in candidates:
        kind = "partial quote" if candidate.partial else candidate.kind
        confidence = f"{candidate.confidence:.2f}" if candidate.speaker else ""
        cells = [candidate.speaker or "?", candidate.text, candidate.cue or "", kind, confidence]
        if saved:
            item = saved.get(candidate.start)
            cells.append(str(item.quote_id) if item else "")
        table.add_row(*cells)
    console.print(table)


def _name(file: str) -> str:
    return "standard input" if file == "-" else repr(file)


def _read_bytes(file: str) -> bytes:
    if file == "-":
        return sys.stdin.buffer.read()
    path = Path(file)
    if path.is_dir():
        raise BadInputError(f"cannot read {file!r}: it is a directory.")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise BadInputError(f"cannot read {file!r}: {exc.strerror or exc}.") from None


def register(app: typer.Typer) -> None:
    app.command("import")(import_command)
    app.command("extract")(extract_command)
