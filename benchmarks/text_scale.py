"""Text search at a million quotes: the library against the raw engine query.

Run: ``.venv/bin/python benchmarks/text_scale.py [--rows 1000000] [--rounds 25]
[--no-postgres]``

Data: ``/work/bench-data/text-<n>.csv`` (text_corpus.py: real LIAR/ParlEE
clauses recombined, so word and phrase frequencies are real), imported with
``quotes import`` into ``/work/bench-data/text-<n>.db`` (SQLite) and the
PostgreSQL database ``quotes_bench_text`` on 127.0.0.1 (user postgres). Each
is built once and reused while it holds ``--rows`` quotes.

For each query (a common word, a two-word phrase, a rare word) and back end,
rounds alternate between:

- the FLOOR: the raw engine query through the bare driver (sqlite3 /
  psycopg) returning the top ``--limit`` ids: FTS5 ``MATCH ... ORDER BY
  bm25(quotes_fts), rowid LIMIT k`` on SQLite, ``@@`` with ``ORDER BY
  ts_rank_cd(...) DESC, id LIMIT k`` over the GIN index on PostgreSQL;
- on SQLite also FTS5's own ``ORDER BY rank LIMIT k``, for reference: it
  sorts every match inside FTS5 before the limit, where ``ORDER BY bm25()``
  lets SQLite keep only the best k in a heap, so it is the slower of the two
  raw forms (about 1.5-2x for a common word at 1M) and not the floor;
- the library: ``quotes.search.query.search(session, query, mode="text")``,
  everything ``quotes search`` does in-process (snippets for the rows shown,
  whole records with speaker and sources);

and prints medians, p95, the median of per-round ratios library/floor (aim
1.5x or less), whether both return the same ids, and the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from text_corpus import write_csv  # noqa: E402

from quotes.search.query import search  # noqa: E402
from quotes.store.engine import open_database  # noqa: E402

DATA = Path("/work/bench-data")
PG_NAME = "quotes_bench_text"
PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
PG_BENCH = f"host=127.0.0.1 port=5432 user=postgres dbname={PG_NAME}"
PG_URL = f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_NAME}"
QUERIES = {
    "common word": "government",
    "two-word phrase": '"health care"',
    "rare word": "chinooks",
}


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def ensure_csv(rows: int) -> Path:
    path = DATA / f"text-{rows // 1000}k.csv" if rows < 1_000_000 else DATA / "text-1m.csv"
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        print(f"writing {path} ...", flush=True)
        write_csv(path, rows)
    return path


def _import(csv_path: Path, target: str) -> None:
    started = time.perf_counter()
    command = [str(Path(sys.executable).parent / "quotes"), "import", str(csv_path)]
    result = subprocess.run(
        [*command, "--db", target, "--json"], capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"import into {target} failed: {result.stderr[-2000:]}")
    summary = json.loads(result.stdout)
    print(
        f"  built {target}: {summary['added']:,} quotes in {time.perf_counter() - started:.0f} s "
        f"(load {load()})",
        flush=True,
    )


def ensure_sqlite(rows: int, csv_path: Path) -> Path:
    path = csv_path.with_suffix(".db")
    if path.exists():
        with sqlite3.connect(path) as connection:
            (count,) = connection.execute("SELECT count(*) FROM quotes").fetchone()
        if count >= rows * 0.99:
            return path
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    _import(csv_path, str(path))
    return path


def ensure_postgres(rows: int, csv_path: Path) -> bool:
    import psycopg

    try:
        admin = psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3)
    except psycopg.Error:
        return False
    with admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (PG_NAME,)
        ).fetchone()
        if exists:
            with psycopg.connect(PG_BENCH) as connection:
                try:
                    (count,) = connection.execute("SELECT count(*) FROM quotes").fetchone() or (0,)
                except psycopg.Error:
                    count = 0
            if count >= rows * 0.99:
                return True
            admin.execute(f'DROP DATABASE "{PG_NAME}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{PG_NAME}"')
    _import(csv_path, PG_URL)
    with psycopg.connect(PG_BENCH, autocommit=True) as c:
        c.execute("VACUUM ANALYZE quotes")
    return True


def sqlite_floor(
    path: Path, limit: int, order: str = "bm25(quotes_fts), rowid"
) -> Callable[[str], list[int]]:
    from quotes.search.fulltext import parse_query

    connection = sqlite3.connect(path)

    def run(query: str) -> list[int]:
        match = " ".join('"' + " ".join(words) + '"' for words in parse_query(query))
        sql = f"SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ? ORDER BY {order} LIMIT ?"
        return [row[0] for row in connection.execute(sql, (match, limit))]

    return run


def postgres_floor(limit: int) -> Callable[[str], list[int]]:
    import psycopg

    from quotes.search.fulltext import parse_query

    connection = psycopg.connect(PG_BENCH, autocommit=True)

    def run(query: str) -> list[int]:
        tsquery = " && ".join("phraseto_tsquery('english', %s)" for _ in parse_query(query))
        words = [" ".join(words) for words in parse_query(query)]
        sql = (
            f"SELECT id FROM quotes WHERE search_vector @@ ({tsquery}) "
            f"ORDER BY ts_rank_cd(search_vector, ({tsquery})) DESC, id LIMIT %s"
        )
        return [row[0] for row in connection.execute(sql, (*words, *words, limit))]

    return run


def library(target: str, limit: int) -> Callable[[str], list[int]]:
    database = open_database(target, create=False)

    def run(query: str) -> list[int]:
        with database.session() as session:
            hits = search(session, query, mode="text", limit=limit)
            return [hit.quote.id for hit in hits]

    return run


def timed(function: Callable[[str], list[int]], query: str) -> tuple[float, list[int]]:
    started = time.perf_counter()
    ids = function(query)
    return (time.perf_counter() - started) * 1000, ids


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def compare(
    backend: str,
    floor: Callable[[str], list[int]],
    ours: Callable[[str], list[int]],
    rounds: int,
    reference: Callable[[str], list[int]] | None = None,
) -> list[dict[str, Any]]:
    results = []
    for label, query in QUERIES.items():
        timed(floor, query), timed(ours, query)  # warm the page cache once
        floor_ms: list[float] = []
        ours_ms: list[float] = []
        reference_ms: list[float] = []
        same = True
        for round_ in range(rounds):
            pair = [(floor, floor_ms), (ours, ours_ms)]
            if round_ % 2:  # alternate which goes first
                pair.reverse()
            found = []
            for function, into in pair:
                elapsed, ids = timed(function, query)
                into.append(elapsed)
                found.append(ids)
            same = same and found[0] == found[1]
            if reference is not None:
                reference_ms.append(timed(reference, query)[0])
        ratios = [o / f for o, f in zip(ours_ms, floor_ms, strict=True)]
        results.append(
            {
                "backend": backend,
                "query": f"{label} {query}",
                "floor_median": statistics.median(floor_ms),
                "floor_p95": p95(floor_ms),
                "ours_median": statistics.median(ours_ms),
                "ours_p95": p95(ours_ms),
                "ratio": statistics.median(ratios),
                "same_ids": same,
                "load": load(),
            }
        )
        row = results[-1]
        print(
            f"  {backend:<10} {row['query']:<32} floor {row['floor_median']:7.1f} ms "
            f"(p95 {row['floor_p95']:7.1f})  library {row['ours_median']:7.1f} ms "
            f"(p95 {row['ours_p95']:7.1f})  {row['ratio']:4.2f}x  same ids: "
            f"{'yes' if same else 'NO'}  load {row['load']}"
            + (
                f"  (FTS5 ORDER BY rank: {statistics.median(reference_ms):.1f} ms)"
                if reference_ms
                else ""
            ),
            flush=True,
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=25)
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--no-postgres", action="store_true")
    options = parser.parse_args()
    print(
        f"text search at {options.rows:,} quotes: {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, SQLite "
        f"{sqlite3.sqlite_version}, top {options.limit}, {options.rounds} interleaved rounds, "
        f"load {load()}",
        flush=True,
    )
    csv_path = ensure_csv(options.rows)
    db = ensure_sqlite(options.rows, csv_path)
    postgres = not options.no_postgres and ensure_postgres(options.rows, csv_path)
    compare(
        "SQLite",
        sqlite_floor(db, options.limit),
        library(str(db), options.limit),
        options.rounds,
        sqlite_floor(db, options.limit, order="rank"),
    )
    if postgres:
        compare(
            "PostgreSQL",
            postgres_floor(options.limit),
            library(PG_URL, options.limit),
            options.rounds,
        )
    print(f"load at the end: {load()}")


if __name__ == "__main__":
    main()
