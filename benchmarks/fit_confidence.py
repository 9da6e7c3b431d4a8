"""Fit the confidence calibrations of quotes/meaning/confidence.py on public data.

Stance (manifesto sentences, Benoit et al. 2016; both topics defined exactly
as benchmarks/stance_quality.py defines them, as a user would):
- zero-shot: a Platt curve P(right) = sigmoid(A + B |score| + C agreement)
  (agreement: how far the quote's words lean to its label's pole,
  quotes.meaning.pole_words) over every sentence given a favor or against
  label, and the share right of the neutral ones; each topic weighs the
  same however many rows it has; the same with |score| alone, for scorers
  built without the pole texts;
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
from selective import apply, platt  # noqa: E402
from stance_quality import (  # noqa: E402
    TASKS,
    draw,
    fit_zero_shot,
    load,
    task_poles,
    zero_shot_confidence,
    zero_shot_rows,
)
from topic_assignment import dev_rows, topic_profiles_for  # noqa: E402

from quotes.meaning.confidence import logit, reliability  # noqa: E402
from quotes.meaning.encoder import load_embedder  # noqa: E402
from quotes.meaning.learner import StackedScorer  # noqa: E402


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


def zero_shot_fits(embedder: object) -> None:
    """ZERO_SHOT_WORDS_* (|score| + word agreement) and ZERO_SHOT_* (|score| alone).

    Each is fitted on both topics (each weighing the same); the ECE of the
    constants fitted on one topic is printed on the other. The selective
    accuracy and the curve of both ways, cross-fitted, are printed by
    benchmarks/stance_quality.py.
    """
    groups = {task.name: zero_shot_rows(task, embedder) for task in TASKS}
    for words, name in (
        (True, "zero-shot stance + words (A, B, C)"),
        (False, "zero-shot stance (A, B)"),
    ):
        params, neutral = fit_zero_shot(groups, words)
        constants = ", ".join(f"{v:.4f}" for v in params)
        print(f"{name}: constants {constants}; neutral right {neutral:.4f}")
        for held, rows in groups.items():
            other, other_neutral = fit_zero_shot(
                {k: g for k, g in groups.items() if k != held}, words
            )
            _, ece_in = reliability(zero_shot_confidence(params, neutral, rows, words), rows.right)
            _, ece_out = reliability(
                zero_shot_confidence(other, other_neutral, rows, words), rows.right
            )
            print(
                f"  {held:12} n={len(rows.right):5d} right {rows.right.mean():.3f}  ECE in-sample "
                f"{ece_in:.3f}, fitted on the other topic {ece_out:.3f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10)
    parser.add_argument("--skip-topics", action="store_true", help="stance calibrations only")
    args = parser.parse_args()
    embedder = load_embedder()

    zero_shot_fits(embedder)
    learned_groups: dict[str, tuple] = {}
    for task in TASKS:
        texts, gold = load(task)
        x = encode(embedder, texts)
        poles = task_poles(task, embedder)
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
