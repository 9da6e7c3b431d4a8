"""Stance scoring on embeddings: zero-shot from pole texts, taught by labels.

Pure numpy, no database: ``stance assign`` feeds it vectors and
``benchmarks/stance_quality.py`` measures it on public labelled data, so the
production method is the measured one.

Zero-shot: each pole text is split into its sentences (each sentence is one
paraphrase of the pole); a quote's raw score is its cosine to the favor
centroid minus its cosine to the against centroid, squashed into [-1, 1] by
``tanh(raw / ZERO_SHOT_SCALE)``.

Taught: with manual labels, each pole's centroid blends the labelled quotes
with the pole sentences (:class:`PrototypeScorer`). On the manifesto
benchmark it lifts F_avg from about 0.56-0.58 zero-shot to 0.60-0.62 with 20
labels per pole, as well as a logistic regression and SetFit-style encoder
fine-tuning (which costs minutes per topic on 2 cores), so it is the
production learner. It replaces zero-shot for a topic only when
cross-validation on the topic's manual labels says it is better
(:func:`choose_scorer`).

Labels come from the score with a symmetric neutral band: ``|score| <
NEUTRAL_BAND`` is neutral.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float32]
Vector = npt.NDArray[np.float64]
Label = Literal["favor", "against", "neutral"]

#: Raw zero-shot differences are small (a few hundredths of cosine); this
#: scale maps a difference of 0.10 to tanh(1) = 0.76.
ZERO_SHOT_SCALE = 0.10
#: |score| below this is neutral. On the manifesto benchmark (7-11 % neutral
#: rows) every band costs F_avg (0.00: 0.564/0.581, 0.05: 0.546/0.572, 0.10:
#: 0.556/0.558): 0.05 keeps a neutral label for the quotes nearest the middle
#: of the axis at a cost of about 0.01.
NEUTRAL_BAND = 0.05
#: Weight of the pole sentences against the labelled quotes in a taught
#: centroid (0.5 was best or tied of 0.5/1/2/4 at 20 labels per pole).
POLE_WEIGHT = 0.5
#: A learned scorer needs at least this many manual labels on each pole.
MIN_LABELS_PER_POLE = 3

_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")


def pole_sentences(text: str) -> list[str]:
    """The paraphrases a pole text holds: its sentences (or ;-separated clauses)."""
    parts = [part.strip(" ;") for part in _SENTENCE_END.split(text)]
    return [part for part in parts if len(part) > 2] or [text.strip()]


def label_for(score: float, band: float = NEUTRAL_BAND) -> Label:
    """favor / against / neutral from a score in [-1, 1]."""
    if score >= band:
        return "favor"
    if score <= -band:
        return "against"
    return "neutral"


def labels_for(scores: npt.NDArray[np.floating], band: float = NEUTRAL_BAND) -> list[Label]:
    return [label_for(float(s), band) for s in scores]


def _unit(vector: Vector) -> Vector:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


class Scorer(Protocol):
    """Maps quote vectors to stance scores in [-1, 1]; ``method`` is recorded."""

    method: str

    def score(self, vectors: Matrix) -> Vector: ...


@dataclass
class ZeroShotScorer:
    """Projection on the favor-against axis of the pole centroids."""

    favor: Vector
    against: Vector
    method: str = "zero-shot"

    @classmethod
    def from_poles(cls, favor: Matrix, against: Matrix) -> ZeroShotScorer:
        """``favor`` / ``against``: embedded pole sentences, one row each."""
        return cls(
            favor=_unit(np.asarray(favor, dtype=np.float64).mean(axis=0)),
            against=_unit(np.asarray(against, dtype=np.float64).mean(axis=0)),
        )

    def raw(self, vectors: Matrix) -> Vector:
        matrix = np.asarray(vectors, dtype=np.float64)
        return np.asarray(matrix @ self.favor - matrix @ self.against)

    def score(self, vectors: Matrix) -> Vector:
        return np.tanh(self.raw(vectors) / ZERO_SHOT_SCALE)


@dataclass
class PrototypeScorer:
    """Zero-shot's projection with the labelled quotes blended into each pole.

    Each pole's centroid is ``(mean of its labelled quotes + POLE_WEIGHT *
    mean of its pole sentences) / (1 + POLE_WEIGHT)``: the labels teach, the
    pole texts keep a handful of labels from swinging the axis. Scores are on
    the zero-shot scale, so the same neutral band applies.
    """

    axis: ZeroShotScorer
    method: str = "prototype"

    @classmethod
    def fit(
        cls,
        vectors: Matrix,
        favor: Sequence[bool],
        favor_poles: Matrix,
        against_poles: Matrix,
    ) -> PrototypeScorer:
        """Train on labelled vectors (``favor[i]``: True favor, False against)."""
        matrix = np.asarray(vectors, dtype=np.float64)
        mask = np.asarray(favor, dtype=bool)

        def centroid(labelled: npt.NDArray[np.float64], poles: Matrix) -> Vector:
            pole = _unit(np.asarray(poles, dtype=np.float64).mean(axis=0))
            if not len(labelled):
                return pole
            return (_unit(labelled.mean(axis=0)) + POLE_WEIGHT * pole) / (1 + POLE_WEIGHT)

        return cls(
            axis=ZeroShotScorer(
                favor=_unit(centroid(matrix[mask], favor_poles)),
                against=_unit(centroid(matrix[~mask], against_poles)),
            )
        )

    def score(self, vectors: Matrix) -> Vector:
        return self.axis.score(vectors)


@dataclass
class LogisticScorer:
    """Logistic regression on labelled vectors plus the pole sentences.

    Measured in ``benchmarks/stance_quality.py`` against the prototypes; not
    used in production: its probabilities are compressed towards 0.5 with few
    labels, so it has no neutral band on the zero-shot scale, and it is no
    better than the prototypes on the benchmark.
    """

    model: object
    method: str = "logistic"

    @classmethod
    def fit(
        cls,
        vectors: Matrix,
        favor: Sequence[bool],
        favor_poles: Matrix | None = None,
        against_poles: Matrix | None = None,
        c: float = 1.0,
    ) -> LogisticScorer:
        """Train on labelled vectors (``favor[i]``: True favor, False against)."""
        from sklearn.linear_model import LogisticRegression

        rows = [np.asarray(vectors, dtype=np.float64)]
        targets = [np.asarray(favor, dtype=int)]
        for poles, target in ((favor_poles, 1), (against_poles, 0)):
            if poles is not None and len(poles):
                rows.append(np.asarray(poles, dtype=np.float64))
                targets.append(np.full(len(poles), target))
        model = LogisticRegression(C=c, class_weight="balanced", max_iter=1000)
        model.fit(np.vstack(rows), np.concatenate(targets))
        return cls(model=model)

    def score(self, vectors: Matrix) -> Vector:
        model = self.model
        proba = model.predict_proba(np.asarray(vectors, dtype=np.float64))  # type: ignore[attr-defined]
        return np.asarray(2.0 * proba[:, 1] - 1.0)


def f_avg(gold: Sequence[str], predicted: Sequence[str]) -> float:
    """Mean of the F1 of favor and of against (SemEval-2016); neutral counts as neither."""
    scores = []
    for label in ("favor", "against"):
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p == label)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if p == label and g != label)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label and p != label)
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return sum(scores) / 2


@dataclass
class Choice:
    """The scorer a topic gets, and the cross-validated evidence for it."""

    scorer: Scorer
    zero_shot_cv: float | None
    learned_cv: float | None


def choose_scorer(
    zero_shot: ZeroShotScorer,
    vectors: Matrix,
    labels: Sequence[str],
    favor_poles: Matrix,
    against_poles: Matrix,
    folds: int = 5,
) -> Choice:
    """Zero-shot, unless prototypes beat it in cross-validation on the labels.

    ``labels`` are the topic's manual labels (favor / against / neutral) for
    ``vectors``. Only favor and against train the prototypes; neutral labels
    still count in the F_avg both candidates are judged on. Folds are
    deterministic (every ``folds``-th label), so a re-run decides the same way.
    """
    gold = list(labels)
    n_favor, n_against = gold.count("favor"), gold.count("against")
    if min(n_favor, n_against) < MIN_LABELS_PER_POLE:
        return Choice(scorer=zero_shot, zero_shot_cv=None, learned_cv=None)
    matrix = np.asarray(vectors, dtype=np.float32)
    zero_cv = f_avg(gold, labels_for(zero_shot.score(matrix)))
    predicted: list[str] = [""] * len(gold)
    k = min(folds, n_favor, n_against)
    indices = np.arange(len(gold))
    for fold in range(k):
        test = indices[fold::k]
        train = [int(i) for i in indices if i % k != fold and gold[i] != "neutral"]
        scorer = PrototypeScorer.fit(
            matrix[train], [gold[i] == "favor" for i in train], favor_poles, against_poles
        )
        for i, label in zip(test, labels_for(scorer.score(matrix[test])), strict=True):
            predicted[int(i)] = label
    learned_cv = f_avg(gold, predicted)
    if learned_cv > zero_cv:
        trained = [i for i, g in enumerate(gold) if g != "neutral"]
        final = PrototypeScorer.fit(
            matrix[trained], [gold[i] == "favor" for i in trained], favor_poles, against_poles
        )
        return Choice(scorer=final, zero_shot_cv=zero_cv, learned_cv=learned_cv)
    return Choice(scorer=zero_shot, zero_shot_cv=zero_cv, learned_cv=learned_cv)
