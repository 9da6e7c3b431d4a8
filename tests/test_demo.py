"""``quotes demo``: the whole main job with the real default model, on both back ends."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from quotes.demo import demo_search
from quotes.store.engine import open_database
from quotes.timelines.query import most_assessed
from quotes.vocabulary import DEFAULT_MIN_CONFIDENCE

pytestmark = [pytest.mark.model, pytest.mark.slow]

STEPS = (
    "1/6 Load the seed quotations and the ParlEE sample",
    "2/6 Embed",
    "3/6 Assign topics and stances",
    '4/6 Hybrid search for "sovereignty"',
    "5/6 Stance groups per default topic",
    "6/6 Timeline of the most-quoted speakers",
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
        assert f"{topic}: " in first and "stance groups" in first
    database = open_database(db_url)
    with database.session() as session:
        picked = most_assessed(session, min_confidence=DEFAULT_MIN_CONFIDENCE)
    png, html = out / "timeline.png", out / "timeline.html"
    if picked is None:  # no stance is confident enough to chart: the demo says so
        assert "No quote has a stance that counts yet" in first
        assert not png.exists() and not html.exists()
    else:
        _check_timeline(cli, first, picked, png, html)
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
    assert "stance shifts between years for these speakers that rest on enough" in first
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
