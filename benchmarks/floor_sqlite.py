"""The SQLite floor for imports: csv reader + sqlite3 executemany, nothing else.

Usage: floor_sqlite.py FILE.csv DB: the same rows into one table with an index on
(speaker, date) and an FTS5 index kept by a trigger, committed every 10,000 rows.
"""

import csv
import sqlite3
import sys

BATCH = 10_000
#: The indexed, searchable table both floors fill (floor_sqlite_bulk.py too).
TABLES = """
CREATE TABLE quotes (id INTEGER PRIMARY KEY, speaker TEXT NOT NULL, text TEXT NOT NULL,
    date TEXT, outlet TEXT, context TEXT);
CREATE INDEX ix_speaker_date ON quotes (speaker, date);
CREATE VIRTUAL TABLE quotes_fts USING fts5(text, content='quotes', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2');
"""
TRIGGER = """
CREATE TRIGGER quotes_ai AFTER INSERT ON quotes BEGIN
    INSERT INTO quotes_fts(rowid, text) VALUES (new.id, new.text);
END;
"""
INSERT = "INSERT INTO quotes (text, speaker, date, outlet, context) VALUES (?, ?, ?, ?, ?)"


def create(db: str, schema: str) -> sqlite3.Connection:
    """A new database in WAL mode, synchronous=NORMAL (as the project's), with ``schema``."""
    connection = sqlite3.connect(db, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.executescript(schema)
    return connection


def main(path: str, db: str) -> None:
    connection = create(db, TABLES + TRIGGER)
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        batch: list[list[str]] = []
        for row in reader:
            batch.append(row)
            if len(batch) == BATCH:
                _commit(connection, batch)
                batch = []
        _commit(connection, batch)
    connection.close()


def _commit(connection: sqlite3.Connection, batch: list[list[str]]) -> None:
    connection.execute("BEGIN")
    connection.executemany(INSERT, batch)
    connection.execute("COMMIT")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
