"""``quotes position``: a speaker's position on a topic, with its receipts."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape

from quotes.vocabulary import DEFAULT_MIN_CONFIDENCE

from .common import DbOption, JsonOption, console, database, echo_json
from .timeline_commands import MinConfidenceOption


def _quote_line(quote: dict[str, Any]) -> str:
    from quotes.records.reported import as_said

    how = "person's label" if quote["method"] == "manual" else "automatic"
    if quote["method"] != "manual" and quote["confidence"] is not None:
        how += f", confidence {quote['confidence']:.2f}"
    source = f" — {escape(quote['source'])}" if quote["source"] else ""
    return (
        f"  #{quote['id']} {quote['date']} ({quote['score']:+.2f}, {how}){source}\n"
        f"    {escape(as_said(quote['text'], quote['kind']))}"
    )


def print_position(document: dict[str, Any]) -> None:
    span = ""
    if document["since"] or document["until"]:
        span = f" ({document['since'] or '…'} to {document['until'] or '…'})"
    head = f"[bold]{escape(document['speaker'])}[/] on [bold]{escape(document['topic'])}[/]{span}"
    evidence = document["evidence"]
    if document["label"] is None:
        console.print(f"{head}: [bold]not enough evidence[/]")
        console.print(
            f"  It rests on {escape(evidence['summary'])}; {escape(document['rule'])} "
            f"(confidence bar {document['min_confidence']:.2f})."
        )
    else:
        console.print(
            f"{head}: [bold]{document['label']}[/] (score {document['score']:+.2f}, "
            f"confidence {document['confidence']:.2f})"
        )
        console.print(f"  Rests on {escape(evidence['summary'])}.")
    left = document["left_out"]
    if left["below_confidence"] or left["undated"]:
        console.print(
            f"  [dim]Left out: {left['below_confidence']} automatic below confidence "
            f"{document['min_confidence']:.2f}, {left['undated']} undated.[/]"
        )
    for side in ("for", "against"):
        if document[side]:
            console.print(f"Strongest {side}:")
            for quote in document[side]:
                console.print(_quote_line(quote))


def position(
    speaker: Annotated[str, typer.Option("--speaker", help="The speaker (any alias).")],
    topic: Annotated[str, typer.Option("--topic", help="The topic (see `quotes topics list`).")],
    since: Annotated[str | None, typer.Option("--since", help="From this date.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Up to this date.")] = None,
    min_confidence: MinConfidenceOption = DEFAULT_MIN_CONFIDENCE,
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """A speaker's position on a topic with the quotes behind it, or "not enough evidence"."""
    from quotes.timelines.position import speaker_position

    with database(db).session() as active:
        found = speaker_position(
            active, speaker, topic, since=since, until=until, min_confidence=min_confidence
        )
    document = found.to_dict()
    if json:
        echo_json(document)
    else:
        print_position(document)


def register(app: typer.Typer) -> None:
    app.command()(position)
