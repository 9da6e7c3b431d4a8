"""``quotes init|add|show|search|export``: recording and finding statements."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import IO, Annotated

import typer
from rich.markup import escape

from quotes.errors import BadInputError
from quotes.vocabulary import DEFAULT_MIN_MATCH

from .common import (
    BomOption,
    CsvOption,
    DbOption,
    JsonOption,
    RawCellsOption,
    console,
    csv_style,
    echo_json,
    err_console,
    open_db,
    say,
)
from .render import print_quote_detail, quotes_table, write_csv
from .wording import counted

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
    done = open_db(db, create=True).init(seed=seed)
    created = done.topics_created
    say(f"Database ready: {done.url}")
    say(f"Default topics installed: {', '.join(created) if created else 'already present'}")
    if done.seeds_added is not None:
        say(f"Seed quotes: {done.seeds_added} added, {done.seeds_existing} already present.")


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
    """Record one statement and print its id.

    On a terminal it says "Added quote 19"; piped, it prints the bare id (an
    existing id for a repeat), and with --json the whole quote.
    """
    result = open_db(db, create=True).add(
        _read_text(text),
        speaker,
        date=date,
        source=source,
        outlet=outlet,
        context=context,
        topics=topic or [],
        paraphrase=paraphrase,
        new_speaker=new_speaker,
    )
    if json:
        echo_json(result.to_dict())
        return
    attached = "; new source attached" if result.source_attached else ""
    if sys.stdout.isatty():  # a person reads it: a sentence
        say(
            f"Added quote {result.id}."
            if result.created
            else f"Already recorded as quote {result.id}{attached}."
        )
    else:  # a script reads it: the bare id
        typer.echo(result.id)
        if not result.created:
            err_console.print(f"Already recorded as quote {result.id}{attached}.", markup=False)
    if result.speaker_created:
        err_console.print(f"New speaker: {result.quote.speaker}", markup=False)


def show(
    quote_id: Annotated[int, typer.Argument(metavar="ID", help="The quote's id.")],
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Show one quote with its sources, topics and stances."""
    document = open_db(db).get(quote_id).to_dict()
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
    from .meaning_commands import embedding_progress

    with embedding_progress(enabled=mode != "text", until_needed=True) as progress:
        found = open_db(db).search(
            query,
            speaker=speaker,
            topic=topic,
            stance=stance,
            since=since,
            until=until,
            mode=mode,
            limit=limit,
            min_confidence=min_confidence,
            min_match=min_match,
            progress=progress,
        )
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
        console.print(
            quotes_table(hits, title=f"{counted(len(hits), 'result')} for {escape(query)}")
        )


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
    destination = output if output is not None else _stdout_for(format)
    count = open_db(db).export(
        destination,
        format=format,
        speaker=speaker,
        topic=topic,
        stance=stance,
        since=since,
        until=until,
        min_confidence=min_confidence,
        csv_style=csv_style(raw_cells, bom),
    )
    if not isinstance(destination, Path):
        destination.flush()
    else:
        err_console.print(f"Wrote {counted(count, 'quote')} to {output}.", markup=False)


def _stdout_for(fmt: str) -> IO[str] | IO[bytes]:
    """Standard output as the format needs it: text, or bytes for parquet (never a terminal)."""
    if fmt.strip().lower() != "parquet":
        return sys.stdout
    if sys.stdout.isatty():
        raise BadInputError("parquet is binary: give --output FILE or redirect stdout.")
    sys.stdout.flush()
    return sys.stdout.buffer


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.command()(add)
    app.command()(show)
    app.command("search")(search_command)
    app.command()(export)
