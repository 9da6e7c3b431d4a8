"""Bulk import speed: `quotes import` against the raw floor, on SQLite and PostgreSQL.

For each size (default 200,000 rows) the script writes one CSV (text,
speaker, date, outlet, context). ``--corpus real`` (the default) recombines
real LIAR/ParlEE clauses (text_corpus.py: real word frequencies, ~4,000
speakers, 8 outlets, every text different); ``--corpus synthetic`` is the
older 80-word text. Then, each in its own process so the CPU time and peak
memory (max RSS) of each are its own, in interleaved rounds:

- SQLite FLOOR (issue 13 item 6): csv reader + sqlite3 ``executemany`` of
  every row into one table with an index on (speaker, date), in one
  transaction, with one FTS5 ``rebuild`` at the end (floor_sqlite_bulk.py);
- ``quotes import FILE --json`` into a fresh SQLite file (the real CLI);
- the same file imported again (every row a duplicate, merged);
- the older, softer floor: the same rows with an FTS5 trigger, committed
  every 10,000 rows (floor_sqlite.py), and raw ``executemany`` into this
  project's real schema (floor_sqlite_schema.py: what the schema costs);
- PostgreSQL floor: ``COPY`` of the same file into a table with the same
  indexes plus a generated tsvector column with a GIN index;
- ``quotes import`` into a fresh PostgreSQL database.

It prints median rows/s, wall (min-max) and CPU seconds, peak memory, and the
median of the per-round ratios import/floor, with the load average. Run:
``.venv/bin/python benchmarks/import_bench.py [--sizes 200000] [--rounds 3]
[--corpus real|synthetic] [--no-postgres]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
BIN = Path(sys.executable).parent
PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"

WORDS = [
    "arctic",
    "security",
    "tariffs",
    "sovereignty",
    "alliance",
    "trade",
    "defence",
    "border",
    "treaty",
    "talks",
    "nation",
    "minister",
    "allies",
    "sanctions",
    "economy",
    "growth",
    "jobs",
    "workers",
    "energy",
    "gas",
    "oil",
    "climate",
    "deal",
    "negotiate",
    "respect",
    "future",
    "partners",
    "commitment",
    "pressure",
    "response",
    "strategy",
    "region",
    "island",
    "military",
    "budget",
    "spending",
    "deterrence",
    "cooperation",
    "dialogue",
    "framework",
    "agreement",
    "promise",
    "taxes",
    "import",
    "export",
    "market",
    "industry",
    "farmers",
    "steel",
    "cars",
    "tech",
    "chips",
    "investment",
    "capital",
    "people",
    "voters",
    "country",
    "government",
    "parliament",
    "election",
    "reform",
    "law",
    "court",
    "rights",
    "freedom",
    "peace",
    "war",
    "threat",
    "risk",
    "crisis",
    "plan",
    "vision",
    "strong",
    "fair",
    "open",
    "free",
    "firm",
    "clear",
    "necessary",
]
FIRST = [
    "Anna",
    "Lars",
    "Mette",
    "Mark",
    "Donald",
    "Ursula",
    "Emmanuel",
    "Olaf",
    "Giorgia",
    "Pedro",
    "Keir",
    "Justin",
    "Jens",
    "Ulf",
]
LAST = [
    "Rutte",
    "Frederiksen",
    "Trump",
    "Leyen",
    "Macron",
    "Scholz",
    "Meloni",
    "Sanchez",
    "Starmer",
    "Trudeau",
    "Stoltenberg",
]


def synthetic_csv(path: Path, rows: int, seed: int = 7) -> None:
    """Varied rows: every text different, 2,000 speakers, dates across 2010-2026."""
    rng = random.Random(seed)
    speakers = [f"{rng.choice(FIRST)} {rng.choice(LAST)}-{i:04d}" for i in range(2_000)]
    outlets = [f"Outlet {i}" for i in range(40)]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "speaker", "date", "outlet", "context"])
        for i in range(rows):
            words = rng.choices(WORDS, k=rng.randint(12, 30))
            text = f"{' '.join(words).capitalize()}, said in statement {i}."
            date = f"{rng.randint(2010, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            context = f"Remarks at event {i % 997}" if i % 3 == 0 else ""
            writer.writerow([text, rng.choice(speakers), date, rng.choice(outlets), context])


@dataclass
class Run:
    seconds: float  # wall clock
    cpu: float  # user + system CPU seconds of the process
    peak: int  # max RSS, MiB
    stdout: str


def run_measured(args: list[str]) -> Run:
    """Run a process; wall time, its own CPU time and peak memory."""
    started = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{args[:3]} failed: {stderr.decode()[-2000:]}")
    figures = dict(
        line.split("=", 1) for line in stderr.decode().splitlines() if line.startswith("BENCH_")
    )
    return Run(
        seconds,
        float(figures.get("BENCH_CPU", "nan")),
        int(figures.get("BENCH_PEAK_KB", "0")) // 1024,
        stdout.decode(),
    )


WRAPPER = r"""
import resource, runpy, sys
target = sys.argv[1]
sys.argv = sys.argv[1:]
try:
    if target.endswith(".py"):
        runpy.run_path(target, run_name="__main__")
    else:
        from quotes.cli.main import app
        sys.argv = ["quotes", *sys.argv[1:]]
        try:
            app(prog_name="quotes")
        except SystemExit as exc:
            if exc.code not in (0, None):
                raise
finally:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"BENCH_PEAK_KB={usage.ru_maxrss}", file=sys.stderr)
    print(f"BENCH_CPU={usage.ru_utime + usage.ru_stime:.3f}", file=sys.stderr)
"""


def measured_python(*args: str) -> Run:
    return run_measured([sys.executable, "-c", WRAPPER, *args])


def pg_create() -> str:
    import psycopg

    name = f"quotes_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    return name


def pg_drop(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg_available() -> bool:
    try:
        import psycopg

        psycopg.connect(PG_ADMIN, connect_timeout=3).close()
        return True
    except Exception:
        return False


def line(label: str, rows: int, runs: list[Run], floor: list[Run] | None = None) -> str:
    """Median rows/s, wall and CPU over the rounds, spread, and the median ratio to ``floor``."""
    wall = statistics.median(r.seconds for r in runs)
    cpu = statistics.median(r.cpu for r in runs)
    spread = f"{min(r.seconds for r in runs):.1f}-{max(r.seconds for r in runs):.1f}"
    text = (
        f"  {label:<40} {rows / wall:>9,.0f} rows/s {wall:6.1f} s wall ({spread}) "
        f"{cpu:6.1f} s cpu  peak {max(r.peak for r in runs):5d} MiB"
    )
    if floor is not None:
        # Rounds are interleaved, so round i of each ran under similar load.
        ratios = [r.seconds / f.seconds for r, f in zip(runs, floor, strict=False)]
        text += f"  {statistics.median(ratios):4.2f}x floor wall"
        if all(f.cpu > 1 for f in floor):  # COPY's client does almost nothing
            cpu_ratios = [r.cpu / f.cpu for r, f in zip(runs, floor, strict=False)]
            text += f", {statistics.median(cpu_ratios):4.2f}x cpu"
    return text


def load() -> str:
    return "load " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def make_csv(path: Path, rows: int, corpus: str) -> None:
    if corpus == "synthetic":
        synthetic_csv(path, rows)
    else:
        from text_corpus import write_csv

        write_csv(path, rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200000")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--corpus",
        choices=("real", "synthetic"),
        default="real",
        help="real: LIAR/ParlEE clauses recombined (text_corpus.py); synthetic: 80 words",
    )
    parser.add_argument("--no-postgres", action="store_true")
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",")]
    postgres = not options.no_postgres and pg_available()
    print(
        f"quotes import benchmark: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
        f"{options.corpus} text, {options.rounds} interleaved rounds, {load()} at start"
    )
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for rows in sizes:
            data = work / f"rows-{rows}.csv"
            make_csv(data, rows, options.corpus)
            print(f"\n{rows:,} rows ({data.stat().st_size / 2**20:.0f} MiB CSV)")
            runs: dict[str, list[Run]] = {}
            for round_ in range(options.rounds):
                for label, measure in _measures(work, data, rows, postgres):
                    runs.setdefault(label, []).append(measure())
                    if label != "quotes import (SQLite)":  # the re-import runs on it
                        for leftover in work.glob("*.db*"):
                            leftover.unlink()
                print(f"  round {round_ + 1} done, {load()}")
            bulk = runs["sqlite3 one transaction + FTS5 rebuild"]
            trigger = runs["sqlite3 executemany + FTS5 trigger"]
            for label, measured in runs.items():
                if label.startswith("sqlite3 one"):
                    print(line(label + " (FLOOR)", rows, measured))
                elif label.startswith("quotes import (SQLite)"):
                    print(line(label, rows, measured, bulk))
                    print(line("   same, against the trigger floor", rows, measured, trigger))
                elif label.startswith("quotes import (PostgreSQL)"):
                    print(line(label, rows, measured, runs["PostgreSQL COPY (floor)"]))
                else:
                    print(line(label, rows, measured))
            print(f"  {load()} at the end")
            data.unlink()


def _measures(work: Path, data: Path, rows: int, postgres: bool) -> list[tuple[str, Any]]:
    """One round: (label, zero-argument measurement), in a fixed order."""

    def bulk_floor() -> Run:
        return measured_python(str(HERE / "floor_sqlite_bulk.py"), str(data), str(work / "b.db"))

    def trigger_floor() -> Run:
        return measured_python(str(HERE / "floor_sqlite.py"), str(data), str(work / "f.db"))

    def sqlite_import() -> Run:
        db = work / "quotes.db"
        run = measured_python("quotes", "import", str(data), "--db", str(db), "--json")
        summary = json.loads(run.stdout)
        assert summary["added"] == rows and summary["rejected"] == 0, summary
        return run

    def again() -> Run:
        db = work / "quotes.db"
        run = measured_python("quotes", "import", str(data), "--db", str(db), "--json")
        assert json.loads(run.stdout)["added"] == 0
        return run

    def schema_floor() -> Run:
        db = work / "schema.db"
        measured_python("quotes", "db", "upgrade", "--db", str(db))
        return measured_python(str(HERE / "floor_sqlite_schema.py"), str(data), str(db))

    def pg_floor() -> Run:
        name = pg_create()
        try:
            return measured_python(str(HERE / "floor_postgres.py"), str(data), name)
        finally:
            pg_drop(name)

    def pg_import() -> Run:
        name = pg_create()
        try:
            url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
            run = measured_python("quotes", "import", str(data), "--db", url, "--json")
            assert json.loads(run.stdout)["added"] == rows
            return run
        finally:
            pg_drop(name)

    found: list[tuple[str, Any]] = [
        ("sqlite3 one transaction + FTS5 rebuild", bulk_floor),
        ("quotes import (SQLite)", sqlite_import),
        ("same file again (all duplicates)", again),
        ("sqlite3 executemany + FTS5 trigger", trigger_floor),
        ("sqlite3 executemany, real schema", schema_floor),
    ]
    if postgres:
        found += [("PostgreSQL COPY (floor)", pg_floor), ("quotes import (PostgreSQL)", pg_import)]
    return found


if __name__ == "__main__":
    main()
