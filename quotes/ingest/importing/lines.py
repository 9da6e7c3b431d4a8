"""Physical lines of an import file, decoded one at a time.

Reading line by line keeps memory flat however large the file is, and lets a
line whose bytes do not decode, or one that is absurdly long, be reported with
its number while the lines around it are still read. A UTF-8 byte-order mark
is dropped. UTF-16 and UTF-32 cannot be split on newline bytes, so they are
decoded as a stream; a decoding error there names the line it happened on.

Real files mix encodings (a UTF-8 export with a few Windows-1252 lines pasted
in), so an encoding may be a comma-separated list, ``utf-8,cp1252``: each line
is decoded with the first encoding that accepts it.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from quotes.errors import BadInputError

#: A physical line longer than this is rejected (and skipped without being
#: held in memory): a statement is at most 20,000 characters, so a megabyte
#: line is a broken file, not a long quote.
MAX_LINE_BYTES = 1 << 20
_PREVIEW = 200
_WIDE = ("utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be")


@dataclass(slots=True)
class Line:
    """One physical line (with its line ending) and, if it is unusable, why.

    Not frozen: a frozen dataclass is built through ``object.__setattr__`` per
    field, about four times the cost, and an import builds one per line.
    """

    number: int
    text: str
    error: str | None = None


def codec_names(encoding: str) -> list[str]:
    """Canonical codec names of ``utf-8`` or ``utf-8,cp1252``; unknown ones are bad input."""
    names = []
    for part in encoding.split(","):
        try:
            names.append(codecs.lookup(part.strip()).name)
        except LookupError:
            raise BadInputError(
                f"unknown encoding {part.strip()!r}: use a Python codec name such as utf-8, "
                "latin-1 or cp1252 (or a list to try in order, e.g. utf-8,cp1252)."
            ) from None
    if len(names) > 1 and any(name in _WIDE for name in names):
        raise BadInputError(
            f"--encoding {encoding!r}: UTF-16 and UTF-32 cannot be mixed with other encodings."
        )
    return names


def read_lines(stream: BinaryIO, encoding: str) -> Iterator[Line]:
    """Decoded lines of ``stream``, numbered from 1."""
    names = codec_names(encoding)
    name = names[0]
    if name in _WIDE:
        yield from _wide_lines(stream, name)
        return
    number = 0
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        number += 1
        if len(raw) > MAX_LINE_BYTES:
            size = len(raw) + _skip_rest_of_line(stream, raw)
            preview = raw[:_PREVIEW].decode(encoding, errors="replace")
            yield Line(
                number,
                preview,
                f"line {number} is {size:,} bytes long; the limit is {MAX_LINE_BYTES:,} bytes",
            )
            continue
        if number == 1 and name == "utf-8" and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        if number == 1:
            _refuse_wide(raw, name)
        try:
            yield Line(number, raw.decode(name))
        except UnicodeDecodeError as exc:
            yield _fallback(number, raw, names, exc)


def _refuse_wide(first: bytes, encoding: str) -> None:
    """A first line with NUL bytes is UTF-16 or UTF-32 read as a narrow encoding.

    Read on, every row would be rejected (or worse, stored as text with NULs
    between the letters), so the whole file is refused with the fix.
    """
    if first.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        guess, how = "utf-32", "starts with a UTF-32 byte-order mark"
    elif first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        guess, how = "utf-16", "starts with a UTF-16 byte-order mark"
    elif b"\x00" in first:
        how = "has NUL bytes: it looks like {} without a byte-order mark"
        if first.count(0) * 3 > len(first) * 2:  # ASCII in UTF-32: 3 bytes of 4 are zero
            guess = "utf-32-be" if first[0::4].count(0) > first[3::4].count(0) else "utf-32-le"
        else:
            guess = "utf-16-be" if first[0::2].count(0) > first[1::2].count(0) else "utf-16-le"
        how = how.format(guess.upper())
    else:
        return
    raise BadInputError(f"line 1 {how}, so the file is not {encoding}; pass --encoding {guess}.")


def _fallback(number: int, raw: bytes, names: list[str], exc: UnicodeDecodeError) -> Line:
    for other in names[1:]:
        try:
            return Line(number, raw.decode(other))
        except UnicodeDecodeError:
            continue
    tried = " or ".join(names)
    return Line(
        number,
        raw.decode(names[0], errors="replace"),
        f"line {number} has bytes that are not {tried} "
        f"(byte 0x{raw[exc.start]:02x} at byte {exc.start + 1}): "
        "give the file's real --encoding, or a list such as utf-8,cp1252",
    )


def _skip_rest_of_line(stream: BinaryIO, first: bytes) -> int:
    if first.endswith(b"\n"):
        return 0
    skipped = 0
    while True:
        chunk = stream.readline(MAX_LINE_BYTES)
        skipped += len(chunk)
        if not chunk or chunk.endswith(b"\n"):
            return skipped


def _wide_lines(stream: BinaryIO, encoding: str) -> Iterator[Line]:
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    number = 0
    try:
        for line in text:
            number += 1
            if number == 1:
                line = line.lstrip("\ufeff")
            yield Line(number, line)
    except UnicodeError:  # a bad sequence, or (utf-16/utf-32) no byte-order mark
        hint = " (without a byte-order mark, say -le or -be)" if "-" not in encoding else ""
        raise BadInputError(
            f"line {number + 1} is not valid {encoding}: give the file's real --encoding{hint}."
        ) from None
    finally:
        text.detach()
