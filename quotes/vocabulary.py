"""One rule for option values chosen from a fixed list (formats, modes, labels).

Every such value is compared trimmed and case-insensitively, and an unknown
one is bad input whose message names it and lists what is accepted, the same
way for every command.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from quotes.errors import BadInputError

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
