"""Suspending one SQLite trigger for a bulk write, inside the caller's transaction.

Bulk import replaces per-row triggers with one set-based step per batch (the
full-text index in :mod:`quotes.ingest.importing.fulltext_batch`, the vector
coverage counter in :mod:`quotes.store.coverage`). Both do it the same way,
so the way lives here: the trigger is dropped and later created again from
the exact SQL SQLite stored for it, all in the caller's transaction. SQLite
DDL is transactional, so other connections never see the table without the
trigger, and a batch that fails rolls the drop back with its rows (nothing is
put back by hand on the way out of an exception: the rollback does it).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection


@contextmanager
def sqlite_trigger_suspended(connection: Connection, name: str) -> Iterator[bool]:
    """Drop trigger ``name`` for the block and create it again after; yields whether it was.

    Yields False, touching nothing, on other back ends or when the database has
    no such trigger.
    """
    if connection.dialect.name != "sqlite":
        yield False
        return
    found = connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,)
    ).scalar()
    if found is None:
        yield False
        return
    connection.exec_driver_sql(f"DROP TRIGGER {name}")
    yield True
    connection.exec_driver_sql(str(found))
