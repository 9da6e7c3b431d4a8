"""``quotes stance review``: label the quotes that teach the model most."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from quotes.errors import BadInputError

if TYPE_CHECKING:
    from quotes.meaning.encoder import Embedder
    from quotes.meaning.reviewing import Answer
    from quotes.store.engine import Database

from .common import DbOption, console, database, echo_json, say
from .meaning_commands import StanceModelOption

PROMPT = "[f]avor  [a]gainst  [n]eutral  [o]ff-topic  [s]kip  [q]uit > "


def _print_candidate(number: int, candidate: dict[str, object], topic: str) -> None:
    from quotes.records.reported import as_said

    text, kind = str(candidate["text"]), str(candidate["kind"])
    console.print(
        f"\n[bold]{number}.[/] #{candidate['id']} {escape(str(candidate['speaker']))}, "
        f"{candidate['date'] or 'undated'}"
    )
    console.print(f"  {escape(as_said(text, kind))}")
    score, confidence = candidate["score"], candidate["confidence"]
    guess = f"model says {candidate['label']}" if candidate["label"] else "no automatic stance"
    if isinstance(score, float):
        guess += f" ({score:+.2f}"
        guess += f", confidence {confidence:.2f})" if isinstance(confidence, float) else ")"
    console.print(
        f"  [dim]{escape(guess)} on {escape(topic)}; {escape(str(candidate['reason']))}[/]"
    )


def _ask() -> Answer:
    """One answer from stdin (a terminal, or lines piped in); EOF means quit."""
    while True:
        typer.echo(PROMPT, nl=False)
        line = sys.stdin.readline()
        if not line:
            typer.echo()
            return "quit"
        if not sys.stdin.isatty():  # answers piped in: show them, as a terminal would
            typer.echo(line.strip())
        from quotes.meaning.reviewing import parse_answer

        try:
            return parse_answer(line)
        except BadInputError as exc:
            typer.echo(str(exc))


def review(
    topic: Annotated[str, typer.Option("--topic", help="The topic to label quotes for.")],
    limit: Annotated[
        int, typer.Option("--limit", help="How many quotes to suggest (1 to 1000).")
    ] = 10,
    json: Annotated[
        bool, typer.Option("--json", help="Print the suggestions as JSON and ask nothing.")
    ] = False,
    stance_model: StanceModelOption = None,
    db: DbOption = None,
) -> None:
    """The quotes whose label would teach the model most; asks for labels one by one.

    Each answer is saved at once and the topic refitted, so quitting at any
    point keeps every answer given.
    """
    from quotes.meaning.encoder import load_embedder
    from quotes.meaning.reviewing import suggestions

    target = database(db)
    # A named model is loaded first: a bad name fails before anything is read.
    embedder = load_embedder(stance_model) if stance_model is not None else None
    with target.session() as active:
        first = [s.to_dict() for s in suggestions(active, topic, limit, embedder=embedder)]
    if json:
        echo_json(first)
        return
    if not first:
        say(
            f"Nothing to review on {topic}: no automatic stances left to check "
            "(run `quotes stance assign` first)."
        )
        return
    _session(target, topic, limit, first, embedder or load_embedder())


def _session(
    target: Database, topic: str, limit: int, first: list[dict[str, object]], embedder: Embedder
) -> None:
    """Ask, save, refit and re-rank, with one model loaded once for every step."""
    from quotes.meaning.reviewing import refit, save_answer, suggestions

    seen: set[int] = set()
    counts = {"labelled": 0, "off-topic": 0, "skipped": 0}
    pending = first
    number = 0
    while pending and number < limit:
        candidate = pending[0]
        number += 1
        quote_id = int(str(candidate["id"]))
        seen.add(quote_id)
        _print_candidate(number, candidate, topic)
        answer = _ask()
        if answer == "quit":
            break
        if save_answer(target, quote_id, topic, answer):
            counts["off-topic" if answer == "off-topic" else "labelled"] += 1
            refit(target, topic, embedder)
            say(f"Saved: #{quote_id} {answer}; {topic} refitted.")
        else:
            counts["skipped"] += 1
        with target.session() as active:
            pending = [
                s.to_dict()
                for s in suggestions(active, topic, 1, exclude=frozenset(seen), embedder=embedder)
            ]
    say(
        f"Reviewed {topic}: {counts['labelled']} labelled, {counts['off-topic']} off-topic, "
        f"{counts['skipped']} skipped."
    )


def register(stance_app: typer.Typer) -> None:
    stance_app.command("review")(review)
