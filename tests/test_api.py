"""The public Python API (``quotes.open``) on both back ends, as a notebook uses it."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import quotes
from quotes.errors import BadInputError, NotFoundError
from quotes.results import QuoteRecord, SearchHit

NATO = "We will come together in NATO with our senior commanders to work out what is necessary."
SOVEREIGNTY = "We cannot negotiate on our sovereignty."


@pytest.fixture
def qdb(db_url: str) -> Iterator[quotes.QuotesDatabase]:
    with quotes.open(db_url) as opened:
        opened.init()
        yield opened


def test_add_get_and_the_contract_shape(qdb: quotes.QuotesDatabase) -> None:
    added = qdb.add(
        SOVEREIGNTY,
        "Mette Frederiksen",
        date="2026-01",
        source="https://example.org/a",
        outlet="DR",
        topics=["Sovereignty"],
    )
    assert added.created and added.speaker_created
    quote = qdb.get(added.id)
    assert isinstance(quote, QuoteRecord)
    assert (quote.text, quote.speaker, quote.date, quote.kind) == (
        SOVEREIGNTY,
        "Mette Frederiksen",
        "2026-01",
        "quote",
    )
    assert quote.topics == ("sovereignty",)
    document = quote.to_dict()
    assert document["sources"] == [{"url": "https://example.org/a", "outlet": "DR", "title": None}]
    assert json.loads(json.dumps(document)) == document  # plain JSON values only
    with pytest.raises(dataclasses.FrozenInstanceError):
        quote.text = "changed"  # type: ignore[misc]

    again = qdb.add(f"  {SOVEREIGNTY} ", "mette frederiksen", source="https://example.org/b")
    assert (again.id, again.created, again.source_attached) == (added.id, False, True)
    assert again.to_dict()["created"] is False


def test_errors_are_the_typed_errors(qdb: quotes.QuotesDatabase) -> None:
    with pytest.raises(NotFoundError, match="no quote with id 999"):
        qdb.get(999)
    with pytest.raises(BadInputError, match="invalid date"):
        qdb.add("Words.", "Someone", date="2026-13-40")
    with pytest.raises(BadInputError, match="unknown topic"):
        qdb.search("words", topic="no such topic")
    with pytest.raises(BadInputError, match="unknown stance label"):
        qdb.search("words", stance="maybe")
    assert quotes.NotFoundError is NotFoundError and issubclass(NotFoundError, quotes.QuotesError)
    assert list(qdb.quotes()) == []  # nothing was written by the failures


def test_label_search_and_the_person_wins(qdb: quotes.QuotesDatabase) -> None:
    qid = qdb.add(SOVEREIGNTY, "Mette Frederiksen", date="2026-01-22").id
    labelled = qdb.label(qid, "sovereignty", "Favor")
    assert (labelled.label, labelled.replaced, labelled.linked) == ("favor", None, True)
    assert qdb.label(qid, "sovereignty", "against").replaced == "favor"
    hits = qdb.search("sovereignty", stance="against", mode="text")
    assert [type(h) for h in hits] == [SearchHit]
    assert hits[0].rank == 1 and hits[0].quote.id == qid
    assert "**sovereignty**" in (hits[0].snippet or "")
    (stance,) = hits[0].quote.effective_stances()
    assert (stance.label, stance.score, stance.method) == ("against", -1.0, "manual")
    assert qdb.search("sovereignty", stance="favor", mode="text") == []


def test_speakers_topics_import_extract_export(qdb: quotes.QuotesDatabase, tmp_path: Path) -> None:
    assert qdb.speakers.add("Mark Rutte", aliases=["Rutte"], role="Secretary General") == (
        "Mark Rutte"
    )
    assert qdb.speakers.alias("Rutte", "NATO chief") == "Mark Rutte"
    qdb.add("A duplicate said twice.", "M. Rutte", new_speaker=True)
    qdb.add("A duplicate said twice.", "Mark Rutte")
    merged = qdb.speakers.merge("M. Rutte", "mark rutte")
    assert (merged.into, merged.moved_quotes, merged.merged_duplicates) == ("Mark Rutte", 0, 1)
    (rutte,) = qdb.speakers.list()
    assert set(rutte.aliases) == {"Rutte", "NATO chief", "M. Rutte"} and rutte.quotes == 1

    assert qdb.topics.add("Arctic", description="d", favor="f", against="a") == "arctic"
    assert "arctic" in [t.name for t in qdb.topics.list()]

    source = tmp_path / "in.csv"
    source.write_text(f'text,speaker,date\n"{NATO}",Rutte,2026-01\n,,\n', encoding="utf-8")
    summary = qdb.import_file(source)
    assert (summary.added, summary.rejected) == (1, 1)
    stream = qdb.import_file(io.BytesIO(source.read_bytes()), format="csv", name="memory")
    assert (stream.added, stream.merged, stream.file) == (0, 1, "memory")

    found = qdb.extract(f'"{SOVEREIGNTY}" Mette Frederiksen said.', save=True, new_speaker=True)
    (one,) = found.quotations
    assert (one.speaker, one.text, one.created) == ("Mette Frederiksen", SOVEREIGNTY, True)
    assert qdb.get(one.id or 0).text == SOVEREIGNTY

    out = io.StringIO()
    assert qdb.export(out, format="jsonl", speaker="Rutte") == 2
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert {q["speaker"] for q in lines} == {"Mark Rutte"}
    assert qdb.export(tmp_path / "all.csv") == 3
    assert (tmp_path / "all.csv").read_text("utf-8").startswith("id,text,speaker")


def test_timeline_without_speakers_picks_the_most_assessed(qdb: quotes.QuotesDatabase) -> None:
    counts = {"Ann Alpha": 3, "Ben Beta": 1, "Cy Gamma": 2, "Di Delta": 4, "Ed Eps": 5, "Fi Phi": 6}
    for name, n in counts.items():
        for i in range(n):
            qid = qdb.add(f"{name} on tariffs, statement {i}.", name, date=f"2025-0{i + 1}").id
            qdb.label(qid, "tariffs", "favor" if i % 2 else "against")
    timeline = qdb.timeline("tariffs")
    assert timeline.speakers == ["Fi Phi", "Ed Eps", "Di Delta", "Ann Alpha", "Cy Gamma"]
    assert {p.speaker for p in timeline.points} == set(timeline.speakers)
    assert qdb.timeline("tariffs", ["Ben Beta"]).speakers == ["Ben Beta"]
    assert qdb.timeline("security").points == []  # nothing assessed: empty, not an error


def test_open_creates_and_the_context_manager_closes(fresh_target: str) -> None:
    with quotes.open(fresh_target) as opened:
        state = opened.schema()
        assert state.up_to_date and state.current == state.head
        assert opened.topics.list() == []
    assert "QuotesDatabase" in repr(opened)


def test_import_quotes_and_open_stay_light(db_url: str) -> None:
    """``import quotes; quotes.open(...)``, add and a text search load no model stack."""
    probe = (
        "import sys, quotes\n"
        "light = not any(m in sys.modules for m in ('sqlalchemy', 'numpy'))\n"
        f"db = quotes.open({db_url!r})\n"
        "db.add('Start-up probe.', 'Probe Person')\n"
        "db.search('probe', mode='text')\n"
        "heavy = [m for m in ('torch', 'sentence_transformers', 'sklearn', 'numpy', 'matplotlib')"
        " if m in sys.modules]\n"
        "print(light, heavy)\n"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True []"


def test_the_public_names_resolve() -> None:
    for name in quotes.__all__:
        assert getattr(quotes, name) is not None
    with pytest.raises(AttributeError):
        quotes.no_such_name  # noqa: B018
    assert quotes.StanceLabel.FAVOR == "favor"
