"""The seed data reproduces the seed article's quotations exactly."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from tests.conftest import shared_data_dir


def _seed_rows() -> list[dict[str, str]]:
    text = resources.files("quotes.seeds").joinpath("seed_quotes.jsonl").read_text("utf-8")
    return [json.loads(line) for line in text.splitlines()]


def test_every_verbatim_seed_quotation_is_printed_in_the_article() -> None:
    data = shared_data_dir()
    if data is None:
        pytest.skip("../shared/data is not present")
    article = (data / "seed-article" / "article.txt").read_text("utf-8")
    quotes = [r for r in _seed_rows() if r.get("kind", "quote") == "quote"]
    assert len(quotes) == 6
    for row in quotes:
        text = row["text"]
        # The article splits sentences around cues ("...necessary," Rutte said);
        # the words must appear exactly, up to that final punctuation.
        core = text.rstrip(".,")
        parts = core.split(" But ") if row["speaker"] == "Mette Frederiksen" else [core]
        for part in parts:
            assert part.rstrip(".,") in article, part


def test_seed_rows_have_speaker_date_outlet_and_context() -> None:
    for row in _seed_rows():
        assert row["speaker"] in {"Mark Rutte", "Mette Frederiksen", "Donald Trump"}
        assert row["date"] == "2026-01"
        assert row["outlet"] == "Defence Talks"
        assert row["context"]


def test_init_seed_is_idempotent(cli) -> None:
    assert "8 added, 0 already present" in cli.ok("init", "--seed").stdout
    assert "0 added, 8 already present" in cli.ok("init", "--seed").stdout
    rows = json.loads(cli.ok("search", "sovereignty", "--json").stdout)
    assert rows[0]["speaker"] == "Mette Frederiksen"
    assert rows[0]["date"] == "2026-01"
