"""``quotes speakers list|add|alias|merge``: speakers and their aliases."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from .common import (
    BomOption,
    CsvOption,
    DbOption,
    JsonOption,
    RawCellsOption,
    console,
    csv_style,
    echo_json,
    open_db,
    remember_db,
    say,
)
from .render import write_csv
from .wording import counted

app = typer.Typer(help="Speakers and the names they are known by.", no_args_is_help=True)


@app.callback()
def speakers(db: DbOption = None) -> None:
    """Speakers and the names they are known by."""
    remember_db(db)


@app.command("list")
def list_command(
    db: DbOption = None,
    json: JsonOption = False,
    csv: CsvOption = False,
    raw_cells: RawCellsOption = False,
    bom: BomOption = False,
) -> None:
    """List speakers with aliases, roles and quote counts."""
    rows = [s.to_dict() for s in open_db(db).speakers.list()]
    if json:
        echo_json(rows)
    elif csv:
        flat = [
            {**r, "aliases": ";".join(r["aliases"]), "roles": ";".join(r["roles"])} for r in rows
        ]
        columns = ["name", "aliases", "country", "party", "wikidata_id", "roles", "quotes"]
        write_csv(flat, columns, csv_style(raw_cells, bom))
    elif not rows:
        say("No speakers yet: `quotes add` or `quotes speakers add` creates them.")
    else:
        table = Table("speaker", "aliases", "role", "country", "quotes")
        for r in rows:
            table.add_row(
                escape(r["name"]),
                escape(", ".join(r["aliases"])),
                escape("; ".join(r["roles"])),
                escape(r["country"] or ""),
                str(r["quotes"]),
            )
        console.print(table)


@app.command("add")
def add_command(
    name: Annotated[str, typer.Argument(help="The speaker's canonical name.")],
    alias: Annotated[
        list[str] | None, typer.Option("--alias", help="Another name (repeatable).")
    ] = None,
    role: Annotated[str | None, typer.Option(help="Role title, e.g. 'Prime Minister'.")] = None,
    organisation: Annotated[
        str | None, typer.Option(help="Where the role is held, e.g. 'Denmark'.")
    ] = None,
    role_from: Annotated[str | None, typer.Option(help="Role start date.")] = None,
    role_to: Annotated[str | None, typer.Option(help="Role end date.")] = None,
    country: Annotated[str | None, typer.Option(help="Country.")] = None,
    party: Annotated[str | None, typer.Option(help="Party.")] = None,
    wikidata: Annotated[str | None, typer.Option(help="Wikidata id, e.g. Q22686.")] = None,
    db: DbOption = None,
) -> None:
    """Add a speaker with aliases and a role."""
    shown = open_db(db, create=True).speakers.add(
        name,
        aliases=alias or (),
        role=role,
        organisation=organisation,
        role_from=role_from,
        role_to=role_to,
        country=country,
        party=party,
        wikidata=wikidata,
    )
    say(f"Added speaker {shown}.")


@app.command("alias")
def alias_command(
    name: Annotated[str, typer.Argument(help="A name the speaker is known by.")],
    alias: Annotated[str, typer.Argument(help="The new alias.")],
    db: DbOption = None,
) -> None:
    """Make ALIAS another name of speaker NAME (case-insensitive)."""
    shown = open_db(db, create=True).speakers.alias(name, alias)
    say(f"{alias} now resolves to {shown}.")


@app.command("merge")
def merge_command(
    source: Annotated[str, typer.Argument(metavar="FROM", help="The speaker to fold away.")],
    target: Annotated[str, typer.Argument(metavar="INTO", help="The speaker to keep.")],
    db: DbOption = None,
) -> None:
    """Move every quote and alias of FROM to INTO in one transaction."""
    result = open_db(db, create=True).speakers.merge(source, target)
    say(
        f"Merged {source} into {result.into}: {counted(result.moved_quotes, 'quote')} moved, "
        f"{counted(result.merged_duplicates, 'duplicate')} combined; aliases moved: "
        f"{', '.join(result.moved_aliases)}"
    )
