"""``quotes db upgrade|downgrade|current``: Alembic migrations."""

from __future__ import annotations

from typing import Annotated

import typer

from .common import DbOption, open_db, say

app = typer.Typer(
    help="Move the database schema between revisions (Alembic).", no_args_is_help=True
)


@app.command()
def upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
    db: DbOption = None,
) -> None:
    """Upgrade the schema to REVISION (default: the newest)."""
    state = open_db(db, migrate=False).upgrade(revision)
    say(f"Database is at revision {state.current or 'base'}.")


@app.command()
def downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision, e.g. base or -1.")],
    db: DbOption = None,
) -> None:
    """Downgrade the schema to REVISION (``base`` removes every table)."""
    state = open_db(db, migrate=False).downgrade(revision)
    say(f"Database is at revision {state.current or 'base'}.")


@app.command()
def current(db: DbOption = None) -> None:
    """Print the database's revision and whether it is the newest."""
    state = open_db(db, migrate=False).schema()
    revision, head = state.current, state.head
    if revision is None:
        say(f"base (empty database; newest revision is {head})")
    elif revision == head:
        say(f"{revision} (head)")
    else:
        say(f"{revision} (out of date: newest is {head}; run `quotes db upgrade`)")
