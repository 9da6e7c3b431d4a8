"""The same rows through raw sqlite3 into quotes' real schema (the schema's own floor).

Usage: floor_sqlite_schema.py FILE.csv DB (DB already migrated by Alembic). Not a
floor the issue asks for, but it separates what the schema costs (five indexes
on ``quotes``, the FTS5 trigger, a link row per source) from what the import
adds. Speakers and outlets are created up front; hashes are plain SHA-256.
"""

import csv
import hashlib
import sqlite3
import sys

BATCH = 10_000


def main(path: str, db: str) -> None:
    connection = sqlite3.connect(db, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("PRAGMA foreign_keys=ON")
    speakers: dict[str, int] = {}
    sources: dict[str, int] = {}
    stamp = "2026-01-01 00:00:00.000000"
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        batch: list[list[str]] = []
        for row in reader:
            batch.append(row)
            if len(batch) == BATCH:
                _commit(connection, batch, speakers, sources, stamp)
                batch = []
        _commit(connection, batch, speakers, sources, stamp)
    connection.close()


def _commit(
    connection: sqlite3.Connection,
    batch: list[list[str]],
    speakers: dict[str, int],
    sources: dict[str, int],
    stamp: str,
) -> None:
    connection.execute("BEGIN")
    for _, speaker, _, outlet, _ in batch:
        if speaker not in speakers:
            cursor = connection.execute(
                "INSERT INTO speakers (name, name_key, created_at) VALUES (?, ?, ?)",
                (speaker, speaker.lower(), stamp),
            )
            speakers[speaker] = int(cursor.lastrowid or 0)
        if outlet not in sources:
            cursor = connection.execute("INSERT INTO sources (outlet) VALUES (?)", (outlet,))
            sources[outlet] = int(cursor.lastrowid or 0)
    first = connection.execute("SELECT coalesce(max(id), 0) + 1 FROM quotes").fetchone()[0]
    connection.executemany(
        "INSERT INTO quotes (speaker_id, text, text_hash, date, date_precision, kind, context,"
        " created_at) VALUES (?, ?, ?, ?, 'day', 'quote', ?, ?)",
        [
            (speakers[s], t, hashlib.sha256(t.encode()).hexdigest(), d, c or None, stamp)
            for t, s, d, _, c in batch
        ],
    )
    connection.executemany(
        "INSERT INTO quote_sources (quote_id, source_id, created_at) VALUES (?, ?, ?)",
        [(first + i, sources[row[3]], stamp) for i, row in enumerate(batch)],
    )
    connection.execute("COMMIT")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
