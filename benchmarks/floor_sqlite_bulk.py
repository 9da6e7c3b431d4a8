"""The strict SQLite floor for imports: one transaction, one FTS5 rebuild at the end.

Usage: floor_sqlite_bulk.py FILE.csv DB: Python's csv reader + sqlite3
``executemany`` of every row into one table with an index on (speaker, date)
and an external-content FTS5 index filled by a single ``rebuild`` after the
rows, all in one transaction. Nothing is validated, deduplicated or
resumable: it is the least any import of these rows into an indexed,
searchable table can cost (issue 13 item 6's floor).
"""

import csv
import sqlite3
import sys

SCHEMA = """
CREATE TABLE quotes (id INTEGER PRIMARY KEY, speaker TEXT NOT NULL, text TEXT NOT NULL,
    date TEXT, outlet TEXT, context TEXT);
CREATE INDEX ix_speaker_date ON quotes (speaker, date);
CREATE VIRTUAL TABLE quotes_fts USING fts5(text, content='quotes', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2');
"""
INSERT = "INSERT INTO quotes (text, speaker, date, outlet, context) VALUES (?, ?, ?, ?, ?)"


def main(path: str, db: str) -> None:
    connection = sqlite3.connect(db, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.executescript(SCHEMA)
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        connection.execute("BEGIN")
        connection.executemany(INSERT, reader)
        connection.execute("INSERT INTO quotes_fts(quotes_fts) VALUES ('rebuild')")
        connection.execute("COMMIT")
    connection.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
