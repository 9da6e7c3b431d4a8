"""Text normalisation used to recognise one statement however it was typed.

The same words by the same speaker are one quote whether they arrive with curly
or straight quotation marks, different spacing or case. The hash of the
normalised text is stored and unique per speaker.
"""

from __future__ import annotations

import hashlib
import unicodedata

MAX_TEXT_LENGTH = 20_000

_QUOTE_MARKS = str.maketrans(
    {
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
        "\u00a0": " ",
    }
)
_SURROUNDING = "\"' "


def _collapse(text: str) -> str:
    # str.split() splits on the same Unicode whitespace as \s+ and is several
    # times faster than the regex; bulk import calls this twice a row.
    return " ".join(text.split())


def clean_text(text: str) -> str:
    """The text as stored: Unicode-normalised (NFC), whitespace collapsed, trimmed."""
    if not text.isascii():  # ASCII is already in every normal form
        text = unicodedata.normalize("NFC", text)
    return _collapse(text)


def normalize_text(text: str) -> str:
    """The comparison form: quotation-mark style, dashes, spacing and case folded."""
    if not text.isascii():  # every mark folded below is outside ASCII
        text = unicodedata.normalize("NFKC", text).translate(_QUOTE_MARKS)
    return _collapse(text).strip(_SURROUNDING).casefold()


def text_hash(text: str) -> str:
    """SHA-256 (hex) of the normalised text: the dedup key of a statement."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()


def name_key(name: str) -> str:
    """Case- and spacing-insensitive key for speaker names and aliases."""
    return _collapse(unicodedata.normalize("NFKC", name)).casefold()
