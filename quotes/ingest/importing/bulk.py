"""Many rows into one table, straight through the driver.

``connection.execute(insert(table), list_of_dicts)`` compiles and processes
parameters row by row in Python; for the hundreds of thousands of rows of an
import that bookkeeping costs more than the database's own work. These
helpers stay inside the caller's SQLAlchemy connection and transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Table

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
    processors = [table.c[name].type.bind_processor(dialect) for name in columns]
    if any(processors):
        # A batch repeats its values (one created_at, a few hundred dates), so
        # each distinct value is converted once.
        memos: list[dict[Any, Any]] = [{} for _ in columns]

        def convert(index: int, value: Any) -> Any:
            process = processors[index]
            if process is None or value is None:
                return value
            memo = memos[index]
            if value not in memo:
                memo[value] = process(value)
            return memo[value]

        rows = [tuple(convert(i, value) for i, value in enumerate(row)) for row in rows]
    marks = ", ".join("?" if dialect.paramstyle == "qmark" else "%s" for _ in columns)
    connection.exec_driver_sql(
        f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({marks})", rows
    )


def chunks(values: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]
