"""Finding quotes without a current vector: skipped when nothing changed, never missing one.

quotes.store.coverage decides when the anti-join of quotes and embeddings
can be skipped (stamp matches) or narrowed (SQLite: only quotes above the
stamp's highest id). These tests change the database every way that can
leave a quote without a current vector and check the next embed finds it,
and count the anti-join statements to show the fast path is taken.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import delete, event, select, text, update

from quotes.ingest.importing.run import ImportOptions, import_file
from quotes.meaning import vectors
from quotes.meaning.vectors import count_missing, embed_before_search, embed_missing
from quotes.records.merging import merge_speakers
from quotes.records.quote_edits import delete_quotes, edit_quote, restore_quote
from quotes.records.quotes import add_quote
from quotes.store import coverage
from quotes.store.engine import Database, build_engine
from quotes.store.models import CoverageChanges, Embedding, Quote, VectorCoverage
from tests.test_embeddings import CountingEmbedder

ANTI_JOIN = "LEFT OUTER JOIN embeddings"


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    """Every SQL statement the database runs inside the block."""
    seen: list[str] = []

    def collect(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", collect)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", collect)


def anti_joins(seen: list[str]) -> list[str]:
    return [s for s in seen if ANTI_JOIN in s]


def _add(db: Database, text_: str, speaker: str = "Speaker One") -> int:
    with db.session(write=True) as session:
        return add_quote(session, text_, speaker, new_speaker=True).quote_id


def _missing(db: Database, model: str = "fake-words") -> int:
    with db.session() as session:
        return count_missing(session, model)


@pytest.fixture
def embedded(db: Database) -> tuple[Database, CountingEmbedder, list[int]]:
    """Three quotes, all embedded (which records the model's stamp)."""
    ids = [_add(db, f"Statement {word} about tariffs.") for word in ("one", "two", "three")]
    fake = CountingEmbedder()
    report = embed_missing(db, embedder=fake)
    assert report.pending == 3
    return db, fake, ids


def test_nothing_changed_means_no_anti_join(embedded) -> None:
    db, fake, _ = embedded
    with statements(db) as seen:
        report = embed_missing(db, embedder=fake)
    assert report.nothing_to_do and report.total == 3
    assert anti_joins(seen) == []
    # Without a stamp (a database checked by an older version) it looks at every quote.
    with db.session(write=True) as session:
        session.execute(delete(VectorCoverage))
    with statements(db) as seen:
        assert embed_missing(db, embedder=fake).nothing_to_do
    assert len(anti_joins(seen)) == 1
    with statements(db) as seen:
        embed_missing(db, embedder=fake)
    assert anti_joins(seen) == []


def test_the_check_before_a_search_reads_single_rows_only(embedded) -> None:
    db, fake, _ = embedded
    with statements(db) as seen:
        assert embed_before_search(db, embedder=fake) == 0
    assert seen and not any("count(" in s.lower() or ANTI_JOIN in s for s in seen)
    new_id = _add(db, "Greenland is not for sale.")
    assert embed_before_search(db, embedder=fake) == 1
    with db.session() as session:
        assert session.scalar(select(Embedding.quote_id).where(Embedding.quote_id == new_id))


def test_a_quote_added_after_a_check_is_embedded_next(embedded) -> None:
    db, fake, ids = embedded
    new_id = _add(db, "Greenland is not for sale.")
    with statements(db) as seen:
        report = embed_missing(db, embedder=fake)
    assert report.pending == 1 and fake.encoded[-1] == "Greenland is not for sale."
    (join,) = anti_joins(seen)
    if db.is_sqlite:  # only quotes above the stamp's highest id are looked at
        assert "quotes.id >" in join
    assert _missing(db) == 0
    with statements(db) as seen:
        assert embed_missing(db, embedder=fake).nothing_to_do
    assert anti_joins(seen) == []
    assert new_id > max(ids)


def test_an_edited_text_is_re_embedded_and_then_the_check_is_skipped(embedded) -> None:
    db, fake, ids = embedded
    with db.session(write=True) as session:
        edit_quote(session, ids[0], text="Tariffs will fall next year.")
    assert _missing(db) == 1
    report = embed_missing(db, embedder=fake)
    assert report.pending == 1 and fake.encoded[-1] == "Tariffs will fall next year."
    assert _missing(db) == 0
    # Replacing the stale vector did not count as a change: the stamp holds.
    with statements(db) as seen:
        assert embed_missing(db, embedder=fake).nothing_to_do
    assert anti_joins(seen) == []


def test_a_text_changed_by_plain_sql_is_re_embedded(embedded) -> None:
    db, fake, ids = embedded
    from quotes.store.normalize import text_hash

    with db.session(write=True) as session:
        session.execute(
            update(Quote)
            .where(Quote.id == ids[1])
            .values(text="Quite another text.", text_hash=text_hash("Quite another text."))
        )
    report = embed_missing(db, embedder=fake)
    assert report.pending == 1 and fake.encoded[-1] == "Quite another text."


def test_a_deleted_vector_of_this_model_is_made_again(embedded) -> None:
    db, fake, ids = embedded
    with db.session(write=True) as session:
        session.execute(delete(Embedding).where(Embedding.quote_id == ids[2]))
    report = embed_missing(db, embedder=fake)
    assert report.pending == 1
    assert _missing(db) == 0


def test_vectors_of_another_model_are_counted_apart(embedded) -> None:
    db, fake, ids = embedded
    other = CountingEmbedder("other-model", 16)
    assert embed_missing(db, embedder=other).pending == 3
    # Deleting the other model's vectors leaves this model complete, and the
    # other model finds its own quotes again.
    with db.session(write=True) as session:
        session.execute(delete(Embedding).where(Embedding.model == "other-model"))
    assert embed_missing(db, embedder=fake).nothing_to_do
    assert embed_missing(db, embedder=other).pending == 3
    # A quote added now is missing under both models.
    _add(db, "Greenland is not for sale.")
    assert embed_missing(db, embedder=other).pending == 1
    assert embed_missing(db, embedder=fake).pending == 1


def test_deleted_then_added_quote_reusing_the_highest_id_is_embedded(embedded) -> None:
    db, fake, ids = embedded
    with db.session(write=True) as session:
        delete_quotes(session, [ids[-1]])
    new_id = _add(db, "A new statement in place of the old one.")
    if db.is_sqlite:
        assert new_id == ids[-1]  # SQLite handed the id out again
    report = embed_missing(db, embedder=fake)
    assert report.pending == 1 and fake.encoded[-1] == "A new statement in place of the old one."
    assert _missing(db) == 0


def test_a_restored_quote_below_the_highest_id_is_embedded(embedded) -> None:
    db, fake, ids = embedded
    with db.session(write=True) as session:
        delete_quotes(session, [ids[0]])
    _add(db, "A later statement.")
    assert embed_missing(db, embedder=fake).pending == 1
    with db.session(write=True) as session:
        restore_quote(session, ids[0])
    assert _missing(db) == 1
    report = embed_missing(db, embedder=fake)
    assert report.pending == 1
    assert _missing(db) == 0


def test_merged_speakers_and_merged_quotes_keep_their_vectors_current(embedded) -> None:
    db, fake, ids = embedded
    _add(db, "Statement one about tariffs.", "Speaker Two")
    _add(db, "Something only the second speaker said.", "Speaker Two")
    assert embed_missing(db, embedder=fake).pending == 2
    with db.session(write=True) as session:
        merge_speakers(session, "Speaker Two", "Speaker One")
        edit_quote(session, ids[1], text="Statement three about tariffs.", merge=True)
    embed_missing(db, embedder=fake)
    assert _missing(db) == 0


def test_an_import_after_a_check_is_embedded_next(embedded, tmp_path: Path) -> None:
    db, fake, _ = embedded
    path = tmp_path / "more.csv"
    rows = [f"Imported statement number {i} on trade.,Speaker {i % 3}" for i in range(40)]
    path.write_text("text,speaker\n" + "\n".join(rows) + "\n", encoding="utf-8")
    summary = import_file(db, str(path), ImportOptions())
    assert summary.added == 40
    if db.is_sqlite:  # the import put its row trigger back
        with db.session() as session:
            names = session.scalars(text("SELECT name FROM sqlite_master WHERE type='trigger'"))
            assert coverage.INSERT_TRIGGER in set(names)
    with statements(db) as seen:
        report = embed_missing(db, embedder=fake)
    assert report.pending == 40
    if db.is_sqlite:
        assert all("quotes.id >" in join for join in anti_joins(seen))
    assert _missing(db) == 0


class FailingEmbedder(CountingEmbedder):
    """Encodes ``allowed`` calls, then fails like an interrupted run."""

    def __init__(self, allowed: int) -> None:
        super().__init__()
        self.allowed = allowed

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        if self.allowed == 0:
            raise KeyboardInterrupt
        self.allowed -= 1
        return super().encode(texts, batch_size)


@pytest.mark.parametrize("edited", [False, True], ids=["new-only", "edited-too"])
def test_an_interrupted_embed_leaves_the_rest_for_the_next(
    embedded, monkeypatch: pytest.MonkeyPatch, edited: bool
) -> None:
    db, fake, ids = embedded
    monkeypatch.setattr(vectors, "BATCHES_PER_CHUNK", 1)
    if edited:
        with db.session(write=True) as session:
            edit_quote(session, ids[0], text="An edited statement on tariffs.")
    for i in range(6):
        _add(db, f"New statement number {i} on defence.")
    wanted = 7 if edited else 6
    failing = FailingEmbedder(allowed=1)
    with pytest.raises(KeyboardInterrupt):
        embed_missing(db, embedder=failing, batch_size=2)
    left = _missing(db)
    assert left == wanted - 2  # the first chunk (two texts) was kept
    report = embed_missing(db, embedder=fake)
    assert report.pending == left
    assert _missing(db) == 0
    with statements(db) as seen:
        assert embed_missing(db, embedder=fake).nothing_to_do
    assert anti_joins(seen) == []


def test_a_quote_committed_during_the_check_is_not_lost(embedded) -> None:
    """A writer commits between the state read and the anti-join: the stamp must not hide it."""
    db, fake, ids = embedded
    _add(db, "Added before the check.")
    other = Database(url=db.url, engine=build_engine(db.url))
    written: list[int] = []

    def write_during(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if ANTI_JOIN in statement and not written:
            written.append(_add(other, "Committed while the check ran."))

    event.listen(db.engine, "before_cursor_execute", write_during)
    try:
        embed_missing(db, embedder=fake)
    finally:
        event.remove(db.engine, "before_cursor_execute", write_during)
        other.dispose()
    assert written
    # Whatever the first run saw, the next one must leave nothing missing.
    embed_missing(db, embedder=fake)
    assert _missing(db) == 0
    assert "Committed while the check ran." in fake.encoded


def test_the_stamp_is_not_recorded_when_the_counter_moved(embedded) -> None:
    db, _, ids = embedded
    with db.session() as session:
        state, above = coverage.unchecked_above(session, "fake-words")
    assert above is None
    with db.session(write=True) as session:
        edit_quote(session, ids[0], text="Changed after the state was read.")
    with db.session(write=True) as session:
        assert coverage.record(session, "fake-words", state) is False
        counter = session.scalar(select(CoverageChanges.counter))
        assert counter is not None and counter > state.changes
    with db.session() as session:
        assert coverage.unchecked_above(session, "fake-words")[1] == coverage.ALL


@pytest.mark.model
def test_the_cli_search_finds_what_was_added_edited_or_imported_after_a_search(
    cli: Any, tmp_path: Path
) -> None:
    """Through the CLI with the real model: each change is found by the very next search."""
    import json

    def top(query: str) -> str:
        hits = json.loads(cli.ok("search", query, "--mode", "semantic", "--json").stdout)
        return str(hits[0]["text"])

    cli.ok("add", "The shop has a big sale on shoes.", "--speaker", "Ann Banker", "--new-speaker")
    cli.ok("add", "Interest rates will stay high.", "--speaker", "Ann Banker")
    assert top("discounted footwear") == "The shop has a big sale on shoes."
    cli.ok("add", "Greenland is not for sale.", "--speaker", "Mute Egede", "--new-speaker")
    assert top("an island that cannot be bought") == "Greenland is not for sale."
    added = json.loads(cli.ok("search", "Greenland", "--mode", "text", "--json").stdout)
    cli.ok("edit", str(added[0]["id"]), "--text", "The new football stadium opens in August.")
    assert top("a sports arena is inaugurated") == "The new football stadium opens in August."
    path = tmp_path / "more.csv"
    path.write_text(
        "text,speaker\nWe will plant a million trees along the rivers.,Mute Egede\n",
        encoding="utf-8",
    )
    cli.ok("import", str(path))
    assert top("reforestation near waterways") == "We will plant a million trees along the rivers."
