"""Sentences and word tokens of a paragraph, with every quotation as one token.

Attribution is read from the words *around* a quotation, so the quoted words
themselves are hidden behind a single ``quote`` token: a full stop inside a
quotation does not end the reporter's sentence, and a name inside it is not a
speaker. Offsets always point into the original article text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from quotes.ingest.extraction.lexicon import words
from quotes.ingest.extraction.marks import Paragraph, QuoteSpan

TokenKind = Literal["word", "punct", "quote"]

# Words that take a full stop without ending a sentence.
ABBREVIATIONS = words(
    "mr mrs ms dr st gen sen rep gov lt col sgt capt cmdr adm prof rev jr sr vs etc inc "
    "ltd co corp no nos jan feb mar apr jun jul aug sep sept oct nov dec fig pres sec "
    "dept gov't approx u.s u.k u.n e.g i.e a.m p.m"
)

_WORD = re.compile(r"[^\W\d_](?:[\w\u2019'\-]*\w)?|\d[\d,.]*\d|\d")
_SENTENCE_END = re.compile(r"[.!?\u2026]+[)\]]*")


@dataclass(frozen=True)
class Token:
    kind: TokenKind
    text: str
    start: int
    end: int
    span: QuoteSpan | None = None

    @property
    def lower(self) -> str:
        return self.text.lower()

    @property
    def is_capitalised(self) -> bool:
        return self.kind == "word" and self.text[:1].isupper()

    @property
    def is_possessive(self) -> bool:
        return self.kind == "word" and self.text[-2:].lower() in ("\u2019s", "'s")

    @property
    def stem(self) -> str:
        """The word without a possessive ending ("Trump’s" -> "Trump")."""
        return self.text[:-2] if self.is_possessive else self.text

    @property
    def bare(self) -> str:
        """The word without a possessive ending or a trailing full stop."""
        text = self.text[:-2] if self.is_possessive else self.text
        return text.rstrip(".")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    tokens: tuple[Token, ...]


def _ends_sentence(text: str, dot: int, paragraph_start: int) -> bool:
    """A full stop at ``dot`` ends a sentence unless it closes an abbreviation or initial."""
    if text[dot] != ".":
        return True
    word_start = dot
    while word_start > paragraph_start and (
        text[word_start - 1].isalpha() or text[word_start - 1] == "."
    ):
        word_start -= 1
    word = text[word_start:dot].lower()
    if len(word) == 1 and word.isalpha():  # an initial: "George W. Bush"
        return False
    return word not in ABBREVIATIONS


def _next_starts_sentence(text: str, index: int, end: int) -> bool:
    """What follows ``index`` (after spaces) could begin a sentence."""
    while index < end and text[index].isspace():
        index += 1
    if index >= end:
        return True
    char = text[index]
    return char.isupper() or char.isdigit() or not (char.isalnum() or char in ",;:)")


def split_sentences(
    text: str, paragraph: Paragraph, spans: list[QuoteSpan]
) -> list[tuple[int, int]]:
    """Sentence ranges of a paragraph, never breaking inside a quotation.

    A quotation that ends with its own full stop ends the sentence too when the
    next word starts a new one ('... 2026.” Rutte ...' but not '...?” he asked').
    """
    inside = [(span.open, span.outer_end) for span in spans]
    breaks: list[int] = []
    for match in _SENTENCE_END.finditer(text, paragraph.start, paragraph.end):
        position = match.start()
        if any(a <= position < b for a, b in inside):
            continue
        if _ends_sentence(text, position, paragraph.start) and _next_starts_sentence(
            text, match.end(), paragraph.end
        ):
            breaks.append(match.end())
    for span in spans:
        content = text[span.inner_start : span.close].rstrip()
        if (
            not span.runs_on
            and content[-1:] in (".", "!", "?", "\u2026")
            and _next_starts_sentence(text, span.outer_end, paragraph.end)
        ):
            breaks.append(span.outer_end)
    ranges: list[tuple[int, int]] = []
    position = paragraph.start
    for cut in sorted(set(breaks)):
        if cut > position:
            ranges.append((position, cut))
            position = cut
    if position < paragraph.end:
        ranges.append((position, paragraph.end))
    return [_trimmed(text, a, b) for a, b in ranges if text[a:b].strip()]


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while text[start].isspace():
        start += 1
    return start, end


def tokenize(text: str, start: int, end: int, spans: list[QuoteSpan]) -> tuple[Token, ...]:
    """Words, punctuation and one ``quote`` token per quotation in ``text[start:end]``."""
    tokens: list[Token] = []
    position = start
    ordered = sorted((s for s in spans if start <= s.open < end), key=lambda s: s.open)
    for span in [*ordered, None]:
        stop = span.open if span else end
        tokens.extend(_plain_tokens(text, position, stop))
        if span is not None:
            tokens.append(
                Token("quote", text[span.open : span.outer_end], span.open, span.outer_end, span)
            )
            position = span.outer_end
    return tuple(tokens)


def _plain_tokens(text: str, start: int, end: int) -> list[Token]:
    tokens: list[Token] = []
    position = start
    while position < end:
        char = text[position]
        if char.isspace():
            position += 1
            continue
        match = _WORD.match(text, position, end)
        if match:
            word_end = match.end()
            # Keep the full stop of an abbreviation or an initial with its word.
            if word_end < end and text[word_end] == ".":
                word = match.group().lower()
                if word in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                    word_end += 1
                    while (
                        word_end + 1 < end
                        and text[word_end].isalpha()
                        and text[word_end + 1] == "."
                    ):  # "U.S." seen as one word
                        word_end += 2
            tokens.append(Token("word", text[position:word_end], position, word_end))
            position = word_end
        else:
            tokens.append(Token("punct", char, position, position + 1))
            position += 1
    return tokens


def sentences_of(text: str, paragraph: Paragraph, spans: list[QuoteSpan]) -> list[Sentence]:
    """The paragraph's sentences with their tokens."""
    return [
        Sentence(a, b, tokenize(text, a, b, spans))
        for a, b in split_sentences(text, paragraph, spans)
    ]
