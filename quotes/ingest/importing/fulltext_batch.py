"""Filling the SQLite full-text index once per import batch, not once per row.

On SQLite the FTS5 index follows ``quotes`` through row triggers; an
AFTER INSERT trigger run for every row of a 10,000-row batch cost the import
about three times the time of the same rows indexed by one
``INSERT INTO quotes_fts ... SELECT`` (measured at 200k rows of real
sentences). So inside the batch's own transaction the insert trigger is
dropped, the batch's rows are inserted, the trigger is created again from the
exact SQL SQLite stored for it, and the batch's index entries are added in
one statement, before the batch commits.

Everything happens in one transaction: other connections never see the
schema without the trigger (SQLite DDL is transactional and the import holds
the write lock), and an import interrupted mid-batch rolls back the drop, the
rows and their index entries together, so the index and the table always
agree. New quotes get rowids above the table's largest id (no quote is
inserted by anyone else while the write lock is held), which is how the batch
finds its rows. PostgreSQL needs none of this: its ``search_vector`` is a
generated column, computed as each row is copied in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection

from quotes.store.triggers import sqlite_trigger_suspended

INSERT_TRIGGER = "quotes_fts_after_insert"


@contextmanager
def fulltext_per_batch(
    connection: Connection, defer: Callable[[Callable[[], None]], object] | None = None
) -> Iterator[None]:
    """Inside the caller's transaction: index the quotes inserted in the block in one go.

    With ``defer``, the indexing statement is handed to it instead of run at
    the end of the block (the trigger is put back either way): the import
    runs it, and the commit, on its completion thread (see
    quotes.ingest.importing.run). It is one statement that SQLite runs
    without Python's lock; the trigger's re-creation and the other small
    statements stay on the importing thread, where they do not wait for the
    lock behind the thread that is parsing the next batch.
    """
    if connection.dialect.name != "sqlite":
        yield
        return
    top = connection.exec_driver_sql("SELECT coalesce(max(id), 0) FROM quotes").scalar_one()
    with sqlite_trigger_suspended(connection, INSERT_TRIGGER) as suspended:
        yield
    if not suspended:  # no trigger, nothing keeps the index: leave it as it is
        return

    def fill() -> None:
        connection.exec_driver_sql(
            "INSERT INTO quotes_fts (rowid, text) SELECT id, text FROM quotes WHERE id > ?",
            (top,),
        )

    if defer is None:
        fill()
    else:
        defer(fill)
