"""Where a fresh hybrid ``quotes search`` process spends what text search does not.

Run: ``python benchmarks/search_phases.py DATABASE [QUERY]`` (benchmarks/search_speed.py
runs it in fresh processes with ``--phases N`` and prints the medians).

One fresh process does what ``quotes search QUERY`` does in hybrid mode, step
by step through the library's own functions, and prints one JSON object:
the CPU time (``process_time``, every thread of the process) and wall time of
each step in milliseconds. The imports a text search also makes come first,
so every later step is what hybrid adds, except ``load hits`` (text search
loads its hits too). CPU time is the steadier figure on a loaded machine.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PHASES: dict[str, tuple[float, float]] = {}


def phase(name: str, step: Callable[[], Any]) -> Any:
    cpu, wall = time.process_time(), time.perf_counter()
    result = step()
    PHASES[name] = (1000 * (time.process_time() - cpu), 1000 * (time.perf_counter() - wall))
    return result


def main() -> None:
    database_path = sys.argv[1]
    query = sys.argv[2] if len(sys.argv) > 2 else "security in the Arctic"
    started = time.process_time(), time.perf_counter()

    def cli_imports() -> None:
        import quotes.cli.main  # noqa: F401

    phase("CLI imports (as text)", cli_imports)
    from quotes.api import open as open_quotes

    database = phase("open database (as text)", lambda: open_quotes(database_path))._database
    phase("import numpy", lambda: __import__("numpy"))
    phase("import meaning modules", lambda: __import__("quotes.search.semantic"))
    from quotes.search.query import prepare_search

    phase("missing-vector check", lambda: prepare_search(database, None))
    phase("import onnxruntime", lambda: __import__("onnxruntime"))
    phase("import tokenizers", lambda: __import__("tokenizers"))
    from quotes.meaning.encoder import load_embedder

    embedder = phase("open model + tokenizer", load_embedder)
    vector = phase("encode query", lambda: embedder.encode([query])[0])
    from quotes.search.fulltext import text_search
    from quotes.search.semantic import HYBRID_DEPTH, fuse, semantic_ranking

    phase("import usearch", lambda: __import__("usearch.index"))
    with database.session() as session:
        words = phase("text ranking (depth 100)", lambda: text_search(session, query, [], 100))
        meaning = phase(
            "vector ranking",
            lambda: semantic_ranking(session, vector, embedder.name, [], HYBRID_DEPTH),
        )
        fused = fuse([[h.quote_id for h in words], [q for q, _ in meaning]], 20)
        from quotes.records.quotes import load_quotes

        phase("load hits (as text)", lambda: load_quotes(session, [q for q, _ in fused]))
    PHASES["whole process so far"] = (
        1000 * (time.process_time() - started[0]),
        1000 * (time.perf_counter() - started[1]),
    )
    print(json.dumps(PHASES))


if __name__ == "__main__":
    main()
