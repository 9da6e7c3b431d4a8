"""Choose how ``stance review`` orders quotes, on draws the quality benchmark never reports.

Each variant of ``review_priority`` (quotes/meaning/review.py) is simulated
as benchmarks/stance_quality.py simulates a person reviewing (gold labels as
answers, refitting every two labels, until each pole has k labels), on
review pools drawn with seeds 100-109 by default (the quality benchmark
reports seeds 0-9), for k = 3 and 5 on both manifesto topics. A variant is
chosen by its mean F_avg over the four cells; random labels (k per pole) on
the same seeds are printed beside it.

Run: ``.venv/bin/python benchmarks/tune_review.py [--draws 10] [--first-seed 100]``
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from encode_cache import encode  # noqa: E402
from stance_quality import (  # noqa: E402
    TASKS,
    current_scorer,
    draw,
    load,
    load_average,
    simulate_review,
    task_poles,
)

from quotes.meaning.encoder import load_embedder  # noqa: E402
from quotes.meaning.scoring import ZeroShotScorer, f_avg  # noqa: E402

VARIANTS: dict[str, dict[str, object]] = {
    "diversity, typical^4, uncertainty from 10/pole": {
        "method": "diversity",
        "cold_start": 10,
    },
    "diversity, typical^4, uncertainty from 3/pole": {"method": "diversity", "cold_start": 3},
    "diversity, typical^4, uncertainty always": {"method": "diversity", "cold_start": 0},
    "diversity, typical^1, uncertainty always": {
        "method": "diversity",
        "cold_start": 0,
        "power": 1.0,
    },
    "diversity, typical^8, uncertainty always": {
        "method": "diversity",
        "cold_start": 0,
        "power": 8.0,
    },
    "diversity, typical^1, uncertainty from 10/pole": {
        "method": "diversity",
        "cold_start": 10,
        "power": 1.0,
    },
    "clusters, typical^4, uncertainty from 10/pole": {"method": "clusters", "cold_start": 10},
    "clusters, typical^1, uncertainty from 3/pole": {
        "method": "clusters",
        "power": 1.0,
        "cold_start": 3,
    },
    "clusters, typical^4, uncertainty from 3/pole (production)": {
        "method": "clusters",
        "cold_start": 3,
        "power": 4.0,
    },
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10)
    parser.add_argument("--first-seed", type=int, default=100)
    parser.add_argument("--only", default=None, help="comma-separated variant numbers")
    args = parser.parse_args()
    print(f"tuning seeds {args.first_seed}..{args.first_seed + args.draws - 1}; {load_average()}")
    embedder = load_embedder()
    seeds = range(args.first_seed, args.first_seed + args.draws)
    names = list(VARIANTS)
    if args.only:
        names = [names[int(i)] for i in args.only.split(",")]
    table: dict[str, dict[tuple[str, int], list[float]]] = {}
    spent: dict[str, list[int]] = {}
    for task in TASKS:
        texts, gold = load(task)
        x = encode(embedder, texts)
        poles = task_poles(task, embedder)
        zero = ZeroShotScorer.from_poles(poles.favor, poles.against)
        for k in (3, 5):
            for seed in seeds:
                labelled, scored = draw(gold, k, seed)
                labels = [gold[i] for i in labelled]
                scorer = current_scorer(zero, x, texts, labels, list(labelled), poles)
                est = scorer.estimate(x[scored], [texts[i] for i in scored])  # type: ignore[attr-defined]
                value = f_avg([gold[i] for i in scored], est.labels)
                table.setdefault("random k per pole", {}).setdefault((task.name, k), []).append(
                    value
                )
                for name in names:
                    chosen, rest = simulate_review(x, texts, gold, poles, k, seed, **VARIANTS[name])
                    given = [gold[i] for i in chosen]
                    scorer = current_scorer(zero, x, texts, given, list(chosen), poles)
                    est = scorer.estimate(x[rest], [texts[i] for i in rest])  # type: ignore[attr-defined]
                    value = f_avg([gold[i] for i in rest], est.labels)
                    table.setdefault(name, {}).setdefault((task.name, k), []).append(value)
                    spent.setdefault(name, []).append(len(chosen))
            print(f"# {task.name} k={k} done; {load_average()}")
            sys.stdout.flush()
    keys = sorted(next(iter(table.values())))
    print(f"{'variant':50} " + " ".join(f"{t[:4]}{k:>2}      " for t, k in keys) + " mean")
    for name, cells in table.items():
        parts = " ".join(f"{np.mean(cells[c]):.3f}±{np.std(cells[c]):.3f}" for c in keys)
        mean = np.mean([np.mean(cells[c]) for c in keys])
        used = f" labels {np.mean(spent[name]):.1f}" if name in spent else ""
        print(f"{name:50} {parts} {mean:.4f}{used}")


if __name__ == "__main__":
    main()
