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
