"""Meaning benchmark: ``quotes embed`` throughput and semantic/hybrid search latency.

Run: ``python benchmarks/meaning_speed.py [--embed-rows 3000] [--rows 100000] [--skip-postgres]``

1. Throughput: the same ``--embed-rows`` distinct synthetic statements are
   encoded by a raw ``SentenceTransformer.encode(texts, batch_size=64)`` call
   and by ``embed_missing`` (read the pending quotes from SQLite, encode,
   write the vectors); each is run ``--rounds`` times, alternately, and the
   best of each is compared as a ratio (goal: at most 1.10).
2. Latency: ``--rows`` quotes are added through the library. Embedding 100k
   texts for real takes minutes on 2 cores and does not change how long a
   search takes, so by default the vectors are real embeddings of 3,000 of
   the statements, reused with small random noise (renormalised) for the
   rest (``--embed-all`` embeds every text). 50 queries are timed after a
   first one (which loads the matrix) for semantic and hybrid search (20
   results, the query's own encoding included), with and without a speaker
   filter, then the encoding of the same queries alone (the model's share
   of each search); the memory of the matrix per 100k vectors is reported.
   On a shared machine, run it when nothing else is: torch slows down by
   an order of magnitude when other processes compete for the 2 cores.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from foundation import drop_postgres, fill, percentile, postgres_target  # noqa: E402
from synthetic import queries, statements  # noqa: E402

from quotes.meaning.encoder import load_embedder, pack  # noqa: E402
from quotes.meaning.vectors import embed_missing  # noqa: E402
from quotes.search.filters import QuoteFilters  # noqa: E402
from quotes.search.query import search  # noqa: E402
from quotes.search.semantic import clear_cache, vector_matrix  # noqa: E402
from quotes.store.engine import Database, close_all, open_database  # noqa: E402
from quotes.store.models import Embedding, Quote  # noqa: E402

BATCH_SIZE = 64


def throughput(rows: int, rounds: int) -> tuple[float, float]:
    """(raw texts/s, embed_missing texts/s) on the same texts, best of ``rounds`` each.

    Raw is ``SentenceTransformer.encode`` (torch); ``embed_missing`` runs the
    default runtime (ONNX for the default model).
    """
    embedder = load_embedder(runtime="torch")
    texts = [s.text for s in statements(rows, seed=11)]
    embedder.encode(texts[:64])  # warm up
    load_embedder().encode(texts[:64])
    raw_times, ours_times = [], []
    with tempfile.TemporaryDirectory() as folder:
        for attempt in range(rounds):
            start = time.perf_counter()
            embedder.model.encode(  # type: ignore[attr-defined]
                texts, batch_size=BATCH_SIZE, show_progress_bar=False
            )
            raw_times.append(time.perf_counter() - start)
            database = open_database(str(Path(folder) / f"embed{attempt}.db"))
            _insert_quotes(database, texts)
            start = time.perf_counter()
            report = embed_missing(database, batch_size=BATCH_SIZE)
            ours_times.append(time.perf_counter() - start)
            assert report.encoded == rows, report
            close_all()
    return rows / min(raw_times), rows / min(ours_times)


def _insert_quotes(database: Database, texts: list[str]) -> None:
    from quotes.records.quotes import add_quote

    with database.session(write=True) as session:
        for text in texts:
            add_quote(session, text, "Bench Speaker", new_speaker=True)


def fill_vectors(database: Database, embed_all: bool, sample_size: int = 3000) -> None:
    if embed_all:
        embed_missing(database)
        return
    embedder = load_embedder()
    with database.session() as session:
        rows = session.execute(select_quotes()).all()
    sample = [text for _, text, _ in rows[:sample_size]]
    base = embedder.encode(sample)
    rng = np.random.default_rng(0)
    with database.session(write=True) as session:
        batch = []
        for i, (quote_id, _, digest) in enumerate(rows):
            vector = base[i % len(base)]
            if i >= len(base):
                vector = vector + rng.normal(0, 0.02, vector.shape).astype(np.float32)
                vector /= np.linalg.norm(vector)
            batch.append(
                {
                    "quote_id": quote_id,
                    "model": embedder.name,
                    "dimension": embedder.dimension,
                    "vector": pack(vector),
                    "content_hash": digest,
                }
            )
            if len(batch) == 5000:
                session.execute(Embedding.__table__.insert(), batch)
                batch = []
        if batch:
            session.execute(Embedding.__table__.insert(), batch)


def select_quotes():  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    return select(Quote.id, Quote.text, Quote.text_hash).order_by(Quote.id)


def latency(database: Database, mode: str, filters: QuoteFilters) -> tuple[float, float, float]:
    """(first query ms, median ms, p95 ms) of 50 queries after the first."""
    clear_cache()
    asked = queries(51, seed=5)
    timings = []
    with database.session() as session:
        for query in asked:
            start = time.perf_counter()
            hits = search(session, query, mode=mode, filters=filters, limit=20)
            timings.append(time.perf_counter() - start)
            assert hits, query
    rest = timings[1:]
    return timings[0] * 1000, statistics.median(rest) * 1000, percentile(rest, 0.95) * 1000


def encoding_latency() -> tuple[float, float]:
    """(median, p95) ms of encoding the same queries alone: the model's share."""
    embedder = load_embedder()
    timings = []
    for query in queries(51, seed=5)[1:]:
        start = time.perf_counter()
        embedder.encode([query])
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000, percentile(timings, 0.95) * 1000


def measure_search(
    label: str, target: str, rows: int, embed_all: bool, sample: int
) -> list[tuple[str, str]]:
    print(f"{label}: filling {rows:,} quotes ...", file=sys.stderr)
    fill(target, rows)
    database = open_database(target)
    fill_vectors(database, embed_all, sample)
    speaker = next(statements(1)).speaker
    found = []
    for mode in ("semantic", "hybrid"):
        for name, filters in (("", QuoteFilters()), (" + speaker", QuoteFilters(speaker=speaker))):
            first, med, p95 = latency(database, mode, filters)
            found.append(
                (
                    f"{label} {mode}{name}, 20 results: first / median / p95 ms",
                    f"{first:.0f} / {med:.1f} / {p95:.1f}",
                )
            )
            print(f"{found[-1][0]:<66}  {found[-1][1]}", flush=True)
    med, p95 = encoding_latency()
    found.append(
        (f"{label} of which query encoding alone: median / p95 ms", f"{med:.1f} / {p95:.1f}")
    )
    print(f"{found[-1][0]:<66}  {found[-1][1]}", flush=True)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with database.session() as session:
        matrix = vector_matrix(session, load_embedder().name)
    per_100k = matrix.nbytes / len(matrix.ids) * 100_000 / 2**20
    found.append((f"{label} matrix memory per 100k vectors", f"{per_100k:.1f} MiB"))
    found.append((f"{label} peak RSS of the process (MiB)", f"{rss_before / 1024:.0f}"))
    for label_, value in found[-2:]:
        print(f"{label_:<66}  {value}", flush=True)
    close_all()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embed-rows", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--embed-all", action="store_true")
    parser.add_argument("--sample", type=int, default=3000, help="texts really embedded")
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; model {load_embedder().name}"
    )
    if not args.skip_throughput:
        raw, ours = throughput(args.embed_rows, args.rounds)
        results = [
            (f"raw SentenceTransformer.encode, {args.embed_rows} texts", f"{raw:,.0f} /s"),
            ("embed_missing (read, encode, write), same texts", f"{ours:,.0f} /s"),
            ("time ratio embed / raw (goal <= 1.10)", f"{raw / ours:.3f}"),
        ]
        for label, value in results:
            print(f"{label:<66}  {value}", flush=True)
    if args.rows <= 0:
        return
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "search.db")
        measure_search("SQLite", path, args.rows, args.embed_all, args.sample)
    if not args.skip_postgres:
        pg = postgres_target()
        if pg is not None:
            name, url = pg
            try:
                measure_search("PostgreSQL", url, args.rows, args.embed_all, args.sample)
            finally:
                drop_postgres(name)


if __name__ == "__main__":
    main()
