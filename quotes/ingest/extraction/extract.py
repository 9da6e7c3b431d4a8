"""Quotations in a news article, each attributed to its speaker.

The article is read once, in order, sentence by sentence, so that "she added"
and "Rutte said" can be resolved against the people named so far. For every
pair of quotation marks the extractor decides:

- is it somebody's words at all? Quoted names and terms ("Golden Dome",
  so-called "peace plan", a single word) are left out;
- is it a full quotation (it opens the sentence, or follows "said:") or a
  partial one woven into reported speech ('could "collectively make sure the
  Arctic stays safe"'), which is kept and flagged;
- who said it: the cue right after it (", Rutte said"), before it
  ("Rutte said: "), anywhere in the sentence for a partial quotation, a bare
  "Rutte said." sentence after it, or, for a quotation with no cue of its own,
  the speaker of the quotation just before it;
- does it continue the previous quotation ('"...," she said, "and we will"')?
  Then both parts become one candidate.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from quotes.ingest.extraction.cues import Cue, Subject, find_cues, subject_before
from quotes.ingest.extraction.lexicon import (
    CONTINUING_WORDS,
    FUNCTION_WORDS,
    NAMING_WORDS,
    TITLE_CASE_SMALL_WORDS,
)
from quotes.ingest.extraction.marks import find_spans, split_paragraphs
from quotes.ingest.extraction.names import NameBook, capitalised_runs, name_phrase
from quotes.ingest.extraction.tokens import Sentence, Token, sentences_of
from quotes.store.normalize import clean_text

_BARE_CUE_MAX_WORDS = 8


@dataclass(frozen=True)
class Candidate:
    """A quotation found in the article.

    ``start``/``end`` are character offsets of the quoted words in the input
    (for a quotation split around its cue, from the first part's start to the
    last part's end; ``spans`` lists each part). ``text`` is the quotation as it
    reads on its own: a comma that only led into the cue becomes a full stop.
    """

    text: str
    speaker: str | None
    kind: str
    start: int
    end: int
    cue: str | None
    partial: bool
    spans: tuple[tuple[int, int], ...]
    #: the article's sentence the quotation starts in (context for a partial one)
    sentence: tuple[int, int] = (0, 0)

    def to_dict(self) -> dict[str, Any]:
        """The contract's candidate object, plus ``partial`` and ``spans``."""
        return {
            "text": self.text,
            "speaker": self.speaker,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "cue": self.cue,
            "partial": self.partial,
            "spans": [list(span) for span in self.spans],
        }


@dataclass(frozen=True)
class Extraction:
    candidates: list[Candidate]
    #: offsets of opening quotation marks that were never closed
    unclosed: list[int]


@dataclass
class _Part:
    start: int
    end: int
    had_comma: bool


@dataclass
class _Draft:
    parts: list[_Part]
    speaker: str | None
    cue: str | None
    partial: bool
    sentence: int
    paragraph: int
    cue_id: tuple[int, int] | None = None
    bounds: tuple[int, int] = (0, 0)


def extract_quotations(text: str, known_speakers: Iterable[str] = ()) -> list[Candidate]:
    """The quotations in ``text``, in order; see :func:`extract` for warnings too."""
    return extract(text, known_speakers).candidates


def extract(text: str, known_speakers: Iterable[str] = ()) -> Extraction:
    """Quotations plus the quotation marks that were left open."""
    return _Reader(text, NameBook(list(known_speakers))).run()


@dataclass
class _Reader:
    text: str
    book: NameBook
    drafts: list[_Draft] = field(default_factory=list)
    sentences: list[tuple[int, Sentence]] = field(default_factory=list)
    first_of_paragraph: set[int] = field(default_factory=set)

    def run(self) -> Extraction:
        paragraphs = split_paragraphs(self.text)
        unclosed: list[int] = []
        for number, paragraph in enumerate(paragraphs):
            following = paragraphs[number + 1] if number + 1 < len(paragraphs) else None
            spans, open_marks = find_spans(self.text, paragraph, following)
            unclosed += [mark.offset for mark in open_marks]
            self.first_of_paragraph.add(len(self.sentences))
            self.sentences += [(number, s) for s in sentences_of(self.text, paragraph, spans)]
        self.book.learn_full_names(
            run for _, sentence in self.sentences for run in capitalised_runs(sentence.tokens)
        )
        for index, (paragraph_number, sentence) in enumerate(self.sentences):
            self._read(index, paragraph_number, sentence)
        candidates = [self._candidate(d) for d in self.drafts]
        return Extraction(sorted(candidates, key=lambda c: c.start), unclosed)

    # -- people ------------------------------------------------------------

    def _note_people(self, sentence: Sentence) -> None:
        if not _ends_like_prose(self.text, sentence):
            return  # a headline: its capitalised words are not people
        for run in capitalised_runs(sentence.tokens):
            phrase = name_phrase(run)
            if phrase is not None and self.book.is_person(phrase, phrase.start):
                name = self.book.resolve(phrase.name, phrase.start)
                self.book.mention(name, phrase.start, gender=phrase.gender, titles=phrase.titles)

    def _speaker(self, subject: Subject) -> str | None:
        if subject.kind == "name":
            name = self.book.resolve(subject.words, subject.start)
            gender = subject.phrase.gender if subject.phrase else None
            self.book.mention(name, subject.start, gender=gender, titles=subject.titles)
            return name
        if subject.kind == "pronoun":
            return self.book.pronoun(subject.words[0], subject.start)
        if subject.kind == "office":
            return self.book.office(subject.words, subject.start)
        return None

    # -- sentences -----------------------------------------------------------

    def _read(self, index: int, paragraph: int, sentence: Sentence) -> None:
        self._note_people(sentence)
        tokens = sentence.tokens
        cues = find_cues(tokens)
        speakers = {id(cue): self._speaker(cue.subject) for cue in cues}
        for position, token in enumerate(tokens):
            if token.kind == "quote":
                self._quotation(index, paragraph, tokens, position, cues, speakers)

    def _quotation(
        self,
        index: int,
        paragraph: int,
        tokens: Sequence[Token],
        position: int,
        cues: list[Cue],
        speakers: dict[int, str | None],
    ) -> None:
        part = self._part(tokens[position])
        if part is None:
            return
        content = self.text[part.start : part.end]
        before = tokens[position - 1] if position > 0 else None
        if before is None or before.kind == "quote":
            where = "leading"
        elif before.text in (":", ","):
            where = before.text
        else:
            where = "embedded"

        if where == "embedded":
            if not _is_partial_quotation(content, tokens, position):
                return
            governing = _nearest(cues, position)
            if governing is None:
                return
            cue_words = self._cue_text(tokens, governing.first, governing.last)
            self.drafts.append(
                _Draft(
                    [part],
                    speakers[id(governing)],
                    cue_words,
                    True,
                    index,
                    paragraph,
                    bounds=self._bounds(index),
                )
            )
            return

        full = [c for c in cues if not c.embedding_only]
        before_cues = [c for c in full if c.last < position]
        cue: Cue | None = before_cues[-1] if before_cues and where != "leading" else None
        speaker: str | None = None
        cue_text: str | None = None
        last_sentence = index
        if cue is not None:
            speaker = speakers[id(cue)]
            cue_text = self._cue_text(tokens, cue.first, cue.extended(tokens))
        elif where == ":":
            speaker, cue_text = self._lead_in(tokens, position - 1)
        if cue is None and cue_text is None:
            cue = _cue_after(full, tokens, position)
            if cue is not None:
                speaker = speakers[id(cue)]
                cue_text = self._cue_text(tokens, cue.first, cue.extended(tokens))
            else:
                speaker, cue_text = self._bare_cue_after(index, paragraph)
                if cue_text is not None:
                    last_sentence = index + 1  # the cue's own sentence comes after
        previous = self.drafts[-1] if self.drafts else None
        cue_id = (index, cue.verb) if cue is not None else None
        if cue_text is None and where == "leading" and self._continues(previous, index):
            assert previous is not None
            speaker, cue_text, cue_id = previous.speaker, previous.cue, previous.cue_id
            if previous.paragraph == paragraph and _leans_on_previous(content):
                previous.parts.append(part)
                previous.sentence = index
                return
        elif (
            where == ","
            and previous is not None
            and cue_id is not None
            and previous.cue_id == cue_id
            and content[:1].islower()
        ):  # '"The problem," he said, "is money."'
            previous.parts.append(part)
            return
        partial = content[:1].islower()
        self.drafts.append(
            _Draft(
                [part],
                speaker,
                cue_text,
                partial,
                last_sentence,
                paragraph,
                cue_id,
                self._bounds(index),
            )
        )

    def _bounds(self, index: int) -> tuple[int, int]:
        sentence = self.sentences[index][1]
        return sentence.start, sentence.end

    def _part(self, token: Token) -> _Part | None:
        """The quoted words without the marks, surrounding spaces and a lead-in comma."""
        span = token.span
        assert span is not None
        start, end = span.inner_start, span.close
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        had_comma = end > start and self.text[end - 1] == ","
        if had_comma:
            end -= 1
        if end <= start or not any(c.isalnum() for c in self.text[start:end]):
            return None
        return _Part(start, end, had_comma)

    def _continues(self, previous: _Draft | None, index: int) -> bool:
        """A quotation with no cue continues the full quotation just before it."""
        if previous is None or previous.partial or previous.cue is None:
            return False
        if previous.sentence == index:
            return True
        same_paragraph = self.sentences[index][0] == previous.paragraph
        return previous.sentence == index - 1 and (
            same_paragraph or index in self.first_of_paragraph
        )

    def _cue_text(self, tokens: Sequence[Token], first: int, last: int) -> str:
        # A cue ending a sentence on an initial ("in a post on X.") keeps no full stop.
        return clean_text(self.text[tokens[first].start : tokens[last].end]).rstrip(".")

    def _lead_in(self, tokens: Sequence[Token], colon: int) -> tuple[str | None, str | None]:
        """'Frederiksen was blunt: "..."': the subject of the lead-in speaks."""
        verb = next(
            (i for i, t in enumerate(tokens[:colon]) if t.kind == "word" and t.text[:1].islower()),
            None,
        )
        if verb is None:
            return self._headline_name(tokens, colon)
        found = subject_before(tokens, verb)
        if found is None or found[0].kind not in ("name", "pronoun"):
            return None, None
        subject, first = found
        lead = clean_text(self.text[tokens[first].start : tokens[colon - 1].end])
        return self._speaker(subject), lead

    def _headline_name(self, tokens: Sequence[Token], colon: int) -> tuple[str | None, str | None]:
        """'Rutte: "We will act"' (a headline): a name alone before the colon speaks."""
        runs = capitalised_runs(tokens[:colon])
        if len(runs) != 1 or len(runs[0]) != colon:
            return None, None
        phrase = name_phrase(runs[0])
        if phrase is None or tokens[0].lower in FUNCTION_WORDS:
            return None, None
        name = self.book.resolve(phrase.name, phrase.start)
        if name == phrase.text and not self.book.is_person(phrase, phrase.start):
            return None, None  # 'Brussels: "..."' is a dateline, not a speaker
        return name, clean_text(self.text[tokens[0].start : tokens[colon - 1].end])

    def _bare_cue_after(self, index: int, paragraph: int) -> tuple[str | None, str | None]:
        """A quotation followed by a sentence that is only a cue: 'Rutte said.'"""
        if index + 1 >= len(self.sentences) or self.sentences[index + 1][0] != paragraph:
            return None, None
        tokens = self.sentences[index + 1][1].tokens
        words = [t for t in tokens if t.kind == "word"]
        if any(t.kind == "quote" for t in tokens) or len(words) > _BARE_CUE_MAX_WORDS:
            return None, None
        cues = [c for c in find_cues(tokens) if c.first == 0 and not c.embedding_only]
        if not cues:
            return None, None
        return self._speaker(cues[0].subject), self._cue_text(tokens, 0, cues[0].extended(tokens))

    def _candidate(self, draft: _Draft) -> Candidate:
        pieces: list[str] = []
        for number, part in enumerate(draft.parts):
            words = clean_text(self.text[part.start : part.end])
            following = draft.parts[number + 1] if number + 1 < len(draft.parts) else None
            if part.had_comma and not draft.partial:
                lower_next = following is not None and self.text[following.start].islower()
                words += "" if lower_next else "."
            pieces.append(words)
        return Candidate(
            text=" ".join(pieces),
            speaker=draft.speaker,
            kind="quote",
            start=draft.parts[0].start,
            end=draft.parts[-1].end,
            cue=draft.cue,
            partial=draft.partial,
            spans=tuple((p.start, p.end) for p in draft.parts),
            sentence=draft.bounds,
        )


def _ends_like_prose(text: str, sentence: Sentence) -> bool:
    return text[sentence.start : sentence.end].rstrip()[-1:] in '.!?:"\u201d\u2019\u00bb)'


def _nearest(cues: list[Cue], position: int) -> Cue | None:
    """The cue governing a quotation inside a sentence: the closest one before, else after."""
    before = [c for c in cues if c.last < position]
    if before:
        return before[-1]
    after = [c for c in cues if c.first > position]
    return after[0] if after else None


def _cue_after(cues: list[Cue], tokens: Sequence[Token], position: int) -> Cue | None:
    """A cue right after the quotation: '..." Rutte said' or '...," said Rutte'."""
    for cue in cues:
        if cue.first <= position:
            continue
        between = tokens[position + 1 : cue.first]
        if len(between) <= 1 and all(t.text in ",\u2014\u2013-" for t in between):
            return cue
        return None
    return None


def _leans_on_previous(content: str) -> bool:
    first_word = content.split(maxsplit=1)[0].strip(",.;:").lower() if content else ""
    return content[:1].islower() or first_word in CONTINUING_WORDS


def _is_partial_quotation(content: str, tokens: Sequence[Token], position: int) -> bool:
    """Somebody's words woven into a sentence, not a quoted name or term."""
    words = [w for w in content.split() if any(c.isalpha() for c in w)]
    if len(words) < 2:
        return False
    if _is_title_case(words):
        return False
    before = [t.lower for t in tokens[max(position - 2, 0) : position] if t.kind == "word"]
    return not before or (before[-1] not in NAMING_WORDS and before[-2:] != ["known", "as"])


def _is_title_case(words: Sequence[str]) -> bool:
    """'Golden Dome', 'Kingdom of Denmark': every significant word capitalised."""
    significant = [w.strip("\"'(),.:;!?") for w in words]
    significant = [w for w in significant if w and w.lower() not in TITLE_CASE_SMALL_WORDS]
    return bool(significant) and all(w[:1].isupper() or w[:1].isdigit() for w in significant)
