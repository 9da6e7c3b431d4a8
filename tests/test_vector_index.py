"""The on-disk vector index: same answers as brute force, never stale, self-healing."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import delete, update

from quotes.meaning.vectors import embed_missing
from quotes.notices import LOGGER_NAME
from quotes.records.quotes import add_quote
from quotes.search import vector_index
from quotes.search.filters import QuoteFilters
from quotes.search.query import search
from quotes.search.semantic import clear_cache
from quotes.store.engine import Database, open_database
from quotes.store.models import Quote
from quotes.store.normalize import text_hash

pytestmark = pytest.mark.model
SEEDS = Path(__file__).resolve().parent.parent / "seeds"

QUERIES = [
    "Greenland is not for sale",
    "Arctic security and NATO",
    "tariffs on European goods",
    "immigration and the border",
    "the national health service",
]


def _same(got: list[tuple[int, float]], expected: list[tuple[int, float]]) -> bool:
    return [i for i, _ in got] == [i for i, _ in expected] and [s for _, s in got] == pytest.approx(
        [s for _, s in expected], abs=1e-5
    )


def _ranked(session, query: str, **options) -> list[tuple[int, float]]:
    hits = search(session, query, mode="semantic", limit=10, min_match=-1, **options)
    return [(h.quote.id, h.match) for h in hits]


@pytest.fixture
def corpus(cli, db_url: str) -> Database:
    cli.ok("init", "--seed")
    cli.ok("import", str(SEEDS / "parlee_sample.jsonl"))
    database = open_database(db_url)
    with database.session(write=True) as session:
        for i, text in enumerate(
            [
                "Greenland belongs to its people and is not a commodity.",
                "We will defend every inch of allied territory in the High North.",
                "Steel tariffs will hurt European exporters.",
            ]
        ):
            add_quote(session, text, f"Extra Speaker {i}", new_speaker=True)
    embed_missing(database)
    return database


def _use_index(monkeypatch: pytest.MonkeyPatch, on: bool) -> None:
    monkeypatch.setattr(vector_index, "INDEX_MIN_VECTORS", 1 if on else 10**9)
    vector_index.forget_indexes()
    clear_cache()


@pytest.mark.parametrize("narrow_filter_rows", [20_000, 0], ids=["exact-filter", "widened"])
def test_index_answers_the_same_top_results_as_brute_force(
    corpus: Database, monkeypatch: pytest.MonkeyPatch, narrow_filter_rows: int
) -> None:
    # A narrow filter ranks its passing quotes exactly; a broad one (here any,
    # with the bound at 0) widens the index candidates: both must agree.
    monkeypatch.setattr(vector_index, "EXACT_FILTER_ROWS", narrow_filter_rows)
    with corpus.session() as session:
        _use_index(monkeypatch, False)
        exact = {q: _ranked(session, q) for q in QUERIES}
        speaker = {
            q: _ranked(session, q, filters=QuoteFilters(speaker="Mark Rutte")) for q in QUERIES
        }
        _use_index(monkeypatch, True)
        assert not vector_index.index_path(session, "all-MiniLM-L6-v2").exists()
        for query in QUERIES:
            got = _ranked(session, query)
            assert _same(got, exact[query]), (query, got, exact[query])
            filtered = _ranked(session, query, filters=QuoteFilters(speaker="Mark Rutte"))
            assert _same(filtered, speaker[query]), query
        assert vector_index.index_path(session, "all-MiniLM-L6-v2").exists()


def test_deleted_and_edited_quotes_never_appear(
    corpus: Database, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    _use_index(monkeypatch, True)
    query = "Greenland is not a commodity"
    with corpus.session() as session:
        before = _ranked(session, query)
    deleted, edited = before[0][0], before[1][0]
    new_text = "Fishing quotas in the North Sea are a matter for Brussels."
    with corpus.session(write=True) as session:
        session.execute(delete(Quote).where(Quote.id == deleted))
        session.execute(
            update(Quote)
            .where(Quote.id == edited)
            .values(text=new_text, text_hash=text_hash(new_text))
        )
    with corpus.session() as session, caplog.at_level(logging.WARNING, logger=LOGGER_NAME):
        after = _ranked(session, query)
    ids = [i for i, _ in after]
    assert deleted not in ids and edited not in ids  # edited: its old vector no longer counts
    assert any("updating the vector index" in r.getMessage() for r in caplog.records)
    embed_missing(corpus)  # the edited text gets its new vector
    with corpus.session() as session:
        now = dict(_ranked(session, query)).get(edited)
        assert now is None or now < before[1][1] - 0.2  # scored by its new text only
        assert _ranked(session, "fishing quotas Brussels")[0][0] == edited
        assert deleted not in [i for i, _ in _ranked(session, "Greenland")]


@pytest.mark.parametrize("damage", ["missing", "corrupt", "truncated", "stamp"])
def test_a_damaged_index_is_rebuilt_with_a_notice(
    corpus: Database,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    damage: str,
) -> None:
    _use_index(monkeypatch, True)
    with corpus.session() as session:
        good = _ranked(session, QUERIES[0])
        path = vector_index.index_path(session, "all-MiniLM-L6-v2")
    if damage == "missing":
        path.unlink()
    elif damage == "corrupt":
        path.write_bytes(b"\x00garbage" * 100)
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:1000])
    else:
        path.with_suffix(".json").write_text("{not json")
    vector_index.forget_indexes()
    caplog.clear()
    with corpus.session() as session, caplog.at_level(logging.WARNING, logger=LOGGER_NAME):
        again = _ranked(session, QUERIES[0])
    assert _same(again, good)
    notices = [r.getMessage() for r in caplog.records if r.name == LOGGER_NAME]
    assert len(notices) == 1 and "building the vector index" in notices[0], notices


def test_the_cli_search_uses_the_index_and_shows_its_notice_on_stderr(
    cli, corpus: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    _use_index(monkeypatch, True)
    result = cli.ok("search", "Arctic security", "--mode", "semantic", "--json")
    assert "building the vector index" in result.stderr
    assert "Arctic" in result.stdout
    quiet = cli.ok("search", "Arctic security", "--mode", "semantic", "--json")
    assert quiet.stderr == "" and quiet.stdout == result.stdout


def test_the_opened_index_searches_with_the_configured_expansion(
    corpus: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The expansion is not stored in the file; a restored view used usearch's default.
    _use_index(monkeypatch, True)
    monkeypatch.setattr(vector_index, "EXPANSION_SEARCH", 123)
    with corpus.session() as session:
        index = vector_index.open_index(session, "all-MiniLM-L6-v2", 384)
        assert index.expansion_search == 123
        vector_index.forget_indexes()
        assert vector_index.open_index(session, "all-MiniLM-L6-v2", 384).expansion_search == 123


@pytest.mark.parametrize(
    "other_updated_the_file", [True, False], ids=["file-updated", "file-stale"]
)
def test_a_warm_search_finds_vectors_another_process_added(
    corpus: Database, monkeypatch: pytest.MonkeyPatch, other_updated_the_file: bool
) -> None:
    # A warm search does not read the change counter before asking its open
    # index: the SQL check reads it with the candidates. Here another process
    # embeds a new quote (its own index update, or none), and this process's
    # open index is older: the counter the check saw must send it back to disk.
    _use_index(monkeypatch, True)
    query = "Icebreakers for the Northwest Passage"
    with corpus.session() as session:
        assert _ranked(session, query)  # opens the index in this process
    stale = dict(vector_index._OPEN)
    with corpus.session(write=True) as session:
        new = add_quote(
            session, "We are ordering icebreakers for the Northwest Passage.", "Extra Speaker 0"
        ).quote_id
    if not other_updated_the_file:
        monkeypatch.setattr(vector_index, "refresh_index", lambda *args: None)
    embed_missing(corpus)
    vector_index._OPEN.clear()
    vector_index._OPEN.update(stale)  # as if the embedding had run in another process
    with corpus.session() as session:
        assert _ranked(session, query)[0][0] == new


def test_a_warm_index_search_is_one_statement(
    corpus: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import event

    from quotes.meaning.encoder import load_embedder

    _use_index(monkeypatch, True)
    vector = load_embedder().encode(["Arctic security"])[0]
    with corpus.session() as session:
        vector_index.index_ranking(session, vector, "all-MiniLM-L6-v2", [], 10)  # opens it
        statements: list[str] = []
        engine = session.get_bind().engine
        record = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(engine, "before_cursor_execute", record)
        try:
            hits = vector_index.index_ranking(session, vector, "all-MiniLM-L6-v2", [], 10)
        finally:
            event.remove(engine, "before_cursor_execute", record)
    assert len(hits) == 10
    assert len(statements) == 1 and "vector_changes" in statements[0], statements
