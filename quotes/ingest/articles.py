"""Quotations from a news article into the database (``quotes extract --save``).

The extractor itself (:mod:`quotes.ingest.extraction`) knows nothing of databases;
this module gives it the speakers the database already knows (so "Rutte"
resolves to "Mark Rutte" even when the article never spells the full name)
and records what it found with the same rules as ``quotes add``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from quotes.errors import BadInputError
from quotes.ingest.extraction import Candidate, Extraction, extract
from quotes.records.quotes import add_quote
from quotes.records.sources import validate_url
from quotes.store.dates import optional_date
from quotes.store.models import Speaker, SpeakerAlias
from quotes.store.normalize import FORBIDDEN


def read_article(data: bytes, *, encoding: str = "utf-8", name: str = "the article") -> str:
    """Decode an article; undecodable bytes are bad input naming their line."""
    codec = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    try:
        text = data.decode(codec)
    except LookupError:
        raise BadInputError(f"unknown encoding {encoding!r}: use utf-8, latin-1, ...") from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise BadInputError(
            f"{name} is not valid {encoding} at line {line} (byte 0x{data[exc.start]:02x}): "
            "pass its real --encoding."
        ) from None
    forbidden = FORBIDDEN.search(text)
    if forbidden is not None:
        line = text.count("\n", 0, forbidden.start()) + 1
        raise BadInputError(
            f"{name} contains the control character U+{ord(forbidden.group()):04X} on line "
            f"{line}: remove it (only tabs and line breaks are accepted)."
        )
    return text


#: ``quotes extract --save`` records candidates at least this confident (see
#: :mod:`quotes.ingest.extraction.confidence`): a speaker found by a cue, a
#: label or a carried-over quotation clears it; a pronoun only when one person
#: of that gender stands out in the sentences before it.
DEFAULT_MIN_CONFIDENCE = 0.5


def known_speakers(session: Session) -> dict[str, str]:
    """Every name and alias the database knows, mapped to its speaker's name."""
    names: dict[str, str] = {}
    for name in session.scalars(select(Speaker.name).order_by(Speaker.id)):
        names[name] = name
    aliases = session.execute(
        select(SpeakerAlias.alias, Speaker.name)
        .join(Speaker, SpeakerAlias.speaker_id == Speaker.id)
        .order_by(SpeakerAlias.id)
    )
    for alias, name in aliases:
        names.setdefault(alias, name)
    return names


def extract_article(session: Session | None, text: str) -> Extraction:
    """The article's quotations, resolving names and aliases against known speakers too."""
    return extract(text, known_speakers(session) if session is not None else {})


def check_min_confidence(value: float) -> float:
    """A ``--min-confidence`` between 0 and 1, else bad input."""
    if not 0.0 <= value <= 1.0:
        raise BadInputError(f"--min-confidence {value!r} is not between 0 and 1.")
    return value


def worth_saving(candidate: Candidate, min_confidence: float) -> bool:
    """Attributed, and at least ``min_confidence`` sure of its speaker."""
    return candidate.speaker is not None and candidate.confidence >= min_confidence


@dataclass
class Saved:
    candidate: Candidate
    quote_id: int
    created: bool

    def to_dict(self) -> dict[str, Any]:
        return {**self.candidate.to_dict(), "id": self.quote_id, "created": self.created}


def save_candidates(
    session: Session,
    candidates: Sequence[Candidate],
    text: str,
    *,
    date: str | None = None,
    source_url: str | None = None,
    outlet: str | None = None,
    new_speaker: bool = False,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
) -> list[Saved]:
    """Record attributed candidates like ``quotes add`` (inside the caller's transaction).

    Only candidates with a speaker and a confidence of at least
    ``min_confidence`` are recorded (0 records every attributed one).
    Everything is validated first, so a bad date or URL writes nothing; a
    speaker name very close to a known one stops the whole save (the
    transaction rolls back) unless ``new_speaker`` is set.
    """
    when = optional_date(date)
    url = validate_url(source_url)
    check_min_confidence(min_confidence)
    saved: list[Saved] = []
    for candidate in candidates:
        if not worth_saving(candidate, min_confidence):
            continue
        assert candidate.speaker is not None
        context = _sentence(text, candidate) if candidate.partial else None
        result = add_quote(
            session,
            candidate.text,
            candidate.speaker,
            date=when,
            source_url=url,
            outlet=outlet,
            context=context,
            new_speaker=new_speaker,
        )
        saved.append(Saved(candidate, result.quote_id, result.created))
    return saved


def _sentence(text: str, candidate: Candidate) -> str:
    """The article's sentence around a partial quotation: its words mean little alone."""
    start, end = candidate.sentence
    return " ".join(text[start:end].split())
