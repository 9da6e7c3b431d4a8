"""The embedding layer: model loading, portable vectors, embedding what is missing."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np
import pytest
from sqlalchemy import func, select

from quotes.errors import ModelError
from quotes.meaning.encoder import load_embedder, pack, unpack, unpack_many
from quotes.meaning.vectors import count_missing, embed_missing
from quotes.records.quotes import add_quote
from quotes.store.engine import Database
from quotes.store.models import Embedding


class CountingEmbedder:
    """A tiny bag-of-words embedder that records every text it encodes."""

    def __init__(self, name: str = "fake-words", dimension: int = 32) -> None:
        self.name = name
        self.dimension = dimension
        self.encoded: list[str] = []

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        self.encoded += list(texts)
        rows = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in zip(rows, texts, strict=True):
            for word in re.findall(r"\w+", text.lower()):
                row[int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dimension] += 1
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        return rows / np.where(norms == 0, 1, norms)


def _add(db: Database, text: str, speaker: str) -> int:
    with db.session(write=True) as session:
        return add_quote(session, text, speaker, new_speaker=True).quote_id


def test_vectors_round_trip_as_little_endian_float32() -> None:
    vector = np.array([0.5, -1.25, 3.0], dtype=np.float32)
    data = pack(vector)
    assert data == np.array([0.5, -1.25, 3.0], dtype="<f4").tobytes()
    assert np.array_equal(unpack(data), vector)
    matrix = unpack_many([data, pack(vector * 2)], 3)
    assert matrix.shape == (2, 3) and np.array_equal(matrix[1], vector * 2)
    with pytest.raises(ValueError):
        unpack(data, dimension=4)


def test_identical_texts_are_encoded_once(db: Database) -> None:
    first = _add(db, "Greenland is not for sale.", "Speaker One")
    second = _add(db, "“Greenland is NOT for sale.”", "Speaker Two")
    _add(db, "Tariffs will rise.", "Speaker One")
    fake = CountingEmbedder()
    report = embed_missing(db, embedder=fake)
    assert (report.pending, report.encoded, report.total) == (3, 2, 3)
    assert len(fake.encoded) == 2
    with db.session() as session:
        vectors = dict(
            session.execute(
                select(Embedding.quote_id, Embedding.vector).where(
                    Embedding.quote_id.in_([first, second])
                )
            ).all()
        )
    assert vectors[first] == vectors[second]


def test_nothing_is_re_embedded_and_a_new_text_reuses_a_known_vector(db: Database) -> None:
    _add(db, "Greenland is not for sale.", "Speaker One")
    fake = CountingEmbedder()
    embed_missing(db, embedder=fake)
    again = embed_missing(db, embedder=fake)
    assert again.nothing_to_do and len(fake.encoded) == 1
    _add(db, "Greenland is not for sale.", "Speaker Three")
    third = embed_missing(db, embedder=fake)
    assert (third.pending, third.encoded, third.copied) == (1, 0, 1)
    assert len(fake.encoded) == 1


def test_another_model_means_re_embedding_never_mixing(db: Database) -> None:
    for i in range(3):
        _add(db, f"Statement number {i} about tariffs.", "Speaker One")
    embed_missing(db, embedder=CountingEmbedder("model-a", 32))
    other = CountingEmbedder("model-b", 16)
    report = embed_missing(db, embedder=other)
    assert report.encoded == 3 and len(other.encoded) == 3
    with db.session() as session:
        rows = session.execute(
            select(Embedding.model, func.count(), func.min(Embedding.dimension)).group_by(
                Embedding.model
            )
        ).all()
        assert sorted(tuple(r) for r in rows) == [("model-a", 3, 32), ("model-b", 3, 16)]
        assert count_missing(session, "model-a") == 0
        assert count_missing(session, "model-c") == 3


def test_a_changed_text_is_re_embedded(db: Database) -> None:
    quote_id = _add(db, "Tariffs will rise.", "Speaker One")
    fake = CountingEmbedder()
    embed_missing(db, embedder=fake)
    from quotes.store.models import Quote
    from quotes.store.normalize import text_hash

    with db.session(write=True) as session:
        quote = session.get(Quote, quote_id)
        assert quote is not None
        quote.text, quote.text_hash = "Tariffs will fall.", text_hash("Tariffs will fall.")
    report = embed_missing(db, embedder=fake)
    assert report.pending == 1 and fake.encoded[-1] == "Tariffs will fall."
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Embedding)) == 1


@pytest.mark.model
def test_default_model_loads_offline_once_with_unit_vectors() -> None:
    embedder = load_embedder()
    assert embedder is load_embedder("all-MiniLM-L6-v2")
    assert embedder.name == "all-MiniLM-L6-v2" and embedder.dimension == 384
    vectors = embedder.encode(["Greenland is not for sale.", "We cannot negotiate."])
    assert vectors.dtype == np.float32 and vectors.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_unknown_model_is_a_model_error_saying_how_to_configure() -> None:
    with pytest.raises(ModelError) as caught:
        load_embedder("no-such-org/no-such-model-xyz")
    message = str(caught.value)
    assert "no-such-org/no-such-model-xyz" in message
    assert "--model" in message and "QUOTES_EMBEDDING_MODEL" in message


@pytest.mark.model
def test_embed_command_summarises_then_has_nothing_to_do(seeded) -> None:
    first = seeded.ok("embed")
    assert "Embedded 8 quotes with all-MiniLM-L6-v2" in first.stdout
    second = seeded.ok("embed", "--batch-size", "2")
    assert "Nothing to embed: all 8 quotes" in second.stdout


@pytest.mark.model
def test_embed_with_a_bad_model_exits_2_and_writes_nothing(seeded, monkeypatch) -> None:
    result = seeded("embed", "--model", "no-such-model-xyz")
    assert result.exit_code == 2, result.output
    assert "no-such-model-xyz" in result.stderr and "--model" in result.stderr
    assert "Traceback" not in result.output
    monkeypatch.setenv("QUOTES_EMBEDDING_MODEL", "/nonexistent/model/dir")
    result = seeded("embed")
    assert result.exit_code == 2 and "QUOTES_EMBEDDING_MODEL" in result.stderr
    assert "Nothing to embed" not in seeded.ok("embed", "--model", "all-MiniLM-L6-v2").stdout


def test_embed_rejects_a_bad_batch_size(seeded) -> None:
    assert seeded("embed", "--batch-size", "0").exit_code == 2


def test_embed_on_an_empty_database_has_nothing_to_do(cli) -> None:
    result = cli.ok("embed", "--model", "no-model-needed-here")
    assert "Nothing to embed: the database has no quotes yet." in result.stdout
