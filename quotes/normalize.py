"""Text normalisation used to recognise one statement however it was typed.

The same words by the same speaker are one quote whether they arrive with curly
or straight quotation marks, different spacing or case. The hash of the
normalised text is stored and unique per speaker.
"""

from __future__ import annotations

import hashlib
import re
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
_SPACE = re.compile(r"\s+")
_SURROUNDING = "\"' "


def clean_text(text: str) -> str:
    """The text as stored: Unicode-normalised (NFC), whitespace collapsed, trimmed."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def normalize_text(text: str) -> str:
    """The comparison form: quotation-mark style, dashes, spacing and case folded."""
    folded = unicodedata.normalize("NFKC", text).translate(_QUOTE_MARKS)
    folded = _SPACE.sub(" ", folded).strip().strip(_SURROUNDING)
    return folded.casefold()


def text_hash(text: str) -> str:
    """SHA-256 (hex) of the normalised text: the dedup key of a statement."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()


def name_key(name: str) -> str:
    """Case- and spacing-insensitive key for speaker names and aliases."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", name)).strip().casefold()
