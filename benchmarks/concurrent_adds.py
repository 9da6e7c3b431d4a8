"""N processes adding the same new statements at once: failures, sources kept, cost.

Each of PROCESSES real processes runs ``quotes add`` ADDS times (in-process
CliRunner, so start-up is not measured): the same new statements by the same
new speaker, each add with its own source URL. Correct means 0 failures, one
speaker, ADDS quotes and PROCESSES x ADDS source links. The floor is the same
work without contention (each process its own speaker and statements), in
the same run; the ratio is what racing for the same rows costs.

    .venv/bin/python benchmarks/concurrent_adds.py [--processes 8] [--adds 25] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from concurrent_adds import timed_concurrent_adds  # noqa: E402

from quotes.store.engine import close_all, open_database  # noqa: E402
from quotes.store.models import Quote, QuoteSource, Speaker  # noqa: E402

ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"


def _new_target(backend: str, folder: Path) -> tuple[str, str | None]:
    if backend == "sqlite":
        return str(folder / f"{uuid.uuid4().hex}.db"), None
    name = f"quotes_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(ADMIN, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}", name


def _drop(name: str | None) -> None:
    if name:
        with psycopg.connect(ADMIN, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(backend: str, folder: Path, processes: int, adds: int, shared: bool) -> dict[str, float]:
    url, name = _new_target(backend, folder)
    try:
        database = open_database(url)
        from quotes.records.topics import install_default_topics

        with database.session(write=True) as session:
            install_default_topics(session)
        started = time.perf_counter()
        failures, seconds = timed_concurrent_adds(url, processes, adds, shared=shared)
        wall = time.perf_counter() - started
        with database.session() as session:
            counts = [
                session.scalar(select(func.count()).select_from(model)) or 0
                for model in (Speaker, Quote, QuoteSource)
            ]
        close_all()
        return {
            "failures": len(failures),
            "speakers": counts[0],
            "quotes": counts[1],
            "sources": counts[2],
            "busy_s": max(seconds),
            "wall_s": wall,
        }
    finally:
        close_all()
        _drop(name)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--adds", type=int, default=25)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--backends", default="postgresql,sqlite")
    options = parser.parse_args()
    print(f"load average before: {os.getloadavg()}")
    print(f"{options.processes} processes x {options.adds} adds, {options.runs} runs each")
    with tempfile.TemporaryDirectory() as folder:
        for backend in options.backends.split(","):
            for shared in (True, False):
                runs = [
                    _run(backend, Path(folder), options.processes, options.adds, shared)
                    for _ in range(options.runs)
                ]
                busy = [r["busy_s"] for r in runs]
                label = "same statements" if shared else "floor: own statements"
                last = runs[-1]
                print(
                    f"{backend:10} {label:22} failures {sum(r['failures'] for r in runs)}, "
                    f"speakers {last['speakers']:.0f}, quotes {last['quotes']:.0f}, "
                    f"sources {last['sources']:.0f}; slowest process "
                    f"median {statistics.median(busy):.2f} s "
                    f"(min {min(busy):.2f}, max {max(busy):.2f})"
                )
                if shared:
                    contended = statistics.median(busy)
                else:
                    print(
                        f"{backend:10} ratio same/own: {contended / statistics.median(busy):.2f}x"
                    )
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
