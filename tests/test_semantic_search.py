"""Semantic and hybrid search with the real default model, on both back ends."""

from __future__ import annotations

import json

import pytest

from quotes.meaning.vectors import embed_missing
from quotes.records.quotes import add_quote
from quotes.search.filters import QuoteFilters
from quotes.search.query import search
from quotes.search.semantic import clear_cache, fuse, vector_matrix
from quotes.store.engine import Database, open_database

pytestmark = pytest.mark.model

UNRELATED = [
    ("I like pizza with my friends on Sundays.", "Joe Bloggs"),
    ("The shop has a big sale on shoes this weekend.", "Ann Banker"),
    ("Interest rates will stay high for the rest of the year.", "Ann Banker"),
    ("The new football stadium opens in August.", "Joe Bloggs"),
]
FREDERIKSEN = "Mette Frederiksen"


@pytest.fixture
def corpus(seeded):
    for text, speaker in UNRELATED:
        seeded.ok("add", text, "--speaker", speaker, "--new-speaker", "--date", "2025-05")
    return seeded


def _hits(result) -> list[dict]:
    return json.loads(result.stdout)


SOVEREIGNTY = [
    "Greenland is part of the Kingdom of Denmark and will never be sold.",
    "Our land is not a commodity to be bought by another country.",
]


def test_meaning_finds_sovereignty_without_shared_words(corpus) -> None:
    for text in SOVEREIGNTY:
        corpus.ok("add", text, "--speaker", "Mute Egede", "--new-speaker")
    hits = _hits(
        corpus.ok(
            "search", "Greenland is not for sale", "--mode", "semantic", "--min-match=-1", "--json"
        )
    )
    ranks = {hit["text"]: hit["rank"] for hit in hits}
    frederiksen = next(t for t in ranks if "cannot negotiate on our sovereignty" in t)
    for text, _ in UNRELATED:  # including a shop's "sale", which shares a word
        assert all(ranks[s] < ranks[text] for s in SOVEREIGNTY)
    # Measured limits of the small default model: the shop's "sale" beats
    # Frederiksen's statement (0.31 vs 0.26 cosine), and the bare phrase "not
    # for sale" is near noise for it; the statements about selling land win.
    for text, _ in UNRELATED[:1] + UNRELATED[2:]:
        assert ranks[frederiksen] < ranks[text]
    bare = _hits(
        corpus.ok("search", "not for sale", "--mode", "semantic", "--min-match=-1", "--json")
    )
    ranks = {hit["text"]: hit["rank"] for hit in bare}
    for text, _ in UNRELATED[:1] + UNRELATED[2:]:
        assert all(ranks[s] < ranks[text] for s in SOVEREIGNTY)
    assert all(-1.0 <= hit["match"] <= 1.0 for hit in hits)
    assert [hit["match"] for hit in hits] == sorted((hit["match"] for hit in hits), reverse=True)


def test_text_search_cannot_find_it(corpus) -> None:
    hits = _hits(corpus.ok("search", "territory not for sale", "--mode", "text", "--json"))
    assert not any("sovereignty" in hit["text"] for hit in hits)


def test_hybrid_is_the_default_once_vectors_exist(corpus) -> None:
    before = _hits(corpus.ok("search", "sovereignty", "--json"))
    assert len(before) == 1  # text mode: only the literal word
    corpus.ok("embed")
    after = _hits(corpus.ok("search", "sovereignty", "--json"))
    assert len(after) > 1  # meaning adds the neighbours
    assert after[0]["speaker"] == FREDERIKSEN
    assert after[0]["match"] == pytest.approx(1.0)  # first in both rankings
    assert all(0 < hit["match"] <= 1.0 for hit in after)
    assert "**sovereignty**" in after[0]["snippet"]


def test_semantic_search_embeds_what_is_missing_first(corpus) -> None:
    corpus.ok("embed")
    corpus.ok("add", "Greenland is not for sale.", "--speaker", "Mute Egede", "--new-speaker")
    hits = _hits(corpus.ok("search", "not for sale", "--mode", "semantic", "--json"))
    assert hits[0]["text"] == "Greenland is not for sale."


@pytest.mark.parametrize("mode", ["text", "semantic", "hybrid"])
def test_every_filter_applies_in_every_mode(corpus, mode: str) -> None:
    corpus.ok("embed")
    query = "Arctic security"
    by_speaker = _hits(corpus.ok("search", query, "--mode", mode, "--speaker", "Rutte", "--json"))
    assert by_speaker and {h["speaker"] for h in by_speaker} == {"Mark Rutte"}
    dated = _hits(corpus.ok("search", "pizza", "--mode", mode, "--until", "2025", "--json"))
    assert dated and {h["date"] for h in dated} == {"2025-05"}
    assert dated[0]["text"].startswith("I like pizza")
    none = _hits(corpus.ok("search", query, "--mode", mode, "--since", "2027", "--json"))
    assert none == []
    corpus.ok("add", "Arctic security matters to us.", "--speaker", "Rutte", "--topic", "security")
    on_topic = _hits(corpus.ok("search", query, "--mode", mode, "--topic", "security", "--json"))
    assert [h["text"] for h in on_topic] == ["Arctic security matters to us."]


def test_stance_filter_applies_in_semantic_mode(corpus) -> None:
    corpus.ok("embed")
    added = corpus.ok("add", "The Arctic must stay safe.", "--speaker", "Rutte", "--json")
    quote_id = json.loads(added.stdout)["id"]
    corpus.ok("stance", "label", str(quote_id), "--topic", "security", "--stance", "against")
    hits = _hits(
        corpus.ok("search", "Arctic", "--mode", "semantic", "--stance", "against", "--json")
    )
    assert [h["id"] for h in hits] == [quote_id]


def test_unknown_mode_is_bad_input(corpus) -> None:
    result = corpus("search", "x", "--mode", "vibes")
    assert result.exit_code == 2 and "vibes" in result.stderr


def test_empty_database_finds_nothing(cli) -> None:
    result = cli.ok("search", "sovereignty", "--mode", "semantic")
    assert "No close matches for sovereignty" in result.stdout


@pytest.mark.parametrize("mode", ["semantic", "hybrid"])
def test_a_query_nobody_said_has_no_close_matches(corpus, mode: str) -> None:
    result = corpus.ok("search", "zzqx nonexistent", "--mode", mode)
    assert "No close matches for zzqx nonexistent (least similarity 0.25" in result.stdout
    assert _hits(corpus.ok("search", "zzqx nonexistent", "--mode", mode, "--json")) == []
    # Lowering the bar brings the least distant statements back, weakest last.
    everything = _hits(
        corpus.ok("search", "zzqx nonexistent", "--mode", "semantic", "--min-match=-1", "--json")
    )
    assert len(everything) == 12
    assert all(h["match"] < 0.25 for h in everything)
    assert [h["match"] for h in everything] == sorted(
        (h["match"] for h in everything), reverse=True
    )


def test_min_match_cuts_semantic_hits_and_the_table_shows_match(corpus) -> None:
    hits = _hits(corpus.ok("search", "Arctic security", "--mode", "semantic", "--json"))
    assert hits and all(h["match"] >= 0.25 for h in hits)
    strict = _hits(
        corpus.ok("search", "Arctic security", "--mode", "semantic", "--min-match", "0.5", "--json")
    )
    assert strict == [h for h in hits if h["match"] >= 0.5] and len(strict) < len(hits)
    table = corpus.ok("search", "Arctic security", "--mode", "semantic", "--limit", "1").stdout
    assert "match" in table and f"{hits[0]['match']:.2f}" in table


@pytest.mark.parametrize("value", ["1.5", "-2", "abc"])
def test_min_match_out_of_range_is_bad_input(corpus, value: str) -> None:
    result = corpus("search", "Arctic", "--mode", "semantic", "--min-match", value)
    assert result.exit_code == 2, result.output
    assert (value if value != "abc" else "--min-match") in result.stderr


def test_matrix_cache_notices_new_and_replaced_vectors(db_url: str) -> None:
    db: Database = open_database(db_url)
    clear_cache()
    with db.session(write=True) as session:
        add_quote(session, "Greenland is not for sale.", "Mute Egede", new_speaker=True)
    embed_missing(db)
    with db.session() as session:
        first = vector_matrix(session, "all-MiniLM-L6-v2")
        assert vector_matrix(session, "all-MiniLM-L6-v2") is first  # unchanged: cached
    with db.session(write=True) as session:
        add_quote(session, "Tariffs on steel will rise.", "Ann Trader", new_speaker=True)
    embed_missing(db)
    with db.session() as session:
        second = vector_matrix(session, "all-MiniLM-L6-v2")
        assert len(second.ids) == 2 and second is not first
        hits = search(session, "import duties", min_match=-1, mode="semantic", limit=1)
        assert hits[0].quote.text == "Tariffs on steel will rise."
        filtered = search(
            session,
            "import duties",
            mode="semantic",
            min_match=-1,
            filters=QuoteFilters(speaker="Mute Egede"),
        )
        assert [h.quote.speaker for h in filtered] == ["Mute Egede"]


def test_fusion_rewards_agreement() -> None:
    fused = fuse([[1, 2, 3], [2, 4]], limit=10)
    assert fused[0][0] == 2
    assert fused[0][1] < 1.0 and dict(fused)[1] > dict(fused)[4] * 0.99
    assert fuse([[7], [7]], limit=1) == [(7, 1.0)]


def test_matrix_cache_notices_a_deleted_quote(db_url: str) -> None:
    """The stamp is only the highest id; a deletion is caught when a hit is gone."""
    from sqlalchemy import delete

    from quotes.store.models import Quote

    db: Database = open_database(db_url)
    clear_cache()
    with db.session(write=True) as session:
        gone = add_quote(
            session, "Import duties on steel will rise.", "Ann Trader", new_speaker=True
        ).quote_id
        add_quote(session, "Greenland is not for sale.", "Mute Egede", new_speaker=True)
    embed_missing(db)
    with db.session() as session:
        assert (
            search(session, "tariffs on steel", min_match=-1, mode="semantic", limit=1)[0].quote.id
            == gone
        )
    with db.session(write=True) as session:
        session.execute(delete(Quote).where(Quote.id == gone))
    with db.session() as session:
        hits = search(session, "tariffs on steel", min_match=-1, mode="semantic", limit=5)
        assert [h.quote.text for h in hits] == ["Greenland is not for sale."]
        assert len(vector_matrix(session, "all-MiniLM-L6-v2").ids) == 1


def test_matrix_cache_notices_a_replaced_vector(db_url: str) -> None:
    """A re-embedded text is a new row for a quote already in the matrix: reload."""
    from sqlalchemy import select, update

    from quotes.store.models import Embedding, Quote
    from quotes.store.normalize import text_hash

    db: Database = open_database(db_url)
    clear_cache()
    with db.session(write=True) as session:
        quote_id = add_quote(
            session, "Greenland is not for sale.", "Mute Egede", new_speaker=True
        ).quote_id
        add_quote(session, "We love the fishing industry.", "Ann Trader", new_speaker=True)
    embed_missing(db)
    with db.session() as session:
        assert len(vector_matrix(session, "all-MiniLM-L6-v2").ids) == 2
    with db.session(write=True) as session:
        new_text = "Tariffs on steel will rise."
        session.execute(
            update(Quote)
            .where(Quote.id == quote_id)
            .values(text=new_text, text_hash=text_hash(new_text))
        )
    with db.session() as session:
        before = session.scalar(select(Embedding.id).where(Embedding.quote_id == quote_id))
    embed_missing(db)
    with db.session() as session:
        after = session.scalar(select(Embedding.id).where(Embedding.quote_id == quote_id))
        assert before is not None and after is not None and after > before
        matrix = vector_matrix(session, "all-MiniLM-L6-v2")
        assert sorted(matrix.ids.tolist()) == sorted(set(matrix.ids.tolist()))
        assert len(matrix.ids) == 2
        hits = search(session, "import duties", min_match=-1, mode="semantic", limit=1)
        assert hits[0].quote.id == quote_id
