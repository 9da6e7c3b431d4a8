"""Row ids a back end can hold: anything else names no row.

An id typed by a person (``quotes show 99999999999999999999``) may be larger
than the back end's integer column (64-bit on SQLite, 32-bit ``integer`` on
PostgreSQL). Passed to the driver it is an overflow error, not an answer;
checked here, it is simply an id with no row ("no quote N", exit 1).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ARRAY, Integer, any_, bindparam
from sqlalchemy.orm import InstrumentedAttribute, Session

_LIMITS = {"postgresql": 2**31, "sqlite": 2**63}


def storable_ids(session: Session, ids: Iterable[int]) -> list[int]:
    """The ids the back end behind ``session`` can hold, in order."""
    limit = _LIMITS.get(session.get_bind().dialect.name, 2**31)
    return [value for value in ids if -limit <= value < limit]


def among_bound_ids(column: InstrumentedAttribute[int], name: str, postgres: bool) -> Any:
    """``column`` is one of the ids bound later as parameter ``name``.

    On PostgreSQL one array parameter (``= ANY``): the statement text is the
    same for any number of ids, so SQLAlchemy compiles it once and psycopg
    prepares it on the server (quotes.search.current measures why). SQLite
    has no arrays; its ``IN`` list is expanded at execution, which is cheap
    in-process. Statements built with this can be built once and reused.
    """
    if postgres:
        return column == any_(bindparam(name, type_=ARRAY(Integer)))
    return column.in_(bindparam(name, expanding=True))
