"""The SQL re-check of semantic candidates (quotes.search.current) against a raw floor.

Every hit of the vector index is checked in SQL (still there, text unchanged,
filters) and re-scored with its stored vector. This times that check alone
on a database built by benchmarks/vector_scale.py, with the candidates the
index would propose stood in for by the exact top ``--candidates`` of each
held-out query (regenerated vectors, no index needed):

- ``cold``: the first pass over distinct queries, with the blocks each one
  read outside PostgreSQL's buffers and the time spent reading them
  (EXPLAIN (ANALYZE, BUFFERS) with track_io_timing, set for this session);
- ``warm``: interleaved rounds over the same queries, pages already read:
  the library's ``current_hits``; the statement as it was before (an ``IN``
  list of one bound parameter per candidate); and the raw floor, the same
  SQL through psycopg directly (binary results, server-prepared), plus the
  same without the vector column (what the check costs without moving
  vectors).

Run: .venv/bin/python benchmarks/recheck_speed.py --rows 1000000 [--query-set tune]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import vector_scale as vs  # noqa: E402

RAW = (
    "SELECT e.quote_id{vector} FROM embeddings e JOIN quotes q ON q.id = e.quote_id"
    " WHERE e.model = %s AND e.content_hash = q.text_hash AND e.id = ANY(%s)"
)


def candidates(rows: int, base: np.ndarray, queries: np.ndarray, count: int) -> np.ndarray:
    matrix = vs.regenerate(base, rows)
    found = []
    for query in queries:
        similarity = matrix @ query
        part = np.argpartition(-similarity, count)[:count]
        found.append(part[np.argsort(-similarity[part])] + 1)  # embedding ids are row + 1
    return np.array(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--dir", type=Path, default=Path("/work/bench-data"))
    parser.add_argument("--query-set", choices=["tune", "report"], default="tune")
    parser.add_argument("--candidates", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("QUOTES_DATA_DIR", str(args.dir.resolve() / "data"))

    from sqlalchemy import text

    from quotes.search import current
    from quotes.store.engine import open_database
    from quotes.store.models import Embedding

    _, base, query_sets, model = vs.embedded(args.dir)
    queries = query_sets[args.query_set]
    keys = [[int(k) for k in row] for row in candidates(args.rows, base, queries, args.candidates)]
    url = vs.target(args.dir, args.backend, args.rows)
    postgres = args.backend == "postgres"
    print(
        f"{args.backend} {args.rows:,}, {len(queries)} {args.query_set!r} queries,"
        f" {args.candidates} candidates; load {os.getloadavg()[0]:.1f}"
    )
    with open_database(url).session() as session:
        if postgres:
            session.execute(text("SET track_io_timing = on"))
            reads, io_ms, run_ms = [], [], []
            for wanted in keys:
                statement = current._current(model, []).where(Embedding.id.in_(wanted))
                sql = statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
                plan = session.execute(
                    text(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
                ).scalar_one()[0]
                reads.append(plan["Plan"].get("Shared Read Blocks", 0))
                io_ms.append(plan["Plan"].get("I/O Read Time", 0.0))
                run_ms.append(plan["Execution Time"])
            print(
                f"  cold, server side, median (min-max): blocks read {statistics.median(reads):.0f}"
                f" ({min(reads)}-{max(reads)}); reading them {statistics.median(io_ms):.1f} ms"
                f" ({min(io_ms):.1f}-{max(io_ms):.1f}); execution"
                f" {statistics.median(run_ms):.1f} ms ({min(run_ms):.1f}-{max(run_ms):.1f})"
            )
        ways: dict[str, Callable[[np.ndarray, list[int]], Any]] = {}

        def library(query: np.ndarray, wanted: list[int]) -> Any:
            return current.current_hits(session, model, [], query, Embedding.id, wanted)

        def in_list(query: np.ndarray, wanted: list[int]) -> Any:
            statement = current._current(model, []).where(Embedding.id.in_(wanted))
            return current._best_first(current._scored(session.execute(statement).all(), query))

        ways["library current_hits"] = library
        ways["IN list (before)"] = in_list
        if postgres:
            driver = session.connection().connection.driver_connection

            def raw(query: np.ndarray, wanted: list[int], vector: bool = True) -> Any:
                sql = RAW.format(vector=", e.vector" if vector else "")
                with driver.cursor(binary=True) as cursor:
                    rows = cursor.execute(sql, (model, wanted), prepare=True).fetchall()
                return current._best_first(current._scored(rows, query)) if vector else rows

            ways["raw psycopg (floor)"] = raw
            ways["raw, no vector"] = lambda query, wanted: raw(query, wanted, vector=False)
        for query, wanted in zip(queries, keys, strict=True):  # every page read once
            library(query, wanted)
        times: dict[str, list[float]] = {name: [] for name in ways}
        names = list(ways)
        for _ in range(args.rounds):
            for number, (query, wanted) in enumerate(zip(queries, keys, strict=True)):
                turn = number % len(names)
                for name in names[turn:] + names[:turn]:
                    started = time.perf_counter()
                    ways[name](query, wanted)
                    times[name].append((time.perf_counter() - started) * 1000)
    floor = statistics.median(times[names[2]] if postgres else times[names[0]])
    print(f"  warm, {args.rounds} interleaved rounds, per check: median (p10-p90), ratio to floor")
    for name, values in times.items():
        ordered = sorted(values)
        low, high = ordered[len(ordered) // 10], ordered[9 * len(ordered) // 10]
        median = statistics.median(values)
        print(f"    {name:22s} {median:6.2f} ms ({low:.2f}-{high:.2f})  {median / floor:.2f}x")
    print(f"  load at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
