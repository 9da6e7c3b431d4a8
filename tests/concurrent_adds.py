"""N real processes adding the same new statements at once (a test and a benchmark use it).

Each process runs the ``quotes add`` command in-process (CliRunner) ``adds``
times: the same statement texts by the same new speaker, each with its own
source URL, so at the end there must be one speaker, ``adds`` quotes and
``processes * adds`` source links, and no failure.
"""

from __future__ import annotations

import multiprocessing
import time
from typing import Any


def _add_many(url: str, worker: int, count: int, queue: Any, shared: bool = True) -> None:
    from typer.testing import CliRunner

    from quotes.cli.main import app

    runner = CliRunner()
    failures: list[str] = []
    started = time.perf_counter()
    for index in range(count):
        result = runner.invoke(
            app,
            [
                "add",
                f"Shared statement number {index} about the Arctic."
                if shared
                else f"Worker {worker} statement number {index} about the Arctic.",
                "--speaker",
                "Brand New Speaker" if shared else f"Worker {worker} Speaker",
                "--new-speaker",
                "--source",
                f"https://example.org/{worker}/{index}",
                "--topic",
                "security",
                "--db",
                url,
            ],
        )
        if result.exit_code != 0:
            failures.append(result.output)
    queue.put((failures, time.perf_counter() - started))


def run_concurrent_adds(url: str, processes: int, adds: int) -> list[str]:
    """Start ``processes`` processes at once; the failures' messages (empty when all pass)."""
    failures, _ = timed_concurrent_adds(url, processes, adds)
    return failures


def timed_concurrent_adds(
    url: str, processes: int, adds: int, *, shared: bool = True
) -> tuple[list[str], list[float]]:
    """Failures and each process's seconds for its ``adds`` adds (start-up excluded).

    ``shared=False`` gives each process its own speaker and statements: the
    same work without contention, the floor a contended run is compared to.
    """
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    workers = [
        context.Process(target=_add_many, args=(url, worker, adds, queue, shared))
        for worker in range(processes)
    ]
    for process in workers:
        process.start()
    results = [queue.get(timeout=900) for _ in workers]
    for process in workers:
        process.join(timeout=60)
    return [f for failures, _ in results for f in failures], [seconds for _, seconds in results]
