"""Bulk import speed: `quotes import` against the raw floor, on SQLite and PostgreSQL.

For each size (default 200,000 and 1,000,000 rows) the script writes one
synthetic CSV (text, speaker, date, outlet, context; 2,000 speakers, 40
outlets, every text different) and then, each in its own process so the peak
memory (max RSS) of each is its own:

- SQLite floor: Python's csv reader + sqlite3 ``executemany`` of the same rows
  into one table with an index on (speaker, date) and an FTS5 index kept by a
  trigger, committed every 5,000 rows (the batch size the import uses);
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


def run_measured(args: list[str], env: dict[str, str] | None = None) -> tuple[float, int, str]:
    """Run a process; return (seconds, peak RSS in MiB, stdout)."""
    started = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{args[:3]} failed: {stderr.decode()[-2000:]}")
    peak = _peak_rss(stderr.decode())
    return seconds, peak, stdout.decode()


def _peak_rss(stderr: str) -> int:
    for line in reversed(stderr.splitlines()):
        if line.startswith("PEAK_RSS_KB="):
            return int(line.split("=")[1]) // 1024
    return -1


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
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"PEAK_RSS_KB={peak}", file=sys.stderr)
"""


def measured_python(*args: str) -> tuple[float, int, str]:
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


def line(label: str, rows: int, seconds: float, peak: int, floor: float | None = None) -> str:
    ratio = f"  {seconds / floor:5.2f}x floor" if floor else ""
    rate = f"{rows / seconds:>10,.0f} rows/s"
    return f"  {label:<34} {rate}  {seconds:7.1f} s  peak {peak:5d} MiB{ratio}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="200000,1000000")
    parser.add_argument("--no-postgres", action="store_true")
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",")]
    postgres = not options.no_postgres and pg_available()
    print(f"quotes import benchmark: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for rows in sizes:
            data = work / f"rows-{rows}.csv"
            synthetic_csv(data, rows)
            size = data.stat().st_size / 2**20
            print(f"\n{rows:,} rows ({size:.0f} MiB CSV)")
            floor_s, floor_peak, _ = measured_python(
                str(HERE / "floor_sqlite.py"), str(data), str(work / f"floor-{rows}.db")
            )
            print(line("sqlite3 executemany + FTS5 (floor)", rows, floor_s, floor_peak))
            db = work / f"quotes-{rows}.db"
            seconds, peak, out = measured_python(
                "quotes", "import", str(data), "--db", str(db), "--json"
            )
            summary = json.loads(out)
            assert summary["added"] == rows, summary
            print(line("quotes import (SQLite)", rows, seconds, peak, floor_s))
            again, again_peak, out = measured_python(
                "quotes", "import", str(data), "--db", str(db), "--json"
            )
            assert json.loads(out)["added"] == 0
            print(line("same file again (all duplicates)", rows, again, again_peak))
            if postgres:
                name = pg_create()
                try:
                    floor_s, floor_peak, _ = measured_python(
                        str(HERE / "floor_postgres.py"), str(data), name
                    )
                finally:
                    pg_drop(name)
                print(line("PostgreSQL COPY (floor)", rows, floor_s, floor_peak))
                name = pg_create()
                try:
                    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
                    seconds, peak, out = measured_python(
                        "quotes", "import", str(data), "--db", url, "--json"
                    )
                    assert json.loads(out)["added"] == rows
                finally:
                    pg_drop(name)
                print(line("quotes import (PostgreSQL)", rows, seconds, peak, floor_s))
            for leftover in work.glob("*.db*"):
                leftover.unlink()
            data.unlink()


if __name__ == "__main__":
    main()
