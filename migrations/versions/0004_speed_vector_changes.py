"""A change counter for stored vectors, so a vector index knows it is stale.

The on-disk vector index (quotes.search.vector_index) must never answer from
vectors that changed since it was built, whatever changed them: ``embed``,
an edit, a delete cascading from a quote, or another program. Triggers on
``embeddings`` bump one counter on every insert, update and delete; checking
it is one single-row read per query, where counting a million rows was not.

Revision ID: 0004_speed
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_speed"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE_EVENTS = ("INSERT", "UPDATE", "DELETE")


def upgrade() -> None:
    op.create_table(
        "vector_changes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("counter", sa.BigInteger(), nullable=False),
    )
    op.execute("INSERT INTO vector_changes (id, counter) VALUES (1, 0)")
    if op.get_bind().dialect.name == "sqlite":
        for event in _SQLITE_EVENTS:
            op.execute(
                f"CREATE TRIGGER embeddings_changed_{event.lower()} AFTER {event} ON embeddings "
                "BEGIN UPDATE vector_changes SET counter = counter + 1 WHERE id = 1; END"
            )
        return
    op.execute(
        "CREATE FUNCTION bump_vector_changes() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN UPDATE vector_changes SET counter = counter + 1 WHERE id = 1; RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER embeddings_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
        "ON embeddings FOR EACH STATEMENT EXECUTE FUNCTION bump_vector_changes()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for event in _SQLITE_EVENTS:
            op.execute(f"DROP TRIGGER IF EXISTS embeddings_changed_{event.lower()}")
    else:
        op.execute("DROP TRIGGER IF EXISTS embeddings_changed ON embeddings")
        op.execute("DROP FUNCTION IF EXISTS bump_vector_changes()")
    op.drop_table("vector_changes")
