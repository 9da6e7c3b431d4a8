"""``quotes embed``, ``stance assign|label`` and ``cluster``: working with meaning."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from .common import (
    DbOption,
    JsonOption,
    console,
    echo_json,
    err_console,
    open_db,
    remember_db,
    say,
)
from .wording import counted, plural

ModelOption = Annotated[
    str | None,
    typer.Option(
        "--model",
        help="A sentence-transformers model name or path "
        "(default: $QUOTES_EMBEDDING_MODEL, else the bundled all-MiniLM-L6-v2).",
        show_default=False,
    ),
]


StanceModelOption = Annotated[
    str | None,
    typer.Option(
        "--stance-model",
        help="A sentence-transformers model name or path to score topics and stances with; "
        "its vectors are stored under its own name, never mixed with another model's "
        "(default: $QUOTES_EMBEDDING_MODEL, else the bundled all-MiniLM-L6-v2).",
        show_default=False,
    ),
]


ProgressCallback = Callable[[int, int], None]


@contextmanager
def embedding_progress(
    what: str = "Embedding", *, enabled: bool = True, until_needed: bool = False
) -> Iterator[ProgressCallback | None]:
    """A progress bar (rows/s, ETA) on a terminal; nothing when output is redirected.

    With ``until_needed`` the bar is made at the first update only: a search
    embeds nothing almost every time, and a bar flashing by would cost it a
    display thread and ~7 ms of CPU (measured on a terminal) for nothing.
    """
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.text import Text

    class _RowsPerSecond(ProgressColumn):
        def render(self, task: Task) -> Text:
            speed = task.finished_speed or task.speed
            return Text("" if speed is None else f"{speed:,.0f} rows/s")

    shown: list[tuple[Progress, TaskID]] = []

    def show() -> tuple[Progress, TaskID]:
        if not shown:
            progress = Progress(
                TextColumn(what),
                BarColumn(),
                MofNCompleteColumn(),
                _RowsPerSecond(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            shown.append((progress, progress.add_task(what, total=None)))
            progress.start()
        return shown[0]

    def update(done: int, total: int) -> None:
        progress, task = show()
        progress.update(task, completed=done, total=total)

    if not until_needed:
        show()
    try:
        yield update
    finally:
        if shown:
            shown[0][0].stop()


def embed(
    model: ModelOption = None,
    batch_size: Annotated[
        int, typer.Option("--batch-size", help="Texts per model batch.", min=1, max=4096)
    ] = 64,
    db: DbOption = None,
) -> None:
    """Compute the missing embeddings (identical texts once; progress bar on a terminal)."""
    import time

    started = time.perf_counter()
    with embedding_progress() as progress:
        report = open_db(db).embed(model=model, batch_size=batch_size, progress=progress)
    if report.nothing_to_do:
        say(
            f"Nothing to embed: {'the' if report.total == 1 else 'all'} "
            f"{counted(report.total, 'quote')} {plural(report.total, 'has', 'have')} "
            f"{report.model} {plural(report.total, 'vector')}."
            if report.total
            else "Nothing to embed: the database has no quotes yet."
        )
        return
    seconds = time.perf_counter() - started
    rate = report.pending / max(report.seconds, 1e-9)
    say(
        f"Embedded {counted(report.pending, 'quote')} with {report.model} "
        f"({counted(report.encoded, 'text')} encoded, "
        f"{counted(report.copied, 'identical text')} reused) "
        f"in {seconds:.1f} s, {rate:,.0f} quotes/s once the model was loaded; "
        f"{counted(report.total, 'quote')} {plural(report.total, 'has', 'have')} vectors."
    )


stance_app = typer.Typer(
    help="Topic and stance assignment, and people's labels.", no_args_is_help=True
)


@stance_app.callback()
def stance_group(db: DbOption = None) -> None:
    """Topic and stance assignment, and people's labels."""
    remember_db(db)


@stance_app.command("assign")
def assign_command(
    topic: Annotated[str | None, typer.Option(help="Only this topic.")] = None,
    stance_model: StanceModelOption = None,
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Link quotes to the topics they are about and score their stance on each."""
    with embedding_progress() as progress:
        report = open_db(db).assign_stances(topic=topic, progress=progress, model=stance_model)
    if json:
        echo_json(report.to_dict())
        return
    if report.nothing_to_do:
        say(f"Nothing to assign: {report.nothing_because}.")
        return
    table = Table("topic", "method", "labels", "quotes", "favor", "against", "neutral", "changed")
    for t in report.topics:
        method = t.method
        if t.learned_cv is not None and t.zero_shot_cv is not None:
            method += f" (cv F_avg {t.learned_cv:.2f} vs zero-shot {t.zero_shot_cv:.2f})"
        table.add_row(
            t.topic,
            method,
            str(t.labels),
            str(t.linked),
            str(t.counts.get("favor", 0)),
            str(t.counts.get("against", 0)),
            str(t.counts.get("neutral", 0)),
            f"+{t.links_added}/-{t.links_removed} links, {t.assessed} scores",
        )
    console.print(table)
    say(
        f"Assigned {counted(len(report.topics), 'topic')} over "
        f"{counted(report.quotes, 'quote')} with {report.model}."
    )


@stance_app.command("label")
def label_command(
    quote_id: Annotated[int, typer.Argument(metavar="ID", help="The quote's id.")],
    topic: Annotated[str, typer.Option(help="The topic the label is about.")],
    stance: Annotated[str, typer.Option(help="favor, against or neutral (toward --favor pole).")],
    db: DbOption = None,
) -> None:
    """Record a person's stance label; it wins over the automatic one and teaches it."""
    result = open_db(db).label(quote_id, topic, stance)
    was = f" (was {result.replaced})" if result.replaced and result.replaced != result.label else ""
    say(f"Quote {result.quote_id} is {result.label} on {result.topic}{was}.")
    err_console.print("Run `quotes stance assign` to let the labels teach the topic.", markup=False)


def cluster(
    topic: Annotated[str, typer.Option(help="The topic whose quotes to group.")],
    speaker: Annotated[str | None, typer.Option(help="Only this speaker's quotes.")] = None,
    k: Annotated[
        int | None, typer.Option("--k", help="Number of groups (default: chosen).")
    ] = None,
    min_confidence: Annotated[
        float,
        typer.Option(
            "--min-confidence",
            help="Leave out quotes whose only stance is automatic with a confidence below "
            "this (0 to 1; 0 keeps all); a person's label always counts.",
        ),
    ] = 0.0,
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Group a topic's quotes by stance and describe each group."""
    groups = open_db(db).cluster(topic, speaker=speaker, k=k, min_confidence=min_confidence)
    documents = [g.to_dict() for g in groups]
    if json:
        echo_json(documents)
        return
    if not groups:
        if min_confidence <= 0:
            say(f"No assessed quotes on {topic}: run `quotes stance assign` first.")
        else:  # there may be assessed quotes, all under the bar
            say(
                f"No quote on {topic} has a stance that counts (a person's label, or an "
                f"automatic stance at confidence {min_confidence:.2f} or above): label some "
                f"with `quotes stance review --topic {topic}`."
            )
        return
    for document in documents:
        _print_group(document)


def _print_group(group: dict[str, Any]) -> None:
    speakers = ", ".join(f"{escape(name)} {n}" for name, n in group["speakers"].items())
    size = f"{group['size']} quote" + ("s" if group["size"] != 1 else "")
    console.print(
        f"[bold]Group {group['group']}[/]: {group['stance']}, mean score "
        f"{group['mean_score']:+.2f}, {size} ({speakers})"
    )
    if group["terms"]:
        console.print(f"  [dim]terms:[/] {escape(', '.join(group['terms']))}")
    from quotes.records.reported import as_said

    for quote in group["quotes"]:
        how = "label" if quote["method"] == "manual" else "auto"
        if quote["method"] != "manual" and quote["confidence"] is not None:
            how += f" {quote['confidence']:.2f}"
        console.print(
            f"  #{quote['id']} {escape(quote['speaker'])} {quote['date'] or ''} "
            f"({quote['score']:+.2f}, {how}): {escape(as_said(quote['text'], quote['kind']))}"
        )


def register(app: typer.Typer) -> None:
    app.command()(embed)
    app.add_typer(stance_app, name="stance")
    app.command()(cluster)
