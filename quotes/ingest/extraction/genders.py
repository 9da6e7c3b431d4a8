"""The usual gender of a first name, from gender-guesser's lexicon (48,000 names).

Resolving "she said" needs to know that Helga is a woman's name and Tom a
man's. gender-guesser's own ``Detector`` parses its whole 4 MB file (half a
second) before answering; an article needs perhaps ten names, so this module
reads the file's bytes once (a few milliseconds) and looks each name up where
it can be: the file is sorted by name, and although accented names sort by
their own conventions (Å as Aa, Þ as T), the names' first letters, folded to
plain Latin, never go backwards. Two bisections find the block of the name's
first letter, and a plain byte search of that block (a twentieth of the
file) finds its lines.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from importlib import resources

_CODE_WIDTH = 3  # "M  ", "?F ", "1M "
_NAME_END = 29  # the name field is columns 3-28
_COUNTRIES_START = 30
_MALE = ("M", "1M", "?M")
_FEMALE = ("F", "1F", "?F")
#: a name counts as one gender when that gender's weight is this many times the other's
_DOMINANCE = 3.0
#: letters that Unicode does not decompose, spelled as the lexicon sorts them
_SPELLED = str.maketrans(
    {"þ": "t", "ð": "d", "æ": "ae", "ø": "o", "ß": "ss", "œ": "oe", "ł": "l", "đ": "d", "ı": "i"}
)


def _initial(name: str) -> str:
    """The name's first letter as plain lower-case Latin ('Ådne' -> 'a', 'Þór' -> 't')."""
    decomposed = unicodedata.normalize("NFKD", name.casefold().translate(_SPELLED))
    return next((c for c in decomposed if c.isalnum() and not unicodedata.combining(c)), "")


@cache
def _data() -> bytes:
    try:
        return resources.files("gender_guesser").joinpath("data/nam_dict.txt").read_bytes()
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return b""


def _line_at(data: bytes, offset: int) -> tuple[int, int]:
    """The start and end of the line holding byte ``offset``."""
    start = data.rfind(b"\n", 0, offset) + 1
    end = data.find(b"\n", offset)
    return start, len(data) if end < 0 else end


def _is_entry(line: bytes) -> bool:
    return line[:1] not in (b"#", b"=", b"")


def _name_of(line: bytes) -> str:
    return line[_CODE_WIDTH:_NAME_END].decode("utf-8", "replace").strip()


def _first_at_or_after(data: bytes, letter: str) -> int:
    """The offset of the first entry line whose initial is not before ``letter``."""
    low, high = 0, len(data)
    while low < high:
        start, end = _line_at(data, (low + high) // 2)
        line = data[start:end]
        if not _is_entry(line) or _initial(_name_of(line)) < letter:
            low = end + 1
        else:
            high = start
    return min(low, len(data))


def _entries(data: bytes, first_name: str) -> list[bytes]:
    """The lexicon's lines for ``first_name`` (any case), from its first letter's block."""
    letter = _initial(first_name)
    if not letter:
        return []
    begin = max(_first_at_or_after(data, letter) - 1, 0)
    end = _first_at_or_after(data, chr(ord(letter) + 1))
    wanted = first_name.casefold()
    found: list[bytes] = []
    for spelling in {first_name, first_name.capitalize(), first_name.title()}:
        needle = f" {spelling} ".encode()
        offset = data.find(needle, begin, end)
        while offset >= 0:
            start, stop = _line_at(data, offset)
            line = data[start:stop]
            in_name_column = offset + 1 - start == _CODE_WIDTH and _is_entry(line)
            if in_name_column and line not in found and _name_of(line).casefold() == wanted:
                found.append(line)
            offset = data.find(needle, offset + 1, end)
    return found


def _weight(line: bytes) -> int:
    """How common the name is, summed over the lexicon's country columns (hex digits)."""
    values = line[_COUNTRIES_START:].decode("ascii", "replace")
    return sum(int(c, 16) for c in values if c in "0123456789abcdefABCDEF") or 1


@cache
def gender_of(first_name: str) -> str | None:
    """'m', 'f', or None when the name is unknown or used for both."""
    data = _data()
    if not data or not first_name.strip():
        return None
    male = female = 0
    for line in _entries(data, first_name.strip()):
        code = line[:_CODE_WIDTH].decode("ascii", "replace").strip()
        if code in _MALE:
            male += _weight(line)
        elif code in _FEMALE:
            female += _weight(line)
    if male > _DOMINANCE * female:
        return "m"
    if female > _DOMINANCE * male:
        return "f"
    return None
