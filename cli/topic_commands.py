"""``quotes topics list|add``: topics and their stance poles."""

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

app = typer.Typer(help="Topics and their favor/against poles.", no_args_is_help=True)


@app.callback()
def group(db: DbOption = None) -> None:
    """Topics and their favor/against poles."""
    remember_db(db)


@app.command("list")
def list_command(
    db: DbOption = None,
    json: JsonOption = False,
    csv: CsvOption = False,
    raw_cells: RawCellsOption = False,
    bom: BomOption = False,
) -> None:
    """List topics with their poles and how many quotes each has."""
    topics = [t.to_dict() for t in open_db(db).topics.list()]
    if json:
        echo_json(topics)
    elif csv:
        columns = ["name", "description", "favor", "against", "quotes"]
        write_csv(topics, columns, csv_style(raw_cells, bom))
    elif not topics:
        say("No topics yet: run `quotes init` or `quotes topics add`.")
    else:
        table = Table("topic", "quotes", "favor pole", "against pole", show_lines=True)
        for t in topics:
            table.add_row(t["name"], str(t["quotes"]), escape(t["favor"]), escape(t["against"]))
        console.print(table)


@app.command("add")
def add_command(
    name: Annotated[str, typer.Argument(help="Topic name, e.g. 'arctic'.")],
    description: Annotated[str, typer.Option(help="What the topic covers.")],
    favor: Annotated[str, typer.Option(help="The proposition: what 'favor' means.")],
    against: Annotated[str, typer.Option(help="Its opposite: what 'against' means.")],
    db: DbOption = None,
) -> None:
    """Define a topic; stance labels are relative to its --favor pole."""
    shown = open_db(db, create=True).topics.add(
        name, description=description, favor=favor, against=against
    )
    say(f"Added topic {shown}.")
