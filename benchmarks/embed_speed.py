"""``quotes embed`` throughput against raw ``SentenceTransformer.encode``, interleaved.

Run: ``.venv/bin/python benchmarks/embed_speed.py [--rows 600] [--rounds 5] [--batch 64]``

Issue 13 aims at ``quotes embed`` >= 1.5x the throughput of a raw
``SentenceTransformer.encode(texts, batch_size=64)`` call on the same texts.
Texts: ``--rows`` real sentences nobody on this project wrote (LIAR, ParlEE,
manifesto, as in ``embed_int8.py``) plus ten short statements ("No.",
"Never."). Each round runs, in this order and on the same texts:

1. raw ``SentenceTransformer.encode`` (torch, its default threads): the floor;
2. ``embed_missing`` into a fresh SQLite database filled (untimed) with the
   texts: what ``quotes embed`` does (read, encode with ONNX, write);
3. the ONNX embedder's ``encode`` alone, as shipped (texts sorted by token
   count, runs of ``RUN_TEXTS`` = 16 texts, one run per core, each on one
   thread of a shared session);
4. the same ``encode`` with runs as large as the batch (64) and no token
   cap, for the difference the run size makes (before it, runs were the
   batch, sorted by characters);
5. with ``--per-core``: raw ``SentenceTransformer.encode`` with torch on one
   thread, and the ONNX ``encode`` with one worker: the work each runtime
   does per core, which other processes distort less than two threads'
   barriers (torch's spinning threads suffer most under load).

The two arms the issue 13 aim compares are 1 (the floor) and 2 (the
shipped command); the merging engineer re-measures them on a quiet machine.

Printed per arm: median texts/s of the rounds (min-max), the median ratio to
the raw floor of the same round (min-max), and the process CPU seconds per
100 texts (user + system over all threads: less sensitive to other
processes than wall time, though spinning threads count too). The load
average is printed with every round: on a shared machine quote ratios, not
absolute figures. Vectors of every ONNX arm are checked against torch's
(cosine >= 0.999) before timing.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from embed_int8 import (  # noqa: E402
    RAW,
    SHORT,
    Arms,
    embed_command,
    interleave,
    load_average,
    print_throughput,
    real_sentences,
)

from quotes.meaning.encoder import load_embedder  # noqa: E402
from quotes.meaning.onnx_encoder import RUN_TEXTS, OnnxEmbedder, bulk_workers  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--per-core", action="store_true", help="add the one-thread arms")
    args = parser.parse_args()
    texts = real_sentences(args.rows) + SHORT
    batch = args.batch
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores ({bulk_workers()} bulk "
        f"workers), Python {platform.python_version()}; {len(texts)} texts (median "
        f"{statistics.median(len(t) for t in texts):.0f} chars), batch {batch}, ONNX runs of "
        f"{RUN_TEXTS}; "
        f"{load_average()}",
        flush=True,
    )
    torch_model = load_embedder(runtime="torch")
    shipped = load_embedder(runtime="onnx")
    assert isinstance(shipped, OnnxEmbedder)
    whole = replace(shipped, run_texts=batch, run_tokens=1 << 30)
    one_worker = replace(shipped, workers=1)
    model: Any = torch_model.model  # type: ignore[attr-defined]
    reference = torch_model.encode(texts, batch_size=batch)
    for label, embedder in (("shipped", shipped), (f"runs of {batch}", whole)):
        cosine = (embedder.encode(texts, batch_size=batch) * reference).sum(axis=1)
        print(f"  ONNX {label} vs torch: min cosine {cosine.min():.5f}")
        assert cosine.min() >= 0.999
    with tempfile.TemporaryDirectory() as folder:

        def arms(attempt: int) -> Arms:
            runners: Arms = {
                RAW: lambda: model.encode(texts, batch_size=batch, show_progress_bar=False),
                "embed_missing (quotes embed)": embed_command(texts, Path(folder), attempt),
                "ONNX encode alone (shipped)": lambda: shipped.encode(texts, batch_size=batch),
                f"ONNX encode, runs of {batch}": lambda: whole.encode(texts, batch_size=batch),
            }
            if args.per_core:
                runners["raw, torch on 1 thread"] = lambda: one_thread(
                    lambda: model.encode(texts, batch_size=batch, show_progress_bar=False)
                )
                runners["ONNX encode, 1 worker"] = lambda: one_worker.encode(
                    texts, batch_size=batch
                )
            return runners

        wall, cpu = interleave(args.rounds, len(texts), arms)
    print_throughput(
        f"{len(texts)} texts, {args.rounds} rounds: median (min-max); ratio to raw; CPU s/100",
        wall,
        cpu,
    )


def one_thread(run: Callable[[], object]) -> None:
    """``run`` with torch limited to one intra-op thread."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        run()
    finally:
        torch.set_num_threads(threads)


if __name__ == "__main__":
    main()
