"""Choose the stacked learner's settings on draws the quality benchmark never reports.

The settings of quotes/meaning/learner.py (block weights, the weight of the
pole sentences, C, class weights, logistic regression or linear SVM, the
cross-validation threshold) are chosen here by their **mean F_avg over both
manifesto topics and k = 3, 5, 20 labels per pole**, on tuning draws (seeds
100-109 by default) that are disjoint from the draws
benchmarks/stance_quality.py reports (seeds 0-9). Nothing is chosen per
draw or per topic, and each draw keeps its labelled rows and its scored
rows apart, exactly as the quality benchmark does.

Coordinate search: starting from the settings in learner.py, each knob in
turn takes the value with the best mean (the others fixed); one pass by
default (``--passes``), the knobs in the order of GRID.
Every candidate's cells are printed, with the previous production learner
(logistic regression on embeddings + poles) and zero-shot on the same rows
for comparison.

Run: ``.venv/bin/python benchmarks/tune_learner.py [--draws 10] [--first-seed 100]``
(a few minutes on 2 quiet cores).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from encode_cache import encode  # noqa: E402
from stance_quality import TASKS, draw, load, load_average, task_poles  # noqa: E402

from quotes.meaning.encoder import load_embedder  # noqa: E402
from quotes.meaning.learner import (  # noqa: E402
    DEFAULT_SETTINGS,
    Settings,
    StackedFeatures,
    StackedScorer,
    choose_c,
    linear_model,
    stack,
    training_rows,
)
from quotes.meaning.scoring import (  # noqa: E402
    NEUTRAL_BAND,
    LogisticScorer,
    ZeroShotScorer,
    f_avg,
    labels_for,
)

KS = (3, 5, 20)
GRID: dict[str, tuple[Any, ...]] = {
    "embedding_weight": (2.0, 4.0, 6.0, 8.0),
    "c": (1.0, 3.0, 10.0),
    "pole_labels": (6.0, 12.0),
    "char_weight": (0.0, 0.5, 1.0),
    "word_weight": (0.0, 0.5, 1.0),
    "balanced": (True, False),
    "model": ("logistic", "svm"),
    "cv_min_per_class": (10, 1000),
}


@dataclasses.dataclass
class Prepared:
    """One draw: training rows and the scored rows' blocks, built once for every setting."""

    topic: str
    k: int
    gold_scored: list[str]
    labels: list[str]
    train_rows: tuple[Any, Any, Any]
    train_targets: np.ndarray
    keep: list[int]
    pole_mask: np.ndarray
    features: StackedFeatures
    scored_blocks: tuple[Any, Any, Any]


def prepare(draws: int, first_seed: int) -> tuple[list[Prepared], dict[tuple[str, int], list]]:
    embedder = load_embedder()
    prepared: list[Prepared] = []
    baselines: dict[tuple[str, int], list] = {}
    for task in TASKS:
        texts, gold = load(task)
        x = encode(embedder, texts)
        poles = task_poles(task, embedder)
        zero = ZeroShotScorer.from_poles(poles.favor, poles.against)
        favor = (poles.favor, poles.favor_texts)
        against = (poles.against, poles.against_texts)
        for k in KS:
            for seed in range(first_seed, first_seed + draws):
                labelled, scored = draw(gold, k, seed)
                labels = [gold[i] for i in labelled]
                sg = [gold[i] for i in scored]
                matrix, all_texts, targets, w, keep = training_rows(
                    x[labelled], [texts[i] for i in labelled], labels, favor, against, 1.0
                )
                features = StackedFeatures.fit(all_texts)
                prepared.append(
                    Prepared(
                        topic=task.name,
                        k=k,
                        gold_scored=sg,
                        labels=labels,
                        train_rows=features.blocks(matrix, all_texts),
                        train_targets=np.asarray(targets),
                        keep=keep,
                        pole_mask=np.arange(len(targets)) >= len(keep),
                        features=features,
                        scored_blocks=features.blocks(x[scored], [texts[i] for i in scored]),
                    )
                )
                y = [g == "favor" for g in labels]
                old = LogisticScorer.fit(x[labelled], y, poles.favor, poles.against)
                cell = baselines.setdefault((task.name, k), [[], []])
                cell[0].append(f_avg(sg, labels_for(old.score(x[scored]), NEUTRAL_BAND)))
                cell[1].append(f_avg(sg, labels_for(zero.score(x[scored]), NEUTRAL_BAND)))
    return prepared, baselines


def evaluate(prepared: list[Prepared], settings: Settings) -> dict[tuple[str, int], list[float]]:
    cells: dict[tuple[str, int], list[float]] = {}
    for p in prepared:
        n_pole = int(p.pole_mask.sum())
        weights = np.where(p.pole_mask, 0.0, 1.0)
        for target in ("favor", "against"):
            rows = p.pole_mask & (p.train_targets == target)
            weights[rows] = settings.pole_labels / max(int(rows.sum()), 1)
        del n_pole
        design = stack(p.train_rows, settings)
        c = choose_c(p.labels, p.keep, design, p.train_targets, weights, settings)
        model = linear_model(settings, c)
        model.fit(design, p.train_targets, sample_weight=weights)
        scorer = StackedScorer(
            features=p.features,
            model=model,
            classes=tuple(str(k) for k in model.classes_),
            labels=len(p.labels),
            c=c,
            settings=settings,
        )
        estimate = scorer.estimate_from(scorer.probabilities_of(stack(p.scored_blocks, settings)))
        cells.setdefault((p.topic, p.k), []).append(f_avg(p.gold_scored, estimate.labels))
    return cells


def mean_of(cells: dict[tuple[str, int], list[float]]) -> float:
    return float(np.mean([np.mean(v) for v in cells.values()]))


def line(name: str, cells: dict[tuple[str, int], list[float]]) -> str:
    parts = " ".join(f"{np.mean(cells[key]):.3f}" for key in sorted(cells))
    return f"{name:60} {parts}  mean {mean_of(cells):.4f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10)
    parser.add_argument("--first-seed", type=int, default=100)
    parser.add_argument("--passes", type=int, default=1)
    parser.add_argument(
        "--candidates",
        default=None,
        help="instead of the search, these settings only: 'knob=value,knob=value;...'",
    )
    args = parser.parse_args()
    print(f"tuning seeds {args.first_seed}..{args.first_seed + args.draws - 1}; {load_average()}")
    prepared, baselines = prepare(args.draws, args.first_seed)
    header = " ".join(f"{t[:4]}{k:>2}" for t, k in sorted(baselines))
    print(f"{'setting':60} {header}")
    print(line("previous production (logistic + poles)", {k: v[0] for k, v in baselines.items()}))
    print(line("zero-shot (same rows)", {k: v[1] for k, v in baselines.items()}))
    best = DEFAULT_SETTINGS
    best_cells = evaluate(prepared, best)
    print(line(f"current {best}", best_cells))
    seen = {best: mean_of(best_cells)}
    if args.candidates:
        for spec in args.candidates.split(";"):
            changes = dict(part.split("=") for part in spec.split(","))
            candidate = dataclasses.replace(
                DEFAULT_SETTINGS, **{k: _typed(k, v) for k, v in changes.items()}
            )
            cells = evaluate(prepared, candidate)
            seen[candidate] = mean_of(cells)
            print(line(spec, cells))
            sys.stdout.flush()
        return
    for _ in range(args.passes):
        for knob, values in GRID.items():
            for value in values:
                candidate = dataclasses.replace(best, **{knob: value})
                if candidate in seen:
                    continue
                cells = evaluate(prepared, candidate)
                seen[candidate] = mean_of(cells)
                print(line(f"{knob}={value}", cells))
            top = max((s for s in seen if _differs_only(s, best, knob)), key=seen.__getitem__)
            if seen[top] > seen[best] + 1e-4:
                best = top
            print(f"  -> {knob} = {getattr(best, knob)} (mean {seen[best]:.4f})")
            sys.stdout.flush()
    print(f"chosen: {best}")
    print(line("chosen", evaluate(prepared, best)))


def _typed(knob: str, value: str) -> Any:
    kind = type(getattr(DEFAULT_SETTINGS, knob))
    return value == "True" if kind is bool else kind(value)


def _differs_only(candidate: Settings, base: Settings, knob: str) -> bool:
    return all(
        getattr(candidate, f.name) == getattr(base, f.name)
        for f in dataclasses.fields(Settings)
        if f.name != knob
    )


if __name__ == "__main__":
    main()
