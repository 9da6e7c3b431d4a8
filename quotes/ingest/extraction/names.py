"""People named in an article: titles stripped, surnames and pronouns resolved.

Reporters introduce a person once in full ("Danish Prime Minister Mette
Frederiksen") and then use the surname ("Frederiksen said"), a pronoun ("she
added") or the office ("the prime minister said"). :class:`NameBook` reads the
article in order and remembers who was named where, so each of those short
forms resolves to the full name used earlier (or, failing that, to a speaker
the database already knows).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from quotes.ingest.extraction.genders import gender_of
from quotes.ingest.extraction.lexicon import (
    CALENDAR_WORDS,
    FUNCTION_WORDS,
    GENDERED_TITLES,
    NAME_PARTICLES,
    NATIONALITIES,
    NOT_PERSON_WORDS,
    PRONOUNS,
    TITLE_WORDS,
)
from quotes.ingest.extraction.tokens import Token


def is_title(token: Token) -> bool:
    return token.lower in TITLE_WORDS or token.bare.lower() in TITLE_WORDS


def _is_acronym(token: Token) -> bool:
    letters = token.bare.replace(".", "").replace("-", "")
    return len(letters) >= 2 and letters.isupper() and letters.isalpha()


def _is_modifier(token: Token) -> bool:
    """Words that may precede a name without being part of it."""
    lower = token.bare.lower()
    return (
        token.is_possessive
        or _is_acronym(token)
        or lower in NATIONALITIES
        or lower in FUNCTION_WORDS
        or lower == "of"
        or lower.endswith("-led")
    )


@dataclass(frozen=True)
class NamePhrase:
    """A capitalised run split into its name and what stood before it."""

    name: tuple[str, ...]
    titles: tuple[str, ...]
    start: int
    end: int
    gender: str | None
    introduced: bool  # a title or a possessive owner stood before the name

    @property
    def text(self) -> str:
        return " ".join(self.name)


def name_phrase(tokens: Sequence[Token]) -> NamePhrase | None:
    """Strip titles and modifiers from a run of capitalised tokens.

    "NATO Secretary General Mark Rutte" -> "Mark Rutte" (titles: secretary
    general); "Denmark's Mette Frederiksen" -> "Mette Frederiksen". The name
    keeps at least one word, so "John Major" stays whole.
    """
    words = [t for t in tokens if t.kind == "word"]
    while words and words[0].lower in FUNCTION_WORDS:
        words = words[1:]
    if not words:
        return None
    last_title = max((i for i, t in enumerate(words[:-1]) if is_title(t)), default=-1)
    prefix, rest = words[: last_title + 1], words[last_title + 1 :]
    if len(rest) == 1 and is_title(rest[0]):
        return None  # "President" alone names an office, not a person
    while len(rest) > 1 and _is_modifier(rest[0]):
        prefix, rest = [*prefix, rest[0]], rest[1:]
        if prefix[-1].lower == "of" and len(rest) > 2:  # "Democrat of Ohio Susan Crane"
            prefix, rest = [*prefix, rest[0]], rest[1:]
    gender = next((GENDERED_TITLES[t.lower] for t in prefix if t.lower in GENDERED_TITLES), None)
    introduced = any(is_title(t) or t.is_possessive for t in prefix)
    titles = tuple(t.bare.lower() for t in prefix if is_title(t))
    name = tuple(t.stem for t in rest)
    return NamePhrase(name, titles, rest[0].start, rest[-1].end, gender, introduced)


def capitalised_runs(tokens: Sequence[Token]) -> list[list[Token]]:
    """Maximal runs of name-like words ("Secretary of State Marco Rubio").

    Lower-case particles and "of" join a run only when a capitalised word
    follows; a possessive ends the run it is in.
    """
    runs: list[list[Token]] = []
    current: list[Token] = []
    for index, token in enumerate(tokens):
        joinable = token.kind == "word" and (
            token.is_capitalised
            or (
                current
                and (token.lower in NAME_PARTICLES or token.lower == "of")
                and _capitalised_follows(tokens, index)
            )
        )
        if joinable:
            current.append(token)
            if token.is_possessive:
                runs.append(current)
                current = []
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _capitalised_follows(tokens: Sequence[Token], index: int) -> bool:
    for token in tokens[index + 1 :]:
        if token.kind != "word":
            return False
        if token.is_capitalised:
            return True
        if token.lower not in NAME_PARTICLES:
            return False
    return False


def person_words(words: Sequence[str]) -> tuple[str, ...]:
    """A name without a capitalised role before it or an employer after it.

    'Grocer Tom Alvarez' -> 'Tom Alvarez' (three words or more, when the first
    is no first name and the second is one: the first-name lexicon decides);
    'Tom Becker of Harbor Securities' -> 'Tom Becker'.
    """
    if "of" in words[2:]:  # "Tom Becker of Harbor Securities"
        words = words[: list(words).index("of", 2)]
    if len(words) >= 3 and gender_of(words[0]) is None and gender_of(words[1]) is not None:
        return tuple(words[1:])
    return tuple(words)


def not_a_person(words: Sequence[str]) -> bool:
    """'Federal Reserve', 'North Korea', 'Friday': a body, place or date, not somebody.

    A word of a place, body or date anywhere in the name decides, except a
    first word that is a common first name ("Bill Fray", "Theresa May").
    """
    lowered = [w.lower() for w in words]
    if len(lowered) == 1:
        return lowered[0] in NOT_PERSON_WORDS or lowered[0] in CALENDAR_WORDS
    if any(w in NOT_PERSON_WORDS for w in lowered[1:]):
        return True
    return lowered[0] in NOT_PERSON_WORDS and gender_of(words[0]) is None


@dataclass
class Person:
    name: str
    gender: str | None = None
    titles: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Mention:
    """A person named (or referred to) at offset ``at`` of sentence ``sentence``."""

    at: int
    name: str
    sentence: int
    subject: bool
    paragraph: int = 0
    #: named only as an owner ("Ortiz's campaign manager"): counts half an object
    owner: bool = False


@dataclass(frozen=True)
class Referent:
    """Who a pronoun or office stands for, and how sure the choice is (0-1)."""

    name: str
    certainty: float


#: How much a mention counts for salience: a subject twice an object, an owner half of
#: one, and the count fades to 40% with every sentence.
_SUBJECT_WEIGHT = 2.0
_DECAY = 0.4
_OWNER_WEIGHT = 0.5
_SALIENCE_WINDOW = 8  # sentences
_UNKNOWN_GENDER_FACTOR = 0.6
_EARLIER_PARAGRAPH_FACTOR = 0.5
_RECENT_MENTIONS = 8


@dataclass
class NameBook:
    """Who the article has named so far, and what their short forms mean.

    ``known_speakers`` are the database's speakers: names, or a mapping from
    each alias to its speaker's canonical name.
    """

    known_speakers: Iterable[str] | Mapping[str, str] = ()
    people: dict[str, Person] = field(default_factory=dict)
    mentions: list[Mention] = field(default_factory=list)
    full_names: list[tuple[int, str]] = field(default_factory=list)
    #: the sentence and paragraph being read (set by the reader): salience fades with distance
    sentence: int = 0
    paragraph: int = 0

    def __post_init__(self) -> None:
        known = self.known_speakers
        pairs = known.items() if isinstance(known, Mapping) else ((n, n) for n in known)
        self._known = {
            alias.casefold(): name for alias, name in pairs if alias.strip() and name.strip()
        }
        for name in list(self._known.values()):
            self._known.setdefault(name.casefold(), name)
        self._by_surname: dict[str, list[tuple[int, str]]] = {}

    def learn_full_names(self, runs: Iterable[list[Token]]) -> None:
        """First pass: every multi-word name in the article, so surnames resolve."""
        for run in runs:
            phrase = name_phrase(run)
            if (
                phrase is not None
                and 2 <= len(phrase.name) <= 4
                and all(w[:1].isupper() or w in NAME_PARTICLES for w in phrase.name)
                and not not_a_person(phrase.name)
            ):
                name = " ".join(person_words(phrase.name))
                self.full_names.append((phrase.start, name))
                self._by_surname.setdefault(name.split()[-1].casefold(), []).append(
                    (phrase.start, name)
                )

    def resolve(self, words: Sequence[str], at: int) -> str:
        """The full name for a name as written at offset ``at``.

        A known alias gives its speaker. A single word is taken as a surname:
        the latest full name with that surname before ``at``, else one later in
        the article, else a known speaker with that surname (only if exactly one).
        """
        text = " ".join(words)
        if text.casefold() in self._known:
            return self._known[text.casefold()]
        if len(words) == 1:
            key = text.casefold()
            matches = self._by_surname.get(key, [])
            before = [n for o, n in matches if o < at]
            if before:
                return self._canonical(before[-1])
            if matches:
                return self._canonical(matches[0][1])
            known = {n for k, n in self._known.items() if k.split()[-1] == key}
            if len(known) == 1:
                return known.pop()
        return self._canonical(text)

    def is_known(self, name: str) -> bool:
        return name.casefold() in self._known

    def _canonical(self, name: str) -> str:
        return self._known.get(name.casefold(), name)

    def is_person(self, phrase: NamePhrase, at: int, *, opens_sentence: bool = False) -> bool:
        """Worth remembering as a person mention (for pronouns and offices).

        Introduced with a title or an owner, already known, a two-to-four-word
        name with no word of a place, body or date in it, or a lone first name
        inside a sentence ("Her son, Daniel, runs the accounts").
        """
        words = [w.lower() for w in phrase.name]
        if not_a_person(phrase.name):
            return False
        if (
            len(words) == 1
            and not opens_sentence
            and words[0] not in FUNCTION_WORDS
            and gender_of(phrase.name[0]) is not None
        ):
            return True
        name = self.resolve(phrase.name, at)
        if phrase.introduced or name in self.people or name.casefold() in self._known:
            return True
        if len(name.split()) >= 2 and name != phrase.text:
            return True  # a surname of somebody named in full
        return (
            2 <= len(words) <= 4
            and not any(w in NATIONALITIES for w in words)
            and all(w[:1].isupper() or w.lower() in NAME_PARTICLES for w in phrase.name)
        )

    def mention(
        self,
        name: str,
        at: int,
        *,
        gender: str | None = None,
        titles: Iterable[str] = (),
        subject: bool = False,
        owner: bool = False,
    ) -> None:
        person = self.people.setdefault(name, Person(name))
        person.gender = person.gender or gender
        person.titles.update(titles)
        recent = len(self.mentions) - _RECENT_MENTIONS
        for number in range(len(self.mentions) - 1, max(recent, 0) - 1, -1):
            seen = self.mentions[number]
            if seen.at == at and seen.name == name:  # seen as a name, then as a cue's subject
                if subject and not seen.subject:
                    self.mentions[number] = Mention(at, name, seen.sentence, True, seen.paragraph)
                return
        self.mentions.append(Mention(at, name, self.sentence, subject, self.paragraph, owner))

    def gender(self, name: str) -> str | None:
        """From an honorific or an earlier pronoun, else from the first name's usual gender."""
        person = self.people.get(name)
        if person is not None and person.gender is not None:
            return person.gender
        parts = name.split()
        if len(parts) < 2:
            return None
        guessed = gender_of(parts[0])
        if person is not None:
            person.gender = guessed
        return guessed

    def pronoun(self, word: str, at: int) -> Referent | None:
        """The most salient person before ``at`` whose gender fits ``word``.

        Salience is what a reader keeps in mind: people named in recent
        sentences, subjects more than objects (who the paragraph is about),
        people of the current paragraph more than of earlier ones. People of
        the pronoun's gender are preferred over people of unknown gender, and
        people of the other gender are never chosen.
        """
        gender = PRONOUNS.get(word.lower())
        if gender is None:
            return None
        scores: dict[str, float] = {}
        latest: dict[str, int] = {}
        for mention in self.mentions:
            age = self.sentence - mention.sentence
            if mention.at >= at or age > _SALIENCE_WINDOW:
                continue
            latest[mention.name] = max(latest.get(mention.name, -1), mention.at)
            role = _SUBJECT_WEIGHT if mention.subject else 1.0
            weight = (_OWNER_WEIGHT if mention.owner else role) * _DECAY**age
            if mention.paragraph != self.paragraph:
                weight *= _EARLIER_PARAGRAPH_FACTOR  # a new paragraph moves the focus
            scores[mention.name] = scores.get(mention.name, 0.0) + weight
        ranked: list[tuple[float, int, str]] = []  # ties go to the person named last
        for name, score in scores.items():
            known = self.gender(name)
            if known is None:
                ranked.append((score * _UNKNOWN_GENDER_FACTOR, latest[name], name))
            elif known == gender:
                ranked.append((score, latest[name], name))
        if not ranked:
            return self._last_fitting(gender, at)
        ranked.sort(reverse=True)
        best, _, name = ranked[0]
        second = ranked[1][0] if len(ranked) > 1 else 0.0
        person = self.people[name]
        person.gender = person.gender or gender
        self.mentions.append(Mention(at, name, self.sentence, True, self.paragraph))
        return Referent(name, best / (best + second))

    def _last_fitting(self, gender: str, at: int) -> Referent | None:
        """Outside the salience window: the last person named whose gender fits."""
        for mention in sorted(self.mentions, key=lambda m: m.at, reverse=True):
            if mention.at < at and self.gender(mention.name) in (None, gender):
                self.mentions.append(Mention(at, mention.name, self.sentence, True, self.paragraph))
                return Referent(mention.name, 0.5)
        return None

    def office(self, words: Sequence[str], at: int) -> str | None:
        """'the prime minister' -> the last person introduced with that office."""
        wanted = [w.lower() for w in words if w.lower() in TITLE_WORDS]
        if not wanted:
            return None
        for mention in sorted(self.mentions, key=lambda m: m.at, reverse=True):
            if mention.at < at and set(wanted) <= self.people[mention.name].titles:
                return mention.name
        return None
