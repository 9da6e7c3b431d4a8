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

A quotation with no cue of its own belongs to whoever was speaking just before
(the previous quotation's speaker, or the subject of reported speech in the
sentence or paragraph before it), as a reader takes it. Headlines,
transcripts, dash signatures and labels (:mod:`.forms`) are read too. Every
candidate says which rule attributed it and how its speaker's name was found,
with a confidence (:mod:`.confidence`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from quotes.ingest.extraction.candidates import NOBODY, Attribution, Candidate, Extraction
from quotes.ingest.extraction.confidence import confidence_of
from quotes.ingest.extraction.cues import Cue, Subject, clause_subject, find_cues, subject_before
from quotes.ingest.extraction.forms import (
    DASHES,
    LabelLine,
    is_headline,
    name_after_dash,
    single_mark_spans,
    split_labelled_lines,
    transcript_lines,
)
from quotes.ingest.extraction.lexicon import (
    CONTINUING_WORDS,
    FUNCTION_WORDS,
    NAMING_WORDS,
    PRONOUNS,
    SPEECH_VERBS,
    TITLE_CASE_SMALL_WORDS,
)
from quotes.ingest.extraction.marks import find_spans, split_paragraphs
from quotes.ingest.extraction.names import (
    NameBook,
    NamePhrase,
    capitalised_runs,
    name_phrase,
    not_a_person,
    person_words,
)
from quotes.ingest.extraction.tokens import Sentence, Token, sentences_of
from quotes.store.normalize import clean_text

_BARE_CUE_MAX_WORDS = 8
_LABEL_DESCRIPTION_MAX_TOKENS = 12
_CARRIED_PARTIAL_MIN_WORDS = 3
_SUBJECT_MAX_OFFSET = 5  # tokens: "Rovers manager Sean Dillon was furious"
_TITLE_MAX_WORDS = 8


@dataclass
class _Part:
    start: int
    end: int
    had_comma: bool


@dataclass
class _Draft:
    parts: list[_Part]
    who: Attribution
    partial: bool
    sentence: int
    paragraph: int
    cue_id: tuple[int, int] | None = None
    bounds: tuple[int, int] = (0, 0)
    #: the text is given (a transcript line), not the parts' words
    text: str | None = None


@dataclass
class _Speech:
    """The last attributed speech: who, and in which sentence and paragraph."""

    who: Attribution
    sentence: int
    paragraph: int


def extract_quotations(
    text: str, known_speakers: Iterable[str] | Mapping[str, str] = ()
) -> list[Candidate]:
    """The quotations in ``text``, in order; see :func:`extract` for warnings too."""
    return extract(text, known_speakers).candidates


def extract(text: str, known_speakers: Iterable[str] | Mapping[str, str] = ()) -> Extraction:
    """Quotations plus the quotation marks that were left open.

    ``known_speakers`` are names the database knows, or a mapping from each
    alias to its speaker's name: a name or alias in the article resolves to it.
    """
    known = known_speakers if isinstance(known_speakers, Mapping) else list(known_speakers)
    return _Reader(text, NameBook(known)).run()


@dataclass
class _Reader:
    text: str
    book: NameBook
    drafts: list[_Draft] = field(default_factory=list)
    sentences: list[tuple[int, Sentence]] = field(default_factory=list)
    first_of_paragraph: set[int] = field(default_factory=set)
    headlines: set[int] = field(default_factory=set)
    speech: _Speech | None = None
    #: sentence -> the people it names, each with whether it opens the sentence
    people_in: dict[int, list[tuple[str, bool]]] = field(default_factory=dict)

    def run(self) -> Extraction:
        paragraphs = split_labelled_lines(self.text, split_paragraphs(self.text))
        lines = {line.paragraph: line for line in transcript_lines(self.text, paragraphs)}
        unclosed: list[int] = []
        for number, paragraph in enumerate(paragraphs):
            following = paragraphs[number + 1] if number + 1 < len(paragraphs) else None
            spans, open_marks = find_spans(self.text, paragraph, following)
            if number in lines:
                spans, open_marks = [], []
            elif is_headline(self.text, paragraph):
                self.headlines.add(number)
                spans = sorted(
                    spans + single_mark_spans(self.text, paragraph, spans), key=lambda s: s.open
                )
            unclosed += [mark.offset for mark in open_marks]
            self.first_of_paragraph.add(len(self.sentences))
            self.sentences += [(number, s) for s in sentences_of(self.text, paragraph, spans)]
        self.book.learn_full_names(
            run
            for number, sentence in self.sentences
            if number not in self.headlines
            for run in capitalised_runs(sentence.tokens)
        )
        for index, (paragraph_number, sentence) in enumerate(self.sentences):
            self.book.sentence, self.book.paragraph = index, paragraph_number
            if paragraph_number in lines:
                if index in self.first_of_paragraph:
                    self._transcript_line(index, paragraph_number, lines[paragraph_number])
            else:
                self._read(index, paragraph_number, sentence)
        candidates = [self._candidate(d) for d in self.drafts]
        return Extraction(sorted(candidates, key=lambda c: c.start), unclosed)

    # -- people ------------------------------------------------------------

    def _note_people(self, sentence: Sentence) -> None:
        """Remember who the sentence names; the first person named counts as its subject."""
        if not _ends_like_prose(self.text, sentence):
            return  # a headline: its capitalised words are not people
        subject = True
        index = self.book.sentence
        quotes = any(t.kind == "quote" for t in sentence.tokens)
        opener = sentence.tokens[0] if sentence.tokens else None
        if opener is not None and opener.kind == "word" and opener.lower in PRONOUNS:
            # "He spoke at a rally alongside Mayor Ed Burns": he, not Burns, is the subject.
            self.book.pronoun(opener.lower, opener.start)
            subject = False
        for run in capitalised_runs(sentence.tokens):
            phrase = name_phrase(run)
            opens = run[0] is sentence.tokens[0]
            if phrase is not None and self.book.is_person(
                phrase, phrase.start, opens_sentence=opens
            ):
                name = self.book.resolve(person_words(phrase.name), phrase.start)
                opening = sentence.tokens.index(run[0]) < _SUBJECT_MAX_OFFSET and not quotes
                named = self.people_in.setdefault(index, [])
                if name not in [n for n, _ in named]:
                    named.append((name, subject and opening))
                owner = run[-1].is_possessive  # "Ortiz's campaign manager": not the subject
                self.book.mention(
                    name,
                    phrase.start,
                    gender=phrase.gender,
                    titles=phrase.titles,
                    subject=subject and not owner,
                    owner=owner,
                )
                subject = subject and owner

    def _named(self, words: Sequence[str], at: int, phrase: NamePhrase | None) -> Attribution:
        """A name as written -> the person, or nobody for a body, place or date."""
        words = person_words(words)
        name = self.book.resolve(words, at)
        known = self.book.is_known(name)
        if not known and not_a_person(words):
            return Attribution(None, None, "none", None)  # "the Fed", "Friday", "Ministry"
        text = " ".join(words)
        if known:
            name_from = "known-speaker"
        elif name != text:
            name_from = "surname"
        elif len(words) == 1:
            name_from = "single-name"
        else:
            name_from = "named"
        gender = phrase.gender if phrase else None
        titles = phrase.titles if phrase else ()
        self.book.mention(name, at, gender=gender, titles=titles, subject=True)
        return Attribution(name, None, "none", name_from)

    def _speaker(self, subject: Subject) -> Attribution:
        """Who a cue's subject is, and how that was found (rule and cue are set later)."""
        if subject.kind == "name":
            return self._named(subject.words, subject.start, subject.phrase)
        if subject.kind == "pronoun":
            referent = self.book.pronoun(subject.words[0], subject.start)
            if referent is None:
                return NOBODY
            return Attribution(referent.name, None, "none", "pronoun", referent.certainty)
        if subject.kind == "office":
            name = self.book.office(subject.words, subject.start)
            return Attribution(name, None, "none", "office" if name else None)
        return NOBODY

    def _attribute(self, who: Attribution, cue: str | None, rule: str) -> Attribution:
        certainty = who.confidence if who.name_from == "pronoun" else 1.0
        if who.speaker is None:
            return Attribution(None, cue, rule)
        value = confidence_of(rule, who.name_from, certainty)
        return Attribution(who.speaker, cue, rule, who.name_from, value)

    # -- sentences -----------------------------------------------------------

    def _read(self, index: int, paragraph: int, sentence: Sentence) -> None:
        self._note_people(sentence)
        tokens = sentence.tokens
        cues = find_cues(tokens)
        speakers = {id(cue): self._speaker(cue.subject) for cue in cues}
        headline = paragraph in self.headlines
        for position, token in enumerate(tokens):
            if token.kind != "quote":
                continue
            if headline:
                self._headline_quotation(index, paragraph, tokens, position, cues, speakers)
            else:
                self._quotation(index, paragraph, tokens, position, cues, speakers)
        reported = [c for c in cues if not c.embedding_only]
        if reported and not any(t.kind == "quote" for t in tokens):
            # Reported speech: "..., says Tom Archer, a farmers' advocate." A
            # quotation with no cue right after it is his.
            cue = reported[-1]
            cue_text = self._cue_text(tokens, cue.first, cue.extended(tokens))
            who = self._attribute(speakers[id(cue)], cue_text, "cue-after")
            self.speech = _Speech(who, index, paragraph)

    def _quotation(
        self,
        index: int,
        paragraph: int,
        tokens: Sequence[Token],
        position: int,
        cues: list[Cue],
        speakers: dict[int, Attribution],
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
        elif before.text in DASHES and _opens_clause(tokens, position - 1):
            where = "leading"
        else:
            where = "embedded"

        if where == "embedded":
            if not _is_partial_quotation(content, tokens, position):
                return
            governing = _nearest(cues, position)
            if governing is not None:
                cue_words = self._cue_text(tokens, governing.first, governing.last)
                reporter = self._attribute(speakers[id(governing)], cue_words, "partial")
            else:
                carried = self._speaker_of_partial(index, paragraph, content)
                if carried is None:
                    return
                reporter = carried
            self.drafts.append(
                _Draft([part], reporter, True, index, paragraph, bounds=self._bounds(index))
            )
            self.speech = _Speech(reporter, index, paragraph)
            return

        full = [c for c in cues if not c.embedding_only]
        before_cues = [c for c in full if c.last < position]
        cue: Cue | None = before_cues[-1] if before_cues and where != "leading" else None
        who: Attribution | None = None
        last_sentence = index
        if cue is not None:
            cue_text = self._cue_text(tokens, cue.first, cue.extended(tokens))
            who = self._attribute(speakers[id(cue)], cue_text, "cue-before")
        elif where == ":":
            who = self._lead_in(tokens, position - 1)
        if who is None:
            cue = _cue_after(full, tokens, position)
            if cue is not None:
                cue_text = self._cue_text(tokens, cue.first, cue.extended(tokens))
                who = self._attribute(speakers[id(cue)], cue_text, "cue-after")
            else:
                who = self._dash_signature(index, tokens, position)
                if who is None:
                    who = self._bare_cue_after(index, paragraph)
                    if who is not None:
                        last_sentence = index + 1  # the cue's own sentence comes after
        if who is None and _is_title(content):
            return  # '"Salt and Iron" opens on Friday': a title, not somebody's words
        previous = self.drafts[-1] if self.drafts else None
        cue_id = (index, cue.verb) if cue is not None else None
        unread = who is None and _attribution_follows(tokens, position)
        if who is None and where == "leading" and not unread and self._continues(previous, index):
            assert previous is not None
            who, cue_id = previous.who.carried("follow-on"), previous.cue_id
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
        if who is None and where == "leading" and not unread:
            who = self._carried_speech(index, paragraph) or self._subject_before(index, paragraph)
        partial = content[:1].islower()
        who = who or Attribution()
        self.drafts.append(
            _Draft([part], who, partial, last_sentence, paragraph, cue_id, self._bounds(index))
        )
        if who.speaker is not None or who.cue is not None:
            self.speech = _Speech(who, last_sentence, paragraph)

    def _carried_speech(self, index: int, paragraph: int) -> Attribution | None:
        """The speaker of reported speech just before a quotation with no cue.

        The sentence before in the same paragraph ("..., says Tom Archer. "We
        see it..."), or the last sentence of the paragraph before ("Archer
        continued:" and the quotation opening the next paragraph).
        """
        speech = self.speech
        if speech is None or speech.sentence != index - 1 or speech.who.speaker is None:
            return None
        if speech.paragraph == paragraph:
            return speech.who.carried("follow-on")
        if index in self.first_of_paragraph:
            return speech.who.carried("next-paragraph")
        return None

    def _subject_before(self, index: int, paragraph: int) -> Attribution | None:
        """'Dillon shrugged. "Ask the chairman."': the one person the sentence before is about.

        Only when that sentence, in the same paragraph, names exactly one
        person, near its start (its subject), and quotes nobody.
        """
        if index == 0 or index in self.first_of_paragraph:
            return None
        people = self.people_in.get(index - 1, [])
        if len(people) != 1 or not people[0][1]:
            return None
        who = Attribution(people[0][0], None, "none", "named")
        return self._attribute(who, None, "sentence-subject")

    def _speaker_of_partial(self, index: int, paragraph: int, content: str) -> Attribution | None:
        """A partial quotation in a sentence with no cue, right after somebody's speech.

        'Hale said the plan would fail. The cuts were "reckless and cruel."'
        Three words at least: two quoted words with no cue are more often a
        term than somebody's words.
        """
        speech = self.speech
        if (
            speech is None
            or speech.who.speaker is None
            or speech.paragraph != paragraph
            or speech.sentence not in (index, index - 1)
            or len(content.split()) < _CARRIED_PARTIAL_MIN_WORDS
        ):
            return None
        return speech.who.carried("partial")

    def _headline_quotation(
        self,
        index: int,
        paragraph: int,
        tokens: Sequence[Token],
        position: int,
        cues: list[Cue],
        speakers: dict[int, Attribution],
    ) -> None:
        """A quotation in a headline, kept only when the headline names its speaker.

        "Archer: Tariff Plan 'Smells of Panic'", "Kessler Says Rule 'Robs
        Retirees'" or '"..." - Ana Ruiz', where the name is a person; a headline
        quotation with nobody to say it is more often a title or a slogan.
        """
        part = self._part(tokens[position])
        if part is None or len(self.text[part.start : part.end].split()) < 2:
            return
        who: Attribution | None = None
        colon = next((i for i, t in enumerate(tokens[:position]) if t.text == ":"), None)
        if colon is not None:
            who = self._lead_in(tokens, colon)
        if who is None:
            speaking = [c for c in cues if c.subject.kind == "name"]  # 'Trump Calls ... 'X
            if speaking:
                cue = speaking[0]
                found = speakers[id(cue)]
                cue_text = self._cue_text(tokens, cue.first, cue.last)
                if found.speaker is not None and found.name_from != "single-name":
                    who = self._attribute(found, cue_text, "headline")
        if who is None:
            who = self._dash_signature(index, tokens, position)
        if who is None:
            return
        self.drafts.append(_Draft([part], who, False, index, paragraph, bounds=self._bounds(index)))

    def _transcript_line(self, index: int, paragraph: int, line: LabelLine) -> None:
        """'LANE: I would bring back the night routes.' (one line of a transcript)."""
        label = clean_text(self.text[line.label[0] : line.label[1]])
        start, end = line.words
        while end > start and self.text[end - 1].isspace():
            end -= 1
        words = tuple(w.strip(".") for w in label.split())
        if all(w.isupper() for w in words):  # 'MR. PRYOR' reads 'Pryor'
            words = tuple(w.capitalize() for w in words)
        phrase = _phrase_of(words)
        who = self._named(phrase, line.label[0], None) if phrase else NOBODY
        if who.speaker is None and phrase:
            who = Attribution(" ".join(phrase), None, "none", "single-name")
        attributed = self._attribute(who, label, "transcript")
        text = clean_text(self.text[start:end])
        draft = _Draft(
            [_Part(start, end, False)], attributed, False, index, paragraph, bounds=(start, end)
        )
        draft.text = text
        self.drafts.append(draft)

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
        if previous is None or previous.partial or previous.who.cue is None:
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

    def _lead_in(self, tokens: Sequence[Token], colon: int) -> Attribution | None:
        """'Frederiksen was blunt: "..."': the subject of the lead-in speaks.

        With no verb before the colon it is a label ('Jane Roe, author:',
        'Senator Paul Reyes, Democrat of Ohio:') or a headline ('Rutte:').
        """
        label = self._label(tokens, colon)
        if label is not None:
            return label
        verb = next(
            (i for i, t in enumerate(tokens[:colon]) if t.kind == "word" and t.text[:1].islower()),
            None,
        )
        if verb is None:
            return self._headline_name(tokens, colon)
        found = subject_before(tokens, verb)
        if found is None or found[0].kind not in ("name", "pronoun"):
            main = clause_subject(tokens, colon)  # "Ruiz, a Democrat, shot back:"
            if main is None:
                return None
            found = main, 0
        subject, first = found
        lead = clean_text(self.text[tokens[first].start : tokens[colon - 1].end])
        return self._attribute(self._speaker(subject), lead, "lead-in")

    def _label(self, tokens: Sequence[Token], colon: int) -> Attribution | None:
        """'Jane Roe, author:' or 'Marcus Bell, poet:': a name, a comma, a description."""
        if colon < 3 or not tokens[0].is_capitalised:
            return None
        comma = next((i for i, t in enumerate(tokens[:colon]) if t.text == ","), None)
        if comma is None or colon - comma > _LABEL_DESCRIPTION_MAX_TOKENS:
            return None
        if any(t.kind == "quote" or t.lower in SPEECH_VERBS for t in tokens[:colon]):
            return None
        runs = capitalised_runs(tokens[:comma])
        if len(runs) != 1 or len(runs[0]) != comma:
            return None
        phrase = name_phrase(runs[0])
        if phrase is None or len(phrase.name) < 2 or tokens[0].lower in FUNCTION_WORDS:
            return None
        who = self._named(phrase.name, phrase.start, phrase)
        label = clean_text(self.text[tokens[0].start : tokens[colon - 1].end])
        return self._attribute(who, label, "label") if who.speaker else None

    def _headline_name(self, tokens: Sequence[Token], colon: int) -> Attribution | None:
        """'Rutte: "We will act"' (a headline): a name alone before the colon speaks."""
        runs = capitalised_runs(tokens[:colon])
        if len(runs) != 1 or len(runs[0]) != colon:
            return None
        phrase = name_phrase(runs[0])
        if phrase is None or tokens[0].lower in FUNCTION_WORDS:
            return None
        name = self.book.resolve(phrase.name, phrase.start)
        if name == phrase.text and not self.book.is_person(phrase, phrase.start):
            return None  # 'Brussels: "..."' is a dateline, not a speaker
        who = self._named(phrase.name, phrase.start, phrase)
        cue = clean_text(self.text[tokens[0].start : tokens[colon - 1].end])
        return self._attribute(who, cue, "headline") if who.speaker else None

    def _dash_signature(
        self, index: int, tokens: Sequence[Token], position: int
    ) -> Attribution | None:
        """'"I write because I cannot sing." - Ana Ruiz' (here or as the next sentence)."""
        signature = name_after_dash(tokens, position + 1)
        if signature is None and position == len(tokens) - 1 and index + 1 < len(self.sentences):
            number, following = self.sentences[index + 1]
            if number == self.sentences[index][0]:
                signature = name_after_dash(following.tokens, 0)
        if signature is None:
            return None
        phrase = name_phrase(signature)
        if phrase is None:
            return None
        who = self._named(phrase.name, phrase.start, phrase)
        cue = clean_text(self.text[signature[0].start : signature[-1].end])
        return self._attribute(who, cue, "dash") if who.speaker else None

    def _bare_cue_after(self, index: int, paragraph: int) -> Attribution | None:
        """A quotation followed by a sentence that is only a cue: 'Rutte said.'"""
        if index + 1 >= len(self.sentences) or self.sentences[index + 1][0] != paragraph:
            return None
        tokens = self.sentences[index + 1][1].tokens
        words = [t for t in tokens if t.kind == "word"]
        if any(t.kind == "quote" for t in tokens) or len(words) > _BARE_CUE_MAX_WORDS:
            return None
        cues = [c for c in find_cues(tokens) if c.first == 0 and not c.embedding_only]
        if not cues:
            return None
        cue_text = self._cue_text(tokens, 0, cues[0].extended(tokens))
        return self._attribute(self._speaker(cues[0].subject), cue_text, "bare-cue")

    def _candidate(self, draft: _Draft) -> Candidate:
        pieces: list[str] = []
        for number, part in enumerate(draft.parts):
            words = clean_text(self.text[part.start : part.end])
            following = draft.parts[number + 1] if number + 1 < len(draft.parts) else None
            if part.had_comma and not draft.partial:
                lower_next = following is not None and self.text[following.start].islower()
                words += "" if lower_next else "."
            pieces.append(words)
        who = draft.who
        return Candidate(
            text=draft.text if draft.text is not None else " ".join(pieces),
            speaker=who.speaker,
            kind="quote",
            start=draft.parts[0].start,
            end=draft.parts[-1].end,
            cue=who.cue,
            partial=draft.partial,
            spans=tuple((p.start, p.end) for p in draft.parts),
            sentence=draft.bounds,
            confidence=who.confidence if who.speaker else 0.0,
            rule=who.rule if who.speaker or who.cue else "none",
            name_from=who.name_from if who.speaker else None,
        )


def _attribution_follows(tokens: Sequence[Token], position: int) -> bool:
    """Words after the quotation's comma attribute it, in a way these rules cannot read.

    '«C'est un bon début», a déclaré le ministre': the quotation is not given
    the previous speaker, whose it most likely is not.
    """
    following = tokens[position + 1 : position + 3]
    return (
        len(following) == 2 and following[0].text == "," and following[1].kind == "word"
    ) or bool(tokens[position].span and _quoted_comma(tokens, position))


def _quoted_comma(tokens: Sequence[Token], position: int) -> bool:
    """'"...," and more words': the comma inside the marks leads into an attribution."""
    token = tokens[position]
    inner = token.text.rstrip("\"”»“' ")
    return (
        inner.endswith(",") and position + 1 < len(tokens) and tokens[position + 1].kind == "word"
    )


def _phrase_of(words: Sequence[str]) -> tuple[str, ...]:
    """A label's name without an honorific: ('Mr', 'Pryor') -> ('Pryor',)."""
    kept = [w for w in words if w.lower().rstrip(".") not in ("mr", "mrs", "ms", "dr", "miss")]
    return tuple(kept or words)


def _opens_clause(tokens: Sequence[Token], dash: int) -> bool:
    """A dash that opens the sentence or follows a quotation ('"..." - "..."')."""
    return dash == 0 or tokens[dash - 1].kind == "quote"


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


def _is_title(content: str) -> bool:
    """'Salt and Iron', 'Roads to Nowhere': a short quotation in Title Case."""
    words = [w for w in content.split() if any(c.isalpha() for c in w)]
    return 1 <= len(words) <= _TITLE_MAX_WORDS and _is_title_case(words) and len(words) > 1


def _is_title_case(words: Sequence[str]) -> bool:
    """'Golden Dome', 'Kingdom of Denmark': every significant word capitalised."""
    significant = [w.strip("\"'(),.:;!?") for w in words]
    significant = [w for w in significant if w and w.lower() not in TITLE_CASE_SMALL_WORDS]
    return bool(significant) and all(w[:1].isupper() or w[:1].isdigit() for w in significant)
