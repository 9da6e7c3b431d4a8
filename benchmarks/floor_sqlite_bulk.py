"""The strict SQLite floor for imports: one transaction, one FTS5 rebuild at the end.

Usage: floor_sqlite_bulk.py FILE.csv DB: Python's csv reader + sqlite3
``executemany`` of every row into one table with an index on (speaker, date)
and an external-content FTS5 index filled by a single ``rebuild`` after the
rows, all in one transaction. Nothing is validated, deduplicated or
resumable: it is the least any import of these rows into an indexed,
searchable table can cost (issue 13 item 6's floor).
"""

import csv
import sys
from pathlib import Path

# import_bench.py runs this file with runpy, which does not put its folder on the path.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from floor_sqlite import INSERT, TABLES, create  # noqa: E402


def main(path: str, db: str) -> None:
    connection = create(db, TABLES)
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
