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
    CALENDAR_WORDS,
    DETERMINERS,
    EMBEDDING_VERBS,
    FUNCTION_WORDS,
    MAX_CUE_COMPLEMENT_WORDS,
    NOT_PERSON_WORDS,
    NOT_ROLE_WORDS,
    PLURAL_PRONOUNS,
    PRONOUNS,
    QUANTITY_WORDS,
    SPEECH_VERBS,
    STATEMENT_NOUNS,
    TITLE_WORDS,
    UNNAMED_NOUNS,
    words,
)
from quotes.ingest.extraction.names import NamePhrase, capitalised_runs, name_phrase, not_a_person
from quotes.ingest.extraction.tokens import Token

SubjectKind = Literal["name", "pronoun", "office", "unnamed"]
_APPOSITIVE_MAX_TOKENS = 24
_PARTY_TAG = re.compile(r"^[RDI]-[A-Z][A-Za-z.]*$")
_DESCRIPTOR_MAX_WORDS = 5
_ROLE_MAX_WORDS = 5
_CLAUSE_SUBJECT_WITHIN = 8  # tokens from the sentence start
_PERIODS = words("week month year weekend morning night evening afternoon")
_THIS_OR_LAST = words("this last")
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
        if _is_plural_noun(tokens, index):
            continue  # "one of the states in the lawsuit", "his remarks"
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
            elif lower.endswith("ing") and index > 0:
                # "Trump lashed out at the court, calling the decision "a disaster"":
                # the participle's subject is the clause's.
                main = clause_subject(tokens, index)
                if main is not None:
                    cues.append(Cue(main, index, index, index, embedding_only))
    return cues


def clause_subject(tokens: Sequence[Token], before: int) -> Subject | None:
    """The sentence's subject: a pronoun opening it, or the first person named near its start."""
    first = tokens[0]
    if first.kind == "word" and first.lower in PRONOUNS:
        return Subject("pronoun", (first.lower,), first.start)
    for run in capitalised_runs(tokens[: min(before, _CLAUSE_SUBJECT_WITHIN)]):
        phrase = name_phrase(run)
        if phrase is None or run[-1].is_possessive or not_a_person(phrase.name):
            continue
        return Subject("name", phrase.name, phrase.start, phrase, phrase.titles)
    return None


def _before_time(tokens: Sequence[Token], index: int) -> int:
    """Skip a time between subject and verb: 'Hale on Friday said', 'Hale, last week, said'."""
    position = index - 1 if 0 <= index < len(tokens) and tokens[index].text == "," else index
    skipped = position
    if _word_at(tokens, skipped) in CALENDAR_WORDS:
        skipped -= 1
        if _word_at(tokens, skipped) == "on":
            skipped -= 1
    elif _word_at(tokens, skipped) in _PERIODS and _word_at(tokens, skipped - 1) in _THIS_OR_LAST:
        skipped -= 2
    if skipped == position:
        return index  # no time phrase here
    enclosed = skipped >= 0 and tokens[skipped].text == ","
    if position != index and not enclosed:
        return index  # ', who signed it in March, said': the time belongs to the aside
    return skipped - 1 if enclosed else skipped


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


def _is_plural_noun(tokens: Sequence[Token], index: int) -> bool:
    """'the states', 'his remarks', 'the United States': a speech verb's form used as a noun."""
    word = tokens[index].lower
    before = _word_at(tokens, index - 1)
    if not word.endswith("s") or before is None:
        return False
    if tokens[index].is_capitalised and before in NOT_PERSON_WORDS:
        return True  # "the United States", "Member States"
    return before in DETERMINERS or before in QUANTITY_WORDS or tokens[index - 1].is_possessive


def _word_at(tokens: Sequence[Token], index: int) -> str | None:
    if 0 <= index < len(tokens) and tokens[index].kind == "word":
        return tokens[index].lower
    return None


def subject_before(tokens: Sequence[Token], verb: int) -> tuple[Subject, int] | None:
    index = _before_time(tokens, verb - 1)
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
    if token.lower == "who" and index > 1 and tokens[index - 1].text == ",":
        # "Sen. Rand Mitchell, R-Ky., who said": the person the clause hangs on
        return _appositive(tokens, index - 1) or _subject_ending_at(tokens, index - 2)
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


def _subject_ending_at(tokens: Sequence[Token], index: int) -> tuple[Subject, int] | None:
    """A name or a description ending at ``index``."""
    if index < 0:
        return None
    token = tokens[index]
    if token.is_capitalised and token.lower not in FUNCTION_WORDS:
        return _name_ending_at(tokens, index)
    return _descriptor_ending_at(tokens, index) if token.kind == "word" else None


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
        if token.kind == "quote" or (
            token.lower in SPEECH_VERBS and not _is_plural_noun(tokens, index)
        ):
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
            described = _descriptor_ending_at(tokens, index - 1)
            if described is not None:
                return described
            # "president of Local 117, which represents ..., warned": look further back
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
    owned = _owner_of_words(tokens, index)
    if owned is not None:
        return owned
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


def _owner_of_words(tokens: Sequence[Token], index: int) -> tuple[Subject, int] | None:
    """The owner of a statement speaks through it: "Hale's statement called for ..."."""
    if tokens[index].lower not in STATEMENT_NOUNS or index == 0:
        return None
    owner = tokens[index - 1]
    if not (owner.is_possessive and owner.is_capitalised):
        return None
    found = _name_ending_at(tokens, index - 1)
    if found is None:
        return None
    subject, first = found
    if first < index - 1 and tokens[first].is_possessive:
        return None  # "Norland's Hale's statement": unclear
    return subject, first


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
                if _is_role_word_at(tokens, position + len(run)):
                    owner = True  # an employer: "said Bernstein analyst Mark Ellis"
                    position += len(run)
                    continue
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
        if (
            token.lower == "of"
            and roles
            and (
                _is_role_word_at(tokens, position + 1)
                or _word_at(tokens, position + 1) in QUANTITY_WORDS
            )
        ):
            position += 2 if _word_at(tokens, position + 1) in QUANTITY_WORDS else 1
            continue  # "chief of staff", "mother of three"
        if not _is_role_word(token):
            return None
        if token.is_possessive:  # "the county's chief clerk"
            owner = True
        else:
            roles.append(token.lower)
        position += 1
    return None


def _is_role_word_at(tokens: Sequence[Token], index: int) -> bool:
    return index < len(tokens) and _is_role_word(tokens[index])


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
