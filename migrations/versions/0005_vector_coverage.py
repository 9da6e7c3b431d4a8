"""A change counter for "some quote may lack a current vector", and per-model stamps.

Before every search by meaning the library embeds the quotes that lack a
current vector; finding them is a full anti-join of quotes and embeddings
(1.2 s at a million quotes on SQLite). quotes.store.coverage skips it when
nothing that could leave a quote without a vector happened since the last
check, which these triggers record in ``coverage_changes.counter``:

- a quote's text (``text_hash``) or id changes;
- a *current* vector (its ``content_hash`` is its quote's ``text_hash``) is
  deleted or updated: removing a stale vector uncovers nothing new, which is
  what lets ``embed`` replace stale vectors without bumping it;
- a quote is inserted: on PostgreSQL always (one bump per statement, so a
  bulk ``COPY`` pays once), because sequences hand out ids that commit out of
  order; on SQLite only a quote inserted *below* the highest id (``restore``
  of a deleted quote, or another program choosing ids), because there writes
  are serialised and new rowids are the highest: the stamp's highest quote id
  finds the rest. A bulk import drops that row trigger inside its own
  transaction (its rows are above the highest id by construction).
- a quote is deleted, on SQLite only: there the highest id is reused once
  its quote is gone, which would hide a new quote below the stamp's highest id.

``vector_coverage`` holds, per model, the counter and highest quote id at
which every quote was last seen with a current vector.

Revision ID: 0005
Revises: 0004_speed
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004_speed"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BUMP = "UPDATE coverage_changes SET counter = counter + 1 WHERE id = 1;"
_CURRENT = "OLD.content_hash = (SELECT text_hash FROM quotes WHERE id = OLD.quote_id)"

#: name -> (event, condition); SQLite row triggers.
_SQLITE_TRIGGERS = {
    "coverage_quote_inserted": (
        "INSERT ON quotes",
        "NEW.id < (SELECT max(id) FROM quotes)",
    ),
    "coverage_quote_edited": (
        "UPDATE OF id, text_hash ON quotes",
        "OLD.id IS NOT NEW.id OR OLD.text_hash IS NOT NEW.text_hash",
    ),
    "coverage_quote_deleted": ("DELETE ON quotes", None),
    "coverage_vector_deleted": ("DELETE ON embeddings", _CURRENT),
    "coverage_vector_updated": ("UPDATE OF quote_id, model, content_hash ON embeddings", _CURRENT),
}

#: PostgreSQL: statement triggers; the vector ones look at the rows they changed.
_PG_FUNCTIONS = {
    "coverage_bump": f"BEGIN {_BUMP} RETURN NULL; END",
    "coverage_bump_if_current": (
        "BEGIN IF EXISTS (SELECT 1 FROM old_rows JOIN quotes ON quotes.id = old_rows.quote_id "
        f"AND quotes.text_hash = old_rows.content_hash) THEN {_BUMP} END IF; RETURN NULL; END"
    ),
}
#: name -> (event, table, transition table clause, function). The embeddings
#: ones sort after ``embeddings_changed`` (0004): a statement on embeddings
#: locks vector_changes before coverage_changes, the order an edit takes them
#: in (it deletes the old vectors, then updates the text).
_PG_TRIGGERS = {
    "coverage_quotes_inserted": ("INSERT", "quotes", "", "coverage_bump"),
    "coverage_quotes_edited": ("UPDATE OF id, text_hash", "quotes", "", "coverage_bump"),
    "embeddings_coverage_deleted": (
        "DELETE",
        "embeddings",
        "REFERENCING OLD TABLE AS old_rows",
        "coverage_bump_if_current",
    ),
    "embeddings_coverage_updated": (
        "UPDATE",
        "embeddings",
        "REFERENCING OLD TABLE AS old_rows",
        "coverage_bump_if_current",
    ),
    "embeddings_coverage_truncated": ("TRUNCATE", "embeddings", "", "coverage_bump"),
}


def upgrade() -> None:
    op.create_table(
        "coverage_changes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("counter", sa.BigInteger(), nullable=False),
    )
    op.execute("INSERT INTO coverage_changes (id, counter) VALUES (1, 0)")
    op.create_table(
        "vector_coverage",
        sa.Column("model", sa.String(300), primary_key=True),
        sa.Column("changes", sa.BigInteger(), nullable=False),
        sa.Column("top_quote_id", sa.BigInteger(), nullable=False),
    )
    if op.get_bind().dialect.name == "sqlite":
        for name, (event, condition) in _SQLITE_TRIGGERS.items():
            when = f" WHEN {condition}" if condition else ""
            op.execute(f"CREATE TRIGGER {name} AFTER {event}{when} BEGIN {_BUMP} END")
        return
    for name, body in _PG_FUNCTIONS.items():
        op.execute(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ {body} $$")
    for name, (event, table, transition, function) in _PG_TRIGGERS.items():
        op.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON {table} {transition} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        for name, (_, table, _, _) in _PG_TRIGGERS.items():
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        for name in _PG_FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.drop_table("vector_coverage")
    op.drop_table("coverage_changes")
