"""`quotes serve` benchmark: /api/v1/search latency under load, and start-up time.

Run: ``python benchmarks/serve_bench.py [--rows 10000] [--db FILE] [--requests 300]``

1. A SQLite database with ``--rows`` synthetic statements (10k by default) and
   vectors for each (real embeddings of 3,000 of them reused with a little
   noise for the rest, as in meaning_speed.py; ``--embed-all`` embeds every
   text); ``--db`` keeps it between runs.
2. Start-up: ``quotes serve`` is started ``--starts`` times; the time from
   launching the process to the first answered request (``GET /api/v1/``) is
   reported, and the time until the model is warm (searching by meaning
   ready).
3. Load: a small load generator of our own (threads, one keep-alive HTTP
   connection each, against 127.0.0.1) sends ``GET /api/v1/search`` with
   varied queries, text and hybrid mode, with 1, 2, 4, 8 and 16 concurrent
   clients. Each step is bounded by ``--requests`` and ``--seconds``. The
   median and p95 latency and the requests per second are printed, and the
   highest rate held with p95 under 200 ms.
4. The floor: the same searches called in-process through the library
   (no HTTP, no JSON), one at a time; ratios are server median / floor median.

The load generator shares the 2 cores with the server, so the figures are a
floor for what a separate client machine would see; the load average is
printed with them.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from foundation import fill, percentile  # noqa: E402
from meaning_speed import fill_vectors  # noqa: E402
from synthetic import queries  # noqa: E402

from quotes.search.query import search  # noqa: E402
from quotes.store.engine import close_all, open_database  # noqa: E402

CONCURRENCY = (1, 2, 4, 8, 16)
P95_GOAL_MS = 200.0


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


def build(path: Path, rows: int, embed_all: bool) -> None:
    if path.exists():
        return
    started = time.perf_counter()
    fill(str(path), rows)
    fill_vectors(open_database(str(path)), embed_all)
    close_all()
    print(f"built {path} with {rows:,} quotes in {time.perf_counter() - started:.0f} s")


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(db: Path) -> tuple[subprocess.Popen[bytes], int, float, float]:
    """(process, port, seconds to first answer, seconds to a warm model)."""
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "quotes.cli", "serve", "--db", str(db), "--port", str(port)],
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    first = warm = None
    while time.perf_counter() - started < 120:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/api/v1/")
            body = json.loads(connection.getresponse().read())
            connection.close()
            if first is None:
                first = time.perf_counter() - started
            if body["model_ready"]:
                warm = time.perf_counter() - started
                break
        except OSError:
            pass
        time.sleep(0.01)
    if first is None or warm is None:
        process.kill()
        raise SystemExit("quotes serve did not become ready within 120 s")
    return process, port, first, warm


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(timeout=20)


def run_load(
    port: int, mode: str, clients: int, requests: int, seconds: float
) -> tuple[list[float], float, int]:
    """(latencies in s, wall seconds, errors) of ``requests`` searches by ``clients`` threads."""
    asked = queries(max(requests, 50), seed=17)
    lock = threading.Lock()
    latencies: list[float] = []
    errors = 0
    counter = iter(range(requests))
    deadline = time.perf_counter() + seconds

    def client() -> None:
        nonlocal errors
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.perf_counter() < deadline:
            with lock:
                index = next(counter, None)
            if index is None:
                break
            path = "/api/v1/search?" + urlencode({"q": asked[index], "mode": mode, "limit": 20})
            start = time.perf_counter()
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                if response.status != 200:
                    errors += 1
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, time.perf_counter() - started, errors


def floor(db: Path, mode: str, count: int = 50) -> float:
    """Median seconds of the same searches through the library, in this process."""
    database = open_database(str(db))
    asked = queries(count + 1, seed=17)
    timings = []
    with database.session() as session:
        for query in asked:
            start = time.perf_counter()
            search(session, query, mode=mode, limit=20)
            timings.append(time.perf_counter() - start)
    close_all()
    return statistics.median(timings[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--db", type=Path, default=None, help="keep the database here")
    parser.add_argument("--embed-all", action="store_true")
    parser.add_argument("--requests", type=int, default=300, help="per step (bounded)")
    parser.add_argument("--seconds", type=float, default=30.0, help="per step (bounded)")
    parser.add_argument("--starts", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {load_average()}"
    )
    folder = tempfile.TemporaryDirectory()
    db = args.db or Path(folder.name) / "serve-bench.db"
    build(db, args.rows, args.embed_all)

    firsts, warms = [], []
    for _ in range(args.starts):
        process, port, first, warm = start_server(db)
        firsts.append(first)
        warms.append(warm)
        stop(process)
    print(
        f"\nstart-up ({args.starts} starts): first answered request after "
        f"{statistics.median(firsts):.2f} s median ({min(firsts):.2f}-{max(firsts):.2f}); "
        f"model warm after {statistics.median(warms):.2f} s median "
        f"({min(warms):.2f}-{max(warms):.2f}); {load_average()}"
    )

    floors = {mode: floor(db, mode) for mode in ("text", "hybrid")}
    process, port, _, _ = start_server(db)
    try:
        for mode in ("text", "hybrid"):
            run_load(port, mode, 1, 20, 30)  # warm the caches
            print(
                f"\n/api/v1/search mode={mode}, {args.rows:,} quotes, limit 20; library floor "
                f"(in-process, no HTTP) median {floors[mode] * 1000:.1f} ms"
            )
            print(f"{'clients':>7} {'requests':>8} {'median ms':>9} {'p95 ms':>7} {'req/s':>7}")
            held = None
            for clients in CONCURRENCY:
                latencies, wall, errors = run_load(port, mode, clients, args.requests, args.seconds)
                median = statistics.median(latencies) * 1000
                p95 = percentile(latencies, 0.95) * 1000
                rate = len(latencies) / wall
                note = f"  ({errors} errors)" if errors else ""
                ratio = f"  x{median / (floors[mode] * 1000):.1f} floor" if clients == 1 else ""
                print(
                    f"{clients:>7} {len(latencies):>8} {median:>9.1f} {p95:>7.1f} "
                    f"{rate:>7.1f}{ratio}{note}"
                )
                if p95 < P95_GOAL_MS and (held is None or rate > held[1]):
                    held = (clients, rate)
            if held:
                print(
                    f"held with p95 < {P95_GOAL_MS:.0f} ms: {held[1]:.1f} req/s ({held[0]} clients)"
                )
            else:
                print(f"p95 stayed above {P95_GOAL_MS:.0f} ms at every concurrency")
            print(load_average())
    finally:
        stop(process)
        folder.cleanup()


if __name__ == "__main__":
    main()
