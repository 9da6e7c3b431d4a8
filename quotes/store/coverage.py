"""Which quotes may lack a current vector, without looking at every quote when nothing changed.

Before every search by meaning the library embeds the quotes that have no
current vector under the model (quotes.meaning.vectors), so a new quote is
found at once. Finding them is an anti-join of quotes and embeddings: 1.2 s
of SQL at a million quotes on SQLite, before every search. This module is the
one rule for when it can be skipped or narrowed.

After a check finds nothing missing (or after ``embed`` fills everything it
found), :func:`record` stores a stamp per model in ``vector_coverage``: the
``coverage_changes`` counter and the highest quote id in the state that was
checked. Triggers (migration 0005) bump the counter on every change that can
leave an already-present quote without a current vector: its text or id
changes, a current vector is deleted or updated. What about new quotes
differs by back end, because of how ids are handed out:

- **SQLite** serialises writers and gives a new row the highest rowid, so a
  new quote is one above the stamp's highest id: the check looks only there
  (a primary-key range) and no trigger runs for an ordinary insert, which
  keeps bulk import fast (a row trigger measured +0.4-0.7 s per 200k rows).
  The exceptions bump the counter: a quote inserted below the highest id
  (``restore``, or a program choosing ids; a row trigger that costs one
  comparison per insert, dropped by :func:`inserts_above_top` around an
  import batch, whose rows are above by construction) and a deleted quote
  (SQLite hands its id out again if it was the highest).
- **PostgreSQL** sequences hand out ids that commit in any order: a quote
  with a lower id can become visible after a higher one was checked, so a
  watermark would miss it. There a statement trigger bumps the counter on
  every insert (once per ``COPY``), and an unchanged counter alone means
  nothing is missing.

Concurrency: the state is read *before* the anti-join, and a stamp is only
ever recorded for a state that was read before the work that covered it. A
writer committing during the check either is in the snapshot (SQLite reads
one snapshot per transaction) or changes the counter or the highest id
afterwards, so the stamp no longer matches and the next check looks again.
On PostgreSQL (read committed) the anti-join may see a later state than the
counter read before it; that only makes it find more, and the counter it
recorded is already older than those changes. After embedding, the stamp is
recorded only if the counter has not moved since it was read, in the same
transaction as the write of the stamp. An interrupted embed records nothing,
so the next check finds what is left.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from quotes.store.models import CoverageChanges, VectorCoverage
from quotes.store.triggers import sqlite_trigger_suspended

#: The SQLite row trigger that bumps the counter for a quote inserted below
#: the highest id (migration 0005).
INSERT_TRIGGER = "coverage_quote_inserted"
#: SQLite's largest rowid: past it new rows get random ids, below the highest.
_LARGEST_ROWID = 2**63 - 1
#: :func:`unchecked_above` result meaning "every quote".
ALL = 0
#: The state and one model's stamp in one statement of single-row reads (the
#: highest id is the last entry of the primary key). Plain SQL: compiling the
#: equivalent expression cost more than running it, in every fresh process.
_STATE = text(
    "SELECT (SELECT counter FROM coverage_changes WHERE id = 1), "
    "(SELECT coalesce(max(id), 0) FROM quotes), "
    "(SELECT changes FROM vector_coverage WHERE model = :model), "
    "(SELECT top_quote_id FROM vector_coverage WHERE model = :model)"
)


@dataclass(frozen=True)
class State:
    """What the checks compare: the counter and the highest quote id (0 for none)."""

    changes: int
    top_quote_id: int


def unchecked_above(session: Session, model: str) -> tuple[State, int | None]:
    """The state now, and the quote id above which quotes may lack a vector under ``model``.

    ``None``: nothing can be missing (the state matches the stamp). :data:`ALL`
    (0): look at every quote. Otherwise, on SQLite, only quotes above that id
    are new since the stamp.
    """
    changes, top_quote_id, stamp_changes, stamp_top = session.execute(
        _STATE, {"model": model}
    ).one()
    now = State(int(changes or 0), int(top_quote_id))
    if stamp_changes is None or int(stamp_changes) != now.changes:
        return now, ALL
    if session.get_bind().dialect.name != "sqlite":
        return now, None
    stamp_top = int(stamp_top)
    if now.top_quote_id == stamp_top:
        return now, None
    return now, stamp_top if now.top_quote_id > stamp_top else ALL


def record(session: Session, model: str, checked: State) -> bool:
    """Store ``checked`` as the state in which every quote had a vector under ``model``.

    Call it inside a write transaction, for a state read before the check (or
    the embedding) that covered it. Nothing is stored when the counter has
    moved since (the state checked is gone; the next check looks again).
    Returns whether the stamp was stored.
    """
    now = session.scalar(select(CoverageChanges.counter).where(CoverageChanges.id == 1))
    if int(now or 0) != checked.changes:
        return False
    values = {"model": model, "changes": checked.changes, "top_quote_id": checked.top_quote_id}
    update = {"changes": checked.changes, "top_quote_id": checked.top_quote_id}
    if session.get_bind().dialect.name == "sqlite":
        sqlite_statement = sqlite_insert(VectorCoverage).values(**values)
        session.execute(
            sqlite_statement.on_conflict_do_update(index_elements=["model"], set_=update)
        )
    else:
        pg_statement = pg_insert(VectorCoverage).values(**values)
        session.execute(pg_statement.on_conflict_do_update(index_elements=["model"], set_=update))
    return True


@contextmanager
def inserts_above_top(connection: Connection) -> Iterator[None]:
    """Inside the caller's SQLite write transaction: insert quotes without the per-row trigger.

    For bulk import: rows inserted without an explicit id while this
    transaction holds the write lock get rowids above the highest one, which
    the stamp's highest id finds without the trigger. If the table reaches
    SQLite's largest rowid (new rows would then get random ids), the counter
    is bumped instead. The trigger is created again from the SQL SQLite stored
    for it, before the caller commits.
    """
    with sqlite_trigger_suspended(connection, INSERT_TRIGGER) as suspended:
        yield
    if not suspended:
        return
    top = connection.exec_driver_sql("SELECT coalesce(max(id), 0) FROM quotes").scalar_one()
    if top >= _LARGEST_ROWID:
        connection.exec_driver_sql("UPDATE coverage_changes SET counter = counter + 1 WHERE id = 1")
