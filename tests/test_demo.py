"""``quotes demo``: the whole main job with the real default model, on both back ends."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from quotes.demo import CURATOR, STORY_READINGS, demo_search
from quotes.store.engine import open_database
from quotes.timelines.query import most_assessed
from quotes.vocabulary import DEFAULT_MIN_CONFIDENCE

pytestmark = [pytest.mark.model, pytest.mark.slow]

STEPS = (
    "1/8 Load the seed quotations and the ParlEE sample",
    "2/8 Embed",
    "3/8 Assign topics and stances",
    "4/8 A person reads the Greenland story",
    "5/8 Positions with their receipts (the Greenland story)",
    '6/8 Hybrid search for "sovereignty"',
    "7/8 Stance groups per default topic",
    "8/8 Timeline of the most-quoted speakers, and the shifts that pass the rule",
)


def test_demo_runs_every_step_and_writes_both_charts(cli: Any, db_url: str, tmp_path: Path) -> None:
    out = tmp_path / "charts"
    out.mkdir()
    first = cli.ok("demo", "--output-dir", str(out)).stdout
    for step in STEPS:
        assert step in first
    assert "Seed article: 8 added, 0 already present" in first
    assert "ParlEE sample (UK Commons 2009-2014): 158 added, 0 already present" in first
    assert "166 quotes embedded" in first
    for topic in ("sovereignty", "tariffs", "security"):
        assert f"{topic}: " in first and "stance group" in first
    # The assignment's counts say how many estimates would count in a published claim.
    assert "reach confidence 0.70, the bar for published claims" in _flat(first).replace(
        "reaches", "reach"
    )
    database = open_database(db_url)
    with database.session() as session:
        picked = most_assessed(session, min_confidence=DEFAULT_MIN_CONFIDENCE)
    png, html = out / "timeline.png", out / "timeline.html"
    if picked is None:  # no stance is confident enough to chart: the demo says so
        assert "No quote has a stance that counts yet" in first
        assert not png.exists() and not html.exists()
    else:
        _check_timeline(cli, first, picked, png, html)
    _check_story(cli, first)
    _check_shifts(db_url, first)
    # Hybrid search puts statements that say "sovereignty" first.
    hits = demo_search(database)
    assert hits and "sovereignty" in hits[0]["text"].lower()
    # Running again finds everything in place and re-embeds nothing.
    again = cli.ok("demo", "--output-dir", str(out)).stdout
    assert "Seed article: 0 added, 8 already present" in again
    assert "0 quotes embedded" in again


def test_demo_checks_the_output_folder_before_doing_anything(
    run_cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("demo", "--output-dir", str(tmp_path / "missing"))
    assert result.exit_code == 2, result.output
    assert "does not exist" in result.output
    assert list(tmp_path.iterdir()) == []  # not even the demo database


def test_demo_defaults_to_a_file_in_the_current_folder(
    run_cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    elsewhere = tmp_path / "configured.db"
    monkeypatch.setenv("QUOTES_DATABASE_URL", str(elsewhere))
    result = run_cli("demo")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "quotes-demo.db").exists()
    assert not elsewhere.exists()  # the demo never writes to the configured database
    charted = "No quote has a stance that counts yet" not in result.output
    assert (tmp_path / "timeline.png").exists() is charted
    assert (tmp_path / "timeline.html").exists() is charted


def _check_timeline(
    cli: Any, first: str, picked: tuple[str, list[str]], png: Path, html: Path
) -> None:
    topic, speakers = picked
    assert f"Stance on {topic} by year" in first
    assert f"shifts on {topic}: `quotes shifts --topic {topic} --by year`" in first
    assert f"Wrote {png.resolve()}" in first and f"Wrote {html.resolve()}" in first
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    page = html.read_text("utf-8")
    assert "<svg" in page and all(f'data-speaker="{s}"' in page for s in speakers)
    rows = json.loads(
        cli.ok(
            "timeline",
            "--topic",
            topic,
            *[a for s in speakers for a in ("--speaker", s)],
            "--by",
            "year",
            "--format",
            "json",
        ).stdout
    )
    assert {r["speaker"] for r in rows} == set(speakers)


def _flat(text: str) -> str:
    return " ".join(text.split())  # rich wraps long lines


def _check_story(cli: Any, first: str) -> None:
    """The curator's labels are visible, each position names its receipts, and
    the Trump paraphrase is never shown inside quotation marks."""
    flat = _flat(first)
    assert f"Labels by {CURATOR}" in flat
    for reading in STORY_READINGS:
        assert _flat(f"why: {reading.reason}") in flat
    assert "Mark Rutte on security: favor" in flat
    assert "Rests on 3 labelled quotes." in flat
    assert "Mette Frederiksen on sovereignty: favor" in flat
    assert "Rests on 1 labelled quote." in flat
    assert "Donald Trump on tariffs: not enough evidence" in flat
    assert "(paraphrase) A framework regarding Greenland" in flat
    assert "\u201cA framework" not in flat and '"A framework' not in flat
    # The published positions are what `quotes position` says, from labels a person gave.
    rutte = json.loads(
        cli.ok("position", "--speaker", "Mark Rutte", "--topic", "security", "--json").stdout
    )
    assert rutte["position"] == "favor" and rutte["evidence"]["labelled"] == 3
    assert {q["method"] for q in rutte["for"]} == {"manual"}
    assert rutte["against"] == []
    trump = json.loads(
        cli.ok("position", "--speaker", "Donald Trump", "--topic", "tariffs", "--json").stdout
    )
    assert trump["position"] == "not enough evidence"
    assert trump["evidence"]["labelled"] == 0


def _check_shifts(db_url: str, first: str) -> None:
    """Every shift the demo shows rests on named evidence that passes the rule;
    with none, the demo says so plainly."""
    from quotes.api import open as open_quotes

    found = {by: open_quotes(db_url).shifts(by=by) for by in ("month", "year")}
    flat = _flat(first)
    if not any(found.values()):
        assert "No stance shift can be defended on this data, so the demo shows none" in flat
        assert "Stance shifts" not in first
        return
    for shifts in found.values():
        for shift in shifts:
            assert shift.before.evidence.sufficient() and shift.after.evidence.sufficient()
            assert shift.before.evidence.describe() in flat
            assert shift.after.evidence.describe() in flat


def test_the_curators_readings_quote_the_seed_file_exactly() -> None:
    """A label is only ever given to a sourced seed statement, never to invented words."""
    seeds = Path(__file__).resolve().parents[1] / "seeds" / "seed_quotes.jsonl"
    rows = [json.loads(line) for line in seeds.read_text("utf-8").splitlines() if line.strip()]
    stored = {(r["speaker"], r["text"]): r for r in rows}
    for reading in STORY_READINGS:
        row = stored[(reading.speaker, reading.text)]
        assert row.get("outlet") and row.get("date") and row.get("context")
        assert reading.label in (None, "favor", "against", "neutral")
        assert reading.reason
    # The paraphrase is read but not labelled: it is our wording, not the speaker's.
    assert all(
        r.label is None
        for r in STORY_READINGS
        if stored[(r.speaker, r.text)].get("kind") == "paraphrase"
    )
