"""Storing quote embeddings: embed what is missing, once per distinct text.

A quote needs a vector under model M when it has none under M, or when its
stored vector was made from another text (the row's ``content_hash`` differs
from the quote's ``text_hash``, the hash of its normalised text). Quotes whose
normalised texts are equal share one computation, and a text already embedded
under M for another quote is copied, not re-encoded. Vectors of different
models live side by side (one row per quote and model) and are never mixed:
every reader asks for one model's rows.

Texts are sorted by length before batching so each batch pads little, which is
what lets ``quotes embed`` run as fast as a single raw
``SentenceTransformer.encode`` call on the same texts; each chunk is written
in its own transaction, so an interrupted run keeps what it finished.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Select, delete, func, insert, or_, select
from sqlalchemy.orm import Session

from quotes.errors import BadInputError
from quotes.meaning.encoder import DEFAULT_BATCH_SIZE, Embedder, load_embedder, pack
from quotes.store import coverage
from quotes.store.engine import Database
from quotes.store.models import Embedding, Quote, utcnow

#: Batches encoded between two writes (and two progress updates).
BATCHES_PER_CHUNK = 16
MAX_BATCH_SIZE = 4096

Progress = Callable[[int, int], None]
"""Called with (quotes done, quotes to do) after each written chunk."""


@dataclass
class EmbedReport:
    """What ``embed_missing`` did, for the one-line summary."""

    model: str
    pending: int  # quotes that needed a vector
    encoded: int  # distinct texts run through the model
    copied: int  # quotes that reused a vector of an identical text
    total: int  # quotes with a current vector under this model afterwards
    seconds: float = 0.0  # embedding and writing, after the model was loaded

    @property
    def nothing_to_do(self) -> bool:
        return self.pending == 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _needs_vector(model: str, above: int = coverage.ALL) -> Select[int, str, str]:
    """SELECT (quote id, text, text_hash) of quotes above id ``above`` without a current vector."""
    statement = (
        select(Quote.id, Quote.text, Quote.text_hash)
        .outerjoin(Embedding, (Embedding.quote_id == Quote.id) & (Embedding.model == model))
        .where(or_(Embedding.id.is_(None), Embedding.content_hash != Quote.text_hash))
        .order_by(Quote.id)
    )
    return statement.where(Quote.id > above) if above != coverage.ALL else statement


def count_missing(session: Session, model: str) -> int:
    """How many quotes lack a current vector under ``model``."""
    subquery = _needs_vector(model).subquery()
    return int(session.scalar(select(func.count()).select_from(subquery)) or 0)


def count_vectors(session: Session, model: str) -> int:
    """How many vectors ``model`` has stored."""
    statement = select(func.count()).select_from(Embedding).where(Embedding.model == model)
    return int(session.scalar(statement) or 0)


def embed_missing(
    database: Database,
    *,
    model: str | None = None,
    embedder: Embedder | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
) -> EmbedReport:
    """Give every quote a current vector under the model; load the model only if needed.

    ``embedder`` overrides the model (tests pass a small fake); otherwise the
    model is ``model``, ``QUOTES_EMBEDDING_MODEL`` or the default.
    """
    report = _embed(database, model, embedder, batch_size, progress)
    with database.session() as session:
        report.total = count_vectors(session, report.model)
    return report


def embed_before_search(
    database: Database, progress: Progress | None = None, *, embedder: Embedder | None = None
) -> int:
    """What a search by meaning runs first: embed what is missing; how many quotes were.

    Unlike :func:`embed_missing` it does not count the model's vectors after:
    that count reads a whole index (0.25-0.43 s at a million vectors on
    SQLite), which would be most of what is left once quotes.store.coverage
    lets the check skip the anti-join.
    """
    return _embed(database, None, embedder, DEFAULT_BATCH_SIZE, progress).pending


def _embed(
    database: Database,
    model: str | None,
    embedder: Embedder | None,
    batch_size: int,
    progress: Progress | None,
) -> EmbedReport:
    """Embed what is missing; the report's ``total`` is left at 0 for the caller to count."""
    if not 1 <= batch_size <= MAX_BATCH_SIZE:
        raise BadInputError(
            f"invalid batch size {batch_size}: use a number from 1 to {MAX_BATCH_SIZE}."
        )
    from quotes.meaning.encoder import stored_name
    from quotes.store.settings import model_name

    name = embedder.name if embedder is not None else stored_name(model_name(model))
    with database.session() as session:
        # The state is read first: quotes.store.coverage says why that order is safe.
        state, above = coverage.unchecked_above(session, name)
        rows = [] if above is None else session.execute(_needs_vector(name, above)).all()
    if not rows:
        if above is not None:  # checked and complete: later checks can skip it
            with database.session(write=True) as session:
                coverage.record(session, name, state)
        return EmbedReport(model=name, pending=0, encoded=0, copied=0, total=0)
    # Fail on a bad model before doing anything else.
    active = embedder if embedder is not None else load_embedder(name)
    started = time.perf_counter()
    by_hash: dict[str, list[int]] = {}
    text_of: dict[str, str] = {}
    for quote_id, text, digest in rows:
        by_hash.setdefault(digest, []).append(quote_id)
        text_of.setdefault(digest, text)
    reused = _copy_known(database, name, by_hash)
    copied = sum(len(by_hash[d]) for d in reused)
    done = copied
    if progress:
        progress(done, len(rows))
    todo = sorted((d for d in by_hash if d not in reused), key=lambda d: len(text_of[d]))
    chunk_size = batch_size * BATCHES_PER_CHUNK
    for start in range(0, len(todo), chunk_size):
        digests = todo[start : start + chunk_size]
        vectors = active.encode([text_of[d] for d in digests], batch_size=batch_size)
        records = [
            (quote_id, digest, pack(vector))
            for digest, vector in zip(digests, vectors, strict=True)
            for quote_id in by_hash[digest]
        ]
        _write(database, name, active.dimension, records)
        done += len(records)
        if progress:
            progress(done, len(rows))
    with database.session(write=True) as session:
        coverage.record(session, name, state)
    with database.session() as session:
        from quotes.search.vector_index import refresh_index

        refresh_index(session, name, active.dimension)
    return EmbedReport(
        model=name,
        pending=len(rows),
        encoded=len(todo),
        copied=copied,
        total=0,
        seconds=time.perf_counter() - started,
    )


def _copy_known(database: Database, model: str, by_hash: dict[str, list[int]]) -> set[str]:
    """Reuse vectors stored under ``model`` for the same normalised text; their hashes."""
    digests = list(by_hash)
    records: list[tuple[int, str, bytes]] = []
    dimension = 0
    seen: set[str] = set()
    with database.session() as session:
        for start in range(0, len(digests), 500):
            part = digests[start : start + 500]
            statement = (
                select(Embedding.content_hash, Embedding.vector, Embedding.dimension)
                .where(Embedding.model == model, Embedding.content_hash.in_(part))
                .distinct()
            )
            for digest, vector, dim in session.execute(statement):
                if digest in seen:
                    continue
                seen.add(digest)
                dimension = dim
                records += [(quote_id, digest, vector) for quote_id in by_hash[digest]]
    if records:
        _write(database, model, dimension, records)
    return seen


def _write(
    database: Database, model: str, dimension: int, records: list[tuple[int, str, bytes]]
) -> None:
    """Replace the quotes' vectors under ``model`` in one transaction.

    A replaced vector always gets a new, higher id: the search matrix cache
    (quotes.search.semantic) detects change from the count and the highest id of a
    model's rows, which an index answers without reading the vectors. SQLite
    would otherwise reuse the highest id when the highest row is replaced, so
    there the ids are given explicitly; PostgreSQL sequences never reuse one.
    """
    now = utcnow()
    with database.session(write=True) as session:
        ids = [quote_id for quote_id, _, _ in records]
        first_id = None
        if database.is_sqlite:
            first_id = int(session.scalar(select(func.max(Embedding.id))) or 0) + 1
        for start in range(0, len(ids), 500):
            session.execute(
                delete(Embedding).where(
                    Embedding.model == model, Embedding.quote_id.in_(ids[start : start + 500])
                )
            )
        rows: list[dict[str, Any]] = [
            {
                "quote_id": quote_id,
                "model": model,
                "dimension": dimension,
                "vector": vector,
                "content_hash": digest,
                "created_at": now,
            }
            for quote_id, digest, vector in records
        ]
        if first_id is not None:
            for offset, row in enumerate(rows):
                row["id"] = first_id + offset
        session.execute(insert(Embedding), rows)
