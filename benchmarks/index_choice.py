"""faiss-cpu HNSW against usearch HNSW on the same vectors: build, query, recall, size.

Vectors are made from real sentence embeddings (all-MiniLM-L6-v2 on LIAR
statements): each row mixes two real statements' vectors plus a little noise,
so neighbourhoods look like real ones (uniform random vectors have no near
neighbours and no approximate index handles them well). Queries are held-out
real statements. recall@20 is against exact brute force over the same vectors,
measured in the same run.

    .venv/bin/python benchmarks/index_choice.py --rows 100000
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

import numpy as np

LIAR = "/work/shared/data/liar/train.tsv"


def real_vectors(count: int) -> np.ndarray:
    """Embeddings of ``count`` real statements (the default model, ONNX runtime)."""
    import csv

    from quotes.meaning.encoder import load_embedder

    with open(LIAR, encoding="utf-8") as handle:
        texts = [
            row[2] for _, row in zip(range(count), csv.reader(handle, delimiter="\t"), strict=False)
        ]
    return load_embedder().encode(texts, batch_size=64)


def realistic(base: np.ndarray, rows: int, seed: int = 7) -> np.ndarray:
    """Rows mixing two real vectors (weights 0.5-1 / 0-0.5) plus noise, normalised."""
    rng = np.random.default_rng(seed)
    vectors = np.empty((rows, base.shape[1]), dtype=np.float32)
    for start in range(0, rows, 100_000):
        n = min(100_000, rows - start)
        first = base[rng.integers(0, len(base), n)]
        second = base[rng.integers(0, len(base), n)]
        weight = rng.uniform(0.5, 1.0, (n, 1)).astype(np.float32)
        noise = 0.03 * rng.standard_normal((n, base.shape[1])).astype(np.float32)
        part = weight * first + (1 - weight) * second + noise
        vectors[start : start + n] = part / np.linalg.norm(part, axis=1, keepdims=True)
    return vectors


def exact(vectors: np.ndarray, queries: np.ndarray, k: int) -> list[set[int]]:
    return [set(np.argpartition(-(vectors @ q), k)[:k].tolist()) for q in queries]


def report(name: str, build: float, times: list[float], found: list[set[int]], truth, size: int):
    recall = statistics.mean(len(f & t) / len(t) for f, t in zip(found, truth, strict=True))
    ms = sorted(t * 1000 for t in times)
    print(
        f"{name:18s} build {build:7.1f} s  query median {statistics.median(ms):6.2f} ms "
        f"p95 {ms[int(len(ms) * 0.95)]:6.2f} ms  recall@20 {recall:.3f}  "
        f"file {size / 2**20:7.1f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--base", type=int, default=3000, help="real statements embedded")
    args = parser.parse_args()
    k = 20
    base = real_vectors(args.base + args.queries)
    vectors = realistic(base[: args.base], args.rows)
    queries = base[args.base :]
    truth = exact(vectors, queries, k)
    print(f"{args.rows} vectors, {args.queries} queries, load {os.getloadavg()[0]:.1f}")
    tmp = tempfile.mkdtemp()

    from usearch.index import Index

    for dtype in ("f16", "i8"):
        index = Index(
            ndim=384,
            metric="cos",
            dtype=dtype,
            connectivity=16,
            expansion_add=128,
            expansion_search=96,
        )
        started = time.perf_counter()
        index.add(np.arange(args.rows, dtype=np.uint64), vectors, threads=2)
        build = time.perf_counter() - started
        path = os.path.join(tmp, f"u-{dtype}.usearch")
        index.save(path)
        view = Index.restore(path, view=True)
        times, found = [], []
        for q in queries:
            t = time.perf_counter()
            m = view.search(q, k)
            times.append(time.perf_counter() - t)
            found.append({int(x) for x in m.keys})
        report(f"usearch {dtype}", build, times, found, truth, os.path.getsize(path))

    import faiss

    faiss.omp_set_num_threads(2)
    index = faiss.IndexHNSWFlat(384, 16, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = 128
    index.hnsw.efSearch = 96
    started = time.perf_counter()
    index.add(vectors)
    build = time.perf_counter() - started
    path = os.path.join(tmp, "f.faiss")
    faiss.write_index(index, path)
    faiss.omp_set_num_threads(1)
    times, found = [], []
    for q in queries:
        t = time.perf_counter()
        _, ids = index.search(q[None, :], k)
        times.append(time.perf_counter() - t)
        found.append({int(x) for x in ids[0]})
    report("faiss HNSWFlat f32", build, times, found, truth, os.path.getsize(path))


if __name__ == "__main__":
    main()
