"""Text rules: what text is accepted, how it is stored, and how statements are compared.

One decision, applied everywhere text enters (``add``, ``import``, names,
outlets, URLs, topics, queries) and identical on SQLite and PostgreSQL:

* **Rejected**: NUL and the other control characters (C0 and C1, and DEL),
  except tab, newline and carriage return, which are whitespace; and lone
  surrogates (bytes that were not valid UTF-8). PostgreSQL cannot store NUL
  at all, and a control character in a quote is never what was said, so the
  value is refused with a sentence naming the character (in an import only
  that row is rejected).
* **Removed**: invisible characters that change no word but split or hide it:
  zero-width space, zero-width joiner and non-joiner, word joiner, byte-order
  mark, soft hyphen, invisible operators. Left in, "sover\u200beignty" would
  escape text search and the one-statement rule. They are removed from the
  stored text, so full-text indexes and hashes never see them.
* **Stored**: NFC, whitespace collapsed, trimmed.

The comparison form (the dedup key) then folds only what does not change the
words: quotation-mark and dash styles, no-break spaces, full-width ASCII
forms, spacing and case. It deliberately does *not* use NFKC, which folds
"10²" into "102" and "½" into "1⁄2": digits, superscripts and letters that
change meaning stay distinct, and lower-casing (not case folding) keeps
"Maße" and "Masse" apart.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from quotes.errors import BadInputError

MAX_TEXT_LENGTH = 20_000

#: Control characters that are refused (tab, newline and CR are whitespace),
#: plus lone surrogates, which is what undecodable bytes become.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
#: Invisible characters removed before anything is stored, indexed or hashed.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u2061\u2062\u2063\u2064"
# Regular expressions rather than str.translate: translate looks every
# character of a non-ASCII string up in a dict (about 50 us for a sentence),
# a compiled character class scans it in C and touches only what it finds.
_INVISIBLES = re.compile(f"[{INVISIBLE}]")

_FOLDS: dict[str, str] = {
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2033": '"',
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u2039": "'",
    "\u203a": "'",
    "\u2014": "-",
    "\u2013": "-",
    "\u2012": "-",
    "\u2212": "-",
    "\u00a0": " ",
    "\u202f": " ",
}
# Full-width ASCII (U+FF01..U+FF5E) is a typographic variant of ASCII.
_FOLDS.update({chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)})
_MARKS = re.compile("[" + "".join(re.escape(mark) for mark in _FOLDS) + "]")


def _fold_mark(found: re.Match[str]) -> str:
    return _FOLDS[found.group()]


_SURROUNDING = "\"' "


def _collapse(text: str) -> str:
    # str.split() splits on the same Unicode whitespace as \s+ and is several
    # times faster than the regex; bulk import calls this twice a row.
    return " ".join(text.split())


def check_text(text: str, *, what: str = "text") -> str:
    """``text`` unchanged, or BadInputError naming the first forbidden character."""
    found = FORBIDDEN.search(text)
    if found is None:
        return text
    char = found.group()
    if "\ud800" <= char <= "\udfff":
        raise BadInputError(f"the {what} is not valid UTF-8 text: give it in UTF-8.")
    raise BadInputError(
        f"the {what} contains the control character U+{ord(char):04X} at position "
        f"{found.start() + 1}: remove it (only tabs and line breaks are accepted)."
    )


def clean_text(text: str, *, what: str = "text") -> str:
    """The text as stored: checked, invisibles removed, NFC, whitespace collapsed, trimmed."""
    if not text.isascii():  # ASCII is already in every normal form
        check_text(text, what=what)
        text = unicodedata.normalize("NFC", _INVISIBLES.sub("", text))
    elif not text.isprintable():
        check_text(text, what=what)
    elif "  " not in text and text[:1] != " " and text[-1:] != " ":
        # Printable ASCII has no whitespace but the space: without a double
        # space or one at either end it is already collapsed (three scans
        # instead of a split and join; bulk import runs this for every row).
        return text
    return _collapse(text)


def normalize_text(text: str) -> str:
    """The comparison form: quotation-mark style, dashes, spacing and case folded."""
    if not text.isascii():  # every mark folded below is outside ASCII
        text = unicodedata.normalize("NFC", _INVISIBLES.sub("", text))
        text = _MARKS.sub(_fold_mark, text)
    return _collapse(text).strip(_SURROUNDING).lower()


def text_hash(text: str, *, cleaned: bool = False) -> str:
    """SHA-256 (hex) of the normalised text: the dedup key of a statement.

    ``cleaned`` says ``text`` came from :func:`clean_text`: ASCII text is then
    already collapsed, so only the trim and case fold remain (the same key,
    computed once per imported row without a second split and join).
    """
    if cleaned and text.isascii():
        folded = text.strip(_SURROUNDING).lower()
    else:
        folded = normalize_text(text)
    return hashlib.sha256(folded.encode("utf-8", "surrogatepass")).hexdigest()


def name_key(name: str) -> str:
    """Case- and spacing-insensitive key for speaker names and aliases."""
    if not name.isascii():
        name = unicodedata.normalize("NFKC", _INVISIBLES.sub("", name))
    return _collapse(name).casefold()
