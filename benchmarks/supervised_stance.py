"""Supervised stance ("SemEval-style"): many labels, a fixed train/test split, F_avg.

No labelled public stance set with an official split (SemEval-2016 Task 6,
P-Stance, ...) is installable from the package registries this project may
use (checked: the PyPI package ``stancemining`` 0.2.0 ships loaders but no
data; others fetch from a model hub at run time). So the supervised figure
is measured on the Benoit et al. (2016) manifesto **economy** set (5,101
crowd-coded sentences, 3 classes with neutral), split once and for all in
half (a fixed permutation, seed 2016): fit on the first half, report F_avg
(mean F1 of favor and against, the SemEval-2016 metric, which the best 2016
system scored 67.82 on) on the second half. The immigration set (224 rows)
is split the same way and printed too. This is "manifesto half/half", not
SemEval: the figures are not comparable with SemEval's, only with each other.

Methods: the production learner (``StackedScorer``: embeddings + word and
character TF-IDF with the pole sentences, neutral a class, C chosen by
cross-validation on the training half), its blocks alone, the previous
production learner (logistic regression on embeddings + poles, binary with
the neutral band) and zero-shot.

Run: ``.venv/bin/python benchmarks/supervised_stance.py``
"""

from __future__ import annotations

import dataclasses
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from encode_cache import encode  # noqa: E402
from stance_quality import TASKS, load, load_average, task_poles  # noqa: E402

from quotes.meaning.encoder import load_embedder  # noqa: E402
from quotes.meaning.learner import DEFAULT_SETTINGS, StackedScorer  # noqa: E402
from quotes.meaning.scoring import LogisticScorer, ZeroShotScorer, f_avg, labels_for  # noqa: E402


def main() -> None:
    embedder = load_embedder()
    print(f"model {embedder.name}; {load_average()}")
    print(f"{'set':24} {'method':52} {'F_avg':>6}  train/test")
    for task in TASKS[::-1]:  # economy, the named figure, first
        full = dataclasses.replace(task, pool=None)
        texts, gold = load(full)
        x = encode(embedder, texts)
        poles = task_poles(task, embedder)
        order = np.random.default_rng(2016).permutation(len(gold))
        train, test = order[: len(order) // 2], order[len(order) // 2 :]
        tt, gt = [texts[i] for i in train], [gold[i] for i in train]
        st, sg = [texts[i] for i in test], [gold[i] for i in test]
        name = f"{task.name} half/half"
        size = f"{len(train)}/{len(test)}"
        favor = (poles.favor, poles.favor_texts)
        against = (poles.against, poles.against_texts)
        variants = {  # fastest first: on a loaded machine the slow ones may be cut short
            "stacked, linear SVM": dataclasses.replace(DEFAULT_SETTINGS, model="svm"),
            "embeddings only (logistic, 3 classes)": dataclasses.replace(
                DEFAULT_SETTINGS, word_weight=0.0, char_weight=0.0
            ),
            "stacked + poles, 3 classes (production)": DEFAULT_SETTINGS,
            "TF-IDF word + char only": dataclasses.replace(DEFAULT_SETTINGS, embedding_weight=0.0),
        }
        for label, settings in variants.items():
            started = time.perf_counter()
            scorer = StackedScorer.fit(x[train], tt, gt, favor, against, settings=settings)
            value = f_avg(sg, scorer.estimate(x[test], st).labels)
            seconds = time.perf_counter() - started
            print(f"{name:24} {label:52} {value:6.3f}  {size} (C {scorer.c}, {seconds:.0f} s)")
        y = [g == "favor" for g in gt]
        old = LogisticScorer.fit(x[train], y, poles.favor, poles.against)
        print(
            f"{name:24} {'logistic + poles, binary (previous production)':52} "
            f"{f_avg(sg, labels_for(old.score(x[test]))):6.3f}  {size}"
        )
        zero = ZeroShotScorer.from_poles(poles.favor, poles.against)
        value = f_avg(sg, labels_for(zero.score(x[test])))
        print(f"{name:24} {'zero-shot':52} {value:6.3f}  {size}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
