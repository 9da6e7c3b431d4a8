"""Whole-process ``quotes search`` in each mode, as a user runs it, on a 10k database.

Run: ``python benchmarks/search_speed.py [--rows 10000] [--rounds 7]``

A SQLite database of ``--rows`` synthetic statements gets vectors (real
embeddings of 1,000 of them, reused with small noise for the rest: how long
a search takes does not depend on which vectors are stored). Then
``quotes search QUERY`` runs as a separate process in each mode, rounds
interleaved so machine load hits every mode alike; the figure is the median
wall time, with the ratio to ``--mode text`` in the same run (aim: hybrid,
the default, at most 1.5x). The ONNX export is made before timing starts.
Report the load average with the figures: the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from foundation import fill  # noqa: E402
from meaning_speed import fill_vectors  # noqa: E402

from quotes.store.engine import close_all, open_database  # noqa: E402

QUERY = "security in the Arctic"
MODES: dict[str, list[str]] = {
    "text": ["--mode", "text"],
    "semantic": ["--mode", "semantic"],
    "hybrid (default)": [],
}


def timed(database: str, extra: list[str]) -> float:
    command = [sys.executable, "-m", "quotes.cli", "search", QUERY, "--db", database, *extra]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {result.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "search.db")
        fill(path, args.rows)
        fill_vectors(open_database(path), embed_all=False, sample_size=1000)
        close_all()
        for extra in MODES.values():  # warm the page cache; export ONNX if needed
            timed(path, extra)
        times: dict[str, list[float]] = {mode: [] for mode in MODES}
        loads = []
        for _ in range(args.rounds):
            loads.append(os.getloadavg()[0])
            for mode, extra in MODES.items():
                times[mode].append(timed(path, extra))
    text = statistics.median(times["text"])
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}"
    )
    print(f"load average during the run: {min(loads):.1f}-{max(loads):.1f}")
    print(f"{args.rows:,} quotes, query {QUERY!r}, {args.rounds} rounds, whole process wall time")
    for mode, values in times.items():
        median = statistics.median(values)
        print(
            f"  {mode:17s} median {median:5.2f} s  (min {min(values):.2f}, max {max(values):.2f})"
            f"  {median / text:4.2f}x text"
        )


if __name__ == "__main__":
    main()
