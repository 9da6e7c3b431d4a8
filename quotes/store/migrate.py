"""Alembic, driven from code with the same URL resolution as the CLI.

The top-level ``migrations/`` folder installs as the ``quotes.migrations``
package, so a pip-installed ``quotes`` can migrate without the repository
checkout. ``script_location`` is that package's directory, found by import
rather than written as ``quotes:migrations``: Alembic resolves that notation
as a folder inside ``quotes/``, which is only true of a built wheel, not of an
editable install.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from quotes.errors import BadInputError

if TYPE_CHECKING:  # engine imports this module lazily to migrate a new database
    from quotes.store.engine import Database

SCRIPT_LOCATION = str(Path(import_module("quotes.migrations").__file__ or ".").parent)


def alembic_config(database: Database | None = None) -> Config:
    """An Alembic Config; with a database, env.py reuses its engine."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    if database is not None:
        config.set_main_option(
            "sqlalchemy.url",
            database.url.render_as_string(hide_password=False).replace("%", "%%"),
        )
        config.attributes["engine"] = database.engine
    return config


#: Objects that exist only in migrations (back-end specific full-text search),
#: which autogenerate must not report as missing from the models.
FTS_ONLY = {"search_vector", "ix_quotes_search_vector"}


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Autogenerate filter: compare everything except the full-text objects."""
    if name is None:
        return True
    if type_ == "table" and name.startswith("quotes_fts"):
        return False
    return name not in FTS_ONLY


@cache
def head_revision() -> str:
    """The newest revision shipped with this version of the package."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the migrations folder has no revisions"
    return head


def upgrade(database: Database, revision: str = "head") -> None:
    """Move the schema forward to ``revision``."""
    _run(command.upgrade, database, revision)


def downgrade(database: Database, revision: str) -> None:
    """Move the schema back to ``revision`` (``base`` removes every table)."""
    _run(command.downgrade, database, revision)


def _run(step: object, database: Database, revision: str) -> None:
    from alembic.script.revision import RevisionError
    from alembic.util import CommandError

    if not revision.strip() or not revision.isprintable():
        raise BadInputError(
            f"invalid revision {revision!r}: use a revision id, head, base, +N or -N."
        )
    try:
        step(alembic_config(database), revision)  # type: ignore[operator]
    except (CommandError, RevisionError) as exc:
        reason = str(exc).strip().rstrip(".") or type(exc).__name__
        raise BadInputError(f"cannot migrate to revision {revision!r}: {reason}.") from None
