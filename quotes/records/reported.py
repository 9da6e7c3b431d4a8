"""How a statement's words are shown to a reader: the one rule against misquoting.

Verbatim words (kind ``quote``) are shown inside curly quotation marks; a
paraphrase (kind ``paraphrase``, reported speech) is never put inside
quotation marks: it is prefixed ``(paraphrase)`` instead. Every output that
shows a statement to a person (terminal, tables, CSV text cells meant for
reading, HTML, PNG) goes through :func:`as_said`; JSON keeps the bare text and
its ``kind``.
"""

from __future__ import annotations

#: The prefix that marks reported speech.
PARAPHRASE_PREFIX = "(paraphrase) "

_MARKS = {'"': '"', "“": "”", "„": "“", "«": "»", "‘": "’", "'": "'"}


def _unquoted(text: str) -> str:
    """``text`` without one pair of quotation marks wrapped around all of it."""
    stripped = text.strip()
    closing = _MARKS.get(stripped[:1])
    if closing and len(stripped) > 1 and stripped.endswith(closing):
        return stripped[1:-1].strip()
    return stripped


def as_said(text: str, kind: str) -> str:
    """The statement as a reader sees it: “verbatim” or ``(paraphrase) reported``."""
    if kind == "paraphrase":
        return PARAPHRASE_PREFIX + _unquoted(text)
    return f"“{text}”"
