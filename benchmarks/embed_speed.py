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
3. the ONNX embedder's ``encode`` alone, as shipped (one batch per core,
   each on one thread of a shared session);
4. the same ``encode`` the way it ran before (batches one after another on
   one session with an intra-op thread per core), for the difference.

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
from quotes.meaning.onnx_encoder import OnnxEmbedder, _session, bulk_workers  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batch", type=int, default=64)
    args = parser.parse_args()
    texts = real_sentences(args.rows) + SHORT
    batch = args.batch
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores ({bulk_workers()} bulk "
        f"workers), Python {platform.python_version()}; {len(texts)} texts (median "
        f"{statistics.median(len(t) for t in texts):.0f} chars), batch {batch}; "
        f"{load_average()}",
        flush=True,
    )
    torch_model = load_embedder(runtime="torch")
    shipped = load_embedder(runtime="onnx")
    assert isinstance(shipped, OnnxEmbedder)
    before = replace(shipped, workers=1, _bulk=_session(shipped.path, threads=0))
    model: Any = torch_model.model  # type: ignore[attr-defined]
    reference = torch_model.encode(texts, batch_size=batch)
    for label, embedder in (("shipped", shipped), ("before", before)):
        cosine = (embedder.encode(texts, batch_size=batch) * reference).sum(axis=1)
        print(f"  ONNX {label} vs torch: min cosine {cosine.min():.5f}")
        assert cosine.min() >= 0.999
    with tempfile.TemporaryDirectory() as folder:

        def arms(attempt: int) -> Arms:
            return {
                RAW: lambda: model.encode(texts, batch_size=batch, show_progress_bar=False),
                "embed_missing (quotes embed)": embed_command(texts, Path(folder), attempt),
                "ONNX encode alone (shipped)": lambda: shipped.encode(texts, batch_size=batch),
                "ONNX encode, serial 2-thread (before)": lambda: before.encode(
                    texts, batch_size=batch
                ),
            }

        wall, cpu = interleave(args.rounds, len(texts), arms)
    print_throughput(
        f"{len(texts)} texts, {args.rounds} rounds: median (min-max); ratio to raw; CPU s/100",
        wall,
        cpu,
    )


if __name__ == "__main__":
    main()
