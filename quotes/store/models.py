"""The schema: SQLAlchemy 2 typed models for the whole product.

Alembic owns every change to these tables (``migrations/``); tests check that
autogenerate finds no difference between these models and the head revision.
Full-text indexes are back-end specific and live only in the migrations (an
FTS5 table on SQLite, a generated ``tsvector`` column on PostgreSQL).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from quotes.vocabulary import DatePrecision, Method, QuoteKind, StanceLabel, values

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

HISTORY_ENTITIES = ("quote", "speaker", "topic")


def utcnow() -> datetime:
    """Timestamps are stored in UTC."""
    return datetime.now(UTC)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Speaker(Base):
    """A person (or body) whose statements are recorded."""

    __tablename__ = "speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300), unique=True)
    country: Mapped[str | None] = mapped_column(String(100))
    party: Mapped[str | None] = mapped_column(String(200))
    wikidata_id: Mapped[str | None] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    aliases: Mapped[list[SpeakerAlias]] = relationship(
        back_populates="speaker", cascade="all, delete-orphan", order_by="SpeakerAlias.alias"
    )
    roles: Mapped[list[Role]] = relationship(
        back_populates="speaker", cascade="all, delete-orphan", order_by="Role.start_date"
    )


class SpeakerAlias(Base):
    """Another name for a speaker; the canonical name is stored here too.

    ``alias_key`` is the case-folded alias and is unique, so one name resolves
    to at most one speaker on every back end.
    """

    __tablename__ = "speaker_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    speaker_id: Mapped[int] = mapped_column(
        ForeignKey("speakers.id", ondelete="CASCADE"), index=True
    )
    alias: Mapped[str] = mapped_column(String(300))
    alias_key: Mapped[str] = mapped_column(String(300), unique=True)

    speaker: Mapped[Speaker] = relationship(back_populates="aliases")


class Role(Base):
    """An office a speaker held (title at organisation, from/to)."""

    __tablename__ = "roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    speaker_id: Mapped[int] = mapped_column(
        ForeignKey("speakers.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    organisation: Mapped[str | None] = mapped_column(String(300))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)

    speaker: Mapped[Speaker] = relationship(back_populates="roles")


class Source(Base):
    """Where a statement was published; one quote can have many."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str | None] = mapped_column(String(2048), unique=True)
    outlet: Mapped[str | None] = mapped_column(String(300))
    title: Mapped[str | None] = mapped_column(String(1000))
    published_date: Mapped[date | None] = mapped_column(Date)
    published_precision: Mapped[str | None] = mapped_column(String(5))


class QuoteSource(Base):
    """Link between a quote and one of its sources."""

    __tablename__ = "quote_sources"

    quote_id: Mapped[int] = mapped_column(
        ForeignKey("quotes.id", ondelete="CASCADE"), primary_key=True
    )
    source_id: Mapped[int] = mapped_column(
        ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    source: Mapped[Source] = relationship()


class Quote(Base):
    """One statement by one speaker: the unit everything else hangs off."""

    __tablename__ = "quotes"
    __table_args__ = (
        UniqueConstraint("speaker_id", "text_hash"),
        Index("ix_quotes_speaker_id_date", "speaker_id", "date"),
        CheckConstraint(_in("kind", values(QuoteKind)), name="kind"),
        CheckConstraint(_in("date_precision", values(DatePrecision)), name="date_precision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id", ondelete="RESTRICT"))
    text: Mapped[str] = mapped_column(Text)
    text_hash: Mapped[str] = mapped_column(String(64))
    date: Mapped[date | None] = mapped_column(Date, index=True)
    date_precision: Mapped[str | None] = mapped_column(String(5))
    kind: Mapped[str] = mapped_column(String(10), default=QuoteKind.QUOTE.value)
    context: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    speaker: Mapped[Speaker] = relationship()
    source_links: Mapped[list[QuoteSource]] = relationship(
        cascade="all, delete-orphan", order_by="[QuoteSource.created_at, QuoteSource.source_id]"
    )
    topic_links: Mapped[list[QuoteTopic]] = relationship(cascade="all, delete-orphan")
    stances: Mapped[list[StanceAssessment]] = relationship(cascade="all, delete-orphan")


class Topic(Base):
    """A subject with a proposition: the favor pole and its opposite.

    Stance labels are always relative to the favor pole; the pole texts drive
    zero-shot stance scoring, so they are written as full statements.
    """

    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str] = mapped_column(Text)
    favor_pole: Mapped[str] = mapped_column(Text)
    against_pole: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class QuoteTopic(Base):
    """A quote is about a topic; set by a person (manual) or by assignment (auto)."""

    __tablename__ = "quote_topics"
    __table_args__ = (CheckConstraint(_in("origin", values(Method)), name="origin"),)

    quote_id: Mapped[int] = mapped_column(
        ForeignKey("quotes.id", ondelete="CASCADE"), primary_key=True
    )
    topic_id: Mapped[int] = mapped_column(
        ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    origin: Mapped[str] = mapped_column(String(6), default=Method.MANUAL.value)
    confidence: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    topic: Mapped[Topic] = relationship()


class Embedding(Base):
    """A quote's vector under one model, stored portably as float32 bytes.

    ``content_hash`` is the hash of the embedded text so a changed text is
    re-embedded and identical texts can share one computation.
    """

    __tablename__ = "embeddings"
    __table_args__ = (UniqueConstraint("quote_id", "model"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quotes.id", ondelete="CASCADE"))
    model: Mapped[str] = mapped_column(String(300), index=True)
    dimension: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class VectorChanges(Base):
    """One row whose counter database triggers bump on every change to ``embeddings``.

    The on-disk vector index compares it with the value it was built at
    (quotes.search.vector_index): any insert, update or delete, by any path,
    makes the index stale. Migration 0004_speed creates the triggers.
    """

    __tablename__ = "vector_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    counter: Mapped[int] = mapped_column(BigInteger)


class CoverageChanges(Base):
    """One row whose counter triggers bump when a quote may have lost its current vector.

    quotes.store.coverage compares it with the value each model was last
    seen fully embedded at, so a search by meaning need not look for missing
    vectors when nothing changed. Migration 0005 creates the triggers.
    """

    __tablename__ = "coverage_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    counter: Mapped[int] = mapped_column(BigInteger)


class VectorCoverage(Base):
    """For one model: the state in which every quote was last seen with a current vector.

    ``changes`` is the ``coverage_changes`` counter then, ``top_quote_id``
    the highest quote id then (0 for none); quotes.store.coverage says what
    each back end may conclude from them.
    """

    __tablename__ = "vector_coverage"

    model: Mapped[str] = mapped_column(String(300), primary_key=True)
    changes: Mapped[int] = mapped_column(BigInteger)
    top_quote_id: Mapped[int] = mapped_column(BigInteger)


class StanceAssessment(Base):
    """Where a quote stands on a topic: label, score in [-1, 1], and who said so.

    At most one manual and one automatic assessment per (quote, topic); the
    manual one wins and is never overwritten by automatic runs.
    """

    __tablename__ = "stance_assessments"
    __table_args__ = (
        UniqueConstraint("quote_id", "topic_id", "method"),
        Index("ix_stance_assessments_topic_id_label", "topic_id", "label"),
        CheckConstraint(_in("label", values(StanceLabel)), name="label"),
        CheckConstraint(_in("method", values(Method)), name="method"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quotes.id", ondelete="CASCADE"))
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(8))
    score: Mapped[float] = mapped_column(Float)
    method: Mapped[str] = mapped_column(String(6))
    model: Mapped[str | None] = mapped_column(String(300))
    #: For automatic assessments: the calibrated probability that ``label`` is
    #: right. NULL for a person's label (it is not an estimate).
    confidence: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    topic: Mapped[Topic] = relationship()


class TopicRejection(Base):
    """A person said this quote is *not* about this topic.

    Kept apart from ``quote_topics`` so that every query reading links stays
    as it is, while automatic assignment never links the pair again and can
    learn from it as an off-topic example.
    """

    __tablename__ = "topic_rejections"

    quote_id: Mapped[int] = mapped_column(
        ForeignKey("quotes.id", ondelete="CASCADE"), primary_key=True
    )
    topic_id: Mapped[int] = mapped_column(
        ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class HistoryEntry(Base):
    """One earlier version of a record, appended before it is edited or deleted.

    Append-only: rows are never updated or deleted, so whatever a person
    corrects or removes can be read back (``quotes history``) and a deleted
    quote restored with its sources, links and labels. ``snapshot`` is the
    whole record as JSON (for a quote: text, speaker, date, kind, context,
    sources, topic links, stance labels), which keeps the table stable while
    the records it describes grow new fields.
    """

    __tablename__ = "history"
    __table_args__ = (
        Index("ix_history_entity_entity_id", "entity", "entity_id"),
        CheckConstraint(_in("entity", HISTORY_ENTITIES), name="entity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entity: Mapped[str] = mapped_column(String(16))
    entity_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))
    snapshot: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
