"""Initial schema: speakers, quotes, sources, topics, embeddings, stances, full-text search.

Revision ID: 0001
Revises:
Create Date: 2026-11-24 23:37:43.824122
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Full-text search is back-end specific, so it lives here and not in the models.
# SQLite: an external-content FTS5 table kept in step with `quotes` by triggers
# (porter stemming, diacritics folded). PostgreSQL: a generated tsvector column
# with a GIN index. Both use English stemming so "negotiate" finds "negotiating".
SQLITE_FTS = [
    """CREATE VIRTUAL TABLE quotes_fts USING fts5(
        text, content='quotes', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER quotes_fts_after_insert AFTER INSERT ON quotes BEGIN
        INSERT INTO quotes_fts(rowid, text) VALUES (new.id, new.text);
    END""",
    """CREATE TRIGGER quotes_fts_after_delete AFTER DELETE ON quotes BEGIN
        INSERT INTO quotes_fts(quotes_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END""",
    """CREATE TRIGGER quotes_fts_after_update AFTER UPDATE OF text ON quotes BEGIN
        INSERT INTO quotes_fts(quotes_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO quotes_fts(rowid, text) VALUES (new.id, new.text);
    END""",
]
POSTGRES_FTS = [
    """ALTER TABLE quotes ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (to_tsvector('english', text)) STORED""",
    "CREATE INDEX ix_quotes_search_vector ON quotes USING gin (search_vector)",
]


def create_full_text_search() -> None:
    dialect = op.get_bind().dialect.name
    statements = SQLITE_FTS if dialect == "sqlite" else POSTGRES_FTS
    for statement in statements:
        op.execute(statement)


def drop_full_text_search() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS quotes_fts_after_{trigger}")
        op.execute("DROP TABLE IF EXISTS quotes_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_quotes_search_vector")
        op.execute("ALTER TABLE quotes DROP COLUMN IF EXISTS search_vector")


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=True),
        sa.Column("outlet", sa.String(length=300), nullable=True),
        sa.Column("title", sa.String(length=1000), nullable=True),
        sa.Column("published_date", sa.Date(), nullable=True),
        sa.Column("published_precision", sa.String(length=5), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sources")),
        sa.UniqueConstraint("url", name=op.f("uq_sources_url")),
    )
    op.create_table(
        "speakers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("name_key", sa.String(length=300), nullable=False),
        sa.Column("country", sa.String(length=100), nullable=True),
        sa.Column("party", sa.String(length=200), nullable=True),
        sa.Column("wikidata_id", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_speakers")),
        sa.UniqueConstraint("name_key", name=op.f("uq_speakers_name_key")),
        sa.UniqueConstraint("wikidata_id", name=op.f("uq_speakers_wikidata_id")),
    )
    op.create_table(
        "topics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("favor_pole", sa.Text(), nullable=False),
        sa.Column("against_pole", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_topics")),
        sa.UniqueConstraint("name", name=op.f("uq_topics_name")),
    )
    op.create_table(
        "quotes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_hash", sa.String(length=64), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("date_precision", sa.String(length=5), nullable=True),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("context", sa.Text(), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "date_precision IN ('day', 'month', 'year')", name=op.f("ck_quotes_date_precision")
        ),
        sa.CheckConstraint("kind IN ('quote', 'paraphrase')", name=op.f("ck_quotes_kind")),
        sa.ForeignKeyConstraint(
            ["speaker_id"],
            ["speakers.id"],
            name=op.f("fk_quotes_speaker_id_speakers"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quotes")),
        sa.UniqueConstraint("speaker_id", "text_hash", name=op.f("uq_quotes_speaker_id_text_hash")),
    )
    op.create_index(op.f("ix_quotes_date"), "quotes", ["date"], unique=False)
    op.create_index("ix_quotes_speaker_id_date", "quotes", ["speaker_id", "date"], unique=False)
    op.create_index(op.f("ix_quotes_text_hash"), "quotes", ["text_hash"], unique=False)

    op.create_table(
        "roles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("organisation", sa.String(length=300), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["speaker_id"],
            ["speakers.id"],
            name=op.f("fk_roles_speaker_id_speakers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roles")),
    )
    op.create_index(op.f("ix_roles_speaker_id"), "roles", ["speaker_id"], unique=False)

    op.create_table(
        "speaker_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("speaker_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=300), nullable=False),
        sa.Column("alias_key", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["speaker_id"],
            ["speakers.id"],
            name=op.f("fk_speaker_aliases_speaker_id_speakers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_speaker_aliases")),
        sa.UniqueConstraint("alias_key", name=op.f("uq_speaker_aliases_alias_key")),
    )
    op.create_index(
        op.f("ix_speaker_aliases_speaker_id"), "speaker_aliases", ["speaker_id"], unique=False
    )

    op.create_table(
        "embeddings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quote_id", sa.Integer(), nullable=False),
        sa.Column("model", sa.String(length=300), nullable=False),
        sa.Column("dimension", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["quote_id"],
            ["quotes.id"],
            name=op.f("fk_embeddings_quote_id_quotes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_embeddings")),
        sa.UniqueConstraint("quote_id", "model", name=op.f("uq_embeddings_quote_id_model")),
    )
    op.create_index(
        op.f("ix_embeddings_content_hash"), "embeddings", ["content_hash"], unique=False
    )
    op.create_index(op.f("ix_embeddings_model"), "embeddings", ["model"], unique=False)

    op.create_table(
        "quote_sources",
        sa.Column("quote_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["quote_id"],
            ["quotes.id"],
            name=op.f("fk_quote_sources_quote_id_quotes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["sources.id"],
            name=op.f("fk_quote_sources_source_id_sources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("quote_id", "source_id", name=op.f("pk_quote_sources")),
    )
    op.create_index(
        op.f("ix_quote_sources_source_id"), "quote_sources", ["source_id"], unique=False
    )

    op.create_table(
        "quote_topics",
        sa.Column("quote_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(length=6), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("origin IN ('manual', 'auto')", name=op.f("ck_quote_topics_origin")),
        sa.ForeignKeyConstraint(
            ["quote_id"],
            ["quotes.id"],
            name=op.f("fk_quote_topics_quote_id_quotes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["topics.id"],
            name=op.f("fk_quote_topics_topic_id_topics"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("quote_id", "topic_id", name=op.f("pk_quote_topics")),
    )
    op.create_index(op.f("ix_quote_topics_topic_id"), "quote_topics", ["topic_id"], unique=False)

    op.create_table(
        "stance_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("quote_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=8), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("method", sa.String(length=6), nullable=False),
        sa.Column("model", sa.String(length=300), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "label IN ('favor', 'against', 'neutral')", name=op.f("ck_stance_assessments_label")
        ),
        sa.CheckConstraint(
            "method IN ('manual', 'auto')", name=op.f("ck_stance_assessments_method")
        ),
        sa.ForeignKeyConstraint(
            ["quote_id"],
            ["quotes.id"],
            name=op.f("fk_stance_assessments_quote_id_quotes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["topics.id"],
            name=op.f("fk_stance_assessments_topic_id_topics"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stance_assessments")),
        sa.UniqueConstraint(
            "quote_id",
            "topic_id",
            "method",
            name=op.f("uq_stance_assessments_quote_id_topic_id_method"),
        ),
    )
    op.create_index(
        "ix_stance_assessments_topic_id_label",
        "stance_assessments",
        ["topic_id", "label"],
        unique=False,
    )
    create_full_text_search()


def downgrade() -> None:
    drop_full_text_search()
    op.drop_index("ix_stance_assessments_topic_id_label", table_name="stance_assessments")

    op.drop_table("stance_assessments")
    op.drop_index(op.f("ix_quote_topics_topic_id"), table_name="quote_topics")

    op.drop_table("quote_topics")
    op.drop_index(op.f("ix_quote_sources_source_id"), table_name="quote_sources")

    op.drop_table("quote_sources")
    op.drop_index(op.f("ix_embeddings_model"), table_name="embeddings")
    op.drop_index(op.f("ix_embeddings_content_hash"), table_name="embeddings")

    op.drop_table("embeddings")
    op.drop_index(op.f("ix_speaker_aliases_speaker_id"), table_name="speaker_aliases")

    op.drop_table("speaker_aliases")
    op.drop_index(op.f("ix_roles_speaker_id"), table_name="roles")

    op.drop_table("roles")
    op.drop_index(op.f("ix_quotes_text_hash"), table_name="quotes")
    op.drop_index("ix_quotes_speaker_id_date", table_name="quotes")
    op.drop_index(op.f("ix_quotes_date"), table_name="quotes")

    op.drop_table("quotes")
    op.drop_table("topics")
    op.drop_table("speakers")
    op.drop_table("sources")
