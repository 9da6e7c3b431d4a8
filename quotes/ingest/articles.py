"""Quotations from a news article into the database (``quotes extract --save``).

The extractor itself (:mod:`quotes.ingest.extraction`) knows nothing of databases;
this module gives it the speakers the database already knows (so "Rutte"
resolves to "Mark Rutte" even when the article never spells the full name)
and records what it found with the same rules as ``quotes add``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from quotes.errors import BadInputError
from quotes.ingest.extraction import Candidate, Extraction, extract
from quotes.records.quotes import add_quote
from quotes.records.sources import validate_url
from quotes.store.dates import optional_date
from quotes.store.models import Speaker


def read_article(data: bytes, *, encoding: str = "utf-8", name: str = "the article") -> str:
    """Decode an article; undecodable bytes are bad input naming their line."""
    codec = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    try:
        return data.decode(codec)
    except LookupError:
        raise BadInputError(f"unknown encoding {encoding!r}: use utf-8, latin-1, ...") from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise BadInputError(
            f"{name} is not valid {encoding} at line {line} (byte 0x{data[exc.start]:02x}): "
            "pass its real --encoding."
        ) from None


def known_speakers(session: Session) -> list[str]:
    return list(session.scalars(select(Speaker.name).order_by(Speaker.id)))


def extract_article(session: Session | None, text: str) -> Extraction:
    """The article's quotations, resolving surnames against known speakers too."""
    return extract(text, known_speakers(session) if session is not None else [])


@dataclass
class Saved:
    candidate: Candidate
    quote_id: int
    created: bool


def save_candidates(
    session: Session,
    candidates: Sequence[Candidate],
    text: str,
    *,
    date: str | None = None,
    source_url: str | None = None,
    outlet: str | None = None,
    new_speaker: bool = False,
) -> list[Saved]:
    """Record every attributed candidate like ``quotes add`` (inside the caller's transaction).

    Everything is validated first, so a bad date or URL writes nothing; a
    speaker name very close to a known one stops the whole save (the
    transaction rolls back) unless ``new_speaker`` is set.
    """
    when = optional_date(date)
    url = validate_url(source_url)
    saved: list[Saved] = []
    for candidate in candidates:
        if candidate.speaker is None:
            continue
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
