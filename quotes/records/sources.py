"""Sources: where a statement was published. One quote can cite many."""

from __future__ import annotations

from urllib.parse import urlparse

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from quotes.errors import BadInputError
from quotes.store.models import Base
from quotes.store.normalize import check_text, clean_text
from quotes.store.upsert import insert_if_absent

_SOURCES = Base.metadata.tables["sources"]
_BY_URL = select(_SOURCES.c.id, _SOURCES.c.outlet).where(_SOURCES.c.url == bindparam("url"))
_BY_OUTLET = (
    select(_SOURCES.c.id, _SOURCES.c.outlet)
    .where(_SOURCES.c.url.is_(None), _SOURCES.c.outlet == bindparam("outlet"))
    .limit(1)
)
_LINKS = Base.metadata.tables["quote_sources"]
_LINKED = select(_LINKS.c.quote_id).where(
    _LINKS.c.quote_id == bindparam("quote_id"), _LINKS.c.source_id == bindparam("source_id")
)


def validate_url(url: str | None) -> str | None:
    """An http(s) URL or None; anything else is bad input (names go in --outlet)."""
    if url is None or not url.strip():
        return None
    value = check_text(url, what="source URL").strip()
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
) -> int | None:
    """The id of the source for a URL (or, without one, an outlet name); None if neither."""
    outlet = clean_text(outlet, what="outlet") if outlet and outlet.strip() else None
    if url is None and outlet is None:
        return None
    connection = session.connection()
    if url is not None:
        row = connection.execute(_BY_URL, {"url": url}).first()
    else:
        row = connection.execute(_BY_OUTLET, {"outlet": outlet}).first()
    if row is None:
        # Insert-if-absent: another process may add the same URL right now.
        new_id = connection.execute(
            insert_if_absent(session, _SOURCES).returning(_SOURCES.c.id),
            {"url": url, "outlet": outlet, "title": title},
        ).scalar()
        if new_id is not None:
            return int(new_id)
        row = connection.execute(_BY_URL, {"url": url}).one()
    if outlet and not row[1]:
        connection.execute(update(_SOURCES).where(_SOURCES.c.id == row[0]).values(outlet=outlet))
    return int(row[0])


def attach_source(
    session: Session, quote_id: int, source_id: int | None, *, new_quote: bool = False
) -> bool:
    """Link the source to the quote; False when there is none or it is already linked.

    A quote created in this transaction has no links yet, so ``new_quote``
    skips the look-up.
    """
    if source_id is None:
        return False
    connection = session.connection()
    ids = {"quote_id": quote_id, "source_id": source_id}
    if not new_quote and connection.execute(_LINKED, ids).first():
        return False
    # Insert-if-absent: another process may attach the same source right now.
    inserted = connection.execute(insert_if_absent(session, _LINKS), ids)
    return bool(inserted.rowcount)
