"""Which features tell a right zero-shot label from a wrong one? The evidence behind
quotes/meaning/pole_words.py and the ZERO_SHOT_WORDS_* calibration.

On the two manifesto topics of benchmarks/stance_quality.py (production
zero-shot labels, every row), for each candidate feature:

- AUROC: how well the feature alone ranks right above wrong labels (0.5 =
  no signal), over the rows given favor or against;
- cross-fitted with |score|: a two-feature Platt calibration fitted on the
  *other* topic, then the share right at the default bar, the coverage and
  the accuracy-vs-coverage curve (benchmarks/selective.py);
- a ceiling: a calibrator on *all* features fitted by 5-fold
  cross-validation within the topic itself (it sees that topic's labels, so
  it is optimistic): the best ranking these features could give.

Features: |score| (production before); the quote's word lean to its label's
pole (production now); the topic relevance classifier's logit (fitted as
``stance assign`` fits it, on the topic's texts against the bundled
background); the cosine to the topic's centroid; the per-sentence maximum
score (favor's best sentence minus against's), signed by the label; the share
of (favor sentence, against sentence) pairs that vote for the label.

Run: ``.venv/bin/python benchmarks/zero_shot_features.py`` (well under a
minute once benchmarks/stance_quality.py has cached the vectors).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from encode_cache import encode  # noqa: E402
from selective import apply, curve, describe, platt  # noqa: E402
from stance_quality import TASKS, load, task_poles, zero_shot_rows  # noqa: E402

from quotes.meaning.confidence import logit  # noqa: E402
from quotes.meaning.encoder import load_embedder  # noqa: E402
from quotes.meaning.relevance import RelevanceModel, background_vectors  # noqa: E402
from quotes.meaning.scoring import pole_sentences  # noqa: E402
from quotes.vocabulary import DEFAULT_MIN_CONFIDENCE  # noqa: E402

NAMES = ("|score|", "word lean", "relevance", "topic cosine", "sentence max", "pair votes")


def features(embedder: object) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per topic: (feature matrix over every row, right, decided)."""
    out = {}
    for task in TASKS:
        texts, _ = load(task)
        x = np.asarray(encode(embedder, texts), dtype=np.float64)
        poles = task_poles(task, embedder)
        rows = zero_shot_rows(task, embedder)
        side = np.sign(rows.scores)
        favor = np.asarray(poles.favor, dtype=np.float64)
        against = np.asarray(poles.against, dtype=np.float64)
        description = embedder.encode(pole_sentences(task.description))  # type: ignore[attr-defined]
        every = np.vstack([description, favor, against])
        empty = np.zeros((0, x.shape[1]))
        relevance = RelevanceModel.fit(every, empty, empty, background_vectors(embedder))  # type: ignore[arg-type]
        centroid = every.mean(axis=0)
        centroid /= np.linalg.norm(centroid)
        to_favor, to_against = x @ favor.T, x @ against.T
        sentence_max = to_favor.max(axis=1) - to_against.max(axis=1)
        votes = np.sign(to_favor[:, :, None] - to_against[:, None, :]).reshape(len(x), -1)
        matrix = np.column_stack(
            [
                np.abs(rows.scores),
                rows.agreement,
                logit(relevance.probability(x)),
                x @ centroid,
                side * sentence_max,
                side * votes.mean(axis=1),
            ]
        )
        out[task.name] = (matrix, rows.right, rows.decided)
    return out


def auroc(values: np.ndarray, right: np.ndarray) -> float:
    """Probability that a right label has a higher value than a wrong one (ties half)."""
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(right.astype(int), values))


def main() -> None:
    embedder = load_embedder()
    data = features(embedder)
    bar = DEFAULT_MIN_CONFIDENCE
    print("AUROC of each feature alone (right vs wrong favor/against labels):")
    for name, (matrix, right, decided) in data.items():
        cells = [
            f"{n} {auroc(matrix[decided, i], right[decided]):.3f}" for i, n in enumerate(NAMES)
        ]
        print(f"  {name:12} " + "; ".join(cells))
    print(
        f"Cross-fitted (calibration fitted on the other topic), |score| + one feature, bar {bar}:"
    )
    for column in range(len(NAMES)):
        columns = [0] if column == 0 else [0, column]
        for held, (matrix, right, decided) in data.items():
            other = [v for k, v in data.items() if k != held][0]
            n = int(other[2].sum())  # weighted as fit_confidence.py weighs a topic
            params = platt(other[0][other[2]][:, columns], other[1][other[2]], np.full(n, 1 / n))
            neutral = float(other[1][~other[2]].mean())
            confidence = np.where(decided, apply(params, matrix[:, columns]), neutral)
            label = NAMES[0] if column == 0 else f"|score| + {NAMES[column]}"
            print(f"  {held:12} {label:24} {describe(confidence, right, bar)}")
    print("Ceiling: all features, 5-fold cross-validation within the topic (optimistic):")
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    for name, (matrix, right, decided) in data.items():
        model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=5000))
        predicted = cross_val_predict(
            model, matrix[decided], right[decided].astype(int), cv=5, method="predict_proba"
        )[:, 1]
        confidence = np.zeros(len(right))
        confidence[decided] = predicted
        coverage, accuracy = curve(confidence, right)
        print(
            f"  {name:12} {accuracy:.3f} right at 40% coverage; coverage "
            f"{coverage[0]:.2f} / {coverage[1]:.2f} / {coverage[2]:.2f} at 80 / 85 / 90% right"
        )


if __name__ == "__main__":
    main()
