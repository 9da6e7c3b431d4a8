"""The PostgreSQL floor for imports: COPY of the CSV into an equivalent table.

Usage: floor_postgres.py FILE.csv DBNAME: a table with an index on (speaker,
date) and a generated tsvector column with a GIN index, like ``quotes``.
"""

import sys

import psycopg

SCHEMA = [
    """CREATE TABLE quotes (id serial PRIMARY KEY, text text NOT NULL, speaker text NOT NULL,
        date date, outlet text, context text,
        search_vector tsvector GENERATED ALWAYS AS (to_tsvector('english', text)) STORED)""",
    "CREATE INDEX ix_speaker_date ON quotes (speaker, date)",
    "CREATE INDEX ix_search ON quotes USING gin (search_vector)",
]
COPY = (
    "COPY quotes (text, speaker, date, outlet, context) FROM STDIN WITH (FORMAT csv, HEADER true)"
)


def main(path: str, name: str) -> None:
    with psycopg.connect(f"host=127.0.0.1 port=5432 user=postgres dbname={name}") as connection:
        for statement in SCHEMA:
            connection.execute(statement)
        connection.commit()
        with (
            connection.cursor() as cursor,
            open(path, "rb") as handle,
            cursor.copy(COPY) as copy,
        ):
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        connection.commit()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
