"""Many rows into one table, straight through the driver.

``connection.execute(insert(table), list_of_dicts)`` compiles and processes
parameters row by row in Python; for the hundreds of thousands of rows of an
import that bookkeeping costs more than the database's own work. These
helpers stay inside the caller's SQLAlchemy connection and transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Dialect, Table

#: IN-lists are cut to this many values (SQLite allows 32,766 variables).
CHUNK = 5_000


class DriverValues(dict[Any, Any]):
    """One column's Python values mapped to what the driver is handed, each converted once.

    The caller builds its rows with ``values[python_value]`` and passes the
    column to :func:`bulk_insert` as ``converted``: a hit is one dict look-up
    in the comprehension that builds the rows anyway, where converting inside
    :func:`bulk_insert` turned the rows into columns and back (0.2 s CPU of a
    200k-row import, for two converted columns of eight).
    """

    def __init__(self, convert: Callable[[Any], Any] | None) -> None:
        super().__init__()
        self._convert = convert
        self[None] = None

    def __missing__(self, value: Any) -> Any:
        found = value if self._convert is None else self._convert(value)
        self[value] = found
        return found


def driver_values(connection: Connection, table: Table, column: str) -> DriverValues:
    """The converter of ``table.column``'s values, as :func:`bulk_insert` would apply it."""
    dialect = connection.dialect
    if dialect.name == "postgresql":
        return DriverValues(None)  # COPY adapts Python values itself
    return DriverValues(_processor(table.c[column].type, dialect))


def bulk_insert(
    connection: Connection,
    table: Table,
    columns: Sequence[str],
    rows: list[tuple[Any, ...]],
    *,
    converted: Collection[str] = (),
) -> None:
    """INSERT many rows straight through the driver: COPY on PostgreSQL, executemany on SQLite.

    The rows are plain tuples converted by SQLAlchemy's own bind processors
    (so dates are stored exactly as the ORM stores them), except the columns
    named in ``converted``, whose values came from :func:`driver_values`;
    skipping the per-row parameter compilation of ``execute(insert(table),
    dicts)`` is most of the import's speed on large files.
    """
    if not rows:
        return
    dialect = connection.dialect
    if dialect.name == "postgresql":
        raw: Any = connection.connection.dbapi_connection  # a psycopg 3 connection
        names = ", ".join(columns)
        with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    processors = [
        None if name in converted else _processor(table.c[name].type, dialect) for name in columns
    ]
    active = [(i, process) for i, process in enumerate(processors) if process is not None]
    if active:
        # A batch repeats its values (one created_at, a few hundred dates), so
        # each distinct value is converted once, a column at a time: the rows
        # are turned into columns and back by zip, in C, and only the columns
        # with a converter are touched (a Python call per row cost 0.4 s of
        # CPU over 400k rows).
        table_columns: list[Sequence[Any]] = list(zip(*rows, strict=True))
        for index, process in active:
            column = table_columns[index]
            memo = {value: process(value) for value in set(column) if value is not None}
            memo[None] = None
            table_columns[index] = [memo[value] for value in column]
        rows = list(zip(*table_columns, strict=True))
    marks = ", ".join("?" if dialect.paramstyle == "qmark" else "%s" for _ in columns)
    connection.exec_driver_sql(
        f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})", rows
    )


def _processor(column_type: Any, dialect: Dialect) -> Callable[[Any], Any] | None:
    """What SQLAlchemy does to a value of this type before handing it to this dialect's driver.

    The dialect's own implementation of the type converts (SQLite's DATETIME
    writes ``2026-01-02 03:04:05.000006`` without a time zone): the generic
    type has no converter, and the driver's default adapter would add
    ``+00:00``, so bulk-imported timestamps would read differently from the
    ORM's.
    """
    return column_type.dialect_impl(dialect).bind_processor(dialect)  # type: ignore[no-any-return]


def chunks(values: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]
