"""Attribution cues: "Rutte said", "said Rutte", "she added", "according to Rutte".

A cue is a speech verb with its subject, found in a sentence's tokens (where
each quotation is one token). The subject is a name, a pronoun, an office
("the prime minister") or somebody unnamed ("a NATO spokesperson"); who that
is gets decided later, by :class:`quotes.ingest.extraction.names.NameBook`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from quotes.ingest.extraction.lexicon import (
    AUXILIARIES,
    DETERMINERS,
    EMBEDDING_VERBS,
    FUNCTION_WORDS,
    MAX_CUE_COMPLEMENT_WORDS,
    NOT_PERSON_WORDS,
    NOT_ROLE_WORDS,
    PLURAL_PRONOUNS,
    PRONOUNS,
    SPEECH_VERBS,
    TITLE_WORDS,
    UNNAMED_NOUNS,
)
from quotes.ingest.extraction.names import NamePhrase, capitalised_runs, name_phrase
from quotes.ingest.extraction.tokens import Token

SubjectKind = Literal["name", "pronoun", "office", "unnamed"]
_APPOSITIVE_MAX_TOKENS = 24
_PARTY_TAG = re.compile(r"^[RDI]-[A-Z][A-Za-z.]*$")
_DESCRIPTOR_MAX_WORDS = 5
_ROLE_MAX_WORDS = 5
_PREPOSITIONS = frozenset(["of", "in", "at", "for", "from", "on", "with", "to", "by", "near"])


@dataclass(frozen=True)
class Subject:
    kind: SubjectKind
    words: tuple[str, ...]
    start: int  # offset in the article
    phrase: NamePhrase | None = None
    titles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cue:
    """A speech verb and its subject; ``first``/``last`` are token indexes."""

    subject: Subject
    verb: int
    first: int
    last: int
    embedding_only: bool = False

    def extended(self, tokens: Sequence[Token]) -> int:
        """The last token of the cue with a short complement ("said in a statement").

        The complement runs to the end of the clause when it is a few words long
        and holds no quotation: "told Reuters", "wrote on X", "said on Tuesday".
        """
        index = self.last + 1
        words = 0
        while index < len(tokens) and tokens[index].kind == "word":
            words += 1
            index += 1
        ends_clause = index == len(tokens) or tokens[index].text in ".,:;!?"
        if 0 < words <= MAX_CUE_COMPLEMENT_WORDS and ends_clause:
            return index - 1
        return self.last


def find_cues(tokens: Sequence[Token]) -> list[Cue]:
    """Every attribution cue in a sentence, in order."""
    cues: list[Cue] = []
    for index, token in enumerate(tokens):
        if token.kind != "word":
            continue
        lower = token.lower
        if lower == "according" and _word_at(tokens, index + 1) == "to":
            subject, last = _subject_after(tokens, index + 2)
            if subject is not None:
                cues.append(Cue(subject, index, index, last))
            continue
        if lower not in SPEECH_VERBS and lower not in EMBEDDING_VERBS:
            continue
        embedding_only = lower in EMBEDDING_VERBS
        found = subject_before(tokens, index)
        if found is not None:
            subject, first = found
            if subject.kind == "name":
                first = _role_start(tokens, first)
            cues.append(Cue(subject, index, first, index, embedding_only))
        elif index == 0 or tokens[index - 1].kind == "quote" or tokens[index - 1].text == ",":
            subject, last = _subject_after(tokens, index + 1)
            if subject is not None:
                cues.append(Cue(subject, index, index, last, embedding_only))
    return cues


def _role_start(tokens: Sequence[Token], first: int) -> int:
    """Where a name's lower-case role begins: '"...," campaign lawyer Dana Whitfield said'.

    The role words join the cue only when they run back to the start of the
    clause (a quotation, a comma, the sentence start) or to a determiner.
    """
    index = first
    for _ in range(_ROLE_MAX_WORDS):
        if index == 0:
            return index
        before = tokens[index - 1]
        if before.kind != "word":
            return index
        if before.lower in DETERMINERS:
            return index - 1
        if not _is_role_word(before):
            return first
        index -= 1
    return index if index == 0 or tokens[index - 1].kind != "word" else first


def _is_role_word(token: Token) -> bool:
    """A lower-case word that can describe a person: 'campaign', 'lawyer', 'farmers''."""
    lower = token.lower
    return (
        token.kind == "word"
        and not token.is_capitalised
        and lower not in NOT_ROLE_WORDS
        and lower not in FUNCTION_WORDS
        and lower not in SPEECH_VERBS
        and lower not in EMBEDDING_VERBS
        and lower not in AUXILIARIES
        and not lower.endswith("ly")
    ) or (token.is_possessive and token.kind == "word")


def _word_at(tokens: Sequence[Token], index: int) -> str | None:
    if 0 <= index < len(tokens) and tokens[index].kind == "word":
        return tokens[index].lower
    return None


def subject_before(tokens: Sequence[Token], verb: int) -> tuple[Subject, int] | None:
    index = verb - 1
    while index >= 0 and (_word_at(tokens, index) in AUXILIARIES or tokens[index].text == ")"):
        if tokens[index].text == ")":  # "Senator Elizabeth Warren (D-Mass.) said"
            opening = next(
                (i for i in range(index - 1, max(index - 8, -1), -1) if tokens[i].text == "("),
                None,
            )
            if opening is None:
                return None
            index = opening
        index -= 1
    if index < 0:
        return None
    token = tokens[index]
    if token.kind == "word" and (token.lower in PRONOUNS or token.lower in PLURAL_PRONOUNS):
        kind: SubjectKind = "pronoun" if token.lower in PRONOUNS else "unnamed"
        return Subject(kind, (token.lower,), token.start), index
    if token.is_capitalised and token.lower not in FUNCTION_WORDS:
        return _name_ending_at(tokens, index)
    if token.text == ",":
        return _appositive(tokens, index)
    if token.kind == "word":
        return _descriptor_ending_at(tokens, index)
    return None


def _name_ending_at(
    tokens: Sequence[Token], index: int, extra_titles: tuple[str, ...] = ()
) -> tuple[Subject, int] | None:
    runs = capitalised_runs(tokens[: index + 1])
    if not runs or runs[-1][-1] is not tokens[index]:
        return None
    phrase = name_phrase(runs[-1])
    if phrase is None:
        return None
    first = tokens.index(runs[-1][0])
    if first > 0 and tokens[first - 1].is_possessive and tokens[first - 1].is_capitalised:
        first -= 1  # keep the owner in the cue: "Norland's Foreign Minister Lena Varga"
    subject = Subject("name", phrase.name, phrase.start, phrase, phrase.titles + extra_titles)
    return subject, first


def _appositive(tokens: Sequence[Token], comma: int) -> tuple[Subject, int] | None:
    """A name with asides in commas before the verb.

    'Mark Rutte, NATO's secretary general, said' (the name before the aside),
    'the minister, Claire Dumas, replied' (the name is the aside),
    'Rep. Jim Jordan, R-Ohio, the committee chairman, said' (several asides),
    'One official, who spoke on condition of anonymity, said' (nobody named).
    """
    titles: tuple[str, ...] = ()
    end = comma  # the comma closing the aside being looked at
    for index in range(comma - 1, max(comma - _APPOSITIVE_MAX_TOKENS, 0) - 1, -1):
        token = tokens[index]
        if token.kind == "quote" or token.lower in SPEECH_VERBS:
            return None
        if token.text != ",":
            continue
        aside = tokens[index + 1 : end]
        titles += tuple(t.bare.lower() for t in aside if t.bare.lower() in TITLE_WORDS)
        inner = _name_ending_at(tokens, end - 1)
        if inner is not None and (inner[1] != index + 1 or _is_party_tag(aside)):
            inner = None
        before = tokens[index - 1] if index > 0 else None
        if (
            before is not None
            and before.is_capitalised
            and not _is_party_tag([before])
            and not _ends_description(tokens, index - 1)
            and (inner is None or not _looks_like_person(inner[0]))
        ):
            return _name_ending_at(tokens, index - 1, titles)
        if inner is not None:
            first = index
            while first > 0 and tokens[first - 1].kind == "word":
                first -= 1
            return inner[0], first
        if before is not None and before.kind == "word" and not before.is_capitalised:
            return _descriptor_ending_at(tokens, index - 1)
        end = index
    return None


def _ends_description(tokens: Sequence[Token], index: int) -> bool:
    """'the mayor of Lindau': a capitalised word closing a description, not a name."""
    runs = capitalised_runs(tokens[: index + 1])
    if not runs:
        return False
    first = tokens.index(runs[-1][0])
    before = tokens[first - 1] if first > 0 else None
    return (
        before is not None
        and before.kind == "word"
        and (before.lower in _PREPOSITIONS or before.lower in DETERMINERS)
    )


def _is_party_tag(tokens: Sequence[Token]) -> bool:
    """'R-Ohio', 'D-Wash.': a US party and state after a name."""
    return len(tokens) == 1 and _PARTY_TAG.match(tokens[0].text) is not None


def _looks_like_person(subject: Subject) -> bool:
    """'Olof Gill' in 'a spokesperson for the Commission, Olof Gill, said'."""
    words = [w.lower() for w in subject.words]
    return 2 <= len(words) <= 4 and not any(w in NOT_PERSON_WORDS for w in words)


def _descriptor_ending_at(tokens: Sequence[Token], index: int) -> tuple[Subject, int] | None:
    """'the prime minister said' (an office) or 'a NATO spokesperson said' (unnamed)."""
    head = tokens[index].lower
    if head not in TITLE_WORDS and head not in UNNAMED_NOUNS:
        return None
    for first in range(index, max(index - _DESCRIPTOR_MAX_WORDS, -1), -1):
        token = tokens[first]
        if token.kind != "word":
            return None
        if token.lower in DETERMINERS or token.is_possessive:
            words = tuple(t.bare.lower() for t in tokens[first + 1 : index + 1])
            definite = token.lower == "the" or token.is_possessive
            kind: SubjectKind = "office" if definite and head in TITLE_WORDS else "unnamed"
            return Subject(kind, words, token.start), first
    return None


def _name_after_role(tokens: Sequence[Token], index: int) -> tuple[Subject, int] | None:
    """'said health department spokesman Ivan Petrov', "said Hale's press secretary, Lena Brooks".

    The name after a role (and its owner) is the subject, never the owner; a
    role with no name after it is left to the descriptor rules.
    """
    position = index
    roles: list[str] = []
    owner = False
    while position < len(tokens) and len(roles) <= _ROLE_MAX_WORDS:
        token = tokens[position]
        if token.kind == "word" and token.lower in DETERMINERS and not roles:
            position += 1
            continue
        if token.is_capitalised and token.lower not in FUNCTION_WORDS:
            run = capitalised_runs(tokens[position:])[0]
            if run[-1].is_possessive:  # an owner: "Hale's"
                owner = True
                position += len(run)
                continue
            if not roles and not owner:
                return None  # a plain name: the caller's rule
            phrase = name_phrase(run)
            if phrase is None:
                return None
            last = position + len(run) - 1
            titles = phrase.titles + tuple(r for r in roles if r in TITLE_WORDS)
            return Subject("name", phrase.name, phrase.start, phrase, titles), last
        if token.text == "," and (roles or owner):
            position += 1
            continue
        if not _is_role_word(token) or token.is_possessive:
            return None
        roles.append(token.lower)
        position += 1
    return None


def _subject_after(tokens: Sequence[Token], index: int) -> tuple[Subject | None, int]:
    """The subject of an inverted cue: 'said Rutte', 'according to the ministry'."""
    if index >= len(tokens) or tokens[index].kind != "word":
        return None, index
    token = tokens[index]
    if token.lower in PRONOUNS:
        return Subject("pronoun", (token.lower,), token.start), index
    named = _name_after_role(tokens, index)
    if named is not None:
        return named
    if token.is_capitalised and token.lower not in FUNCTION_WORDS:
        run = capitalised_runs(tokens[index:])[0]
        phrase = name_phrase(run)
        if phrase is not None and not run[-1].is_possessive:
            last = index + len(run) - 1
            return Subject("name", phrase.name, phrase.start, phrase, phrase.titles), last
    if token.lower in DETERMINERS:
        window = []
        for candidate in tokens[index + 1 : index + 1 + _DESCRIPTOR_MAX_WORDS]:
            if candidate.kind != "word":
                break
            window.append(candidate)
        heads = [i for i, t in enumerate(window) if t.lower in TITLE_WORDS | UNNAMED_NOUNS]
        if heads:
            chosen = window[: heads[-1] + 1]
            head = chosen[-1].lower
            definite = token.lower == "the"
            kind: SubjectKind = "office" if definite and head in TITLE_WORDS else "unnamed"
            words = tuple(t.bare.lower() for t in chosen)
            return Subject(kind, words, token.start), index + len(chosen)
    return None, index
