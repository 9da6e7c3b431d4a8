"""Recording statements: add, dedup, show, through the CLI and the library."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from quotes.errors import BadInputError
from quotes.records.quotes import add_quote, get_quote, quote_to_dict
from quotes.store.engine import Database
from quotes.store.models import Quote, QuoteSource, Source, Speaker

FREDERIKSEN = (
    "We can negotiate on all political issues: security, investments, economics. "
    "But we cannot negotiate on our sovereignty."
)


def test_add_prints_the_id_and_show_returns_everything(cli) -> None:
    cli.ok("init")
    result = cli.ok(
        "add",
        FREDERIKSEN,
        "--speaker",
        "Mette Frederiksen",
        "--date",
        "2026-01-22",
        "--source",
        "https://example.org/dk",
        "--outlet",
        "Reuters",
        "--context",
        "In a statement",
        "--topic",
        "sovereignty",
    )
    quote_id = int(result.stdout.strip())
    shown = json.loads(cli.ok("show", str(quote_id), "--json").stdout)
    assert shown["id"] == quote_id
    assert shown["text"] == FREDERIKSEN
    assert shown["speaker"] == "Mette Frederiksen"
    assert shown["date"] == "2026-01-22"
    assert shown["kind"] == "quote"
    assert shown["sources"] == [
        {"url": "https://example.org/dk", "outlet": "Reuters", "title": None}
    ]
    assert shown["topics"] == ["sovereignty"]
    assert shown["topic_links"][0]["origin"] == "manual"
    assert shown["stances"] == []
    human = cli.ok("show", str(quote_id)).stdout
    assert "Mette Frederiksen" in human and "2026-01-22" in human and "Reuters" in human


def test_month_precision_is_kept(cli) -> None:
    quote_id = cli.ok(
        "add", "Greenland is not for sale.", "--speaker", "Mute Egede", "--date", "2019-08"
    ).stdout.strip()
    shown = json.loads(cli.ok("show", quote_id, "--json").stdout)
    assert shown["date"] == "2019-08"
    assert shown["date_precision"] == "month"


def test_paraphrase_and_stdin(cli) -> None:
    quote_id = cli.ok(
        "add",
        "-",
        "--speaker",
        "Donald Trump",
        "--paraphrase",
        input="Tariffs on European nations are off the table.\n",
    ).stdout.strip()
    shown = json.loads(cli.ok("show", quote_id, "--json").stdout)
    assert shown["kind"] == "paraphrase"
    assert shown["text"] == "Tariffs on European nations are off the table."


def test_same_statement_twice_is_one_quote_with_both_sources(cli, db: Database) -> None:
    first = cli.ok(
        "add",
        "“We cannot negotiate on our sovereignty.”",
        "--speaker",
        "Mette Frederiksen",
        "--source",
        "https://a.example/1",
    ).stdout.strip()
    again = cli.ok(
        "add",
        '"we cannot  negotiate on OUR sovereignty."',
        "--speaker",
        "mette frederiksen",
        "--source",
        "https://b.example/2",
    )
    assert again.stdout.strip() == first
    assert f"Already recorded as quote {first}; new source attached" in again.output
    shown = json.loads(cli.ok("show", first, "--json").stdout)
    assert [s["url"] for s in shown["sources"]] == ["https://a.example/1", "https://b.example/2"]
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Quote)) == 1
        assert session.scalar(select(func.count()).select_from(Speaker)) == 1


def test_same_words_by_another_speaker_are_another_quote(cli) -> None:
    a = cli.ok("add", "We stand with Denmark.", "--speaker", "Ulf Kristersson").stdout.strip()
    b = cli.ok("add", "We stand with Denmark.", "--speaker", "Jonas Gahr Store").stdout.strip()
    assert a != b


def test_add_json_reports_created(cli) -> None:
    first = json.loads(cli.ok("add", "Hello.", "--speaker", "A Person", "--json").stdout)
    second = json.loads(cli.ok("add", "hello.", "--speaker", "A Person", "--json").stdout)
    assert first["created"] is True and second["created"] is False
    assert first["id"] == second["id"]


def test_close_speaker_name_stops_with_a_suggestion(cli, db: Database) -> None:
    cli.ok("add", "We cannot negotiate on our sovereignty.", "--speaker", "Mette Frederiksen")
    result = cli("add", "Another statement.", "--speaker", "Mette Fredriksen")
    assert result.exit_code == 2
    assert "'Mette Frederiksen'" in result.output and "--new-speaker" in result.output
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Quote)) == 1
    forced = cli("add", "Another statement.", "--speaker", "Mette Fredriksen", "--new-speaker")
    assert forced.exit_code == 0, forced.output
    assert "New speaker: Mette Fredriksen" in forced.output


def test_surname_alone_suggests_the_known_speaker(cli) -> None:
    cli.ok("add", "We will come together in NATO.", "--speaker", "Mark Rutte")
    result = cli("add", "Something else.", "--speaker", "Rutte")
    assert result.exit_code == 2
    assert "'Mark Rutte'" in result.output


def test_show_unknown_id_fails(cli) -> None:
    result = cli("show", "4242")
    assert result.exit_code == 1
    assert "4242" in result.output


def test_library_add_and_dict_shape(db: Database) -> None:
    with db.session(write=True) as session:
        result = add_quote(
            session,
            "  The Arctic must stay safe. ",
            "Mark Rutte",
            date="2026-01",
            outlet="Defence Talks",
        )
        quote = quote_to_dict(get_quote(session, result.quote_id))
    assert result.created and result.speaker_created
    assert quote["text"] == "The Arctic must stay safe."
    assert set(quote) >= {"id", "text", "speaker", "date", "kind", "sources", "topics", "stances"}
    assert quote["sources"] == [{"url": None, "outlet": "Defence Talks", "title": None}]


def test_library_rejects_before_writing(db: Database) -> None:
    with (
        pytest.raises(BadInputError, match="unknown topic 'nope'"),
        db.session(write=True) as session,
    ):
        add_quote(session, "Fine text.", "New Person", topics=["nope"])
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Speaker)) == 0
        assert session.scalar(select(func.count()).select_from(Source)) == 0
        assert session.scalar(select(func.count()).select_from(QuoteSource)) == 0
