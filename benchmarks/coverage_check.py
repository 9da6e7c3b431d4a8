"""The check before every search by meaning: the anti-join it replaced against the stamp.

Before a semantic or hybrid search the library embeds quotes without a
current vector (quotes.meaning.vectors.embed_before_search). It used to find
them with a full anti-join of quotes and embeddings; quotes.store.coverage now
skips it when nothing changed since the last check. On a database that is
already fully embedded (a COPY: the script writes a stamp, and with
``--add`` a quote), each measure runs in its own fresh process, in
interleaved rounds:

- ``anti-join``: the full anti-join alone (what every search ran before);
- ``check``: ``embed_before_search`` when nothing changed (the stamp matches);
- with ``--add``, ``after add``: one quote added, then the check alone
  (``coverage.unchecked_above`` and the search for quotes lacking a vector:
  SQLite looks above the stamp's highest id; PostgreSQL, where the counter
  moved, runs the full anti-join). Embedding the quote and updating the
  vector index come on top in a real search and are not timed here. The
  quote is deleted again after each round, which bumps the counter.

Before ``check`` and ``after add`` a full check records the stamp for the
state then, outside the timing.

Prints median and min-max per measure and the per-round ratio check /
anti-join, with the load average. Run:
``.venv/bin/python benchmarks/coverage_check.py --db URL [--rounds 5] [--add]``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys

CHILD = r"""
import json, sys, time
import numpy as np
from quotes.meaning import vectors
from quotes.meaning.encoder import stored_name
from quotes.store.engine import open_database
from quotes.store.settings import model_name

class OneWord:
    name = stored_name(model_name(None))
    dimension = int(sys.argv[3])
    def encode(self, texts, batch_size=64):
        rows = np.zeros((len(texts), self.dimension), dtype=np.float32)
        rows[:, 0] = 1.0
        return rows

way, url = sys.argv[1], sys.argv[2]
database = open_database(url)
from sqlalchemy import text
with database.session() as session:
    session.execute(text("SELECT 1")).all()  # connect before timing
name = OneWord.name
if way == "prepare":  # a full check that records the stamp (not timed)
    vectors.embed_before_search(database, embedder=OneWord())
    print(json.dumps({"seconds": 0.0}))
    sys.exit()
if way == "add":
    from quotes.records.quotes import add_quote
    with database.session(write=True) as session:
        added = add_quote(session, f"Coverage benchmark statement {time.time_ns()}.",
                          "Coverage Benchmark", new_speaker=True).quote_id
started = time.perf_counter()
if way == "anti-join":
    with database.session() as session:
        found = len(session.execute(vectors._needs_vector(name)).all())
elif way == "add":
    from quotes.store import coverage
    with database.session() as session:
        _, above = coverage.unchecked_above(session, name)
        found = len(session.execute(vectors._needs_vector(name, above)).all())
else:
    found = vectors.embed_before_search(database, embedder=OneWord())
seconds = time.perf_counter() - started
if way == "add":
    from quotes.records.quote_edits import delete_quotes
    with database.session(write=True) as session:
        delete_quotes(session, [added])
print(json.dumps({"seconds": seconds, "found": found}))
"""


def run(way: str, url: str, dimension: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, way, url, str(dimension)],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"{way} failed:\n{out.stderr[-3000:]}")
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a COPY of a fully embedded database")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--dimension", type=int, default=384)
    parser.add_argument("--add", action="store_true", help="also time a check after one add")
    args = parser.parse_args()
    ways = ["anti-join", "check"] + (["after add"] if args.add else [])
    times: dict[str, list[float]] = {way: [] for way in ways}
    loads = []
    print(f"coverage check on {args.db}: {args.rounds} interleaved rounds, fresh processes")
    for number in range(args.rounds):
        loads.append(os.getloadavg()[0])
        order = ways if number % 2 == 0 else list(reversed(ways))
        for way in order:
            if way != "anti-join":  # a stamp for the state now (the last round's delete moved it)
                run("prepare", args.db, args.dimension)
            result = run("add" if way == "after add" else way, args.db, args.dimension)
            if way != "anti-join" and result["found"] != (1 if way == "after add" else 0):
                raise SystemExit(f"{way} found {result['found']}: is the database fully embedded?")
            times[way].append(result["seconds"])
        row = "  ".join(f"{way} {times[way][-1] * 1000:.1f} ms" for way in ways)
        print(f"  round {number + 1}: {row}  load {loads[-1]:.1f}", flush=True)
    print(f"load (1 min) {statistics.median(loads):.1f} ({min(loads):.1f}-{max(loads):.1f})")
    for way in ways:
        values = [t * 1000 for t in times[way]]
        print(
            f"  {way:10} median {statistics.median(values):9.1f} ms  "
            f"({min(values):.1f}-{max(values):.1f})"
        )
    for way in ways[1:]:
        ratios = [a / b for a, b in zip(times[way], times["anti-join"], strict=True)]
        print(
            f"  {way} / anti-join per round: median {statistics.median(ratios):.4f} "
            f"({min(ratios):.4f}-{max(ratios):.4f})"
        )


if __name__ == "__main__":
    main()
