"""Bulk import speed: `quotes import` against the raw floor, on SQLite and PostgreSQL.

For each size (default 200,000 and 1,000,000 rows) the script writes one
synthetic CSV (text, speaker, date, outlet, context; 2,000 speakers, 40
outlets, every text different) and then, each in its own process so the peak
memory (max RSS) of each is its own:

- SQLite floor: Python's csv reader + sqlite3 ``executemany`` of the same rows
  into one table with an index on (speaker, date) and an FTS5 index kept by a
  trigger, committed every 10,000 rows (the batch size the import uses);
- ``quotes import FILE --json`` into a fresh SQLite file (the real CLI);
- PostgreSQL floor: ``COPY`` of the same file into a table with the same
  indexes plus a generated tsvector column with a GIN index;
- ``quotes import`` into a fresh PostgreSQL database.

It prints rows/s, peak memory and the ratio import/floor. Run it with
``.venv/bin/python benchmarks/import_bench.py [--sizes 200000,1000000] [--no-postgres]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
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


def line(label: str, rows: int, run: Run, floor: Run | None = None, cpu: bool = True) -> str:
    text = (
        f"  {label:<38} {rows / run.seconds:>9,.0f} rows/s {run.seconds:7.1f} s wall "
        f"{run.cpu:7.1f} s cpu  peak {run.peak:5d} MiB"
    )
    if floor is not None:
        text += f"  {run.seconds / floor.seconds:4.2f}x floor wall"
        if cpu:  # COPY's client does almost nothing: a CPU ratio would mean nothing
            text += f", {run.cpu / floor.cpu:4.2f}x cpu"
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200000,1000000")
    parser.add_argument("--no-postgres", action="store_true")
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",")]
    postgres = not options.no_postgres and pg_available()
    load = os.getloadavg()[0]
    print(
        f"quotes import benchmark: {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
        f"load average {load:.1f} at start (wall times suffer when it is above 0)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for rows in sizes:
            data = work / f"rows-{rows}.csv"
            synthetic_csv(data, rows)
            print(f"\n{rows:,} rows ({data.stat().st_size / 2**20:.0f} MiB CSV)")
            floor = measured_python(str(HERE / "floor_sqlite.py"), str(data), str(work / "f.db"))
            print(line("sqlite3 executemany + FTS5 (floor)", rows, floor))
            schema_db = work / "schema.db"
            measured_python("quotes", "db", "upgrade", "--db", str(schema_db))
            schema = measured_python(
                str(HERE / "floor_sqlite_schema.py"), str(data), str(schema_db)
            )
            print(line("sqlite3 executemany, real schema", rows, schema, floor))
            db = work / "quotes.db"
            run = measured_python("quotes", "import", str(data), "--db", str(db), "--json")
            summary = json.loads(run.stdout)
            assert summary["added"] == rows, summary
            print(line("quotes import (SQLite)", rows, run, floor))
            again = measured_python("quotes", "import", str(data), "--db", str(db), "--json")
            assert json.loads(again.stdout)["added"] == 0
            print(line("same file again (all duplicates)", rows, again))
            if postgres:
                name = pg_create()
                try:
                    pg_floor = measured_python(str(HERE / "floor_postgres.py"), str(data), name)
                finally:
                    pg_drop(name)
                print(line("PostgreSQL COPY (floor)", rows, pg_floor))
                name = pg_create()
                try:
                    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
                    pg = measured_python("quotes", "import", str(data), "--db", url, "--json")
                    assert json.loads(pg.stdout)["added"] == rows
                finally:
                    pg_drop(name)
                print(line("quotes import (PostgreSQL)", rows, pg, pg_floor, cpu=False))
            for leftover in work.glob("*.db*"):
                leftover.unlink()
            data.unlink()


if __name__ == "__main__":
    main()
