"""``quotes demo``: the main job, end to end, on a demo database."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from quotes.records.reported import as_said
from quotes.vocabulary import DEFAULT_MIN_CONFIDENCE

from .common import console, db_target, say
from .wording import counted, plural

_SHOWN_CHARS = 150
STEPS = 8

DemoDbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database for the demo: a SQLAlchemy URL or a SQLite file path "
        "(default: ./quotes-demo.db; $QUOTES_DATABASE_URL is never used).",
        show_default=False,
    ),
]


def _short(text: str) -> str:
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 1].rstrip() + "…"


def _step(number: int, title: str) -> None:
    console.rule(f"[bold]{number}/{STEPS} {escape(title)}", align="left")


def _basis(quote: dict[str, Any]) -> str:
    """``person's label`` or ``automatic, confidence 0.76``: what a shown stance rests on."""
    if quote["method"] == "manual":
        return "person's label"
    sure = quote.get("confidence")
    return "automatic" + ("" if sure is None else f", confidence {sure:.2f}")


def _print_clusters(clusters: dict[str, list[dict[str, Any]]]) -> None:
    for topic, groups in clusters.items():
        if not groups:
            say(
                f"{topic}: no quote with a stance that counts (a person's label, or an "
                f"automatic stance at confidence {DEFAULT_MIN_CONFIDENCE:.2f} or above)."
            )
            continue
        table = Table(
            title=f"{topic}: {counted(len(groups), 'stance group')}", title_justify="left"
        )
        table.add_column("group", justify="right")
        table.add_column("stance")
        table.add_column("mean", justify="right")
        table.add_column("size", justify="right")
        table.add_column("speakers", ratio=1)
        table.add_column("distinctive terms / a representative quote", ratio=2)
        for group in groups:
            top = sorted(group["speakers"].items(), key=lambda item: -item[1])[:3]
            # A quote a person labelled represents the group first: it is a reading.
            quotes = sorted(group["quotes"], key=lambda q: q["method"] != "manual")
            quote = quotes[0] if quotes else None
            example = ""
            if quote:
                who = f"#{quote['id']} {escape(quote['speaker'])}"
                said = as_said(_short(quote["text"]), quote["kind"])
                example = f"\n[dim]{who} ({_basis(quote)}):[/] {escape(said)}"
            table.add_row(
                str(group["group"]),
                group["stance"],
                f"{group['mean_score']:+.2f}",
                str(group["size"]),
                escape(", ".join(f"{name} {n}" for name, n in top)),
                escape(", ".join(group["terms"][:6])) + example,
            )
        console.print(table)


def _print_readings(readings: list[Any]) -> None:
    from quotes.demo import CURATOR

    say(
        f"Labels by {CURATOR}: a person reads each statement of the seed article against the "
        "topic's poles and labels it only where the speaker's own words justify it. Each "
        "label is stored as a person's label (`quotes history ID` keeps it; "
        "`quotes stance unlabel ID --topic T` removes it)."
    )
    for found in readings:
        reading = found.reading
        verdict = reading.label or "not labelled"
        said = as_said(_short(reading.text), found.kind)
        console.print(
            f"  #{found.quote_id} {escape(reading.speaker)}, {found.date or 'undated'} on "
            f"{escape(reading.topic)}: [bold]{verdict}[/]\n    {escape(said)}\n"
            f"    [dim]why: {escape(reading.reason)}[/]"
        )


def _print_story(claims: list[Any]) -> None:
    from .position_commands import print_position

    for claim in claims:
        print_position(claim.position.to_dict())
        months = claim.months
        if len(months) < 2:
            where = f"only {months[0]}" if months else "none"
            say(
                f"  Months with enough evidence: {where}; a shift compares two, "
                "so none can be shown.\n"
            )
        else:
            say(f"  Months with enough evidence: {', '.join(months)}.\n")


def _print_shifts(found: dict[str, list[Any]]) -> None:
    from quotes.timelines.evidence import DEFAULT_MINIMUM

    from .timeline_commands import shifts_table

    rule = (
        f"a period counts only with {DEFAULT_MINIMUM.describe()} "
        f"({DEFAULT_MIN_CONFIDENCE:.2f}), on both sides of the change"
    )
    if not any(found.values()):
        say(
            "No stance shift can be defended on this data, so the demo shows none: "
            f"{rule}, and no speaker has two such periods that differ, by month or by year. "
            "The positions in step 5 are what the evidence supports."
        )
        return
    for by, shifts in found.items():
        say(f"{counted(len(shifts), 'shift')} by {by} that rest on enough evidence ({rule}):")
        if shifts:
            console.print(shifts_table(shifts))


def demo(
    db: DemoDbOption = None,
    output_dir: Annotated[
        Path,
        typer.Option(
            "--output-dir", help="Folder for timeline.png and timeline.html.", show_default=False
        ),
    ] = Path("."),
    speakers: Annotated[
        int,
        typer.Option(
            "--speakers", min=1, max=7, help="How many of the most-quoted speakers to chart."
        ),
    ] = 3,
) -> None:
    """The main job on a demo database (default ./quotes-demo.db, never $QUOTES_DATABASE_URL).

    Seed, embed, assign stances, label the story's statements (a named curator,
    with reasons), publish positions with their receipts, search, cluster, chart
    a timeline and list only the shifts that pass the evidence rule."""
    from quotes.api import open as open_quotes
    from quotes.demo import (
        DEFAULT_DEMO_DB,
        SEARCH_QUERY,
        chart_paths,
        confident_share,
        demo_shifts,
        demo_timeline,
        label_story,
        load_demo_data,
        story_positions,
    )
    from quotes.records.topics import default_topics

    from .meaning_commands import embedding_progress
    from .render import quotes_table
    from .timeline_commands import timeline_table

    started = time.perf_counter()
    chart_paths(output_dir)  # a bad folder fails before any database file is created
    quotes_db = open_quotes(db_target(db) or DEFAULT_DEMO_DB)
    target = quotes_db.database
    png, html = chart_paths(output_dir)  # again once open: a chart may not be the database

    _step(1, "Load the seed quotations and the ParlEE sample")
    counts = load_demo_data(target)
    say(f"Database: {quotes_db.url}")
    say(
        f"Seed article: {counts.article_added} added, {counts.article_existing} already present; "
        f"ParlEE sample (UK Commons 2009-2014): {counts.sample_added} added, "
        f"{counts.sample_existing} already present."
    )

    _step(2, "Embed")
    clock = time.perf_counter()
    with embedding_progress() as progress:
        embedded = quotes_db.embed(progress=progress)
    say(
        f"{counted(embedded.pending, 'quote')} embedded with {embedded.model} "
        f"({counted(embedded.encoded, 'text')} encoded) in {time.perf_counter() - clock:.1f} s; "
        f"{counted(embedded.total, 'quote')} {plural(embedded.total, 'has', 'have')} vectors."
    )

    _step(3, "Assign topics and stances")
    clock = time.perf_counter()
    with embedding_progress("Assigning") as progress:
        assigned = quotes_db.assign_stances(progress=progress)
    sure = confident_share(target)
    for outcome in assigned.topics:
        counts_text = ", ".join(f"{k} {v}" for k, v in sorted(outcome.counts.items()))
        above, total = sure.get(outcome.topic, (0, 0))
        say(
            f"{outcome.topic}: {counted(outcome.linked, 'quote')} ({counts_text}) "
            f"by {outcome.method}; {above} of {counted(total, 'automatic stance')} "
            f"{plural(above, 'reaches', 'reach')} confidence {DEFAULT_MIN_CONFIDENCE:.2f}, "
            "the bar for published claims"
        )
    say(f"Assigned in {time.perf_counter() - clock:.1f} s.")

    _step(4, "A person reads the Greenland story")
    _print_readings(label_story(target))

    _step(5, "Positions with their receipts (the Greenland story)")
    _print_story(story_positions(target))

    _step(6, f'Hybrid search for "{SEARCH_QUERY}"')
    hits = [h.to_dict() for h in quotes_db.search(SEARCH_QUERY, mode="hybrid", limit=5)]
    console.print(quotes_table(hits, title=f"Top {len(hits)} for {SEARCH_QUERY} (hybrid)"))

    _step(7, "Stance groups per default topic")
    _print_clusters(
        {t["name"]: [g.to_dict() for g in quotes_db.cluster(t["name"])] for t in default_topics()}
    )

    _step(8, "Timeline of the most-quoted speakers, and the shifts that pass the rule")
    result = demo_timeline(target, png, html, speakers=speakers)
    if result is None:
        say(
            "No quote has a stance that counts yet (a person's label, or an automatic one "
            "at the default confidence bar): no timeline to draw. "
            "Label some with `quotes stance review --topic T`."
        )
    else:
        console.print(timeline_table(result.timeline))
        topic = result.timeline.topic
        if result.timeline.below_bar:
            say(
                f"{result.timeline.below_bar} quotes whose automatic stance is below confidence "
                f"{result.timeline.min_confidence:.2f} are left out."
            )
        say(f"Wrote {result.png.resolve()}")
        say(f"Wrote {result.html.resolve()}")
        say(f"Every speaker's shifts on {topic}: `quotes shifts --topic {topic} --by year`.")
    _print_shifts(demo_shifts(target))
    say(f"Demo finished in {time.perf_counter() - started:.1f} s.")


def register(app: typer.Typer) -> None:
    app.command()(demo)
