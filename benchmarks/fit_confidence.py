"""Fit the confidence calibrations of quotes/meaning/confidence.py on public data.

Stance (manifesto sentences, Benoit et al. 2016; both topics defined exactly
as benchmarks/stance_quality.py defines them, as a user would):
- zero-shot: a Platt curve P(right) = sigmoid(A + B |score|) over every
  sentence given a favor or against label, and the share right of the
  neutral ones; each topic weighs the same however many rows it has;
- learned (the stacked model): P(right) = sigmoid(A + B logit(p) + C
  log(labels)), p the model's probability of its label, over the held-out
  sentences of ``--draws`` random draws of 3, 5 and 20 labels per pole.

Topic links (ParlEE Commons sentences with CAP codes; security = 16
Defence, tariffs = 18 Foreign trade): P(about) = sigmoid(A + B margin), the
margin of quotes.meaning.topic_profiles, fitted on the *even* rows only; the
odd rows are kept for benchmarks/topic_assignment.py.

Each fit is also checked out of sample: fitted on one topic, its expected
calibration error on the other is printed. Paste the printed constants into
quotes/meaning/confidence.py.

Run: ``.venv/bin/python benchmarks/fit_confidence.py [--draws N] [--skip-topics]``
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
from stance_quality import TASKS, draw, load, task_poles  # noqa: E402
from topic_assignment import dev_rows, topic_profiles_for  # noqa: E402

from quotes.meaning.confidence import logit, reliability, sigmoid  # noqa: E402
from quotes.meaning.encoder import load_embedder  # noqa: E402
from quotes.meaning.learner import StackedScorer  # noqa: E402
from quotes.meaning.scoring import ZeroShotScorer, labels_for  # noqa: E402


def platt(features: np.ndarray, right: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Intercept and slopes of a (nearly unregularised) logistic fit."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=1e4, max_iter=5000)
    model.fit(features, right.astype(int), sample_weight=weight)
    return np.concatenate([model.intercept_, model.coef_[0]])


def apply(params: np.ndarray, features: np.ndarray) -> np.ndarray:
    return sigmoid(params[0] + features @ params[1:])


def report(name: str, params: np.ndarray, groups: dict[str, tuple]) -> None:
    """Constants, then ECE in sample and fitted on the other topic(s) only."""
    print(f"{name}: constants {', '.join(f'{v:.4f}' for v in params)}")
    for held, (features, right, _) in groups.items():
        rest = [g for k, g in groups.items() if k != held]
        other = platt(
            np.vstack([g[0] for g in rest]),
            np.concatenate([g[1] for g in rest]),
            np.concatenate([g[2] for g in rest]),
        )
        _, ece_in = reliability(apply(params, features), right)
        _, ece_out = reliability(apply(other, features), right)
        print(
            f"  {held:12} n={len(right):5d} right {right.mean():.3f}  ECE in-sample "
            f"{ece_in:.3f}, fitted on the other topic {ece_out:.3f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10)
    parser.add_argument("--skip-topics", action="store_true", help="stance calibrations only")
    args = parser.parse_args()
    embedder = load_embedder()

    zero_groups: dict[str, tuple] = {}
    neutral_right: list[float] = []
    learned_groups: dict[str, tuple] = {}
    for task in TASKS:
        texts, gold = load(task)
        x = encode(embedder, texts)
        poles = task_poles(task, embedder)
        zero = ZeroShotScorer.from_poles(poles.favor, poles.against)
        scores = zero.score(x)
        labels = labels_for(scores)
        right = np.array([g == p for g, p in zip(gold, labels, strict=True)])
        decided = np.array([p != "neutral" for p in labels])
        neutral_right.append(float(right[~decided].mean()) if (~decided).any() else 0.0)
        n = int(decided.sum())
        zero_groups[task.name] = (
            np.abs(scores[decided])[:, None],
            right[decided],
            np.full(n, 1.0 / n),
        )
        feats, hits = [], []
        for k in (3, 5, 20):
            for seed in range(args.draws):
                labelled, scored = draw(gold, k, seed)
                scorer = StackedScorer.fit(
                    x[labelled],
                    [texts[i] for i in labelled],
                    [gold[i] for i in labelled],
                    (poles.favor, poles.favor_texts),
                    (poles.against, poles.against_texts),
                )
                p = scorer.probabilities(x[scored], [texts[i] for i in scored])
                estimate = scorer.estimate(x[scored], [texts[i] for i in scored])
                chosen = np.array(
                    [
                        p[r, ("against", "favor", "neutral").index(lab)]
                        for r, lab in enumerate(estimate.labels)
                    ]
                )
                feats.append(np.column_stack([logit(chosen), np.full(len(scored), np.log(2 * k))]))
                hits.append(
                    np.array(
                        [gold[i] == lab for i, lab in zip(scored, estimate.labels, strict=True)]
                    )
                )
        f, h = np.vstack(feats), np.concatenate(hits)
        learned_groups[task.name] = (f, h, np.full(len(h), 1.0 / len(h)))

    def pooled(groups: dict[str, tuple]) -> np.ndarray:
        return platt(
            np.vstack([g[0] for g in groups.values()]),
            np.concatenate([g[1] for g in groups.values()]),
            np.concatenate([g[2] for g in groups.values()]),
        )

    report("zero-shot stance (A, B)", pooled(zero_groups), zero_groups)
    print(
        f"zero-shot neutral labels right: {np.mean(neutral_right):.4f} "
        f"({', '.join(f'{v:.3f}' for v in neutral_right)})"
    )
    report("learned stance (A, B, C)", pooled(learned_groups), learned_groups)
    if args.skip_topics:
        return

    topic_groups: dict[str, tuple] = {}
    vectors, codes = dev_rows(embedder, half=0)
    for name, (profile, code) in topic_profiles_for(embedder).items():
        if not code:
            continue
        lenient = codes != "19"  # International affairs: both security and not
        margin = logit(profile.relevance.probability(vectors[lenient]))
        gold = codes[lenient] == code
        topic_groups[name] = (margin[:, None], gold, np.full(len(gold), 1.0 / len(gold)))
    report("topic link (A, B)", pooled(topic_groups), topic_groups)


if __name__ == "__main__":
    main()
