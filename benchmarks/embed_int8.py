"""Would int8 embedding keep meaning? Cosine to the float vectors, and speed, in one run.

Run: ``.venv/bin/python benchmarks/embed_int8.py [--rows 1500] [--speed-rows 600] [--rounds 3]``

Issue 13 allows an int8 ``quotes embed`` only if it keeps cosine >= 0.99 to
the float vectors. This measures it; the product ships int8 only if the
figures pass (they did not on this machine: see the README's meaning table).

Texts: ``--rows`` real sentences nobody on this project wrote, a third each
from LIAR (PolitiFact statements), ParlEE (Commons sentences) and the
manifesto economic set (``../shared/data``), plus short statements a
reporter does log ("No.", "Never.", "We will.").

1. Agreement. The default model's float ONNX export (what ``quotes embed``
   runs) is quantised here, into the temp directory, with ONNX Runtime's
   dynamic quantisation (int8 weights per channel, activations quantised per
   batch, no calibration data) in two ways: ``every MatMul`` (the usual
   recipe) and ``FFN-up only`` (only each layer's feed-forward input
   projection: the gentlest variant that still quantises the largest
   weights). Cosine of each text's int8 vector to its float vector: min, 1st
   percentile, median; the short statements alone; and float ONNX against
   torch for scale. Search agreement: for 200 texts used as queries
   (float), the share of the all-float top 20 kept when the corpus is int8.
2. Throughput on the first ``--speed-rows`` texts, interleaved, ``--rounds``
   rounds: raw ``SentenceTransformer.encode(texts, batch_size=64)`` (the
   floor), ``embed_missing`` into a fresh SQLite database (what ``quotes
   embed`` does: read, encode with float ONNX, write), float ONNX
   ``encode`` alone and both int8 copies. Medians and min-max of texts/s
   and of each one's ratio to the raw floor in the same round (aim for
   ``quotes embed``: >= 1.5x). ``uptime`` load is printed with each round.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from quotes.meaning.encoder import load_embedder  # noqa: E402
from quotes.meaning.onnx_encoder import OnnxEmbedder, _session  # noqa: E402

BATCH = 64
SHORT = [
    "No.",
    "Yes.",
    "Never.",
    "We will.",
    "Absolutely not.",
    "Greenland",
    "Not for sale.",
    "I disagree.",
    "That is false.",
    "We must act now.",
]


def data_dir() -> Path:
    for candidate in (ROOT.parent / "shared" / "data", Path("/work/shared/data")):
        if (candidate / "manifesto-stance").is_dir():
            return candidate
    raise SystemExit("shared data not found (../shared/data)")


def real_sentences(rows: int, seed: int = 13) -> list[str]:
    """``rows`` distinct real sentences, a third from each data set, shuffled."""
    root = data_dir()
    with open(root / "liar" / "train.tsv", encoding="utf-8", newline="") as f:
        liar = [r[2] for r in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE) if len(r) > 2]
    with open(
        root / "parlee" / "UK_2009_2014_annotated_sample.csv", encoding="cp1252", errors="replace"
    ) as f:
        parlee = [r["text"] for r in csv.DictReader(f)]
    econ = root / "manifesto-stance" / "benoit_crowdsourced_2016-econ_policy_stance.csv"
    with open(econ, encoding="utf-8", errors="replace", newline="") as f:
        manifesto = [r["text"] for r in csv.DictReader(f)]
    rng = random.Random(seed)
    chosen: list[str] = []
    for source in (liar, parlee, manifesto):
        unique = sorted({t.strip() for t in source if t.strip()})
        chosen += rng.sample(unique, rows // 3 + 1)
    rng.shuffle(chosen)
    return chosen[:rows]


def load_average() -> str:
    return "load " + " ".join(f"{x:.1f}" for x in os.getloadavg())


#: The arm every other arm's ratio is taken against, in each round.
RAW = "raw SentenceTransformer.encode"
Arms = dict[str, Callable[[], object]]


def interleave(
    rounds: int, texts: int, arms_of_round: Callable[[int], Arms]
) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """Run every arm once per round, in order: texts/s and CPU s per 100 texts of each.

    Interleaving puts each arm under the same load as the raw floor of its round
    (this machine is shared); the load average is printed with every round.
    """
    wall: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    for attempt in range(rounds):
        for name, run in arms_of_round(attempt).items():
            started, cpu_started = time.perf_counter(), time.process_time()
            run()
            wall.setdefault(name, []).append(texts / (time.perf_counter() - started))
            cpu.setdefault(name, []).append(100 * (time.process_time() - cpu_started) / texts)
        print(
            f"  round {attempt + 1}: "
            + ", ".join(f"{v[-1]:,.0f}" for v in wall.values())
            + f" texts/s; {load_average()}",
            flush=True,
        )
    return wall, cpu


def print_throughput(
    header: str, wall: dict[str, list[float]], cpu: dict[str, list[float]] | None = None
) -> None:
    """Per arm: median texts/s (min-max), median ratio to :data:`RAW` of the same round."""
    print(header)
    raw = wall[RAW]
    for name, values in wall.items():
        ratios = [v / r for v, r in zip(values, raw, strict=True)]
        line = (
            f"  {name:<42} {statistics.median(values):7,.0f} /s "
            f"({min(values):,.0f}-{max(values):,.0f})  x{statistics.median(ratios):.2f} "
            f"({min(ratios):.2f}-{max(ratios):.2f})"
        )
        if cpu is not None:
            line += f"  cpu {statistics.median(cpu[name]):.2f} s"
        print(line)
    print(load_average())


def quantised(float_embedder: OnnxEmbedder, name: str, only: str | None) -> OnnxEmbedder:
    """A dynamically quantised copy of the float export, as an embedder (temp directory)."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    target = Path(tempfile.gettempdir()) / f"quotes-bench-int8-{name}.onnx"
    nodes = None
    if only is not None:
        graph = onnx.load(str(float_embedder.path)).graph
        nodes = [n.name for n in graph.node if n.op_type == "MatMul" and only in n.name]
        assert nodes, only
    quantize_dynamic(
        str(float_embedder.path),
        str(target),
        weight_type=QuantType.QInt8,
        per_channel=True,
        op_types_to_quantize=["MatMul"],
        nodes_to_quantize=nodes,
        extra_options={"MatMulConstBOnly": True},
    )
    return replace(float_embedder, path=target, _query=_session(target, 1), _bulk=None)


def cosine_line(label: str, got: np.ndarray, ref: np.ndarray) -> None:
    cosine = (got * ref).sum(axis=1)
    print(
        f"  {label:<44} min {cosine.min():.4f}  p1 {np.percentile(cosine, 1):.4f}  "
        f"median {np.median(cosine):.4f}  (n={len(cosine)})",
        flush=True,
    )


def top_overlap(corpus: np.ndarray, reference: np.ndarray, asked: np.ndarray, k: int = 20) -> float:
    """Mean share of the all-float top ``k`` that ``corpus`` also ranks in its top ``k``."""
    shares = []
    for q in asked:
        want = set(np.argsort(-(reference @ q))[:k].tolist())
        got = set(np.argsort(-(corpus @ q))[:k].tolist())
        shares.append(len(want & got) / k)
    return float(np.mean(shares))


def embed_command(texts: list[str], folder: Path, attempt: int) -> Callable[[], None]:
    """``embed_missing`` on a fresh SQLite database holding ``texts`` (filled now, untimed)."""
    from quotes.meaning.vectors import embed_missing
    from quotes.records.quotes import add_quote
    from quotes.store.engine import open_database

    database = open_database(str(folder / f"embed{attempt}.db"))
    with database.session(write=True) as session:
        for text in texts:
            add_quote(session, text, "Bench Speaker", new_speaker=True)

    def run() -> None:
        report = embed_missing(database, batch_size=BATCH)
        assert report.encoded == len(set(texts)), report

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1500)
    parser.add_argument("--speed-rows", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    texts = real_sentences(args.rows)
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {len(texts)} real sentences (median "
        f"{statistics.median(len(t) for t in texts):.0f} chars) + {len(SHORT)} short; "
        f"{load_average()}",
        flush=True,
    )
    started = time.perf_counter()
    torch_model = load_embedder(runtime="torch")
    fp32 = load_embedder(runtime="onnx")
    assert isinstance(fp32, OnnxEmbedder)
    variants = {
        "int8 every MatMul": quantised(fp32, "every", None),
        "int8 FFN-up only": quantised(fp32, "ffn-up", "/intermediate/"),
    }
    print(f"models loaded, exported and quantised in {time.perf_counter() - started:.1f} s")
    reference = fp32.encode(texts, batch_size=BATCH)
    short_ref = np.vstack([fp32.encode([t]) for t in SHORT])
    print("cosine to the float ONNX vectors (float ONNX vs torch for scale):")
    cosine_line("float ONNX vs torch", reference, torch_model.encode(texts, batch_size=BATCH))
    picked = np.random.default_rng(3).choice(len(texts), min(200, len(texts)), replace=False)
    asked = reference[picked]
    overlaps = {}
    for name, embedder in variants.items():
        vectors = embedder.encode(texts, batch_size=BATCH)
        cosine_line(f"{name}, real sentences", vectors, reference)
        short = np.vstack([embedder.encode([t]) for t in SHORT])
        cosine_line(f"{name}, short statements alone", short, short_ref)
        overlaps[name] = top_overlap(vectors, reference, asked)
    for name, share in overlaps.items():
        print(f"  top-20 kept, {name} corpus, float queries: {share:.3f}")

    sample = texts[: args.speed_rows]
    model: Any = torch_model.model  # type: ignore[attr-defined]
    model.encode(sample[:BATCH], batch_size=BATCH, show_progress_bar=False)  # warm up
    with tempfile.TemporaryDirectory() as folder:

        def arms(attempt: int) -> Arms:
            runners: Arms = {
                RAW: lambda: model.encode(sample, batch_size=BATCH, show_progress_bar=False),
                "embed_missing (quotes embed, float ONNX)": embed_command(
                    sample, Path(folder), attempt
                ),
                "float ONNX encode alone": lambda: fp32.encode(sample, batch_size=BATCH),
            }
            for name, embedder in variants.items():
                runners[name] = lambda e=embedder: e.encode(sample, batch_size=BATCH)
            return runners

        speeds, _ = interleave(args.rounds, len(sample), arms)
    print_throughput(
        f"throughput, {len(sample)} texts, batch {BATCH}: median (min-max); ratio to raw", speeds
    )


if __name__ == "__main__":
    main()
