"""Hostile and random text: the extractor never fails, and what it returns stays consistent."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from quotes.ingest.extraction import extract
from quotes.store.normalize import clean_text

# Pieces that exercise every rule: marks of all kinds, names, titles, roles,
# pronouns, speech verbs, labels, dashes, headlines, line and paragraph breaks.
PIECES = [
    '"',
    "\u201c",
    "\u201d",
    "\u201e",
    "\u00ab",
    "\u00bb",
    "'",
    "\u2018",
    "\u2019",
    " said ",
    " says ",
    " told ",
    "said ",
    " added",
    " accused ",
    " called ",
    "Mr. ",
    "Ms. ",
    "Senator ",
    "Republican ",
    "Democrat of Ohio ",
    "campaign lawyer ",
    "Dana Whitfield",
    "Rob Kessler",
    "Hale",
    "Hale's ",
    "Friday",
    "North Korea",
    "Ministry",
    " he ",
    " she ",
    "He ",
    "She ",
    ", ",
    ". ",
    ": ",
    " - ",
    " \u2014 ",
    "\n",
    "\n\n",
    "MODERATOR: ",
    "Q: ",
    "LANE: ",
    "Archer: ",
    "'Smells of Panic'",
    "according to ",
    "continued:",
    "the states ",
    "we see it every harvest",
    "(",
    ")",
    "R-Ohio",
    "a",
    "\u00e9",
    "\t",
    "  ",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=60))
def test_random_articles_give_consistent_candidates(pieces: list[str]) -> None:
    text = "".join(pieces)
    result = extract(text, {"Hale": "Jim Hale"})
    starts = [c.start for c in result.candidates]
    assert starts == sorted(starts)
    for candidate in result.candidates:
        assert 0 <= candidate.start < candidate.end <= len(text)
        assert candidate.kind == "quote"
        assert 0.0 <= candidate.confidence <= 0.99
        assert (candidate.speaker is None) == (candidate.confidence == 0.0)
        assert candidate.speaker is None or candidate.speaker.strip() == candidate.speaker
        for start, end in candidate.spans:
            assert clean_text(text[start:end]) in candidate.text or candidate.rule == "transcript"
    for offset in result.unclosed:
        assert 0 <= offset < len(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_any_text_at_all(text: str) -> None:
    for candidate in extract(text).candidates:
        assert 0 <= candidate.start <= candidate.end <= len(text)
