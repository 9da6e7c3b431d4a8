"""`quotes extract`: candidates as JSON, --save like `add`, and its bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from quotes.store.engine import open_database
from quotes.store.models import Quote, QuoteSource, Speaker
from tests.conftest import shared_data_dir

ARTICLES = Path(__file__).parent / "fixtures" / "articles"


def seed_article() -> Path:
    data = shared_data_dir()
    if data is None or not (data / "seed-article" / "article.txt").exists():
        pytest.skip("../shared/data/seed-article is not here")
    return data / "seed-article" / "article.txt"


def quote_count(url: str) -> int:
    with open_database(url).session() as session:
        return session.scalar(select(func.count()).select_from(Quote)) or 0


def test_json_candidates_point_into_the_input(cli: Any) -> None:
    path = ARTICLES / "people.txt"
    text = path.read_text("utf-8")
    found = json.loads(cli.ok("extract", str(path), "--json").stdout)
    assert len(found) == 12
    for candidate in found:
        assert set(candidate) >= {"text", "speaker", "kind", "start", "end", "cue"}
        assert candidate["kind"] == "quote"
        first_start, first_end = candidate["spans"][0]
        assert candidate["start"] == first_start
        assert " ".join(text[first_start:first_end].split()) in candidate["text"]
    assert found[0] == {
        "text": "This plan will pay for itself within ten years.",
        "speaker": "Clara Jensen",
        "kind": "quote",
        "start": text.index("This plan"),
        "end": text.index(",\u201d Jensen said"),
        "cue": "Jensen said",
        "partial": False,
        "spans": [[text.index("This plan"), text.index(",\u201d Jensen said")]],
        "confidence": 0.95,
        "evidence": {"rule": "cue-after", "name_from": "surname"},
    }


def test_stdin_and_the_human_table(cli: Any) -> None:
    article = "\u201cWe will not move,\u201d Prime Minister Anna Holt said on Friday.\n"
    result = cli.ok("extract", "-", input=article)
    assert "Anna Holt" in result.stdout and "We will not move." in result.stdout
    assert "No quotations found." in cli.ok("extract", "-", input="Nothing quoted.").stdout


def test_save_matches_the_seed_quotes_exactly(seeded: Any) -> None:
    """The seed's quotations were typed from this article: saving finds every one."""
    before = quote_count(seeded.url)
    result = seeded.ok(
        "extract",
        str(seed_article()),
        "--save",
        "--json",
        "--outlet",
        "Defence Talks",
        "--source",
        "https://example.org/defence-talks",
        "--date",
        "2026-01",
    )
    saved = json.loads(result.stdout)
    assert len(saved) == 6
    assert [item["created"] for item in saved] == [False] * 6
    assert quote_count(seeded.url) == before
    assert "Saved 6 quotations (0 new, 6 already recorded)" in result.output
    with open_database(seeded.url).session() as session:
        linked = session.scalar(
            select(func.count())
            .select_from(QuoteSource)
            .where(QuoteSource.quote_id.in_([item["id"] for item in saved]))
        )
    assert linked == 12  # each keeps its seed source and gains the article's URL


def test_save_twice_adds_once_and_keeps_partial_context(cli: Any) -> None:
    path = str(ARTICLES / "attribution.txt")
    first = json.loads(cli.ok("extract", path, "--save", "--json", "--date", "2025-03").stdout)
    assert all(item["created"] for item in first)
    second = json.loads(cli.ok("extract", path, "--save", "--json").stdout)
    assert [i["id"] for i in second] == [i["id"] for i in first]
    assert not any(item["created"] for item in second)
    partial = next(item for item in first if item["partial"])
    shown = json.loads(cli.ok("show", str(partial["id"]), "--json").stdout)
    assert shown["date"] == "2025-03"
    assert shown["context"].startswith("Norland's Foreign Minister Lena Varga said on Monday")


def test_quotations_without_a_speaker_are_not_saved(cli: Any) -> None:
    article = "\u201cNobody claims this.\u201d\n\u201cWe do,\u201d said Ann Lee.\n"
    result = cli.ok("extract", "-", "--save", input=article)
    saved = "Saved 1 quotation (1 new, 0 already recorded); 1 without a speaker was not saved"
    assert saved in result.output
    assert quote_count(cli.url) == 1


def test_a_near_duplicate_speaker_stops_the_save_unless_told(seeded: Any) -> None:
    before = quote_count(seeded.url)
    article = (
        "\u201cWe will talk,\u201d said Mette Fredriksen. \u201cWe always do,\u201d said Ann Lee.\n"
    )
    result = seeded("extract", "-", "--save", input=article)
    assert result.exit_code == 2, result.output
    assert "'Mette Fredriksen' is very close to 'Mette Frederiksen'" in result.output
    assert quote_count(seeded.url) == before  # Ann Lee's quote was not written either
    seeded.ok("extract", "-", "--save", "--new-speaker", input=article)
    with open_database(seeded.url).session() as session:
        assert session.scalar(select(Speaker).where(Speaker.name == "Mette Fredriksen"))


@pytest.mark.parametrize(
    ("args", "stdin", "needle"),
    [
        (["missing.txt"], None, "cannot read 'missing.txt'"),
        (["-", "--date", "2026-13"], "\u201cHi there,\u201d Ann said.", "'2026-13'"),
        (["-", "--source", "nope"], "\u201cHi there,\u201d Ann said.", "'nope'"),
        (["-"], None, "not valid utf-8 at line 2"),
        (["-", "--encoding", "klingon"], "x", "unknown encoding"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(
    cli: Any, monkeypatch: pytest.MonkeyPatch, args: list[str], stdin: str | None, needle: str
) -> None:
    monkeypatch.chdir(Path(cli.url).parent if "://" not in cli.url else Path.cwd())
    if stdin is None and args[0] == "-":
        data: Any = b"line one\n\xff\xfe broken\n"
    else:
        data = stdin
    result = cli("extract", *args, "--save", input=data)
    assert result.exit_code == 2, result.output
    assert needle in result.output
    assert "Traceback" not in result.output
    assert quote_count(cli.url) == 0


def test_unclosed_quotation_marks_are_noted(cli: Any) -> None:
    article = "Lee said: \u201cWe will never agree.\nThe talks went on.\n"
    result = cli.ok("extract", "-", input=article)
    assert "a quotation mark on line 1 is never closed" in result.output
