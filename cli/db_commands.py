"""``quotes db upgrade|downgrade|current``: Alembic migrations."""

from __future__ import annotations

from typing import Annotated

import typer

from quotes.store.engine import current_revision

from .common import DbOption, database, say

app = typer.Typer(
    help="Move the database schema between revisions (Alembic).", no_args_is_help=True
)


@app.command()
def upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
    db: DbOption = None,
) -> None:
    """Upgrade the schema to REVISION (default: the newest)."""
    from quotes.store import migrate  # Alembic loads only for these commands

    target = database(db, migrate=False)
    migrate.upgrade(target, revision)
    say(f"Database is at revision {current_revision(target) or 'base'}.")


@app.command()
def downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision, e.g. base or -1.")],
    db: DbOption = None,
) -> None:
    """Downgrade the schema to REVISION (``base`` removes every table)."""
    from quotes.store import migrate  # Alembic loads only for these commands

    target = database(db, migrate=False)
    migrate.downgrade(target, revision)
    say(f"Database is at revision {current_revision(target) or 'base'}.")


@app.command()
def current(db: DbOption = None) -> None:
    """Print the database's revision and whether it is the newest."""
    from quotes.store import migrate  # Alembic loads only for these commands

    revision = current_revision(database(db, migrate=False))
    head = migrate.head_revision()
    if revision is None:
        say(f"base (empty database; newest revision is {head})")
    elif revision == head:
        say(f"{revision} (head)")
    else:
        say(f"{revision} (out of date: newest is {head}; run `quotes db upgrade`)")
