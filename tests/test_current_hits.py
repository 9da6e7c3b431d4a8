"""The one SQL re-check of semantic candidates (quotes.search.current), without a model.

On PostgreSQL the candidates go in as one array, on SQLite as IN lists of
1,000: both must keep exactly the current, passing candidates, scored with
their stored vectors, past the chunk boundary too.
"""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from quotes.records.quotes import add_quote
from quotes.search.current import current_hits
from quotes.store.engine import Database
from quotes.store.models import Embedding, Quote
from quotes.store.normalize import text_hash

MODEL = "test-model"
DIMENSION = 8
QUOTES = 1_100  # past the 1,000 candidates of one SQLite statement


@pytest.fixture
def stored(db: Database) -> dict[int, np.ndarray]:
    """QUOTES quotes with random unit vectors under MODEL, by embedding id."""
    rng = np.random.default_rng(5)
    vectors = rng.standard_normal((QUOTES, DIMENSION)).astype("<f4")
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    with db.session(write=True) as session:
        ids = [
            add_quote(
                session, f"Statement number {i}.", f"Speaker {i % 3}", new_speaker=i < 3
            ).quote_id
            for i in range(QUOTES)
        ]
        hashes = {row[0]: row[1] for row in session.execute(select(Quote.id, Quote.text_hash))}
        session.add_all(
            Embedding(
                quote_id=quote_id,
                model=MODEL,
                dimension=DIMENSION,
                vector=vectors[i].tobytes(),
                content_hash=hashes[quote_id],
            )
            for i, quote_id in enumerate(ids)
        )
    with db.session() as session:
        rows = session.execute(select(Embedding.id, Embedding.vector)).all()
    return {row[0]: np.frombuffer(row[1], dtype="<f4") for row in rows}


def test_only_current_passing_candidates_come_back_exactly_scored(
    db: Database, stored: dict[int, np.ndarray]
) -> None:
    query = np.ones(DIMENSION, dtype=np.float32) / np.sqrt(DIMENSION)
    keys = sorted(stored)
    with db.session() as session:
        quote_of = {
            row[0]: row[1] for row in session.execute(select(Embedding.id, Embedding.quote_id))
        }
    deleted, edited = quote_of[keys[5]], quote_of[keys[1050]]
    with db.session(write=True) as session:
        session.execute(delete(Quote).where(Quote.id == deleted))
        new_text = "A different statement now."
        session.execute(
            update(Quote)
            .where(Quote.id == edited)
            .values(text=new_text, text_hash=text_hash(new_text))
        )
    missing = max(keys) + 1000  # an id the index might still hold after a deletion
    with db.session() as session:
        hits = current_hits(session, MODEL, [], query, Embedding.id, [*keys, missing])
        other = current_hits(session, "another-model", [], query, Embedding.id, keys)
        filtered = current_hits(
            session, MODEL, [Quote.speaker_id == first_speaker(session)], query, Embedding.id, keys
        )
    expected = sorted(
        (
            (quote_of[key], float(vector @ query))
            for key, vector in stored.items()
            if quote_of[key] not in (deleted, edited)
        ),
        key=lambda hit: (-hit[1], hit[0]),
    )
    assert [quote_id for quote_id, _ in hits] == [quote_id for quote_id, _ in expected]
    assert [score for _, score in hits] == pytest.approx([s for _, s in expected], abs=1e-6)
    assert other == []
    assert filtered and len(filtered) < len(hits)
    assert {quote_id for quote_id, _ in filtered} <= {quote_id for quote_id, _ in hits}


def first_speaker(session: Session) -> int:
    """The speaker of the first remaining quote (a filter some candidates pass)."""
    return int(session.scalar(select(Quote.speaker_id).order_by(Quote.id).limit(1)))


def test_no_candidates_no_hits(db: Database, stored: dict[int, np.ndarray]) -> None:
    with db.session() as session:
        query = np.ones(DIMENSION, dtype=np.float32)
        assert current_hits(session, MODEL, [], query, Embedding.id, []) == []
        assert current_hits(session, MODEL, [], query, Embedding.quote_id, [10**9]) == []
