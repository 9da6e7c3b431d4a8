"""``quotes init|add|show|search|export``: recording and finding statements."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from quotes.errors import BadInputError
from quotes.ingest.seeding import load_seed_quotes
from quotes.records.quotes import add_quote, get_quote, quote_to_dict
from quotes.records.topics import install_default_topics
from quotes.search.filters import QuoteFilters
from quotes.search.query import DEFAULT_MIN_MATCH, prepare_search, search

from .common import (
    BomOption,
    CsvOption,
    DbOption,
    JsonOption,
    RawCellsOption,
    console,
    csv_style,
    database,
    echo_json,
    err_console,
    say,
)
from .render import print_quote_detail, quotes_table, write_csv

SpeakerFilter = Annotated[
    str | None, typer.Option("--speaker", help="Only this speaker (any alias).")
]
TopicFilter = Annotated[str | None, typer.Option("--topic", help="Only quotes on this topic.")]
SinceFilter = Annotated[
    str | None, typer.Option("--since", help="From this date (YYYY, YYYY-MM or YYYY-MM-DD).")
]
UntilFilter = Annotated[
    str | None, typer.Option("--until", help="Up to this date, inclusive of the whole period.")
]
StanceConfidence = Annotated[
    float,
    typer.Option(
        "--min-confidence",
        help="With --stance: count an automatic stance only at this confidence or above "
        "(0 to 1; a person's label always counts).",
    ),
]


def init(
    seed: Annotated[
        bool, typer.Option("--seed", help="Also load the bundled seed quotes.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Create or migrate the database and install the default topics."""
    target = database(db, create=True)
    with target.session(write=True) as active:
        created = install_default_topics(active)
        seeded = load_seed_quotes(active) if seed else None
    say(f"Database ready: {target.url.render_as_string(hide_password=True)}")
    say(f"Default topics installed: {', '.join(created) if created else 'already present'}")
    if seeded is not None:
        say(f"Seed quotes: {seeded.added} added, {seeded.existing} already present.")


def _read_text(text: str) -> str:
    if text != "-":
        return text
    try:
        return sys.stdin.read()
    except UnicodeDecodeError:
        raise BadInputError("standard input is not valid UTF-8 text.") from None


def add(
    text: Annotated[str, typer.Argument(help="The statement, or - to read it from stdin.")],
    speaker: Annotated[str, typer.Option("--speaker", help="Who said it (any alias).")],
    date: Annotated[str | None, typer.Option(help="When: YYYY-MM-DD, YYYY-MM or YYYY.")] = None,
    source: Annotated[str | None, typer.Option(help="Source URL.")] = None,
    outlet: Annotated[str | None, typer.Option(help="Publication, e.g. Reuters.")] = None,
    context: Annotated[str | None, typer.Option(help="Circumstances of the statement.")] = None,
    topic: Annotated[
        list[str] | None, typer.Option("--topic", help="A topic it is about (repeatable).")
    ] = None,
    paraphrase: Annotated[
        bool, typer.Option("--paraphrase", help="Reported speech, not verbatim words.")
    ] = False,
    new_speaker: Annotated[
        bool,
        typer.Option("--new-speaker", help="Create the speaker even if a similar name exists."),
    ] = False,
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Record one statement and print its id (an existing id for a repeat)."""
    with database(db, create=True).session(write=True) as active:
        result = add_quote(
            active,
            _read_text(text),
            speaker,
            date=date,
            source_url=source,
            outlet=outlet,
            context=context,
            topics=topic or [],
            new_speaker=new_speaker,
            kind="paraphrase" if paraphrase else "quote",
        )
        document = quote_to_dict(get_quote(active, result.quote_id))
    if json:
        echo_json({**document, "created": result.created})
        return
    typer.echo(result.quote_id)
    if result.speaker_created:
        err_console.print(f"New speaker: {result.speaker}", markup=False)
    if not result.created:
        attached = "; new source attached" if result.source_attached else ""
        err_console.print(f"Already recorded as quote {result.quote_id}{attached}.", markup=False)


def show(
    quote_id: Annotated[int, typer.Argument(metavar="ID", help="The quote's id.")],
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Show one quote with its sources, topics and stances."""
    with database(db).session() as active:
        document = quote_to_dict(get_quote(active, quote_id))
    if json:
        echo_json(document)
    else:
        print_quote_detail(document)


def search_command(
    query: Annotated[str, typer.Argument(help='Words and "quoted phrases".')],
    speaker: SpeakerFilter = None,
    topic: TopicFilter = None,
    stance: Annotated[
        str | None, typer.Option(help="Only this stance: favor, against or neutral.")
    ] = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
    min_confidence: StanceConfidence = 0.0,
    mode: Annotated[
        str | None,
        typer.Option(
            help="text, semantic or hybrid (default: hybrid once vectors exist, else text).",
            show_default=False,
        ),
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="How many results.")] = 20,
    min_match: Annotated[
        float | None,
        typer.Option(
            "--min-match",
            help="Semantic and hybrid: the least cosine similarity to the query "
            f"(default {DEFAULT_MIN_MATCH:.2f}; -1 keeps everything).",
            show_default=False,
        ),
    ] = None,
    json: JsonOption = False,
    csv: CsvOption = False,
    raw_cells: RawCellsOption = False,
    bom: BomOption = False,
    db: DbOption = None,
) -> None:
    """Search statements by words (best matches first)."""
    filters = QuoteFilters(
        speaker=speaker,
        topic=topic,
        stance=stance,
        since=since,
        until=until,
        min_confidence=min_confidence,
    )
    target = database(db)
    if mode != "text":
        from .meaning_commands import embedding_progress

        with embedding_progress() as progress:
            mode = prepare_search(target, mode, progress)
    with target.session() as active:
        found = search(active, query, filters=filters, mode=mode, limit=limit, min_match=min_match)
        hits = [h.to_dict() for h in found]
    if json:
        echo_json(hits)
    elif csv:
        from quotes.exports.export import csv_row

        rows = [{**h, **csv_row(h)} for h in hits]
        columns = ["rank", "match", "id", "speaker", "date", "kind", "text", "topics"]
        write_csv(
            rows, [*columns, "stance", "auto_stance", "auto_confidence"], csv_style(raw_cells, bom)
        )
    elif not hits and mode not in (None, "text"):
        least = DEFAULT_MIN_MATCH if min_match is None else min_match
        say(f"No close matches for {query} (least similarity {least:.2f}; see --min-match).")
    elif not hits:
        say(f"No statements match {query}.")
    else:
        console.print(quotes_table(hits, title=f"{len(hits)} results for {escape(query)}"))


def export(
    speaker: SpeakerFilter = None,
    topic: TopicFilter = None,
    since: SinceFilter = None,
    until: UntilFilter = None,
    stance: Annotated[
        str | None,
        typer.Option("--stance", help="Only quotes with this stance (favor, against, neutral)."),
    ] = None,
    min_confidence: StanceConfidence = 0.0,
    format: Annotated[
        str,
        typer.Option("--format", help="csv, jsonl or parquet (parquet needs the 'parquet' extra)."),
    ] = "csv",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    raw_cells: RawCellsOption = False,
    bom: BomOption = False,
    db: DbOption = None,
) -> None:
    """Export every matching quote with its speaker, sources, topics and stances."""
    from quotes.exports.export import export_quotes

    filters = QuoteFilters(
        speaker=speaker,
        topic=topic,
        stance=stance,
        since=since,
        until=until,
        min_confidence=min_confidence,
    )
    with database(db).session() as active:
        count = export_quotes(active, filters, format, output, csv_style(raw_cells, bom))
    if output is not None:
        err_console.print(f"Wrote {count} quotes to {output}.", markup=False)


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(add)
    app.command()(show)
    app.command("search")(search_command)
    app.command()(export)
