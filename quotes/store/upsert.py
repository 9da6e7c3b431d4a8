"""``INSERT ... ON CONFLICT DO NOTHING``: creating a row another process may create too.

Two processes adding the same new speaker or statement at once both look,
find nothing, and insert; on PostgreSQL the second insert then fails on the
unique key and its whole command (with its source) is lost. Inserting with
``ON CONFLICT DO NOTHING`` instead waits for the other transaction, inserts
nothing if it committed the same key, and the caller reads the winner's row
(each statement sees committed rows under READ COMMITTED). SQLite serialises
writers (``BEGIN IMMEDIATE``) but takes the same statement, so there is one
code path for both back ends.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_if_absent(session: Session, table: Table) -> Any:
    """An INSERT into ``table`` that does nothing when a unique key already exists."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()
