"""Correcting records: ``edit``, ``delete``, ``history``, ``restore``, and the
``topics link|unlink|edit``, ``speakers edit|role`` and ``stance unlabel`` commands.

Each command is one call of the public API (:mod:`quotes.api`, one transaction)
and then renders; every edit and delete keeps the previous version in the
history table.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from quotes.records.reported import as_said

from . import meaning_commands, speaker_commands, topic_commands
from .common import DbOption, JsonOption, console, echo_json, err_console, fail, open_db, say
from .wording import counted

QuoteId = Annotated[int, typer.Argument(metavar="ID", help="The quote's id.")]


def _note(message: str) -> None:
    err_console.print(message, markup=False)


def edit(
    quote_id: QuoteId,
    text: Annotated[str | None, typer.Option(help="The corrected words.")] = None,
    speaker: Annotated[
        str | None, typer.Option(help="Who said it (an existing speaker, any alias).")
    ] = None,
    date: Annotated[
        str | None, typer.Option(help='YYYY-MM-DD, YYYY-MM or YYYY; "" removes the date.')
    ] = None,
    context: Annotated[
        str | None, typer.Option(help='Circumstances of the statement; "" removes them.')
    ] = None,
    paraphrase: Annotated[
        bool | None,
        typer.Option(
            "--paraphrase/--quote",
            help="Reported speech, or verbatim words.",
            show_default=False,
        ),
    ] = None,
    merge: Annotated[
        bool,
        typer.Option(
            "--merge",
            help="If the edit makes it another quote's statement, fold it into that quote.",
        ),
    ] = False,
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """Correct a quote; the previous version is kept in its history.

    An edit that makes the quote the same statement as another quote of the
    speaker is refused (exit code 2) unless --merge is given. A changed text
    drops the quote's vectors and automatic stances: `quotes stance assign`
    redoes them.
    """
    kind = None if paraphrase is None else ("paraphrase" if paraphrase else "quote")
    quotes_db = open_db(db)
    result = quotes_db.edit(
        quote_id, text=text, speaker=speaker, date=date, context=context, kind=kind, merge=merge
    )
    if json:
        echo_json({**quotes_db.get(result.surviving_id).to_dict(), "edit": result.to_dict()})
        return
    if result.merged_into is not None:
        say(
            f"Quote {quote_id} merged into quote {result.merged_into}, which now holds its "
            f"sources, topic links and labels (`quotes history {quote_id}` keeps it)."
        )
        return
    if not result.changed:
        say(f"Quote {quote_id} already reads that way: nothing changed.")
        return
    say(f"Quote {quote_id} updated: {', '.join(result.changed)}.")
    removed = []
    if result.embeddings_removed:
        removed.append(counted(result.embeddings_removed, "vector"))
    if result.assessments_removed:
        removed.append(counted(result.assessments_removed, "automatic stance"))
    if result.links_removed:
        removed.append(counted(result.links_removed, "automatic topic link"))
    if removed:
        _note(
            f"The new text made its {', '.join(removed)} stale, so they were removed: "
            "run `quotes stance assign` to redo them."
        )


def _interactive() -> bool:
    """Whether a person can answer a question (stdin and stdout are a terminal)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def delete(
    quote_ids: Annotated[list[int], typer.Argument(metavar="ID...", help="The quotes' ids.")],
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Delete without asking (needed in scripts).")
    ] = False,
    db: DbOption = None,
) -> None:
    """Delete quotes; their history keeps them and `quotes restore ID` brings one back.

    On a terminal it shows the quotes and asks; elsewhere it needs --yes.
    """
    if not yes:
        if not _interactive():
            fail("not deleting without --yes: this is not a terminal, so nobody can confirm.", 2)
        quotes_db = open_db(db)
        shown = [quotes_db.get(quote_id).to_dict() for quote_id in dict.fromkeys(quote_ids)]
        for quote in shown:
            said = as_said(quote["text"], quote["kind"])
            console.print(f"#{quote['id']} {escape(quote['speaker'])}: {escape(said)}")
        if not typer.confirm(f"Delete {counted(len(shown), 'quote')}?", default=False):
            fail("nothing deleted.", 1)
    result = open_db(db).delete(quote_ids)
    ids = ", ".join(str(i) for i in result.deleted)
    if len(result.deleted) == 1:
        say(f"Deleted quote {ids} (its history keeps it: `quotes restore {ids}` brings it back).")
    else:
        say(f"Deleted quotes {ids} (history keeps them: `quotes restore ID` brings one back).")


def _shown(value: Any) -> str:
    if value is None or value == []:
        return "-"
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return str(value)


def _summary(snapshot: dict[str, Any]) -> str:
    """One deleted, merged or restored version in a few words."""
    parts = (("sources", "source"), ("topic_links", "topic link"), ("stances", "stance"))
    counts = ", ".join(counted(len(snapshot.get(key) or []), word) for key, word in parts)
    when = snapshot.get("date") or "undated"
    said = as_said(str(snapshot.get("text")), str(snapshot.get("kind") or "quote"))
    return f"{snapshot.get('speaker')}, {when}: {said} ({counts})"


def history(quote_id: QuoteId, json: JsonOption = False, db: DbOption = None) -> None:
    """A quote's earlier versions (also for a deleted quote): action, when, what changed."""
    versions = [v.to_dict() for v in open_db(db).history(quote_id)]
    _print_versions(versions, f"Quote {quote_id}", json)


def speaker_history_command(
    name: Annotated[str, typer.Argument(help="A name the speaker is known by.")],
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """A speaker's earlier versions: edits and roles added."""
    versions = [v.to_dict() for v in open_db(db).speakers.history(name)]
    _print_versions(versions, f"Speaker {name}", json)


def topic_history_command(
    name: Annotated[str, typer.Argument(help="The topic's name.")],
    json: JsonOption = False,
    db: DbOption = None,
) -> None:
    """A topic's earlier descriptions and poles."""
    versions = [v.to_dict() for v in open_db(db).topics.history(name)]
    _print_versions(versions, f"Topic {name}", json)


def _print_versions(versions: list[dict[str, Any]], what: str, json: bool) -> None:
    if json:
        echo_json(versions)
        return
    if not versions:
        say(f"{what} has no earlier versions.")
        return
    table = Table("#", "action", "when (UTC)", "what changed", show_lines=True)
    for version in versions:
        if version["action"] in ("delete", "merge", "restore"):
            lines = [_summary(version["snapshot"])]
        else:
            lines = [
                f"{key}: {_shown(change['from'])} -> {_shown(change['to'])}"
                for key, change in version["changes"].items()
            ]
        action = version["action"]
        if action == "merge":
            action += f" into {version['snapshot'].get('merged_into')}"
        table.add_row(
            str(version["version"]),
            action,
            version["recorded_at"] or "",
            escape("\n".join(lines)),
        )
    console.print(table)


def restore(quote_id: QuoteId, json: JsonOption = False, db: DbOption = None) -> None:
    """Bring a deleted quote back under its old id with its sources, links and labels."""
    quotes_db = open_db(db)
    result = quotes_db.restore(quote_id)
    if json:
        echo_json({**quotes_db.get(quote_id).to_dict(), "restore": result.to_dict()})
        return
    created = " (speaker recreated)" if result.speaker_created else ""
    say(
        f"Restored quote {quote_id} by {result.speaker}{created} with "
        f"{counted(result.sources, 'source')}, {counted(result.topic_links, 'topic link')} "
        f"and {counted(result.stances, 'stance')}."
    )
    if result.missing_topics:
        _note(f"Skipped links to topics that no longer exist: {', '.join(result.missing_topics)}.")
    _note("Run `quotes embed` (or `quotes stance assign`) to give it vectors again.")


TopicName = Annotated[str, typer.Argument(metavar="TOPIC", help="The topic's name.")]


def link_command(quote_id: QuoteId, topic: TopicName, db: DbOption = None) -> None:
    """Link a quote to a topic by hand (automatic assignment never removes it)."""
    result = open_db(db).topics.link(quote_id, topic)
    if not result.changed:
        say(f"Quote {quote_id} was already linked to {result.topic} by hand.")
    else:
        say(f"Quote {quote_id} is linked to {result.topic} by hand.")


def unlink_command(quote_id: QuoteId, topic: TopicName, db: DbOption = None) -> None:
    """Say a quote is not about a topic: the link goes and assignment never relinks it."""
    result = open_db(db).topics.unlink(quote_id, topic)
    if not result.changed:
        say(f"Quote {quote_id} was already marked as not about {result.topic}.")
        return
    was = "is no longer linked to" if result.was_linked else "is marked as not about"
    say(f"Quote {quote_id} {was} {result.topic}; automatic assignment will not link it again.")
    if result.removed_label:
        _note(
            f"Your label {result.removed_label} on {result.topic} went with the link "
            f"(`quotes history {quote_id}` keeps it)."
        )


def edit_topic_command(
    name: Annotated[str, typer.Argument(help="The topic's name.")],
    description: Annotated[str | None, typer.Option(help="What the topic covers.")] = None,
    favor: Annotated[str | None, typer.Option(help="The proposition: what 'favor' means.")] = None,
    against: Annotated[str | None, typer.Option(help="Its opposite: what 'against' means.")] = None,
    db: DbOption = None,
) -> None:
    """Change a topic's description or poles; its automatic stances are redone."""
    result = open_db(db).topics.edit(name, description=description, favor=favor, against=against)
    if not result.changed:
        say(f"Topic {result.topic} already reads that way: nothing changed.")
        return
    say(f"Topic {result.topic} updated: {', '.join(result.changed)} (history keeps the old texts).")
    say(
        f"Removed {counted(result.assessments_removed, 'automatic stance')} and "
        f"{counted(result.links_removed, 'automatic topic link')} made from the old texts: "
        f"run `quotes stance assign --topic {result.topic}` to redo them."
    )


def edit_speaker_command(
    name: Annotated[str, typer.Argument(help="A name the speaker is known by.")],
    new_name: Annotated[
        str | None, typer.Option("--name", help="The new name (the old one stays an alias).")
    ] = None,
    country: Annotated[str | None, typer.Option(help='Country; "" removes it.')] = None,
    party: Annotated[str | None, typer.Option(help='Party; "" removes it.')] = None,
    wikidata: Annotated[
        str | None, typer.Option(help='Wikidata id, e.g. Q22686; "" removes it.')
    ] = None,
    db: DbOption = None,
) -> None:
    """Correct a speaker's name, country, party or Wikidata id."""
    result = open_db(db).speakers.edit(
        name, new_name=new_name, country=country, party=party, wikidata=wikidata
    )
    if not result.changed:
        say(f"Speaker {result.name} already reads that way: nothing changed.")
        return
    say(f"Speaker {result.name} updated: {', '.join(result.changed)}.")
    if "name" in result.changed:
        _note(f"{result.previous_name} stays an alias of {result.name}.")


def role_command(
    name: Annotated[str, typer.Argument(help="A name the speaker is known by.")],
    role: Annotated[str, typer.Option(help="Role title, e.g. 'Prime Minister'.")],
    organisation: Annotated[
        str | None, typer.Option(help="Where the role is held, e.g. 'Denmark'.")
    ] = None,
    start: Annotated[
        str | None, typer.Option("--from", help="Start: YYYY-MM-DD, YYYY-MM or YYYY.")
    ] = None,
    end: Annotated[str | None, typer.Option("--to", help="End (not before --from).")] = None,
    db: DbOption = None,
) -> None:
    """Add a dated role to a speaker."""
    result = open_db(db).speakers.role(name, role, organisation=organisation, start=start, end=end)
    if result.added:
        say(f"Added role {result.role} to {result.speaker}.")
    else:
        say(f"{result.speaker} already has the role {result.role}.")


def unlabel_command(
    quote_id: QuoteId,
    topic: Annotated[str, typer.Option(help="The topic the label is about.")],
    db: DbOption = None,
) -> None:
    """Remove a person's stance label (the quote's history keeps it)."""
    result = open_db(db).unlabel(quote_id, topic)
    say(f"Removed the label {result.label} of quote {quote_id} on {result.topic}.")
    _note("Run `quotes stance assign` so that the topic stops learning from it.")


def register(app: typer.Typer) -> None:
    app.command()(edit)
    app.command()(delete)
    app.command()(history)
    app.command()(restore)
    topic_commands.app.command("link")(link_command)
    topic_commands.app.command("unlink")(unlink_command)
    topic_commands.app.command("edit")(edit_topic_command)
    speaker_commands.app.command("edit")(edit_speaker_command)
    speaker_commands.app.command("role")(role_command)
    speaker_commands.app.command("history")(speaker_history_command)
    topic_commands.app.command("history")(topic_history_command)
    meaning_commands.stance_app.command("unlabel")(unlabel_command)
