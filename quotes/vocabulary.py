"""The project's one vocabulary, and the rules that go with it.

Every fixed list of values lives here once, as a ``StrEnum`` whose members are
the strings stored in the database and printed in JSON (a member *is* its
string: ``StanceLabel.FAVOR == "favor"``). The rules written against these
values live beside them, so each exists once:

- :data:`LABEL_SCORES`: the score a person's label stands for;
- :func:`manual_wins` / :func:`effective_stance`: a person's label wins over
  the automatic one (the SQL form for filters is
  :func:`quotes.search.filters.effective_stance_is`, built on the same values);
- :func:`choose`: an option value chosen from a fixed list, compared trimmed
  and case-insensitively, with one error message naming what is accepted.

Only the standard library and :mod:`quotes.errors` are imported here, so every
layer (models, queries, rendering) may depend on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Protocol, TypeVar

from quotes.errors import BadInputError


class StanceLabel(StrEnum):
    """Where a statement stands, relative to the topic's proposition (its favor pole)."""

    FAVOR = "favor"
    AGAINST = "against"
    NEUTRAL = "neutral"


class Method(StrEnum):
    """Who decided: a person (``manual``) or automatic assignment (``auto``).

    Used for stance assessments and for topic links (their ``origin``).
    """

    MANUAL = "manual"
    AUTO = "auto"


class QuoteKind(StrEnum):
    """Verbatim words, or reported speech (never shown inside quotation marks)."""

    QUOTE = "quote"
    PARAPHRASE = "paraphrase"


class DatePrecision(StrEnum):
    """How much of a date was given: ``2019-08`` is a month, not ``2019-08-01``."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class ExportFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"
    PARQUET = "parquet"


class TimelineFormat(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"
    HTML = "html"
    PNG = "png"
    PARQUET = "parquet"


class SearchMode(StrEnum):
    TEXT = "text"
    SEMANTIC = "semantic"
    HYBRID = "hybrid"


def values(enum: type[StrEnum]) -> tuple[str, ...]:
    """The enum's strings in declaration order (what CHECK constraints list)."""
    return tuple(member.value for member in enum)


#: The score a person's label stands for: +1 fully toward the favor pole.
LABEL_SCORES: dict[str, float] = {
    StanceLabel.FAVOR: 1.0,
    StanceLabel.AGAINST: -1.0,
    StanceLabel.NEUTRAL: 0.0,
}


def label_score(label: str) -> float:
    """The score of a person's label (``favor`` 1, ``against`` -1, ``neutral`` 0)."""
    return LABEL_SCORES[label]


def effective_stance(
    manual_label: str | None, auto_label: str | None, auto_score: float | None
) -> tuple[str, float, str] | None:
    """(label, score, method) that counts for one quote and topic, or None.

    A person's label wins and scores ±1 or 0 (:data:`LABEL_SCORES`);
    otherwise the automatic label with its score, clipped to [-1, 1].
    """
    if manual_label is not None:
        return manual_label, LABEL_SCORES[manual_label], Method.MANUAL.value
    if auto_label is not None and auto_score is not None:
        return auto_label, max(-1.0, min(1.0, float(auto_score))), Method.AUTO.value
    return None


def manual_wins(method: str, other_method: str) -> bool:
    """True when an assessment by ``method`` replaces one by ``other_method``.

    The one rule of the project: a person's label wins over the automatic one
    for the same quote and topic. Filters (SQL), timelines, clusters, rendering
    and assignment all decide with it (:func:`effective_per_topic` for lists).
    """
    return method == Method.MANUAL and other_method != Method.MANUAL


class _Assessed(Protocol):
    @property
    def topic(self) -> str: ...

    @property
    def method(self) -> str: ...


Assessed = TypeVar("Assessed", bound=_Assessed)


def effective_per_topic(stances: Iterable[Assessed]) -> list[Assessed]:
    """One stance per topic, in first-seen topic order: a person's label wins."""
    chosen: dict[str, Assessed] = {}
    for stance in stances:
        held = chosen.get(stance.topic)
        if held is None or manual_wins(stance.method, held.method):
            chosen[stance.topic] = stance
    return list(chosen.values())


Choice = TypeVar("Choice", bound=str)


def accepted(options: Sequence[str]) -> str:
    """``a, b or c``."""
    return options[0] if len(options) == 1 else f"{', '.join(options[:-1])} or {options[-1]}"


def choose(value: str, options: Sequence[Choice], what: str) -> Choice:
    """The option ``value`` names; BadInputError naming ``what`` otherwise."""
    cleaned = value.strip().lower()
    for option in options:
        if cleaned == option:
            return option
    raise BadInputError(f"unknown {what} {value!r}: use {accepted(options)}.")


#: The confidence an automatic stance needs before timelines, shifts and
#: positions count it (``--min-confidence``'s default). A person's label always
#: counts; an automatic assessment with no stored confidence counts as unknown,
#: i.e. below any bar above 0. At 0.7 the calibrated model is expected to be
#: right about three times in four or better on the quotes it keeps.
DEFAULT_MIN_CONFIDENCE = 0.7


def passes_confidence(method: str, confidence: float | None, bar: float) -> bool:
    """Whether one stance counts at ``bar``: manual always, automatic at or above it.

    ``bar`` 0 switches the bar off (every automatic stance counts, even one
    whose confidence is unknown).
    """
    if method == "manual" or bar <= 0:
        return True
    return confidence is not None and confidence >= bar


def validate_min_confidence(value: float) -> float:
    """A confidence bar lies in [0, 1]; anything else is bad input."""
    if not 0 <= value <= 1:
        raise BadInputError(f"invalid --min-confidence {value}: use a number from 0 to 1.")
    return value


def stance_label(value: str) -> str:
    """``favor``, ``against`` or ``neutral`` (as stored); anything else is bad input."""
    return choose(value, values(StanceLabel), "stance label")


def quote_kind(value: str) -> str:
    """``quote`` or ``paraphrase`` (as stored); anything else is bad input."""
    return choose(value, values(QuoteKind), "kind")
