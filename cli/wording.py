"""Counts in sentences: "1 quote", "2 quotes", never "1 quotes"."""

from __future__ import annotations

#: words whose plural is not the word plus "s"
_IRREGULAR = {"quotation mark": "quotation marks", "speech": "speeches", "was": "were"}


def plural(count: int, word: str, many: str | None = None) -> str:
    """``word`` as it goes with ``count``: the singular for exactly one."""
    if count == 1:
        return word
    return many or _IRREGULAR.get(word) or f"{word}s"


def counted(count: int, word: str, many: str | None = None, *, separators: bool = False) -> str:
    """``"1 quote"``, ``"2 quotes"`` (``"1,204 quotes"`` with ``separators``)."""
    number = f"{count:,}" if separators else str(count)
    return f"{number} {plural(count, word, many)}"
