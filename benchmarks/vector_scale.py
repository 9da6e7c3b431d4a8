"""Semantic search at 100k and 1M vectors on SQLite and PostgreSQL: index against brute force.

Run (builds what is missing, then measures; about an hour on a loaded 2-core box):

    .venv/bin/python benchmarks/vector_scale.py --sizes 100000 1000000
    .venv/bin/python benchmarks/vector_scale.py --reuse          # measure only

Everything built is kept under ``--dir`` (default /work/bench-data): SQLite
files ``vs-<rows>.db``, PostgreSQL databases ``quotes_bench_vs_<rows>`` on
127.0.0.1 (user postgres), the index files (the data directory given to the
library as QUOTES_DATA_DIR), cached real embeddings and exact answers.
``--reuse`` keeps the databases and index files and only re-runs the queries.

Vectors are realistic without embedding a million texts: real all-MiniLM-L6-v2
embeddings of real sentences (LIAR statements, ParlEE debate sentences,
manifesto sentences: /work/shared/data) are mixed two at a time (weights
0.5-1 and the rest) with a little Gaussian noise and normalised, so every row
has real near neighbours (uniform random vectors have none, and no approximate
index handles them). The quote text is the main sentence of its mix, numbered.
Quotes and vectors go in with bulk SQL (sqlite3 executemany, PostgreSQL COPY),
not the per-row API: this measures search, not import.

Queries are held out of the base sentences: LIAR test statements and ParlEE
debate titles (short, as people type them). Parameters were tuned on a
separate set (LIAR validation statements, other titles: ``--query-set tune``);
the table reports the other set. For each database, in this order:

- index build: a fresh process rebuilds the on-disk index (time, file size,
  peak RSS);
- first query: a fresh process runs ``quotes.search.query.search`` once; wall
  time from launch to the answer (Python start, imports, model load, index
  open), and the call alone;
- warm: the next queries in that process, median and p95 of the whole
  ``search`` call (query encoding included) and of the ranking alone, with
  recall@20 of the ids returned against exact brute force over every stored
  vector, computed here with numpy (its per-query time is the floor);
- the same with a speaker filter (a speaker with about 1/300 of the quotes);
- peak RSS of the query process (VmHWM; ``resource.getrusage`` reports the
  parent's peak in a child on Linux), after the first query and at the end,
  which is the aim's "memory": the index is memory-mapped, so it counts the
  pages touched.

The load average is printed with every row: the machine is shared.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DATA = Path("/work/shared/data")
SPEAKERS = 300
K = 20
PG_BASE = "host=127.0.0.1 user=postgres dbname=postgres"


# --- the corpus -------------------------------------------------------------


def _liar(name: str) -> list[str]:
    with open(DATA / "liar" / name, encoding="utf-8") as handle:
        return [row[2] for row in csv.reader(handle, delimiter="\t") if len(row) > 2]


def _csv_column(path: Path, column: str) -> list[str]:
    with open(path, encoding="utf-8", errors="replace", newline="") as handle:
        return [row[column] for row in csv.DictReader(handle)]


def corpus() -> tuple[list[str], dict[str, list[str]]]:
    """(base sentences, {"tune": queries, "report": queries}), deterministic."""
    parlee = DATA / "parlee" / "UK_2009_2014_annotated_sample.csv"
    manifesto = sorted((DATA / "manifesto-stance").glob("*.csv"))
    base = _liar("train.tsv") + _csv_column(parlee, "text")
    for path in manifesto:
        base += _csv_column(path, "text")
    base = list(dict.fromkeys(t.strip() for t in base if len(t.split()) >= 4))
    titles = sorted({t.strip() for t in _csv_column(parlee, "agenda") if t.strip()})
    rng = np.random.default_rng(11)
    order = rng.permutation(len(titles))
    tune_titles = [titles[i] for i in order[:40]]
    report_titles = [titles[i] for i in order[40:80]]
    queries = {
        "tune": _liar("valid.tsv")[:40] + tune_titles,
        "report": _liar("test.tsv")[:40] + report_titles,
    }
    return base, queries


def embedded(folder: Path) -> tuple[list[str], np.ndarray, dict[str, np.ndarray], str]:
    """Base sentences, their vectors, query vectors per set, model name (cached)."""
    from quotes.meaning.encoder import load_embedder

    base, queries = corpus()
    embedder = load_embedder()
    cache = folder / "base-vectors.npz"
    if cache.exists():
        stored = np.load(cache)
        if str(stored["model"]) == embedder.name and len(stored["base"]) == len(base):
            found = {name: stored[name] for name in queries}
            return base, stored["base"], found, embedder.name
    print(f"embedding {len(base):,} real sentences once (cached in {cache}) ...", file=sys.stderr)
    vectors = embedder.encode(base, batch_size=64)
    found = {name: embedder.encode(texts) for name, texts in queries.items()}
    np.savez(cache, base=vectors, model=np.array(embedder.name), **found)
    return base, vectors, found, embedder.name


def mixed(base: np.ndarray, start: int, count: int, seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    """Rows ``start``..``start+count``: (main sentence index, vector), same for a seed."""
    rng = np.random.default_rng([seed, start])
    first = rng.integers(0, len(base), count)
    second = rng.integers(0, len(base), count)
    weight = rng.uniform(0.5, 1.0, (count, 1)).astype(np.float32)
    noise = 0.03 * rng.standard_normal((count, base.shape[1])).astype(np.float32)
    part = weight * base[first] + (1 - weight) * base[second] + noise
    return first, (part / np.linalg.norm(part, axis=1, keepdims=True)).astype("<f4")


# --- building the databases -------------------------------------------------


def sqlite_path(folder: Path, rows: int) -> Path:
    return folder / f"vs-{rows}.db"


def pg_name(rows: int) -> str:
    return f"quotes_bench_vs_{rows}"


def target(folder: Path, backend: str, rows: int) -> str:
    if backend == "sqlite":
        return f"sqlite:///{sqlite_path(folder, rows)}"
    return f"postgresql+psycopg://postgres@127.0.0.1/{pg_name(rows)}"


def _rows(
    texts: list[str], base: np.ndarray, rows: int, model: str, chunk: int = 50_000
) -> Iterator[tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
    """Batches of (quote rows, embedding rows), ids from 1."""
    from quotes.store.normalize import text_hash

    now = datetime.now(UTC).isoformat(sep=" ")
    dim = base.shape[1]
    for start in range(0, rows, chunk):
        count = min(chunk, rows - start)
        main, vectors = mixed(base, start, count)
        quotes, embeddings = [], []
        for offset in range(count):
            qid = start + offset + 1
            text = f"{texts[main[offset]]} ({qid})"
            digest = text_hash(text)
            speaker = (qid * 7919) % SPEAKERS + 1
            day = f"{2009 + qid % 16}-{qid % 12 + 1:02d}-{qid % 28 + 1:02d}"
            quotes.append((qid, speaker, text, digest, day, "day", "quote", now))
            embeddings.append((qid, qid, model, dim, vectors[offset].tobytes(), digest, now))
        yield quotes, embeddings


def build_sqlite(folder: Path, rows: int, texts: list[str], base: np.ndarray, model: str) -> None:
    from quotes.store.engine import close_all, open_database

    path = sqlite_path(folder, rows)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    open_database(f"sqlite:///{path}")  # migrated by the library
    close_all()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    now = datetime.now(UTC).isoformat(sep=" ")
    conn.executemany(
        "INSERT INTO speakers (id, name, name_key, created_at) VALUES (?, ?, ?, ?)",
        [(i, f"Bench Speaker {i}", f"bench speaker {i}", now) for i in range(1, SPEAKERS + 1)],
    )
    for quotes, embeddings in _rows(texts, base, rows, model):
        conn.executemany(
            "INSERT INTO quotes (id, speaker_id, text, text_hash, date, date_precision, kind,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            quotes,
        )
        conn.executemany(
            "INSERT INTO embeddings (id, quote_id, model, dimension, vector, content_hash,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            embeddings,
        )
        conn.commit()
        print(f"\r  sqlite {quotes[-1][0]:,}/{rows:,}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("ANALYZE")
    conn.commit()
    conn.close()


def build_postgres(rows: int, texts: list[str], base: np.ndarray, model: str) -> None:
    import psycopg

    from quotes.store.engine import close_all, open_database

    name = pg_name(rows)
    with psycopg.connect(PG_BASE, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    open_database(f"postgresql+psycopg://postgres@127.0.0.1/{name}")  # migrated by the library
    close_all()
    now = datetime.now(UTC)
    with psycopg.connect(f"host=127.0.0.1 user=postgres dbname={name}") as conn:
        with conn.cursor().copy(
            "COPY speakers (id, name, name_key, created_at) FROM STDIN"
        ) as copy:
            for i in range(1, SPEAKERS + 1):
                copy.write_row((i, f"Bench Speaker {i}", f"bench speaker {i}", now))
        for quotes, embeddings in _rows(texts, base, rows, model):
            with conn.cursor().copy(
                "COPY quotes (id, speaker_id, text, text_hash, date, date_precision, kind,"
                " created_at) FROM STDIN"
            ) as copy:
                for row in quotes:
                    copy.write_row(row)
            with conn.cursor().copy(
                "COPY embeddings (id, quote_id, model, dimension, vector, content_hash,"
                " created_at) FROM STDIN"
            ) as copy:
                for row in embeddings:
                    copy.write_row(row)
            conn.commit()
            print(f"\r  postgres {quotes[-1][0]:,}/{rows:,}", end="", file=sys.stderr, flush=True)
        print(file=sys.stderr)
        for table in ("speakers", "quotes", "embeddings"):
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" (SELECT max(id) FROM {table}))"
            )
        conn.commit()
    with psycopg.connect(f"host=127.0.0.1 user=postgres dbname={name}", autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def built_marker(folder: Path, backend: str, rows: int) -> Path:
    return folder / f"built-{backend}-{rows}.json"


def ensure_built(folder: Path, backend: str, rows: int) -> dict[str, Any]:
    marker = built_marker(folder, backend, rows)
    if marker.exists():
        return dict(json.loads(marker.read_text()))
    texts, base, _, model = embedded(folder)
    print(f"building {backend} with {rows:,} quotes and vectors ...", file=sys.stderr)
    started = time.perf_counter()
    if backend == "sqlite":
        build_sqlite(folder, rows, texts, base, model)
    else:
        build_postgres(rows, texts, base, model)
    info = {"seconds": time.perf_counter() - started, "load": os.getloadavg()[0]}
    marker.write_text(json.dumps(info))
    return info


def ensure_aliases(url: str) -> None:
    """Each speaker is found by its own name (the library looks names up by alias)."""
    from sqlalchemy import text

    from quotes.store.engine import open_database

    with open_database(url).session(write=True) as session:
        session.execute(
            text(
                "INSERT INTO speaker_aliases (speaker_id, alias, alias_key)"
                " SELECT id, name, name_key FROM speakers"
                " WHERE id NOT IN (SELECT speaker_id FROM speaker_aliases)"
            )
        )


def database_bytes(folder: Path, backend: str, rows: int) -> int:
    if backend == "sqlite":
        return sqlite_path(folder, rows).stat().st_size
    import psycopg

    with psycopg.connect(PG_BASE) as conn:
        row = conn.execute("SELECT pg_database_size(%s)", (pg_name(rows),)).fetchone()
    return int(row[0]) if row else 0


# --- exact answers and the numpy floor --------------------------------------


def speaker_of(quote_ids: np.ndarray) -> np.ndarray:
    return (quote_ids * 7919) % SPEAKERS + 1


FILTER_SPEAKER = 17


def regenerate(base: np.ndarray, rows: int) -> np.ndarray:
    """The stored vectors, regenerated from the seed: byte for byte those in the database."""
    matrix = np.empty((rows, base.shape[1]), dtype=np.float32)
    for start in range(0, rows, 50_000):
        count = min(50_000, rows - start)
        matrix[start : start + count] = mixed(base, start, count)[1]
    return matrix


def exact_answers(
    folder: Path, rows: int, base: np.ndarray, queries: np.ndarray, query_set: str
) -> dict[str, Any]:
    """Top-20 quote ids per query by brute force: all rows, and the filter speaker's rows."""
    cache = folder / f"exact-{rows}-{query_set}.npz"
    if cache.exists():
        stored = np.load(cache)
        return {name: stored[name] for name in ("all", "speaker")}
    print(f"exact answers for {rows:,} vectors ...", file=sys.stderr)
    matrix = regenerate(base, rows)
    ids = np.arange(1, rows + 1)
    chosen = speaker_of(ids) == FILTER_SPEAKER
    everything, filtered = [], []
    for query in queries:
        similarity = matrix @ query
        everything.append(ids[np.argpartition(-similarity, K)[:K]])
        part = similarity[chosen]
        best = np.argsort(-part)[:K]  # a few thousand rows: a full sort is fine
        filtered.append(np.pad(ids[chosen][best], (0, K - len(best)), constant_values=-1))
    found = {"all": np.array(everything), "speaker": np.array(filtered)}
    np.savez(cache, **found)
    return found


def numpy_floor(base: np.ndarray, rows: int, queries: np.ndarray) -> float:
    """Median ms of brute force in numpy (matrix already in memory), measured now."""
    matrix = regenerate(base, rows)
    times = []
    for query in queries[:30]:
        started = time.perf_counter()
        np.argpartition(-(matrix @ query), K)[:K]
        times.append((time.perf_counter() - started) * 1000)
    return float(np.median(times))


def recall(found: list[list[int]], truth: np.ndarray) -> float:
    """Mean share of the exact top-20 (fewer when fewer rows pass; -1 pads) found."""
    shares = []
    for got, exact in zip(found, truth, strict=True):
        wanted = set(exact.tolist()) - {-1}
        shares.append(len(set(got) & wanted) / len(wanted))
    return float(np.mean(shares))


# --- worker processes (a fresh interpreter each) ----------------------------


def run_worker(args: list[str]) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", *args]
    command += ["--launched", repr(time.time())]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"worker {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def peak_rss_mib() -> float:
    """Peak resident memory of this process image, in MiB.

    ``getrusage``'s ru_maxrss is inherited through fork and exec on Linux, so
    a worker started by this (large) benchmark process would report the
    parent's peak; VmHWM in /proc is the peak of this image alone.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def tune(args: argparse.Namespace) -> None:
    """Parameters under test (--ef, --candidates) replace the library's defaults."""
    from quotes.search import vector_index

    if args.ef:
        vector_index.EXPANSION_SEARCH = args.ef
    if args.candidates:
        vector_index.MIN_CANDIDATES = args.candidates


def worker_index(args: argparse.Namespace) -> dict[str, Any]:
    """Rebuild this database's index from nothing; time, file size, peak RSS."""
    import shutil

    from quotes.meaning.encoder import load_embedder
    from quotes.search.vector_index import index_path, open_index
    from quotes.store.engine import open_database

    embedder = load_embedder()
    database = open_database(args.target)
    with database.session() as session:
        path = index_path(session, embedder.name)
        shutil.rmtree(path.parent, ignore_errors=True)
        rss = peak_rss_mib()
        started = time.perf_counter()
        open_index(session, embedder.name, embedder.dimension)
        seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "bytes": path.stat().st_size,
        "rss_mib": peak_rss_mib(),
        "rss_before_mib": rss,
    }


def worker_query(args: argparse.Namespace) -> dict[str, Any]:
    """First query from a fresh start, then warm ones; ids returned and timings."""
    from quotes.search.filters import QuoteFilters
    from quotes.search.query import search
    from quotes.store.engine import open_database

    tune(args)
    _, queries = corpus()
    texts = queries[args.query_set]
    filters = QuoteFilters(speaker=f"Bench Speaker {FILTER_SPEAKER}") if args.speaker else None
    database = open_database(args.target)
    found: list[list[int]] = []
    total: list[float] = []
    first_wall = first_rss = 0.0
    with database.session() as session:
        for number, text in enumerate(texts):
            started = time.perf_counter()
            hits = search(session, text, mode="semantic", filters=filters, limit=K, min_match=-1)
            total.append(time.perf_counter() - started)
            if number == 0:
                first_wall = time.time() - args.launched
                first_rss = peak_rss_mib()
            found.append([hit.quote.id for hit in hits])
        ranking = ranking_times(session, texts[1:], filters)
    return {
        "first_wall_s": first_wall,
        "first_call_ms": total[0] * 1000,
        "warm_ms": [t * 1000 for t in total[1:]],
        "ranking_ms": ranking,
        "found": found,
        "rss_mib": peak_rss_mib(),
        "rss_first_mib": first_rss,
    }


def ranking_times(session: Any, texts: list[str], filters: Any) -> list[float]:
    """The ranking alone (query already encoded, hits not loaded), per query, in ms."""
    from quotes.meaning.encoder import load_embedder
    from quotes.search.filters import resolve_filters
    from quotes.search.semantic import semantic_ranking

    embedder = load_embedder()
    vectors = [embedder.encode([text])[0] for text in texts]  # one at a time, as search does
    clauses = resolve_filters(session, filters).clauses() if filters else []
    times = []
    for vector in vectors:
        started = time.perf_counter()
        semantic_ranking(session, vector, embedder.name, clauses, K)
        times.append((time.perf_counter() - started) * 1000)
    return times


def worker_crossover(args: argparse.Namespace) -> dict[str, Any]:
    """Brute force against the index in one fresh process: first query (loading) and warm.

    The last query warms the SQL both ways share first and is not timed; the
    first timed query of each way then measures its loading (the matrix read
    from the database, or the index file mapped).
    """
    from quotes.meaning.encoder import load_embedder
    from quotes.search import semantic, vector_index
    from quotes.store.engine import open_database

    _, queries = corpus()
    embedder = load_embedder()
    vectors = embedder.encode(queries[args.query_set])
    found: dict[str, Any] = {}
    ways = (("brute", 10**12), ("index", 1))
    with open_database(args.target).session() as session:
        for _, threshold in ways:  # warm the SQL both share, so order does not matter
            vector_index.INDEX_MIN_VECTORS = threshold
            semantic.semantic_ranking(session, vectors[-1], embedder.name, [], K)
        for way, threshold in ways:
            vector_index.INDEX_MIN_VECTORS = threshold
            semantic.clear_cache()
            vector_index.forget_indexes()
            times = []
            for vector in vectors:
                started = time.perf_counter()
                semantic.semantic_ranking(session, vector, embedder.name, [], K)
                times.append((time.perf_counter() - started) * 1000)
            found[way] = {"first_ms": times[0], "warm_ms": statistics.median(times[1:-1])}
    found["rss_mib"] = peak_rss_mib()
    return found


def crossover(folder: Path, sizes: list[int], args: argparse.Namespace) -> None:
    """Where the index starts to pay: SQLite databases of ``sizes`` quotes."""
    print("\nbrute force against the index (SQLite, ranking only, one fresh process each):")
    print("  vectors | brute first / warm ms | index first / warm ms | index build s | load")
    for rows in sizes:
        ensure_built(folder, "sqlite", rows)
        url = target(folder, "sqlite", rows)
        record = folder / f"index-sqlite-{rows}.json"
        if args.reuse and record.exists():
            built = json.loads(record.read_text())
        else:
            built = run_worker(["index", "--target", url])
            record.write_text(json.dumps({**built, "load": os.getloadavg()[0]}))
        load = os.getloadavg()[0]
        found = run_worker(["crossover", "--target", url, "--query-set", args.query_set])
        brute, index = found["brute"], found["index"]
        print(
            f"  {rows:>7,} | {brute['first_ms']:8.1f} / {brute['warm_ms']:6.1f}"
            f"       | {index['first_ms']:8.1f} / {index['warm_ms']:6.1f}"
            f"       | {built['seconds']:13.1f} | {load:.1f}",
            flush=True,
        )


# --- the table ---------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


COLUMNS = [
    "filter",
    "first wall s",
    "first call ms",
    "search med/p95 ms",
    "ranking med/p95 ms",
    "ranking vs numpy ms",
    "recall@20",
    "RSS first/end MiB",
    "load",
]
WIDTHS = [len(c) for c in COLUMNS]
HEADER = "  " + " | ".join(COLUMNS)


def measure(folder: Path, backend: str, rows: int, args: argparse.Namespace) -> list[str]:
    _, base, query_vectors, _ = embedded(folder)
    truth = exact_answers(folder, rows, base, query_vectors[args.query_set], args.query_set)
    url = target(folder, backend, rows)
    ensure_aliases(url)
    index_record = folder / f"index-{backend}-{rows}.json"
    if args.reuse and index_record.exists():
        built = json.loads(index_record.read_text())
    else:
        load = os.getloadavg()[0]
        built = run_worker(["index", "--target", url])
        built["load"] = load
        index_record.write_text(json.dumps(built))
    size_mib = database_bytes(folder, backend, rows) / 2**20
    lines = [
        f"{backend} {rows:,}: database {size_mib:,.0f} MiB; index build {built['seconds']:.1f} s"
        f" (load {built['load']:.1f}), file {built['bytes'] / 2**20:,.0f} MiB,"
        f" build peak RSS {built['rss_mib']:,.0f} MiB"
    ]
    floor = numpy_floor(base, rows, query_vectors[args.query_set])
    for speaker in (False, True):
        tuning = ["--speaker"] if speaker else []
        if args.ef:
            tuning += ["--ef", str(args.ef)]
        if args.candidates:
            tuning += ["--candidates", str(args.candidates)]
        load = os.getloadavg()[0]
        result = run_worker(["query", "--target", url, "--query-set", args.query_set, *tuning])
        warm, ranking = result["warm_ms"], result["ranking_ms"]
        cells = [
            "speaker" if speaker else "none",
            f"{result['first_wall_s']:.2f}",
            f"{result['first_call_ms']:.0f}",
            f"{statistics.median(warm):.1f} / {percentile(warm, 0.95):.1f}",
            f"{statistics.median(ranking):.1f} / {percentile(ranking, 0.95):.1f}",
            f"{statistics.median(ranking) / floor:.2f}x of {floor:.1f}",
            f"{recall(result['found'], truth['speaker' if speaker else 'all']):.3f}",
            f"{result['rss_first_mib']:,.0f} / {result['rss_mib']:,.0f}",
            f"{load:.1f}",
        ]
        lines.append("  " + " | ".join(f"{c:>{w}}" for c, w in zip(cells, WIDTHS, strict=True)))
        print(lines[-1], flush=True)
    return lines


# --- command line -----------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--dir", type=Path, default=Path("/work/bench-data"))
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="keep databases and index files")
    parser.add_argument("--query-set", choices=["tune", "report"], default="report")
    parser.add_argument("--ef", type=int, default=0, help="try another expansion_search")
    parser.add_argument("--candidates", type=int, default=0, help="try another candidate count")
    parser.add_argument(
        "--crossover", type=int, nargs="*", help="also time brute force vs index at these sizes"
    )
    parser.add_argument("--worker", choices=["index", "query", "crossover"], help=argparse.SUPPRESS)
    parser.add_argument("--target", help=argparse.SUPPRESS)
    parser.add_argument("--speaker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--launched", type=float, default=0.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        os.environ.setdefault("QUOTES_DATA_DIR", str(args.dir.resolve() / "data"))
        work = {"index": worker_index, "query": worker_query, "crossover": worker_crossover}[
            args.worker
        ]
        print(json.dumps(work(args)))
        return
    folder = args.dir.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["QUOTES_DATA_DIR"] = str(folder / "data")
    for rows in args.sizes:
        for backend in args.backends:
            ensure_built(folder, backend, rows)
    if args.build_only:
        return
    if args.crossover:
        crossover(folder, args.crossover, args)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}"
    print(f"machine: {machine}; query set {args.query_set!r}, top {K}, semantic, min_match off")
    print(HEADER)
    table = []
    for rows in args.sizes:
        for backend in args.backends:
            table += measure(folder, backend, rows, args)
    print("\n".join(["", HEADER, *table]))


if __name__ == "__main__":
    main()
