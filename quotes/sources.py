"""Sources: where a statement was published. One quote can cite many."""

from __future__ import annotations

from urllib.parse import urlparse

from sqlalchemy import select
from sqlalchemy.orm import Session

from quotes.errors import BadInputError
from quotes.models import QuoteSource, Source
from quotes.normalize import clean_text


def validate_url(url: str | None) -> str | None:
    """An http(s) URL or None; anything else is bad input (names go in --outlet)."""
    if url is None or not url.strip():
        return None
    value = url.strip()
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in value:
        raise BadInputError(
            f"invalid source URL {url!r}: give an http(s) URL, and put a publication's "
            "name in --outlet."
        )
    if len(value) > 2048:
        raise BadInputError(f"source URL {value[:40]!r}... is longer than 2048 characters.")
    return value


def find_or_create_source(
    session: Session, url: str | None, outlet: str | None, title: str | None = None
) -> Source | None:
    """The source row for a URL (or, without one, an outlet name); None if neither."""
    outlet = clean_text(outlet) if outlet and outlet.strip() else None
    if url is None and outlet is None:
        return None
    if url is not None:
        source = session.scalar(select(Source).where(Source.url == url))
    else:
        source = session.scalar(
            select(Source).where(Source.url.is_(None), Source.outlet == outlet).limit(1)
        )
    if source is None:
        source = Source(url=url, outlet=outlet, title=title)
        session.add(source)
        session.flush()
    elif outlet and not source.outlet:
        source.outlet = outlet
    return source


def attach_source(session: Session, quote_id: int, source: Source | None) -> bool:
    """Link ``source`` to the quote; False when there is none or it is already linked."""
    if source is None:
        return False
    if session.get(QuoteSource, (quote_id, source.id)) is not None:
        return False
    session.add(QuoteSource(quote_id=quote_id, source_id=source.id))
    session.flush()
    return True
