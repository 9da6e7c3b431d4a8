"""Full-text search: ranking, phrases, highlighting, filters, hostile input."""

from __future__ import annotations

import json

import pytest

from quotes.search.filters import QuoteFilters
from quotes.search.fulltext import parse_query
from quotes.search.query import search
from quotes.store.engine import Database


def _ids(result) -> list[int]:
    return [hit["id"] for hit in json.loads(result.stdout)]


def _texts(result) -> list[str]:
    return [hit["text"] for hit in json.loads(result.stdout)]


def test_parse_query_treats_everything_as_text() -> None:
    assert parse_query('arctic "our sovereignty" tariffs') == [
        ["arctic"],
        ["our", "sovereignty"],
        ["tariffs"],
    ]
    assert parse_query('"unclosed phrase') == [["unclosed"], ["phrase"]]
    assert parse_query("* ( ) AND OR -") == [["AND"], ["OR"]]
    assert parse_query("'; DROP TABLE quotes; --") == [["DROP"], ["TABLE"], ["quotes"]]
    assert parse_query("“curly phrase” here") == [["curly", "phrase"], ["here"]]
    assert parse_query("") == []


def test_words_find_the_statement_with_a_highlighted_snippet(seeded) -> None:
    hits = json.loads(seeded.ok("search", "sovereignty", "--json").stdout)
    assert len(hits) == 1
    hit = hits[0]
    assert hit["speaker"] == "Mette Frederiksen"
    assert hit["rank"] == 1 and hit["match"] > 0
    assert "**sovereignty**" in hit["snippet"]


def test_stemming_matches_other_word_forms(seeded) -> None:
    texts = _texts(seeded.ok("search", "negotiating", "--json"))
    assert texts and "negotiate" in texts[0]


def test_phrase_must_match_in_order(seeded) -> None:
    assert len(_ids(seeded.ok("search", '"senior commanders"', "--json"))) == 1
    assert _ids(seeded.ok("search", '"commanders senior"', "--json")) == []


def test_better_matches_rank_first(cli) -> None:
    cli.ok("add", "Tariffs, tariffs and more tariffs on steel.", "--speaker", "A One")
    cli.ok(
        "add",
        "We discussed many things, tariffs among them, and fisheries and energy "
        "and the weather over several long days of meetings.",
        "--speaker",
        "B Two",
    )
    hits = json.loads(cli.ok("search", "tariffs", "--json").stdout)
    assert [h["speaker"] for h in hits] == ["A One", "B Two"]
    assert hits[0]["match"] > hits[1]["match"]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '""',
        "*",
        "sovereignty*",
        "(sovereignty",
        "sovereignty)",
        "NOT sovereignty",
        "sovereignty OR",
        "text:sovereignty",
        "'; DROP TABLE quotes; --",
        "NEAR(a b)",
        "^",
        "a-b",
        "sovereignty AND",
        '"our sovereignty',
        "%_%",
        "\\",
    ],
)
def test_hostile_queries_are_text_never_errors(seeded, query: str) -> None:
    result = seeded("search", query, "--json")
    assert result.exit_code == 0, result.output
    assert isinstance(json.loads(result.stdout), list)


def test_a_query_with_a_control_character_is_bad_input(seeded) -> None:
    """One text rule everywhere: NUL is refused in one sentence, not searched or crashed on."""
    result = seeded("search", "sovereignty \u0000", "--json")
    assert result.exit_code == 2, result.output
    assert "control character U+0000" in result.output
    assert "Traceback" not in result.output


def test_operators_in_queries_are_words(seeded) -> None:
    assert len(_ids(seeded.ok("search", "sovereignty*", "--json"))) == 1
    assert len(_ids(seeded.ok("search", "(sovereignty)", "--json"))) == 1
    # NOT is a word to find (or a stop word), never an operator excluding "sovereignty"
    new_id = int(
        seeded.ok(
            "add", "We will not trade away sovereignty.", "--speaker", "Mette Frederiksen"
        ).stdout
    )
    assert new_id in _ids(seeded.ok("search", "NOT sovereignty", "--json"))
    assert new_id in _ids(seeded.ok("search", "sovereignty -not", "--json"))


def test_filters_apply(seeded) -> None:
    seeded.ok(
        "add",
        "The Arctic matters to Denmark.",
        "--speaker",
        "Mette Frederiksen",
        "--date",
        "2025-03-01",
        "--topic",
        "security",
    )
    both = _texts(seeded.ok("search", "Arctic", "--json"))
    assert len(both) >= 2
    only = _texts(seeded.ok("search", "Arctic", "--speaker", "frederiksen", "--json"))
    assert only == ["The Arctic matters to Denmark."]
    assert _texts(seeded.ok("search", "Arctic", "--until", "2025", "--json")) == only
    assert "The Arctic matters to Denmark." not in _texts(
        seeded.ok("search", "Arctic", "--since", "2026-01", "--json")
    )
    assert _texts(seeded.ok("search", "Arctic", "--topic", "security", "--json")) == only
    assert _ids(seeded.ok("search", "Arctic", "--topic", "tariffs", "--json")) == []


def test_stance_filter_uses_the_effective_label(db: Database, seeded) -> None:
    from sqlalchemy import select

    from quotes.store.models import Quote, QuoteTopic, StanceAssessment, Topic

    with db.session(write=True) as session:
        topic = session.scalar(select(Topic).where(Topic.name == "sovereignty"))
        quote = session.scalar(select(Quote).where(Quote.text.like("%sovereignty%")))
        assert topic is not None and quote is not None
        session.add(
            StanceAssessment(
                quote_id=quote.id,
                topic_id=topic.id,
                label="against",
                score=-0.3,
                method="auto",
                model="m",
            )
        )
    assert len(_ids(seeded.ok("search", "sovereignty", "--stance", "against", "--json"))) == 1
    with db.session(write=True) as session:
        session.add(
            StanceAssessment(
                quote_id=quote.id, topic_id=topic.id, label="favor", score=1.0, method="manual"
            )
        )
        session.add(QuoteTopic(quote_id=quote.id, topic_id=topic.id, origin="manual"))
    assert _ids(seeded.ok("search", "sovereignty", "--stance", "against", "--json")) == []
    assert (
        len(
            _ids(
                seeded.ok(
                    "search", "sovereignty", "--stance", "favor", "--topic", "sovereignty", "--json"
                )
            )
        )
        == 1
    )


def test_limit_and_csv_and_table(seeded) -> None:
    assert len(_ids(seeded.ok("search", "Arctic OR NATO", "--json"))) <= 20
    assert len(_ids(seeded.ok("search", "arctic", "--json"))) >= 2
    assert len(_ids(seeded.ok("search", "arctic", "--limit", "1", "--json"))) == 1
    csv_out = seeded.ok("search", "sovereignty", "--csv").stdout.splitlines()
    assert csv_out[0].startswith("rank,match,id,speaker")
    assert "Mette Frederiksen" in csv_out[1]
    table = seeded.ok("search", "sovereignty").stdout
    assert "Frederiksen" in table
    assert "No statements match" in seeded.ok("search", "zanzibar").stdout


def test_library_search(db: Database, seeded) -> None:
    with db.session() as session:
        hits = search(session, "Arctic", filters=QuoteFilters(speaker="Mark Rutte"), limit=5)
    assert hits and all(h.quote.speaker == "Mark Rutte" for h in hits)
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))


def test_search_sees_edits_and_deletes(db: Database, seeded) -> None:
    from sqlalchemy import delete, select, update

    from quotes.store.models import Quote

    with db.session(write=True) as session:
        quote_id = session.scalar(select(Quote.id).where(Quote.text.like("%sovereignty%")))
        session.execute(
            update(Quote).where(Quote.id == quote_id).values(text="Kalaallit Nunaat is ours.")
        )
    assert _ids(seeded.ok("search", "sovereignty", "--json")) == []
    assert _ids(seeded.ok("search", "Kalaallit", "--json")) == [quote_id]
    with db.session(write=True) as session:
        session.execute(delete(Quote).where(Quote.id == quote_id))
    assert _ids(seeded.ok("search", "Kalaallit", "--json")) == []
