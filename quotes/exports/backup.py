"""``quotes backup FILE``: a consistent copy of a SQLite database, taken while it is in use.

Copying ``q.db`` with ``cp`` while another command writes can catch it half
way; SQLite's online backup API copies a consistent snapshot page by page,
WAL included. The copy is written beside FILE and renamed into place (via
:mod:`quotes.exports.files`), so FILE is whole or untouched, and FILE may not
be the database itself or its WAL. PostgreSQL has its own tool for this.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from quotes.errors import BadInputError
from quotes.exports.files import atomic_path
from quotes.store.engine import Database


@dataclass(frozen=True)
class BackupResult:
    path: Path
    bytes: int
    quotes: int


def backup_database(database: Database, destination: Path) -> BackupResult:
    """Copy the SQLite database to ``destination`` with the online backup API."""
    if not database.is_sqlite or not database.url.database:
        raise BadInputError(
            "quotes backup copies SQLite databases; for PostgreSQL use pg_dump "
            "(e.g. `pg_dump -Fc DBNAME > quotes.dump`)."
        )
    source_path = database.url.database
    with atomic_path(destination) as temp:
        source = sqlite3.connect(source_path)
        target = sqlite3.connect(temp)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            quotes = int(target.execute("SELECT count(*) FROM quotes").fetchone()[0])
        finally:
            target.close()
            source.close()
    return BackupResult(destination, destination.stat().st_size, quotes)
