"""History of edits and deletes, stance confidence, and a person's "not about this topic".

- ``history``: append-only earlier versions of quotes, speakers and topics
  (edit, delete, restore keep what was there before).
- ``stance_assessments.confidence``: the calibrated probability that an
  automatic label is right (NULL for a person's label).
- ``topic_rejections``: quote/topic pairs a person unlinked or marked
  off-topic, so automatic assignment never links them again.

Plain operations, not batch mode: on SQLite a batch "move and copy" of a
table would drop the FTS5 triggers on ``quotes``; adding a nullable column
needs no copy.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("stance_assessments", sa.Column("confidence", sa.Float(), nullable=True))
    op.create_table(
        "topic_rejections",
        sa.Column("quote_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["quote_id"],
            ["quotes.id"],
            name=op.f("fk_topic_rejections_quote_id_quotes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["topics.id"],
            name=op.f("fk_topic_rejections_topic_id_topics"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("quote_id", "topic_id", name=op.f("pk_topic_rejections")),
    )
    op.create_index(
        op.f("ix_topic_rejections_topic_id"), "topic_rejections", ["topic_id"], unique=False
    )
    op.create_table(
        "history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=16), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("snapshot", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "entity IN ('quote', 'speaker', 'topic')", name=op.f("ck_history_entity")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_history")),
    )
    op.create_index("ix_history_entity_entity_id", "history", ["entity", "entity_id"])


def downgrade() -> None:
    op.drop_index("ix_history_entity_entity_id", table_name="history")
    op.drop_table("history")
    op.drop_index(op.f("ix_topic_rejections_topic_id"), table_name="topic_rejections")
    op.drop_table("topic_rejections")
    op.drop_column("stance_assessments", "confidence")
