"""Paragraphs and quotation-mark pairs: where the quoted words are.

News text mixes typographic conventions: curly “…”, straight "…", German „…“,
Scandinavian ”…” and guillemets «…». Whether a mark opens or closes is decided
mostly by what stands next to it (a space before and a letter after opens),
with the mark's usual role as the tie-breaker, so all of these pair up without
a per-language table. Quotations never cross a paragraph, except by the
newspaper convention that a quotation running on into the next paragraph
leaves its closing mark off and reopens the next paragraph with a mark.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPENING_MARKS = "\u201c\u201e\u00ab"  # “ „ «
CLOSING_MARKS = "\u201d\u00bb"  # ” »
AMBIGUOUS_MARKS = '"\u2033'  # " ″
ALL_MARKS = OPENING_MARKS + CLOSING_MARKS + AMBIGUOUS_MARKS

_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")
_BEFORE_OPENING = set("([{/\u2014\u2013-") | set(ALL_MARKS)
_AFTER_CLOSING = set(".,;:!?)]}\u2014\u2013-\u2026") | set(ALL_MARKS)


@dataclass(frozen=True)
class Paragraph:
    """A paragraph's character range in the article."""

    start: int
    end: int


@dataclass(frozen=True)
class QuoteSpan:
    """One quotation: the offsets of its marks and of the words between them.

    ``close`` is the offset of the closing mark, or the paragraph end when the
    quotation runs on into the next paragraph (``runs_on``).
    """

    open: int
    close: int
    runs_on: bool = False

    @property
    def inner_start(self) -> int:
        return self.open + 1

    @property
    def outer_end(self) -> int:
        return self.close if self.runs_on else self.close + 1


@dataclass(frozen=True)
class Unclosed:
    """A quotation mark that opened a quotation nobody closed (reported, not guessed)."""

    offset: int


def split_paragraphs(text: str) -> list[Paragraph]:
    """Paragraphs by blank lines when the text has them (hard-wrapped prose), else by lines."""
    separator = _BLANK_LINE if _BLANK_LINE.search(text.strip()) else re.compile(r"\n")
    paragraphs: list[Paragraph] = []
    position = 0
    for match in [*separator.finditer(text), None]:
        end = match.start() if match else len(text)
        chunk = text[position:end]
        stripped = chunk.strip()
        if stripped:
            start = position + chunk.index(stripped[0])
            paragraphs.append(Paragraph(start, start + len(stripped)))
        position = match.end() if match else len(text)
    return paragraphs


def _role(text: str, index: int, start: int, end: int) -> str:
    """'open', 'close' or 'either' for the mark at ``index`` from its neighbours."""
    before = text[index - 1] if index > start else " "
    after = text[index + 1] if index + 1 < end else " "
    spaced_before = before.isspace() or before in _BEFORE_OPENING
    spaced_after = after.isspace() or after in _AFTER_CLOSING
    if spaced_before and not spaced_after:
        return "open"
    if spaced_after and not spaced_before:
        return "close"
    mark = text[index]
    if mark in OPENING_MARKS:
        return "open"
    if mark in CLOSING_MARKS:
        return "close"
    return "either"


def find_spans(
    text: str, paragraph: Paragraph, next_paragraph: Paragraph | None
) -> tuple[list[QuoteSpan], list[Unclosed]]:
    """Pair the quotation marks of one paragraph.

    A second opening mark while a quotation is open means the first one was
    never closed; a stray closing mark is ignored (an inch sign, a typo).
    """
    spans: list[QuoteSpan] = []
    unclosed: list[Unclosed] = []
    opened: int | None = None
    for index in range(paragraph.start, paragraph.end):
        if text[index] not in ALL_MARKS:
            continue
        role = _role(text, index, paragraph.start, paragraph.end)
        if opened is None:
            if role != "close":
                opened = index
        elif role == "open":
            unclosed.append(Unclosed(opened))
            opened = index
        else:
            if index > opened + 1:
                spans.append(QuoteSpan(opened, index))
            opened = None
    if opened is not None:
        if next_paragraph is not None and _opens_with_mark(text, next_paragraph):
            spans.append(QuoteSpan(opened, paragraph.end, runs_on=True))
        else:
            unclosed.append(Unclosed(opened))
    return spans, unclosed


def _opens_with_mark(text: str, paragraph: Paragraph) -> bool:
    first = text[paragraph.start]
    return first in OPENING_MARKS or first in AMBIGUOUS_MARKS
