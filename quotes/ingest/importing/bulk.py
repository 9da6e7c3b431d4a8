"""Many rows into one table, straight through the driver.

``connection.execute(insert(table), list_of_dicts)`` compiles and processes
parameters row by row in Python; for the hundreds of thousands of rows of an
import that bookkeeping costs more than the database's own work. These
helpers stay inside the caller's SQLAlchemy connection and transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Table

#: IN-lists are cut to this many values (SQLite allows 32,766 variables).
CHUNK = 5_000


def bulk_insert(
    connection: Connection, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """INSERT many rows straight through the driver: COPY on PostgreSQL, executemany on SQLite.

    The rows are plain tuples converted by SQLAlchemy's own bind processors
    (so dates are stored exactly as the ORM stores them); skipping the per-row
    parameter compilation of ``execute(insert(table), dicts)`` is most of the
    import's speed on large files.
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
        table.c[name].type.bind_processor(dialect) or _sqlite_adapter(table.c[name].type)
        for name in columns
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


def _sqlite_adapter(column_type: Any) -> Callable[[Any], Any] | None:
    """What ``sqlite3`` itself would do with a date or datetime, done once per distinct value.

    Left to the driver, its default adapters (``date.isoformat()``,
    ``datetime.isoformat(" ")``) run once per row; the stored text is the same.
    """
    if isinstance(column_type, DateTime):
        return _adapt_datetime
    if isinstance(column_type, Date):
        return _adapt_date
    return None


def _adapt_datetime(value: Any) -> Any:
    return value.isoformat(" ") if type(value) is datetime else value


def _adapt_date(value: Any) -> Any:
    return value.isoformat() if type(value) is date else value


def chunks(values: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]
