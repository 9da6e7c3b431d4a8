"""``quotes timeline`` and ``quotes shifts``: how a speaker's stance moved."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from quotes.errors import BadInputError
from quotes.records.reported import as_said
from quotes.timelines.aggregate import Observation, Timeline
from quotes.timelines.shifts import DEFAULT_THRESHOLD, Shift
from quotes.vocabulary import DEFAULT_MIN_CONFIDENCE

from .common import (
    BomOption,
    DbOption,
    JsonOption,
    RawCellsOption,
    console,
    csv_style,
    echo_json,
    err_console,
    open_db,
)
from .wording import counted, plural

ByOption = Annotated[str, typer.Option("--by", help="Period: day, month, quarter or year.")]
ScoreOption = Annotated[
    str,
    typer.Option(
        "--score",
        help="mean (weighted mean of scores; manual labels count ±1 and weigh double) "
        "or logodds (Manifesto Project log-odds of favor vs against, scaled to -1..1).",
    ),
]

MinConfidenceOption = Annotated[
    float,
    typer.Option(
        "--min-confidence",
        help="Count an automatic stance only at this confidence or above (0 to 1; "
        "0 counts every one); a person's label always counts.",
    ),
]

_SPARK = "▁▂▃▄▅▆▇█"
BAR_WIDTH = 8


def score_bar(score: float, width: int = BAR_WIDTH) -> str:
    """A diverging bar in half-cell steps: against grows left of the centre, favor right."""
    halves = round(min(1.0, abs(score)) * width * 2)
    full, half = divmod(halves, 2)
    if score >= 0:
        return " " * width + "│" + ("█" * full + "▌" * half).ljust(width)
    return ("▐" * half + "█" * full).rjust(width) + "│" + " " * width


def sparkline(scores: list[float]) -> str:
    """One character per period, low (against) to high (favor) on the -1..1 scale."""
    return "".join(_SPARK[min(7, int((s + 1) / 2 * 8))] for s in scores)


def timeline_table(timeline: Timeline) -> Table:
    method = "weighted mean" if timeline.method == "mean" else "log-odds"
    table = Table(
        title=f"Stance on {escape(timeline.topic)} by {timeline.granularity} ({method})",
        caption="score -1 = against, +1 = favor the topic's proposition; (thin): too "
        "little evidence for a shift",
    )
    table.add_column("speaker", style="cyan")
    table.add_column("period")
    table.add_column("score", justify="right")
    table.add_column(f"{'against':<{BAR_WIDTH}}│{'favor':>{BAR_WIDTH}}", no_wrap=True)
    table.add_column("n", justify="right")
    table.add_column("rests on")
    table.add_column("quotes", style="dim")
    for speaker, points in timeline.series().items():
        table.add_section()
        trend = sparkline([p.score for p in points if not timeline.is_coarse(p)])
        for index, point in enumerate(points):
            ids = point.quote_ids
            shown = ", ".join(str(i) for i in ids[:6]) + (" …" if len(ids) > 6 else "")
            table.add_row(
                escape(speaker) if index == 0 else (trend if index == 1 else ""),
                point.period.label,
                f"{point.score:+.2f}",
                score_bar(point.score),
                str(point.n),
                point.evidence.describe()
                + ("" if point.evidence.sufficient() else " [dim](thin)[/]"),
                shown,
            )
    return table


def timeline(
    topic: Annotated[str, typer.Option("--topic", help="The topic (see `quotes topics list`).")],
    speaker: Annotated[
        list[str] | None,
        typer.Option(
            "--speaker",
            help="A speaker (any alias); repeat for more "
            "(default: the five with the most assessed quotes on the topic).",
        ),
    ] = None,
    by: ByOption = "month",
    score: ScoreOption = "mean",
    format: Annotated[
        str, typer.Option("--format", help="table, csv, json, html, png or parquet.")
    ] = "table",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write here (png and html default to ./timeline.png / ./timeline.html; "
            "csv, json and parquet default to stdout).",
        ),
    ] = None,
    since: Annotated[str | None, typer.Option("--since", help="From this date.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Up to this date.")] = None,
    raw_cells: RawCellsOption = False,
    bom: BomOption = False,
    min_confidence: MinConfidenceOption = DEFAULT_MIN_CONFIDENCE,
    db: DbOption = None,
) -> None:
    """A stance timeline: one score per speaker and period, with the quotes behind it."""
    from quotes.timelines.output import output_path, render_timeline, validate_format

    fmt = validate_format(format)
    quotes_db = open_db(db)  # opened first, so the output check knows the database's files
    path = output_path(fmt, output)
    if fmt == "parquet" and path is None and sys.stdout.isatty():
        raise BadInputError("parquet is binary: give --output FILE or redirect stdout.")
    found = quotes_db.timeline(
        topic,
        speaker or (),
        by=by,
        score=score,
        since=since,
        until=until,
        min_confidence=min_confidence,
    )
    if found.below_bar:
        err_console.print(
            f"Note: {counted(found.below_bar, 'quote')} whose only stance is automatic with "
            f"confidence below {found.min_confidence:.2f} {plural(found.below_bar, 'is', 'are')} "
            "left out (see --min-confidence).",
            markup=False,
        )
    if found.undated:
        err_console.print(
            f"Note: {counted(found.undated, 'assessed quote')} without a date "
            f"{plural(found.undated, 'is', 'are')} not on the timeline.",
            markup=False,
        )
    if not found.points:
        who = f" by {', '.join(found.speakers)}" if found.speakers else ""
        err_console.print(
            f"No dated quotes{who} with a stance on {found.topic!r}: nothing to chart "
            "(add quotes, then run `quotes stance assign`).",
            markup=False,
        )
        if fmt == "json":
            echo_json([])
        return
    if fmt == "table":
        _print_table(found, path)
        return
    data = render_timeline(found, fmt, csv_style(raw_cells, bom))
    if path is None:
        _write_stdout(data, text=fmt in ("csv", "json"))
        return
    from quotes.exports.files import atomic_output

    with atomic_output(path, binary=True) as handle:
        handle.write(data)
    err_console.print(
        f"Wrote {counted(len(found.points), 'period')} ({fmt}) to {path}", markup=False
    )


def _write_stdout(data: bytes, *, text: bool) -> None:
    if text:
        sys.stdout.write(data.decode("utf-8"))
        sys.stdout.flush()
        return
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def _print_table(found: Timeline, path: Path | None) -> None:
    if path is None:
        console.print(timeline_table(found))
        return
    from rich.console import Console

    from quotes.exports.files import atomic_output

    with atomic_output(path) as handle:
        Console(file=handle, width=120, highlight=False).print(timeline_table(found))
    err_console.print(f"Wrote the timeline table to {path}", markup=False)


def _side(obs: Observation, point_basis: str) -> str:
    how = "label" if obs.method == "manual" else "auto"
    if obs.method != "manual" and obs.confidence is not None:
        how += f" {obs.confidence:.2f}"
    return (
        f"[dim]#{obs.quote_id} {obs.date_label} ({obs.score:+.2f}, {how})[/]\n"
        f"{escape(as_said(obs.text, obs.kind))}\n[dim]rests on {escape(point_basis)}[/]"
    )


def shifts_table(found: list[Shift]) -> Table:
    table = Table(title="Stance shifts", show_lines=True)
    table.add_column("speaker", style="cyan")
    table.add_column("topic")
    table.add_column("change", no_wrap=True)
    table.add_column("before", ratio=1)
    table.add_column("after", ratio=1)
    for shift in found:
        before, after = shift.evidence_before, shift.evidence_after
        table.add_row(
            escape(shift.speaker),
            escape(shift.topic),
            f"{shift.kind}\n{shift.before.period.label} {shift.before.score:+.2f}\n"
            f"→ {shift.after.period.label} {shift.after.score:+.2f}",
            _side(before, shift.before.evidence.describe()),
            _side(after, shift.after.evidence.describe()),
        )
    return table


def shifts(
    topic: Annotated[str | None, typer.Option("--topic", help="Only this topic.")] = None,
    speaker: Annotated[str | None, typer.Option("--speaker", help="Only this speaker.")] = None,
    by: ByOption = "month",
    score: ScoreOption = "mean",
    threshold: Annotated[
        float,
        typer.Option(
            "--threshold",
            help="Smallest change of score that counts as a move (a change of sign "
            "outside the neutral band always counts).",
        ),
    ] = DEFAULT_THRESHOLD,
    min_confidence: MinConfidenceOption = DEFAULT_MIN_CONFIDENCE,
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Points where a speaker's stance on a topic changed, with the quotes before and after."""
    found = open_db(db).shifts(
        topic=topic,
        speaker=speaker,
        by=by,
        score=score,
        threshold=threshold,
        min_confidence=min_confidence,
    )
    if json:
        echo_json([s.to_dict() for s in found])
        return
    if not found:
        from quotes.timelines.evidence import DEFAULT_MINIMUM

        console.print(
            "No stance shifts found (a period counts only with "
            f"{DEFAULT_MINIMUM.describe()}, bar {min_confidence:.2f})."
        )
        return
    console.print(shifts_table(found))


def register(app: typer.Typer) -> None:
    app.command()(timeline)
    app.command()(shifts)
