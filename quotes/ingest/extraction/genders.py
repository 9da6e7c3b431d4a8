"""The usual gender of a first name, from gender-guesser's lexicon (48,000 names).

Resolving "she said" needs to know that Helga is a woman's name and Tom a
man's. gender-guesser's own ``Detector`` parses its whole 4 MB file (half a
second) before answering; an article needs perhaps ten names, so this module
reads the file's bytes once (a few milliseconds) and finds each name by
bisection over byte offsets: the file is sorted by the name folded to plain lower-case letters,
up to local inversions that a window around the probe mostly absorbs (a plain
search of the file catches the rest).
"""

from __future__ import annotations

import unicodedata
from functools import cache
from importlib import resources

_CODE_WIDTH = 3  # "M  ", "?F ", "1M "
_NAME_END = 29  # the name field is columns 3-28
_COUNTRIES_START = 30
_WINDOW = 80  # lines on each side of the probe checked for the exact name
_MALE = ("M", "1M", "?M")
_FEMALE = ("F", "1F", "?F")
#: a name counts as one gender when that gender's weight is this many times the other's
_DOMINANCE = 3.0


def _fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "".join(c for c in plain.casefold() if c.isalnum())


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


def _weight(line: bytes) -> int:
    """How common the name is, summed over the lexicon's country columns (hex digits)."""
    values = line[_COUNTRIES_START:].decode("ascii", "replace")
    return sum(int(c, 16) for c in values if c in "0123456789abcdefABCDEF") or 1


@cache
def gender_of(first_name: str) -> str | None:
    """'m', 'f', or None when the name is unknown or used for both."""
    wanted = _fold(first_name)
    data = _data()
    if not wanted or not data:
        return None
    low, high = 0, len(data)
    while low < high:  # the first line whose folded name is not below the wanted one
        middle = (low + high) // 2
        start, end = _line_at(data, middle)
        line = data[start:end]
        if not _is_entry(line) or _fold(_name_of(line)) < wanted:
            low = end + 1
        else:
            high = start
    lines = [line for line in _window(data, min(low, len(data))) if _matches(line, first_name)]
    if not lines:  # a local disorder the window missed: look through the whole file
        lines = _scan(data, first_name)
    male = female = 0
    for line in lines:
        code = line[:_CODE_WIDTH].decode("ascii", "replace").strip()
        weight = _weight(line)
        if code in _MALE:
            male += weight
        elif code in _FEMALE:
            female += weight
    if male > _DOMINANCE * female:
        return "m"
    if female > _DOMINANCE * male:
        return "f"
    return None


def _matches(line: bytes, first_name: str) -> bool:
    name = _name_of(line)
    return name.casefold() == first_name.casefold() or _fold(name) == _fold(first_name)


def _scan(data: bytes, first_name: str) -> list[bytes]:
    """Every entry for the name, by a plain search for it in the name column."""
    needle = f" {first_name} ".encode()
    found: list[bytes] = []
    offset = data.find(needle)
    while offset >= 0:
        start, end = _line_at(data, offset)
        if offset + 1 - start == _CODE_WIDTH and _is_entry(data[start:end]):
            found.append(data[start:end])
        offset = data.find(needle, offset + 1)
    return found


def _window(data: bytes, offset: int) -> list[bytes]:
    """The entry lines within ``_WINDOW`` lines of ``offset``."""
    start = offset
    for _ in range(_WINDOW):
        if start <= 0:
            break
        start = data.rfind(b"\n", 0, start - 1) + 1
    end = offset
    for _ in range(_WINDOW):
        found = data.find(b"\n", end + 1)
        if found < 0:
            end = len(data)
            break
        end = found
    return [line for line in data[start:end].split(b"\n") if _is_entry(line)]
