"""Drop ix_quotes_text_hash: the unique (speaker_id, text_hash) index serves dedup.

Every lookup by text hash also knows the speaker (add, import, merge), so the
unique pair answers them; the extra single-column index only slowed every
insert (about a fifth of the insert CPU in a bulk import).

Plain index operations, not batch mode: on SQLite a batch "move and copy" of
``quotes`` would drop the FTS5 triggers.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_quotes_text_hash", table_name="quotes")


def downgrade() -> None:
    op.create_index("ix_quotes_text_hash", "quotes", ["text_hash"], unique=False)
