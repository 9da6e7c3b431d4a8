"""Attribution written without a speech verb: headlines, transcripts, dashes and labels.

News puts a speaker next to words in a few fixed layouts besides "X said":

- a headline, where quotations may take single marks and every word is
  capitalised (``Archer: Tariff Plan 'Smells of Panic'``);
- a transcript or interview, one speaker label per line with no quotation
  marks at all (``MODERATOR: Ms. Lane, what would you do?``);
- a quotation signed after a dash (``"I write because I cannot sing." - Ana Ruiz``);
- a label before a colon (``Jane Roe, author: "..."``).

This module finds where those layouts are; the reader decides who the name is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from quotes.ingest.extraction.lexicon import (
    FUNCTION_WORDS,
    NOT_SPEAKER_LABELS,
    SPEECH_VERBS,
    TITLE_CASE_SMALL_WORDS,
)
from quotes.ingest.extraction.marks import ALL_MARKS, Paragraph, QuoteSpan
from quotes.ingest.extraction.names import capitalised_runs
from quotes.ingest.extraction.tokens import Token

DASHES = "-\u2013\u2014"
_HEADLINE_MAX_WORDS = 20
_HEADLINE_CAPITALISED_SHARE = 0.75
# 'Smells of Panic' after a space, a colon or a dash; closed before a space or punctuation.
_SINGLE_MARKED = re.compile(
    r"(?:(?<=^)|(?<=[\s(\[:\u2014\u2013-]))([\u2018'])(?=[^\W\d_])"
    r"([^\u2018\u2019'\n]*?[^\s\u2018\u2019'])([\u2019'])(?=$|[\s.,;:!?)\]\u2014\u2013-])"
)
_DOUBLE_MARKED = re.compile(r"[\"\u201c\u201e\u00ab][^\"\u201c\u201d\u201e\u00ab\u00bb]*")
_WORDS = re.compile(r"[^\W\d_][\w'\u2019-]*")
#: a quotation in double marks (its words are not the headline's own)
_DOUBLE_MARKED = re.compile(
    r"[\"\u201c\u201e\u00ab][^\"\u201c\u201d\u201e\u00ab\u00bb]*[\"\u201d\u00bb]?"
)
_WORDS = re.compile(r"[^\W\d_][\w'\u2019-]*")
_LABEL_LINE = re.compile(r"(?P<label>[A-Z][\w.'\u2019\- ]{0,40}?)\s*:\s+(?P<rest>\S.*)", re.DOTALL)
_LABEL_MAX_WORDS = 4
_MIN_TRANSCRIPT_LINES = 2
_DASH_NAME_MAX_TOKENS = 10


def is_headline(text: str, paragraph: Paragraph) -> bool:
    """A short line with no closing full stop whose words are mostly capitalised."""
    line = text[paragraph.start : paragraph.end]
    if "\n" in line.strip() or line.rstrip().rstrip(ALL_MARKS).rstrip()[-1:] in ".!?;,":
        return False
    words = _WORDS.findall(_DOUBLE_MARKED.sub(" ", line))
    significant = [w for w in words if w.lower() not in TITLE_CASE_SMALL_WORDS]
    if not significant or len(re.findall(r"\S+", line)) > _HEADLINE_MAX_WORDS:
        return False
    capitalised = sum(1 for w in significant if w[:1].isupper())
    return capitalised / len(significant) >= _HEADLINE_CAPITALISED_SHARE


def single_mark_spans(
    text: str, paragraph: Paragraph, taken: Sequence[QuoteSpan]
) -> list[QuoteSpan]:
    """Quotations in single marks in a headline, outside any double-marked one.

    An apostrophe inside a word ("don't") never opens one, and a plural
    possessive ("farmers' union") closes nothing that was not opened.
    """
    spans: list[QuoteSpan] = []
    for match in _SINGLE_MARKED.finditer(text, paragraph.start, paragraph.end):
        opening, closing = match.start(1), match.start(3)
        if any(s.open <= opening <= s.outer_end for s in taken):
            continue
        if len(match.group(2).split()) < 2:
            continue  # one word in marks is a term, not a quotation
        spans.append(QuoteSpan(opening, closing))
    return spans


@dataclass(frozen=True)
class LabelLine:
    """One transcript line: ``label`` (offsets of the speaker's label) and the words said."""

    paragraph: int
    label: tuple[int, int]
    words: tuple[int, int]


def split_labelled_lines(text: str, paragraphs: Sequence[Paragraph]) -> list[Paragraph]:
    """Paragraphs, with a block of labelled lines ('REPORTER: ...' one a line) cut into lines.

    Hard-wrapped prose is split by blank lines, so a transcript typed one
    speaker a line arrives as one paragraph; each of its lines is a turn.
    """
    result: list[Paragraph] = []
    for paragraph in paragraphs:
        block = text[paragraph.start : paragraph.end]
        lines = [line for line in re.finditer(r"[^\n]+", block) if line.group().strip()]
        labelled = [line for line in lines if _LABEL_LINE.match(line.group().strip())]
        if len(lines) < _MIN_TRANSCRIPT_LINES or len(labelled) < len(lines) - 1:
            result.append(paragraph)
            continue
        for line in lines:
            raw = line.group()
            start = paragraph.start + line.start() + (len(raw) - len(raw.lstrip()))
            result.append(Paragraph(start, paragraph.start + line.start() + len(raw.rstrip())))
    return result


def transcript_lines(text: str, paragraphs: Sequence[Paragraph]) -> list[LabelLine]:
    """Lines of a transcript or interview: 'LANE: I would ...', 'Duarte: Not this year.'

    Only when the article has at least two such lines (a lone 'Update: ...' is
    not a transcript), the label is a short capitalised name or an all-capital
    role, and the line carries no quotation marks of its own (those are read
    as ordinary quotations). Questions labelled 'Q' name nobody and are skipped.
    """
    found: list[LabelLine] = []
    labelled = 0
    for number, paragraph in enumerate(paragraphs):
        line = text[paragraph.start : paragraph.end]
        match = _LABEL_LINE.match(line)
        if match is None:
            continue
        label = match.group("label").strip()
        words = label.split()
        if len(words) > _LABEL_MAX_WORDS or not all(w[:1].isupper() for w in words):
            continue
        if any(w.lower().strip(".") in SPEECH_VERBS or w.lower() in FUNCTION_WORDS for w in words):
            continue
        labelled += 1
        rest = match.group("rest")
        if label.lower() in NOT_SPEAKER_LABELS or any(m in rest for m in ALL_MARKS):
            continue
        start = paragraph.start + match.start("label")
        words_start = paragraph.start + match.start("rest")
        found.append(LabelLine(number, (start, start + len(label)), (words_start, paragraph.end)))
    return found if labelled >= _MIN_TRANSCRIPT_LINES else []


def name_after_dash(tokens: Sequence[Token], index: int) -> list[Token] | None:
    """The signature after a dash at ``index``: '- Finance Minister Oskar Berg, joking'.

    The last capitalised run before the first comma (or the end) within a few
    words; the caller strips titles and roles from it.
    """
    if index >= len(tokens) or tokens[index].text not in DASHES:
        return None
    window: list[Token] = []
    for token in tokens[index + 1 : index + 1 + _DASH_NAME_MAX_TOKENS]:
        if token.kind != "word":
            break
        window.append(token)
    runs = [r for r in capitalised_runs(window) if r[0].lower not in FUNCTION_WORDS]
    if not runs or not window or runs[0][0] is not window[0] and not window[0].text[:1].islower():
        return None
    return runs[-1]
