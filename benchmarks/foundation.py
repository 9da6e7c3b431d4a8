"""Foundation benchmark: adds/s, text-search latency at 100k quotes, start-up times.

Run: ``python benchmarks/foundation.py [--rows 100000] [--skip-postgres]``.
Prints one table a person can compare between machines and versions; the raw
sqlite3 FTS5 query on the same database is the floor for SQLite search.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import queries, statements  # noqa: E402

from quotes.records.quotes import add_quote  # noqa: E402
from quotes.records.topics import install_default_topics  # noqa: E402
from quotes.search.filters import QuoteFilters  # noqa: E402
from quotes.search.query import search  # noqa: E402
from quotes.store.engine import close_all, open_database  # noqa: E402

BATCH = 1000


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def fill(target: str, rows: int) -> float:
    """Add ``rows`` statements through the library API; returns adds per second."""
    database = open_database(target)
    with database.session(write=True) as session:
        install_default_topics(session)
    generator = statements(rows)
    start = time.perf_counter()
    done = 0
    while done < rows:
        with database.session(write=True) as session:
            for statement in (next(generator) for _ in range(min(BATCH, rows - done))):
                add_quote(
                    session,
                    statement.text,
                    statement.speaker,
                    date=statement.date,
                    source_url=statement.source_url,
                    outlet=statement.outlet,
                    new_speaker=True,
                )
                done += 1
        print(f"\r  added {done:,}/{rows:,}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return rows / (time.perf_counter() - start)


def search_latency(target: str, count: int = 300) -> tuple[float, float]:
    database = open_database(target)
    timings = []
    with database.session() as session:
        search(session, "warm up", limit=20)
        for query in queries(count):
            start = time.perf_counter()
            search(session, query, filters=QuoteFilters(), limit=20)
            timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000, percentile(timings, 0.95) * 1000


def raw_sqlite_latency(path: str, count: int = 300) -> tuple[float, float]:
    """The floor: the same FTS5 query through raw sqlite3, ids and bm25 only."""
    conn = sqlite3.connect(path)
    timings = []
    for query in queries(count):
        words = [w.strip('"') for w in query.split()]
        expression = " ".join(f'"{w}"' for w in words)
        start = time.perf_counter()
        conn.execute(
            "SELECT rowid, bm25(quotes_fts) FROM quotes_fts WHERE quotes_fts MATCH ? "
            "ORDER BY bm25(quotes_fts) LIMIT 20",
            (expression,),
        ).fetchall()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000, percentile(timings, 0.95) * 1000


def startup(target: str, repeats: int = 7) -> dict[str, float]:
    env = {**os.environ, "QUOTES_DATABASE_URL": target}
    exe = [sys.executable, "-m", "quotes.cli"]
    commands = {
        "quotes --help": ["--help"],
        "quotes add": ["add", "Start-up probe {i}.", "--speaker", "Probe Person"],
        "quotes show": ["show", "1"],
        "quotes search": ["search", "sovereignty"],
    }
    found = {}
    for label, args in commands.items():
        times = []
        for i in range(repeats):
            start = time.perf_counter()
            subprocess.run(
                [*exe, *(a.format(i=i) for a in args)], env=env, check=True, capture_output=True
            )
            times.append(time.perf_counter() - start)
        found[label] = statistics.median(times)
    return found


def postgres_target() -> tuple[str, str] | None:
    try:
        import psycopg

        name = f"quotes_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(
            "host=127.0.0.1 user=postgres dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return name, f"postgresql+psycopg://postgres@127.0.0.1/{name}"
    except Exception as exc:  # report and carry on with SQLite only
        print(f"PostgreSQL not available: {exc}", file=sys.stderr)
        return None


def drop_postgres(name: str) -> None:
    import psycopg

    close_all()
    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {args.rows:,} synthetic quotes"
    )
    results: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "bench.db")
        print("SQLite: filling ...", file=sys.stderr)
        results.append(
            ("SQLite adds/s (library API, 1000 per transaction)", f"{fill(path, args.rows):,.0f}")
        )
        med, p95 = search_latency(path)
        results.append(
            ("SQLite text search, 20 results: median / p95 ms", f"{med:.2f} / {p95:.2f}")
        )
        raw_med, raw_p95 = raw_sqlite_latency(path)
        results.append(
            (
                "raw sqlite3 FTS5 floor: median / p95 ms",
                f"{raw_med:.2f} / {raw_p95:.2f}  (ratio {med / raw_med:.1f}x)",
            )
        )
        for label, seconds in startup(path).items():
            results.append(
                (f"start-up, whole process: {label} (median of 7)", f"{seconds * 1000:.0f} ms")
            )
        close_all()
    if not args.skip_postgres:
        pg = postgres_target()
        if pg is not None:
            name, url = pg
            try:
                print("PostgreSQL: filling ...", file=sys.stderr)
                results.append(
                    (
                        "PostgreSQL adds/s (library API, 1000 per transaction)",
                        f"{fill(url, args.rows):,.0f}",
                    )
                )
                med, p95 = search_latency(url)
                results.append(
                    (
                        "PostgreSQL text search, 20 results: median / p95 ms",
                        f"{med:.2f} / {p95:.2f}",
                    )
                )
            finally:
                drop_postgres(name)
    width = max(len(label) for label, _ in results)
    for label, value in results:
        print(f"{label:<{width}}  {value}")


if __name__ == "__main__":
    main()
