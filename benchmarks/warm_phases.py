"""Where a warm semantic search spends its time, phase by phase, at 100k or 1M vectors.

Run (on a database built by benchmarks/vector_scale.py):

    .venv/bin/python benchmarks/warm_phases.py --rows 1000000 [--backend sqlite] [--rounds 3]

``vector_scale.py`` reports the whole ``search`` call; this splits it into the
three things a warm search does, each through the library's own functions,
on the held-out "report" queries (one process, the index already open, the
first round discarded as warm-up):

- ``encode``: the query through the embedder, one text at a time as search
  does (the optimised ONNX session, as a long-lived process uses it);
- ``ranking``: ``index_ranking`` (the HNSW search, the SQL check of the
  candidates with their exact vectors);
- ``load``: the 20 hits' documents (``quote_documents``), as search reads
  them;
- ``search``: the public ``search`` call, all of the above and the rest.

For each: median wall ms (p10-p90) per search, the client's CPU ms per
search (``process_time``), and on PostgreSQL the server backend's CPU ms per
search (from /proc: the server runs on the same machine). CPU time moves
much less with the load than wall time does; on a quiet machine wall is
close to client + server CPU plus one loopback round trip per statement.
The load average is printed.
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import vector_scale as vs  # noqa: E402

PHASES = ("encode", "ranking", "load", "search")
#: Single-query encodes before timing: past QUICK_QUERIES a process encodes
#: with the optimised session (quotes.meaning.onnx_encoder), as a long-lived one does.
WARMUP_ENCODES = 20


def backend_cpu_seconds(pid: int | None) -> float:
    """user + system CPU seconds of a local process (0 when there is none)."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--backend", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=Path("/work/bench-data"))
    args = parser.parse_args()
    os.environ.setdefault("QUOTES_DATA_DIR", str(args.dir.resolve() / "data"))

    from sqlalchemy import text

    from quotes.meaning.encoder import load_embedder
    from quotes.records.documents import quote_documents
    from quotes.results import QuoteRecord
    from quotes.search.query import search
    from quotes.search.vector_index import index_ranking
    from quotes.store.engine import open_database

    _, queries = vs.corpus()
    texts = queries["report"]
    embedder = load_embedder()
    database = open_database(vs.target(args.dir.resolve(), args.backend, args.rows))
    wall: dict[str, list[float]] = {p: [] for p in PHASES}
    client: dict[str, float] = dict.fromkeys(PHASES, 0.0)
    server: dict[str, float] = dict.fromkeys(PHASES, 0.0)
    with database.session() as session:
        pid = None
        if args.backend == "postgres":
            pid = int(session.scalar(text("SELECT pg_backend_pid()")) or 0)

        def timed(name: str, step: Callable[[], Any], keep: bool) -> Any:
            cpu, own, started = time.process_time(), backend_cpu_seconds(pid), time.perf_counter()
            result = step()
            if keep:
                wall[name].append(1000 * (time.perf_counter() - started))
                client[name] += time.process_time() - cpu
                server[name] += backend_cpu_seconds(pid) - own
            return result

        for number in range(WARMUP_ENCODES):
            embedder.encode([f"warm-up query {number}"])
        for round_number in range(args.rounds + 1):
            keep = round_number > 0
            for query in texts:
                vector = timed("encode", lambda q=query: embedder.encode([q])[0], keep)
                hits = timed(
                    "ranking",
                    lambda v=vector: index_ranking(session, v, embedder.name, [], vs.K),
                    keep,
                )
                timed(
                    "load",
                    lambda h=hits: [
                        QuoteRecord.from_dict(d)
                        for d in quote_documents(session, [i for i, _ in h])
                    ],
                    keep,
                )
                timed(
                    "search",
                    lambda q=query: search(
                        session, q, mode="semantic", limit=vs.K, min_match=-1, embedder=embedder
                    ),
                    keep,
                )
            session.expunge_all()  # a new request's session holds no quotes yet
    searches = args.rounds * len(texts)
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"{args.backend} {args.rows:,}: {len(texts)} queries x {args.rounds} rounds"
        f" (after {WARMUP_ENCODES} warm-up encodes and one warm-up round); load {load}"
    )
    print("  phase   | wall median (p10-p90) ms | client CPU ms | server CPU ms")
    for name in PHASES:
        values = sorted(wall[name])
        p10, p90 = values[len(values) // 10], values[(9 * len(values)) // 10]
        print(
            f"  {name:7s} | {statistics.median(values):7.2f} ({p10:.2f}-{p90:.2f})      "
            f" | {1000 * client[name] / searches:13.2f}"
            f" | {1000 * server[name] / searches:13.2f}"
        )


if __name__ == "__main__":
    main()
