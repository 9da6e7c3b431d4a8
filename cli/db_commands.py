"""``quotes db upgrade|downgrade|current``: Alembic migrations; ``quotes backup``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from quotes.errors import BadInputError
from quotes.store.engine import current_revision, database_exists

from .common import DbOption, database, db_target, err_console, say

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

    target = database(db, migrate=False, create=True)
    migrate.upgrade(target, revision)
    say(f"Database is at revision {current_revision(target) or 'base'}.")


# ``-1`` (one revision back) must reach REVISION instead of being read as an option.
@app.command(context_settings={"ignore_unknown_options": True})
def downgrade(
    revision: Annotated[
        str, typer.Argument(help="Target revision: an id, -1 (one back), -2, ... or base.")
    ],
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Do not ask (needed when not on a terminal).")
    ] = False,
    db: DbOption = None,
) -> None:
    """Downgrade the schema to REVISION: this DELETES the data the newer revisions hold
    (``base`` removes every table). Back up first (`quotes backup FILE`)."""
    from quotes.store import migrate  # Alembic loads only for these commands

    if revision.startswith("-") and not revision[1:].isdigit():
        raise BadInputError(f"unknown option or revision {revision!r}: use an id, -N or base.")
    target = database(db, migrate=False)
    shown = target.url.render_as_string(hide_password=True)
    now = current_revision(target) or "base"
    if not yes:
        if not sys.stdin.isatty():
            raise BadInputError(
                f"downgrading {shown!r} from {now} to {revision!r} deletes data: "
                "pass --yes to confirm (back up first with `quotes backup FILE`)."
            )
        if not typer.confirm(
            f"Downgrade {shown} from {now} to {revision}? Data held by the newer schema is deleted",
            default=False,
        ):
            err_console.print("Nothing changed.", markup=False)
            raise typer.Exit(1)
    migrate.downgrade(target, revision)
    say(f"Database is at revision {current_revision(target) or 'base'}.")


@app.command()
def current(db: DbOption = None) -> None:
    """Print the database's revision and whether it is the newest."""
    from quotes.store import migrate  # Alembic loads only for these commands

    head = migrate.head_revision()
    if not database_exists(db_target(db)):  # looking creates nothing
        say(f"base (no database file yet; newest revision is {head})")
        return
    revision = current_revision(database(db, migrate=False))
    if revision is None:
        say(f"base (empty database; newest revision is {head})")
    elif revision == head:
        say(f"{revision} (head)")
    else:
        say(f"{revision} (out of date: newest is {head}; run `quotes db upgrade`)")


def backup(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write the copy.")],
    db: DbOption = None,
) -> None:
    """A consistent copy of a SQLite database, safe while others use it (PostgreSQL: pg_dump)."""
    from quotes.exports.backup import backup_database

    result = backup_database(database(db), file)
    say(f"Backed up {result.quotes:,} quotes ({result.bytes:,} bytes) to {result.path}.")


def register(root: typer.Typer) -> None:
    root.command()(backup)
