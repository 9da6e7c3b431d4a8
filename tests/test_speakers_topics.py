"""Speakers (aliases, merge) and topics through the CLI and the library."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from quotes.store.engine import Database
from quotes.store.models import Quote, QuoteSource, Speaker, SpeakerAlias


def test_add_speaker_with_aliases_and_role(cli) -> None:
    cli.ok(
        "speakers",
        "add",
        "Donald Trump",
        "--alias",
        "Trump",
        "--alias",
        "President Trump",
        "--role",
        "President",
        "--organisation",
        "United States",
        "--role-from",
        "2025-01-20",
        "--country",
        "United States",
        "--wikidata",
        "Q22686",
    )
    speakers = json.loads(cli.ok("speakers", "list", "--json").stdout)
    assert speakers == [
        {
            "name": "Donald Trump",
            "aliases": ["President Trump", "Trump"],
            "country": "United States",
            "party": None,
            "wikidata_id": "Q22686",
            "roles": ["President, United States (2025-01-20..)"],
            "quotes": 0,
        }
    ]
    quote_id = cli.ok("add", "Tariffs are off.", "--speaker", "president trump").stdout.strip()
    shown = json.loads(cli.ok("show", quote_id, "--json").stdout)
    assert shown["speaker"] == "Donald Trump"


def test_alias_resolves_case_insensitively(cli) -> None:
    cli.ok("add", "Statement one.", "--speaker", "Mark Rutte")
    cli.ok("speakers", "alias", "mark rutte", "NATO chief")
    quote_id = cli.ok("add", "Statement two.", "--speaker", "nato CHIEF").stdout.strip()
    assert json.loads(cli.ok("show", quote_id, "--json").stdout)["speaker"] == "Mark Rutte"
    listed = json.loads(cli.ok("speakers", "list", "--json").stdout)
    assert listed[0]["quotes"] == 2


def test_alias_conflicts_and_unknowns(cli) -> None:
    cli.ok("speakers", "add", "Mette Frederiksen")
    cli.ok("speakers", "add", "Mark Rutte")
    clash = cli("speakers", "alias", "Mark Rutte", "mette frederiksen")
    assert clash.exit_code == 2 and "already belongs to 'Mette Frederiksen'" in clash.output
    unknown = cli("speakers", "alias", "Nobody Here", "X")
    assert unknown.exit_code == 2 and "'Nobody Here'" in unknown.output
    duplicate = cli("speakers", "add", "MARK RUTTE")
    assert duplicate.exit_code == 2 and "already exists" in duplicate.output
    bad_id = cli("speakers", "add", "New Person", "--wikidata", "12")
    assert bad_id.exit_code == 2 and "'12'" in bad_id.output
    bad_date = cli("speakers", "add", "New Person", "--role", "MP", "--role-from", "soon")
    assert bad_date.exit_code == 2 and "'soon'" in bad_date.output


def test_merge_moves_quotes_and_aliases_and_combines_duplicates(cli, db: Database) -> None:
    keep = cli.ok(
        "add",
        "We cannot negotiate on our sovereignty.",
        "--speaker",
        "Mette Frederiksen",
        "--source",
        "https://a.example/1",
    ).stdout.strip()
    cli.ok(
        "add",
        "We cannot negotiate on our sovereignty.",
        "--speaker",
        "M. Frederiksen",
        "--source",
        "https://b.example/2",
    )
    cli.ok("add", "Greenland is not for sale.", "--speaker", "M. Frederiksen")
    cli.ok("speakers", "alias", "M. Frederiksen", "Mette F.")
    result = cli.ok("speakers", "merge", "M. Frederiksen", "Mette Frederiksen")
    assert "2 quotes moved" not in result.stdout  # one was a duplicate
    assert "1 quote moved, 1 duplicate combined" in result.stdout
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Speaker)) == 1
        assert session.scalar(select(func.count()).select_from(Quote)) == 2
        aliases = set(session.scalars(select(SpeakerAlias.alias)))
        assert aliases == {"Mette Frederiksen", "M. Frederiksen", "Mette F."}
        assert session.scalar(select(func.count()).select_from(QuoteSource)) == 2
    shown = json.loads(cli.ok("show", keep, "--json").stdout)
    assert {s["url"] for s in shown["sources"]} == {"https://a.example/1", "https://b.example/2"}
    again = cli.ok("add", "Greenland is not for sale.", "--speaker", "Mette F.")
    assert "Already recorded" in again.output


def test_merge_refusals_change_nothing(cli, db: Database) -> None:
    cli.ok("add", "One.", "--speaker", "Alpha Person")
    same = cli("speakers", "merge", "Alpha Person", "alpha person")
    assert same.exit_code == 2 and "already the same speaker" in same.output
    missing = cli("speakers", "merge", "Alpha Person", "Nobody Known")
    assert missing.exit_code == 2
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Speaker)) == 1


def test_speakers_list_formats(seeded) -> None:
    table = seeded.ok("speakers", "list").stdout
    assert "Mark Rutte" in table and "Secretary General" in table
    csv_lines = seeded.ok("speakers", "list", "--csv").stdout.splitlines()
    assert csv_lines[0] == "name,aliases,country,party,wikidata_id,roles,quotes"
    assert len(csv_lines) == 4


def test_init_installs_default_topics_once(cli) -> None:
    assert "sovereignty, tariffs, security" in cli.ok("init").stdout
    assert "already present" in cli.ok("init").stdout
    topics = json.loads(cli.ok("topics", "list", "--json").stdout)
    assert [t["name"] for t in topics] == ["security", "sovereignty", "tariffs"]
    sovereignty = next(t for t in topics if t["name"] == "sovereignty")
    assert "territorial integrity" in sovereignty["favor"]
    assert "acquire" in sovereignty["against"]
    tariffs = next(t for t in topics if t["name"] == "tariffs")
    assert "raising tariffs" in tariffs["favor"] and "free trade" in tariffs["against"]
    security = next(t for t in topics if t["name"] == "security")
    assert "deterrence" in security["favor"] and "withdrawal" in security["against"]


def test_topics_add_and_use(cli) -> None:
    cli.ok(
        "topics",
        "add",
        "Arctic Shipping",
        "--description",
        "Shipping routes in the Arctic",
        "--favor",
        "Supports opening Arctic shipping routes",
        "--against",
        "Opposes Arctic shipping",
    )
    names = [t["name"] for t in json.loads(cli.ok("topics", "list", "--json").stdout)]
    assert names == ["arctic shipping"]
    quote_id = cli.ok(
        "add", "Open the routes.", "--speaker", "A B", "--topic", "ARCTIC SHIPPING"
    ).stdout.strip()
    assert json.loads(cli.ok("show", quote_id, "--json").stdout)["topics"] == ["arctic shipping"]
    assert json.loads(cli.ok("topics", "list", "--json").stdout)[0]["quotes"] == 1


def test_topics_add_rejects_bad_values(cli) -> None:
    cli.ok("init")
    dup = cli("topics", "add", "Tariffs", "--description", "d", "--favor", "f", "--against", "a")
    assert dup.exit_code == 2 and "already exists" in dup.output
    empty = cli("topics", "add", "x", "--description", " ", "--favor", "f", "--against", "a")
    assert empty.exit_code == 2 and "--description" in empty.output
    bad = cli("topics", "add", "a/b;", "--description", "d", "--favor", "f", "--against", "a")
    assert bad.exit_code == 2 and "'a/b;'" in bad.output
    missing = cli("topics", "add", "x", "--description", "d")
    assert missing.exit_code == 2
