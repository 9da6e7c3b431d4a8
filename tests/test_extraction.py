"""The extraction engine on articles written for the tests, and on the seed article."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quotes.ingest.extraction import Candidate, extract, extract_quotations
from quotes.store.normalize import clean_text
from tests.conftest import shared_data_dir

ARTICLES = Path(__file__).parent / "fixtures" / "articles"
NAMES = sorted(p.name.removesuffix(".expected.json") for p in ARTICLES.glob("*.expected.json"))


def _check_offsets(text: str, candidate: Candidate) -> None:
    """Every part's offsets point at words that appear in the candidate's text."""
    assert candidate.start == candidate.spans[0][0]
    assert candidate.end == candidate.spans[-1][1]
    for start, end in candidate.spans:
        quoted = clean_text(text[start:end])
        assert quoted and quoted in candidate.text
        assert not text[start].isspace() and not text[end - 1].isspace()


@pytest.mark.parametrize("name", NAMES)
def test_article(name: str) -> None:
    text = (ARTICLES / f"{name}.txt").read_text("utf-8")
    expected = json.loads((ARTICLES / f"{name}.expected.json").read_text("utf-8"))
    result = extract(text, expected.get("known_speakers", []))
    got = [
        {"text": c.text, "speaker": c.speaker, "partial": c.partial, "cue": c.cue}
        for c in result.candidates
    ]
    wanted = [
        {
            "text": e["text"],
            "speaker": e["speaker"],
            "partial": e["partial"],
            "cue": e.get("cue", got[i]["cue"] if i < len(got) else None),
        }
        for i, e in enumerate(expected["candidates"])
    ]
    assert got == wanted
    assert len(result.unclosed) == expected.get("unclosed", 0)
    for candidate in result.candidates:
        assert candidate.kind == "quote"
        _check_offsets(text, candidate)


def test_seed_article() -> None:
    data = shared_data_dir()
    if data is None or not (data / "seed-article" / "article.txt").exists():
        pytest.skip("../shared/data/seed-article is not here")
    text = (data / "seed-article" / "article.txt").read_text("utf-8")
    found = [(c.speaker, c.text, c.partial) for c in extract_quotations(text)]
    assert found == [
        (
            "Mark Rutte",
            "We will come together in NATO with our senior commanders to work out "
            "what is necessary.",
            False,
        ),
        (
            "Mark Rutte",
            "I have no doubt we can do this quite fast. Certainly, I would hope for "
            "2026 \u2014 I hope even early in 2026.",
            False,
        ),
        ("Mark Rutte", "collectively make sure the Arctic stays safe", True),
        ("Mark Rutte", "the Russians and the Chinese stay out.", True),
        (
            "Mette Frederiksen",
            "We can negotiate on all political issues: security, investments, "
            "economics. But we cannot negotiate on our sovereignty.",
            False,
        ),
        ("Mette Frederiksen", "constructive dialogue", True),
    ]
    assert all("Golden Dome" not in t for _, t, _ in found)


def test_offsets_are_positions_in_the_input() -> None:
    text = 'Intro line.\n"We will win," Rutte said.'
    [candidate] = extract_quotations(text)
    assert text[candidate.start : candidate.end] == "We will win"
    assert candidate.text == "We will win."
    assert candidate.to_dict() == {
        "text": "We will win.",
        "speaker": "Rutte",
        "kind": "quote",
        "start": candidate.start,
        "end": candidate.end,
        "cue": "Rutte said",
        "partial": False,
        "spans": [[candidate.start, candidate.end]],
        "confidence": 0.87,  # a cue right after it (0.97), a surname matching nobody (0.9)
        "evidence": {"rule": "cue-after", "name_from": "single-name"},
    }


@pytest.mark.parametrize(
    "text",
    ["", "   \n\n", "No quotations here at all.", '"', "\u201c\u201d", 'He said "".'],
)
def test_nothing_to_find(text: str) -> None:
    assert extract_quotations(text) == []


def test_a_known_speaker_is_spelled_as_the_database_spells_it() -> None:
    text = "\u201cWe are ready,\u201d mark rutte said."
    # A lower-case name is no name: nothing guesses a speaker from it.
    assert extract_quotations(text)[0].speaker is None
    text = "\u201cWe are ready,\u201d Rutte said."
    assert extract_quotations(text, ["Mark Rutte"])[0].speaker == "Mark Rutte"
    assert extract_quotations(text, ["Mark Rutte", "Anna Rutte"])[0].speaker == "Rutte"


@pytest.mark.parametrize("name", ["attribution", "people"])
def test_windows_line_endings_change_nothing_but_offsets(name: str) -> None:
    text = (ARTICLES / f"{name}.txt").read_text("utf-8")
    crlf = text.replace("\n", "\r\n")
    plain = [(c.text, c.speaker, c.partial, c.cue) for c in extract_quotations(text)]
    assert [(c.text, c.speaker, c.partial, c.cue) for c in extract_quotations(crlf)] == plain
