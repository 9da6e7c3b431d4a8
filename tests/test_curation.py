"""Curation commands through the CLI: edit, delete, history, restore, topic links,
labels, topic and speaker edits. Both back ends; bad input as carefully as good."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select

from quotes.store.engine import open_database
from quotes.store.models import (
    HistoryEntry,
    Quote,
    QuoteTopic,
    Speaker,
    StanceAssessment,
    Topic,
    TopicRejection,
)

FREDERIKSEN = "Mette Frederiksen"
SOVEREIGNTY = "We cannot negotiate on our sovereignty."


def _add(cli, text: str, speaker: str = FREDERIKSEN, *extra: str) -> int:
    result = cli.ok("add", text, "--speaker", speaker, "--new-speaker", "--json", *extra)
    return int(json.loads(result.stdout)["id"])


def _show(cli, quote_id: int) -> dict[str, Any]:
    return json.loads(cli.ok("show", str(quote_id), "--json").stdout)


def _history(cli, quote_id: int) -> list[dict[str, Any]]:
    return json.loads(cli.ok("history", str(quote_id), "--json").stdout)


def _history_rows(url: str) -> list[tuple[int, str, int, str, str]]:
    with open_database(url).session() as session:
        return [
            (row.id, row.entity, row.entity_id, row.action, row.snapshot)
            for row in session.scalars(select(HistoryEntry).order_by(HistoryEntry.id))
        ]


def _count(url: str, model: type) -> int:
    with open_database(url).session() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _one_line_error(result, code: int, *needles: str) -> None:
    assert result.exit_code == code, result.output
    message = result.output.strip()
    assert "Traceback" not in message and message.count("\n") == 0, message
    for needle in needles:
        assert needle in message, message


def _add_auto_results(url: str, quote_id: int, topic: str, *, link: bool = True) -> None:
    """What `stance assign` would have written: an automatic link and assessment."""
    with open_database(url).session(write=True) as session:
        topic_id = session.scalar(select(Topic.id).where(Topic.name == topic))
        if link:
            session.add(
                QuoteTopic(quote_id=quote_id, topic_id=topic_id, origin="auto", confidence=0.5)
            )
        session.add(
            StanceAssessment(
                quote_id=quote_id,
                topic_id=topic_id,
                label="against",
                score=-0.4,
                method="auto",
                model="fake-model zero-shot abc",
                confidence=0.7,
            )
        )


# -- edit -----------------------------------------------------------------------------


def test_edit_changes_fields_and_keeps_the_previous_version(seeded) -> None:
    quote_id = _add(seeded, "We can not negociate on our sovereignty", FREDERIKSEN)
    result = seeded.ok(
        "edit",
        str(quote_id),
        "--text",
        SOVEREIGNTY,
        "--date",
        "2026-01",
        "--context",
        "Press conference in Copenhagen.",
        "--paraphrase",
    )
    assert result.stdout.strip() == f"Quote {quote_id} updated: text, date, context, kind."
    shown = _show(seeded, quote_id)
    assert (shown["text"], shown["date"], shown["context"], shown["kind"]) == (
        SOVEREIGNTY,
        "2026-01",
        "Press conference in Copenhagen.",
        "paraphrase",
    )
    (version,) = _history(seeded, quote_id)
    assert version["action"] == "edit"
    assert version["changes"]["text"] == {
        "from": "We can not negociate on our sovereignty",
        "to": SOVEREIGNTY,
    }
    assert version["changes"]["date"] == {"from": None, "to": "2026-01"}
    assert version["changes"]["kind"] == {"from": "quote", "to": "paraphrase"}
    assert version["snapshot"]["text"] == "We can not negociate on our sovereignty"
    # Back to a quote, the date removed: a second version.
    seeded.ok("edit", str(quote_id), "--quote", "--date", "")
    shown = _show(seeded, quote_id)
    assert (shown["kind"], shown["date"]) == ("quote", None)
    assert [v["action"] for v in _history(seeded, quote_id)] == ["edit", "edit"]
    # Text search finds the new words, not the old ones.
    hits = json.loads(seeded.ok("search", "negotiate", "--mode", "text", "--json").stdout)
    assert quote_id in [h["id"] for h in hits]
    hits = json.loads(seeded.ok("search", "negociate", "--mode", "text", "--json").stdout)
    assert quote_id not in [h["id"] for h in hits]


def test_edit_moves_a_quote_to_another_existing_speaker(seeded) -> None:
    quote_id = _add(seeded, "The Arctic matters to all of us.", "Mark Rutte")
    seeded.ok("edit", str(quote_id), "--speaker", "frederiksen")
    assert _show(seeded, quote_id)["speaker"] == FREDERIKSEN
    (version,) = _history(seeded, quote_id)
    assert version["changes"]["speaker"] == {"from": "Mark Rutte", "to": FREDERIKSEN}


def test_edit_that_changes_nothing_writes_nothing(seeded) -> None:
    quote_id = _add(seeded, SOVEREIGNTY)
    before = _history_rows(seeded.url)
    result = seeded.ok("edit", str(quote_id), "--text", f"  {SOVEREIGNTY} ")
    assert "nothing changed" in result.stdout
    assert _history_rows(seeded.url) == before


def test_edit_text_drops_vectors_and_automatic_results_but_keeps_a_persons(seeded) -> None:
    quote_id = _add(seeded, SOVEREIGNTY, FREDERIKSEN, "--topic", "sovereignty")
    seeded.ok("stance", "label", str(quote_id), "--topic", "sovereignty", "--stance", "favor")
    _add_auto_results(seeded.url, quote_id, "security")
    result = seeded.ok("edit", str(quote_id), "--text", "Greenland is not for sale.", "--json")
    document = json.loads(result.stdout)
    assert document["edit"]["assessments_removed"] == 1
    assert document["edit"]["links_removed"] == 1
    assert document["topics"] == ["sovereignty"]
    assert [(s["topic"], s["method"]) for s in document["stances"]] == [("sovereignty", "manual")]


@pytest.mark.parametrize(
    ("args", "code", "needles"),
    [
        (["999", "--text", "x"], 1, ["no quote 999"]),
        (["{id}", "--speaker", "Nobody Known"], 2, ["'Nobody Known'"]),
        (["{id}", "--date", "2026-02-30"], 2, ["'2026-02-30'", "YYYY-MM-DD"]),
        (["{id}", "--text", "   "], 2, ["text is empty"]),
        (["{id}"], 2, ["nothing to edit"]),
    ],
)
def test_edit_bad_input_changes_nothing(seeded, args, code, needles) -> None:
    quote_id = _add(seeded, SOVEREIGNTY)
    before = (_show(seeded, quote_id), _history_rows(seeded.url))
    result = seeded("edit", *[a.replace("{id}", str(quote_id)) for a in args])
    _one_line_error(result, code, *needles)
    assert (_show(seeded, quote_id), _history_rows(seeded.url)) == before


def test_edit_into_another_quotes_statement_needs_merge(seeded) -> None:
    kept = _add(seeded, SOVEREIGNTY, FREDERIKSEN, "--source", "https://example.com/kept")
    typo = _add(
        seeded,
        "We cannot negotiate on our soverenity.",
        FREDERIKSEN,
        "--source",
        "https://example.com/typo",
        "--outlet",
        "Wire",
        "--date",
        "2026-01-21",
        "--topic",
        "security",
    )
    seeded.ok("stance", "label", str(typo), "--topic", "sovereignty", "--stance", "favor")
    seeded.ok("topics", "unlink", str(typo), "tariffs")
    before = (_show(seeded, kept), _show(seeded, typo), _history_rows(seeded.url))

    refused = seeded("edit", str(typo), "--text", "“we cannot negotiate on our sovereignty.”")
    _one_line_error(refused, 2, f"quote {kept}", "--merge", FREDERIKSEN)
    assert (_show(seeded, kept), _show(seeded, typo), _history_rows(seeded.url)) == before

    result = seeded.ok(
        "edit", str(typo), "--text", "“we cannot negotiate on our sovereignty.”", "--merge"
    )
    assert f"merged into quote {kept}" in result.stdout
    assert seeded("show", str(typo)).exit_code == 1
    survivor = _show(seeded, kept)
    assert survivor["text"] == SOVEREIGNTY
    assert survivor["date"] == "2026-01-21"  # it had none: taken from the merged quote
    assert [s["url"] for s in survivor["sources"]] == [
        "https://example.com/kept",
        "https://example.com/typo",
    ]
    assert sorted(survivor["topics"]) == ["security", "sovereignty"]
    assert [(s["topic"], s["label"], s["method"]) for s in survivor["stances"]] == [
        ("sovereignty", "favor", "manual")
    ]
    with open_database(seeded.url).session() as session:
        rejected = session.scalars(
            select(Topic.name).join(TopicRejection).where(TopicRejection.quote_id == kept)
        ).all()
    assert rejected == ["tariffs"]
    # The merged quote's history is kept, its last version says where it went.
    versions = _history(seeded, typo)
    assert versions[-1]["action"] == "merge"
    assert versions[-1]["snapshot"]["merged_into"] == kept
    assert versions[-1]["snapshot"]["text"] == "We cannot negotiate on our soverenity."
    assert _history(seeded, kept)[-1]["action"] == "edit"


# -- delete, history, restore -------------------------------------------------------------


def test_delete_needs_yes_when_nobody_can_answer(seeded) -> None:
    quote_id = _add(seeded, SOVEREIGNTY)
    _one_line_error(seeded("delete", str(quote_id)), 2, "--yes")
    assert _show(seeded, quote_id)["id"] == quote_id
    assert _history_rows(seeded.url) == []


def test_delete_asks_on_a_terminal(seeded, monkeypatch: pytest.MonkeyPatch) -> None:
    from quotes.cli import curation_commands

    monkeypatch.setattr(curation_commands, "_interactive", lambda: True)
    quote_id = _add(seeded, SOVEREIGNTY)
    refused = seeded("delete", str(quote_id), input="n\n")
    assert refused.exit_code == 1, refused.output
    assert SOVEREIGNTY in refused.stdout and "Delete 1 quote?" in refused.stdout
    assert _show(seeded, quote_id)["id"] == quote_id
    seeded.ok("delete", str(quote_id), input="y\n")
    assert seeded("show", str(quote_id)).exit_code == 1


def test_delete_with_an_unknown_id_deletes_nothing(seeded) -> None:
    quote_id = _add(seeded, SOVEREIGNTY)
    _one_line_error(seeded("delete", str(quote_id), "999", "--yes"), 1, "no quote 999")
    assert _show(seeded, quote_id)["id"] == quote_id
    assert _history_rows(seeded.url) == []


def test_delete_several_and_restore_one(seeded) -> None:
    first = _add(seeded, SOVEREIGNTY)
    second = _add(seeded, "Greenland is not for sale.")
    result = seeded.ok("delete", str(first), str(second), str(first), "--yes")
    assert result.stdout.startswith(f"Deleted quotes {first}, {second} ")
    assert _count(seeded.url, Quote) == 8  # the seed quotes remain
    seeded.ok("restore", str(second))
    assert _show(seeded, second)["text"] == "Greenland is not for sale."
    assert seeded("show", str(first)).exit_code == 1


def test_deleted_quote_comes_back_with_sources_links_and_labels(seeded) -> None:
    quote_id = _add(
        seeded,
        SOVEREIGNTY,
        FREDERIKSEN,
        "--source",
        "https://example.com/a",
        "--outlet",
        "Reuters",
        "--date",
        "2026-01-21",
        "--context",
        "After the talks.",
        "--topic",
        "sovereignty",
        "--paraphrase",
    )
    _add(seeded, SOVEREIGNTY, FREDERIKSEN, "--source", "https://example.com/b")
    seeded.ok("stance", "label", str(quote_id), "--topic", "security", "--stance", "against")
    seeded.ok("topics", "unlink", str(quote_id), "tariffs")
    _add_auto_results(seeded.url, quote_id, "security", link=False)
    original = _show(seeded, quote_id)
    assert len(original["sources"]) == 2 and len(original["stances"]) == 2

    seeded.ok("delete", str(quote_id), "--yes")
    assert seeded("show", str(quote_id)).exit_code == 1
    versions = _history(seeded, quote_id)
    assert versions[-1]["action"] == "delete"
    assert versions[-1]["snapshot"]["text"] == SOVEREIGNTY
    text = seeded.ok("history", str(quote_id)).stdout
    assert "delete" in text and "2 sources" in text

    result = seeded.ok("restore", str(quote_id))
    assert "with 2 sources, 2 topic links and 2 stances" in result.stdout
    restored = _show(seeded, quote_id)
    for key in ("id", "text", "speaker", "date", "kind", "context", "sources", "topics"):
        assert restored[key] == original[key], key
    assert restored["topic_links"] == original["topic_links"]
    assert restored["stances"] == original["stances"]
    assert restored["created_at"] == original["created_at"]
    with open_database(seeded.url).session() as session:
        assert session.get(TopicRejection, (quote_id, _topic_id(session, "tariffs"))) is not None
    assert [v["action"] for v in _history(seeded, quote_id)][-2:] == ["delete", "restore"]
    # Restoring a quote that exists is a clear error and changes nothing.
    before = _history_rows(seeded.url)
    _one_line_error(seeded("restore", str(quote_id)), 1, f"quote {quote_id} exists")
    assert _history_rows(seeded.url) == before


def _topic_id(session, name: str) -> int:
    return int(session.scalar(select(Topic.id).where(Topic.name == name)))


def test_restore_recreates_a_speaker_that_is_gone(seeded) -> None:
    cli = seeded
    cli.ok("speakers", "add", "Kari Hunter", "--country", "Norway", "--alias", "K. Hunter")
    quote_id = _add(cli, "Whales belong to everyone.", "Kari Hunter")
    cli.ok("delete", str(quote_id), "--yes")
    with open_database(cli.url).session(write=True) as session:
        session.delete(session.scalar(select(Speaker).where(Speaker.name == "Kari Hunter")))
    result = cli.ok("restore", str(quote_id))
    assert "speaker recreated" in result.stdout
    assert _show(cli, quote_id)["speaker"] == "Kari Hunter"
    speakers = {s["name"]: s for s in json.loads(cli.ok("speakers", "list", "--json").stdout)}
    assert speakers["Kari Hunter"]["country"] == "Norway"
    assert speakers["Kari Hunter"]["aliases"] == ["K. Hunter"]


def test_restore_finds_a_renamed_speaker_by_the_old_name(seeded) -> None:
    quote_id = _add(seeded, SOVEREIGNTY)
    seeded.ok("delete", str(quote_id), "--yes")
    seeded.ok("speakers", "edit", FREDERIKSEN, "--name", "Mette Frederiksen (PM)")
    seeded.ok("restore", str(quote_id))
    assert _show(seeded, quote_id)["speaker"] == "Mette Frederiksen (PM)"


def test_restore_refuses_when_the_statement_exists_again(seeded) -> None:
    quote_id = _add(seeded, SOVEREIGNTY)
    seeded.ok("delete", str(quote_id), "--yes")
    again = _add(seeded, SOVEREIGNTY, FREDERIKSEN, "--outlet", "AP")
    if again == quote_id:  # SQLite may give the freed id to the next quote
        _one_line_error(seeded("restore", str(quote_id)), 1, "a newer quote took")
        return
    _one_line_error(seeded("restore", str(quote_id)), 2, f"quote {again}")


def test_history_and_restore_bad_input(seeded) -> None:
    _one_line_error(seeded("history", "999"), 1, "no quote 999")
    _one_line_error(seeded("restore", "999"), 1, "no deleted quote 999")
    quote_id = _add(seeded, SOVEREIGNTY)
    assert seeded.ok("history", str(quote_id)).stdout.strip() == (
        f"Quote {quote_id} has no earlier versions."
    )
    assert _history(seeded, quote_id) == []


def test_history_is_append_only(seeded) -> None:
    quote_id = _add(seeded, SOVEREIGNTY, FREDERIKSEN, "--topic", "security")
    steps = [
        ("edit", str(quote_id), "--date", "2026"),
        ("stance", "label", str(quote_id), "--topic", "security", "--stance", "favor"),
        ("stance", "label", str(quote_id), "--topic", "security", "--stance", "neutral"),
        ("stance", "unlabel", str(quote_id), "--topic", "security"),
        ("topics", "unlink", str(quote_id), "security"),
        ("topics", "link", str(quote_id), "security"),
        ("delete", str(quote_id), "--yes"),
        ("restore", str(quote_id)),
        ("speakers", "edit", FREDERIKSEN, "--party", "Social Democrats (S)"),
        ("topics", "edit", "security", "--description", "Defence, NATO and the Arctic."),
    ]
    seen: list[tuple[int, str, int, str, str]] = []
    for step in steps:
        seeded.ok(*step)
        rows = _history_rows(seeded.url)
        assert rows[: len(seen)] == seen, step  # earlier rows never change
        assert len(rows) == len(seen) + 1, step  # each step adds exactly one version
        seen = rows
    actions = [v["action"] for v in _history(seeded, quote_id)]
    assert actions == ["edit", "label", "label", "unlabel", "unlink", "link", "delete", "restore"]
    labels = [v["changes"].get("labels") for v in _history(seeded, quote_id)[1:4]]
    assert labels == [
        {"from": [], "to": ["security: favor"]},
        {"from": ["security: favor"], "to": ["security: neutral"]},
        {"from": ["security: neutral"], "to": []},
    ]


# -- topic links and labels -------------------------------------------------------------


def test_link_unlink_and_link_again(seeded) -> None:
    quote_id = _add(seeded, SOVEREIGNTY)
    assert (
        "linked to sovereignty by hand"
        in seeded.ok("topics", "link", str(quote_id), "sovereignty").stdout
    )
    assert "already linked" in seeded.ok("topics", "link", str(quote_id), "Sovereignty").stdout
    seeded.ok("stance", "label", str(quote_id), "--topic", "sovereignty", "--stance", "favor")
    result = seeded.ok("topics", "unlink", str(quote_id), "sovereignty")
    assert "no longer linked to sovereignty" in result.stdout
    assert "label favor" in result.stderr
    shown = _show(seeded, quote_id)
    assert shown["topics"] == [] and shown["stances"] == []
    with open_database(seeded.url).session() as session:
        assert _count(seeded.url, TopicRejection) == 1
        assert session.get(TopicRejection, (quote_id, _topic_id(session, "sovereignty")))
    assert "already marked" in seeded.ok("topics", "unlink", str(quote_id), "sovereignty").stdout
    # A person's later link clears the rejection (here through `add --topic`).
    _add(seeded, SOVEREIGNTY, FREDERIKSEN, "--topic", "sovereignty")
    assert _show(seeded, quote_id)["topic_links"] == [
        {"topic": "sovereignty", "origin": "manual", "confidence": None}
    ]
    assert _count(seeded.url, TopicRejection) == 0


def test_link_upgrades_an_automatic_link(seeded) -> None:
    quote_id = _add(seeded, SOVEREIGNTY)
    _add_auto_results(seeded.url, quote_id, "tariffs")
    seeded.ok("topics", "link", str(quote_id), "tariffs")
    assert _show(seeded, quote_id)["topic_links"] == [
        {"topic": "tariffs", "origin": "manual", "confidence": None}
    ]


@pytest.mark.parametrize("command", ["link", "unlink"])
def test_link_and_unlink_bad_input(seeded, command) -> None:
    quote_id = _add(seeded, SOVEREIGNTY)
    _one_line_error(seeded("topics", command, "999", "sovereignty"), 1, "no quote 999")
    _one_line_error(seeded("topics", command, str(quote_id), "weather"), 2, "'weather'")
    assert _history_rows(seeded.url) == [] and _count(seeded.url, TopicRejection) == 0


def test_unlabel(seeded) -> None:
    quote_id = _add(seeded, SOVEREIGNTY)
    seeded.ok("stance", "label", str(quote_id), "--topic", "sovereignty", "--stance", "against")
    result = seeded.ok("stance", "unlabel", str(quote_id), "--topic", "SOVEREIGNTY")
    assert f"Removed the label against of quote {quote_id} on sovereignty" in result.stdout
    shown = _show(seeded, quote_id)
    assert shown["stances"] == [] and shown["topics"] == ["sovereignty"]
    assert _history(seeded, quote_id)[-1]["snapshot"]["stances"][0]["label"] == "against"
    before = _history_rows(seeded.url)
    unlabelled = seeded("stance", "unlabel", str(quote_id), "--topic", "sovereignty")
    _one_line_error(unlabelled, 2, "no person's label")
    _one_line_error(seeded("stance", "unlabel", str(quote_id), "--topic", "x"), 2, "'x'")
    _one_line_error(seeded("stance", "unlabel", "999", "--topic", "tariffs"), 1, "no quote 999")
    assert _history_rows(seeded.url) == before


# -- topics edit --------------------------------------------------------------------------


def test_topics_edit_redoes_automatic_results(seeded) -> None:
    quote_id = _add(seeded, SOVEREIGNTY)
    other = _add(seeded, "Tariffs are coming off.", "Donald Trump")
    _add_auto_results(seeded.url, quote_id, "tariffs")
    seeded.ok("stance", "label", str(other), "--topic", "tariffs", "--stance", "favor")
    result = seeded.ok(
        "topics", "edit", "Tariffs", "--favor", "Tariffs protect our industry.", "--against", "x y"
    )
    assert "Topic tariffs updated: favor, against" in result.stdout
    assert "Removed 1 automatic stance and 1 automatic topic link" in result.stdout
    assert "quotes stance assign --topic tariffs" in result.stdout
    assert _show(seeded, quote_id)["topics"] == []
    assert _show(seeded, other)["stances"][0]["method"] == "manual"  # a person's label stays
    topics = {t["name"]: t for t in json.loads(seeded.ok("topics", "list", "--json").stdout)}
    assert topics["tariffs"]["favor"] == "Tariffs protect our industry."
    (row,) = [r for r in _history_rows(seeded.url) if r[1] == "topic"]
    assert row[3] == "edit" and json.loads(row[4])["favor"].startswith("Supports imposing")
    assert "nothing changed" in seeded.ok("topics", "edit", "tariffs", "--against", "x y").stdout
    (version,) = json.loads(seeded.ok("topics", "history", "tariffs", "--json").stdout)
    assert version["changes"]["favor"]["to"] == "Tariffs protect our industry."
    assert "favor:" in seeded.ok("topics", "history", "tariffs").stdout
    _one_line_error(seeded("topics", "history", "weather"), 2, "'weather'")


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["weather", "--favor", "x"], ["'weather'"]),
        (["tariffs", "--favor", "  "], ["--favor is empty"]),
        (["tariffs"], ["nothing to edit"]),
    ],
)
def test_topics_edit_bad_input(seeded, args, needles) -> None:
    before = json.loads(seeded.ok("topics", "list", "--json").stdout)
    _one_line_error(seeded("topics", "edit", *args), 2, *needles)
    assert json.loads(seeded.ok("topics", "list", "--json").stdout) == before
    assert _history_rows(seeded.url) == []


# -- speakers edit and role -----------------------------------------------------------------


def _speaker(cli, name: str) -> dict[str, Any]:
    speakers = json.loads(cli.ok("speakers", "list", "--json").stdout)
    return next(s for s in speakers if s["name"] == name)


def test_speakers_edit_renames_and_keeps_the_old_name(cli) -> None:
    cli.ok("speakers", "add", "Mette Fredriksen", "--country", "Danmark")
    quote_id = _add(cli, SOVEREIGNTY, "Mette Fredriksen")
    result = cli.ok(
        "speakers",
        "edit",
        "mette fredriksen",
        "--name",
        FREDERIKSEN,
        "--country",
        "Denmark",
        "--party",
        "Social Democrats",
        "--wikidata",
        "Q57652",
    )
    assert f"Speaker {FREDERIKSEN} updated: name, country, party, wikidata." in result.stdout
    speaker = _speaker(cli, FREDERIKSEN)
    assert speaker["aliases"] == ["Mette Fredriksen"]
    assert (speaker["country"], speaker["party"], speaker["wikidata_id"]) == (
        "Denmark",
        "Social Democrats",
        "Q57652",
    )
    assert _show(cli, quote_id)["speaker"] == FREDERIKSEN
    assert _add(cli, SOVEREIGNTY, "Mette Fredriksen") == quote_id  # the old name still resolves
    cli.ok("speakers", "edit", FREDERIKSEN, "--party", "")
    assert _speaker(cli, FREDERIKSEN)["party"] is None
    rows = [r for r in _history_rows(cli.url) if r[1] == "speaker"]
    assert [r[3] for r in rows] == ["edit", "edit"]
    assert json.loads(rows[0][4])["name"] == "Mette Fredriksen"
    versions = json.loads(cli.ok("speakers", "history", "Mette Fredriksen", "--json").stdout)
    assert versions[0]["changes"]["name"] == {"from": "Mette Fredriksen", "to": FREDERIKSEN}
    assert versions[1]["changes"] == {"party": {"from": "Social Democrats", "to": None}}
    _one_line_error(cli("speakers", "history", "Nobody Known"), 2, "'Nobody Known'")


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["Nobody Known", "--country", "X"], ["'Nobody Known'"]),
        (["Mette Frederiksen", "--name", "rutte"], ["Mark Rutte", "speakers merge"]),
        (["Mette Frederiksen", "--wikidata", "57652"], ["'57652'", "Q12345"]),
        (["Mette Frederiksen", "--wikidata", "Q1"], ["Mark Rutte", "speakers merge"]),
        (["Mette Frederiksen", "--name", "  "], ["name is empty"]),
        (["Mette Frederiksen"], ["nothing to edit"]),
    ],
)
def test_speakers_edit_bad_input(seeded, args, needles) -> None:
    seeded.ok("speakers", "edit", "Mark Rutte", "--wikidata", "Q1")
    before = (seeded.ok("speakers", "list", "--json").stdout, _history_rows(seeded.url))
    _one_line_error(seeded("speakers", "edit", *args), 2, *needles)
    assert (seeded.ok("speakers", "list", "--json").stdout, _history_rows(seeded.url)) == before


def test_speakers_role(cli) -> None:
    cli.ok("speakers", "add", FREDERIKSEN)
    result = cli.ok(
        "speakers",
        "role",
        "mette FREDERIKSEN",
        "--role",
        "Prime Minister",
        "--organisation",
        "Denmark",
        "--from",
        "2019-06",
        "--to",
        "2026",
    )
    assert "Added role Prime Minister, Denmark (2019-06-01..2026-12-31)" in result.stdout
    again = cli.ok(
        "speakers", "role", FREDERIKSEN, "--role", "Prime Minister", "--organisation", "Denmark",
        "--from", "2019-06", "--to", "2026",
    )  # fmt: skip
    assert "already has the role" in again.stdout
    cli.ok("speakers", "role", FREDERIKSEN, "--role", "Minister of Employment", "--from", "2011")
    assert _speaker(cli, FREDERIKSEN)["roles"] == [
        "Minister of Employment (2011-01-01..)",
        "Prime Minister, Denmark (2019-06-01..2026-12-31)",
    ]
    assert [r[3] for r in _history_rows(cli.url)] == ["role", "role"]


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["--role", "PM", "--from", "2020", "--to", "2019-12"], ["after it ends"]),
        (["--role", "PM", "--from", "June 2019"], ["'June 2019'", "YYYY-MM-DD"]),
        (["--role", "  "], ["role is empty"]),
    ],
)
def test_speakers_role_bad_input(cli, args, needles) -> None:
    cli.ok("speakers", "add", FREDERIKSEN)
    _one_line_error(cli("speakers", "role", FREDERIKSEN, *args), 2, *needles)
    _one_line_error(cli("speakers", "role", "Nobody Known", "--role", "PM"), 2, "'Nobody Known'")
    assert _speaker(cli, FREDERIKSEN)["roles"] == []
    assert _history_rows(cli.url) == []
