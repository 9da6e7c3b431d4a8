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

Each run's CPU time (user + system, from the child's resource usage) is
printed beside its wall time: on a loaded machine it is the steadier figure.
The project's modules are compiled to bytecode first, as ``pip install`` does
and as any later run does when Python may write bytecode
(``PYTHONDONTWRITEBYTECODE`` otherwise makes every process compile them from
source again; ``--no-compile`` measures that). The vector index goes to a
temporary data directory; the ONNX export is the user's
(``QUOTES_MODEL_CACHE``). ``--phases N`` then runs benchmarks/search_phases.py
in N fresh processes and prints the median CPU and wall time of each step a
hybrid search adds to a text search.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

from foundation import fill  # noqa: E402
from meaning_speed import fill_vectors  # noqa: E402

from quotes.store.engine import close_all, open_database  # noqa: E402
from quotes.store.settings import MODEL_CACHE_ENV, model_cache_dir  # noqa: E402

QUERY = "security in the Arctic"
MODES: dict[str, list[str]] = {
    "text": ["--mode", "text"],
    "semantic": ["--mode", "semantic"],
    "hybrid (default)": [],
}


def timed(database: str, extra: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one ``quotes search`` process."""
    command = [sys.executable, "-m", "quotes.cli", "search", QUERY, "--db", database, *extra]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {result.stderr}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return elapsed, cpu


def phases(database: str, runs: int) -> None:
    """Median CPU and wall of each step of a hybrid search (benchmarks/search_phases.py)."""
    script = str(Path(__file__).resolve().parent / "search_phases.py")
    samples: list[dict[str, list[float]]] = []
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, script, database, QUERY], capture_output=True, text=True, check=True
        )
        samples.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(f"hybrid search step by step, {runs} fresh processes, median ms (CPU / wall):")
    for name in samples[0]:
        cpu = statistics.median(s[name][0] for s in samples)
        wall = statistics.median(s[name][1] for s in samples)
        print(f"  {name:30s} {cpu:6.0f} / {wall:6.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--phases", type=int, default=0, metavar="N")
    parser.add_argument(
        "--no-compile", action="store_true", help="leave the project's bytecode as it is"
    )
    args = parser.parse_args()
    if not args.no_compile:
        for folder in ("quotes", "cli", "migrations"):
            compileall.compile_dir(str(ROOT / folder), quiet=1)
    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault(MODEL_CACHE_ENV, str(model_cache_dir()))
        os.environ["QUOTES_DATA_DIR"] = str(Path(folder) / "data")
        path = str(Path(folder) / "search.db")
        fill(path, args.rows)
        fill_vectors(open_database(path), embed_all=False, sample_size=1000)
        close_all()
        for extra in MODES.values():  # warm the page cache; build the index, export ONNX
            timed(path, extra)
        times: dict[str, list[tuple[float, float]]] = {mode: [] for mode in MODES}
        loads = []
        for _ in range(args.rounds):
            loads.append(os.getloadavg()[0])
            for mode, extra in MODES.items():
                times[mode].append(timed(path, extra))
        loads.append(os.getloadavg()[0])
        text_wall = statistics.median(w for w, _ in times["text"])
        text_cpu = statistics.median(c for _, c in times["text"])
        print(
            f"machine: {platform.machine()}, {os.cpu_count()} cores, "
            f"python {platform.python_version()}"
        )
        print(f"load average during the run: {min(loads):.1f}-{max(loads):.1f}")
        print(
            f"{args.rows:,} quotes, query {QUERY!r}, {args.rounds} rounds, whole process, "
            f"bytecode {'as found' if args.no_compile else 'compiled'}"
        )
        for mode, values in times.items():
            wall = [w for w, _ in values]
            cpu = [c for _, c in values]
            print(
                f"  {mode:17s} wall median {statistics.median(wall):5.2f} s "
                f"(min {min(wall):.2f}, max {max(wall):.2f}) "
                f"{statistics.median(wall) / text_wall:4.2f}x text   "
                f"CPU median {statistics.median(cpu):5.2f} s "
                f"(min {min(cpu):.2f}, max {max(cpu):.2f}) "
                f"{statistics.median(cpu) / text_cpu:4.2f}x text"
            )
        if args.phases:
            phases(path, args.phases)


if __name__ == "__main__":
    main()
