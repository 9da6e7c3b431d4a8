"""Stance taught by a person's labels: words, characters and meaning in one linear model.

Embeddings alone know what a quote is about but blur the cue words a stance
turns on ("not", "must end", "for sale"). This learner stacks three views of
each text in one sparse matrix and fits one regularised logistic regression
on it (after the SemEval-2016 finding, repeated here: a linear model on
TF-IDF word 1-2 and character 2-5 n-grams stacked with the sentence
embeddings beat the embeddings alone):

- the sentence embedding (dense, scaled by ``EMBEDDING_WEIGHT``);
- TF-IDF of word unigrams and bigrams, sublinear, fitted on the training texts;
- TF-IDF of character 2-5 grams within word boundaries (spelling variants,
  morphology: "immigrant", "immigration").

The pole sentences of the topic are training rows too (weighted together as
``POLE_LABELS`` labelled quotes), so a handful of labels refines the topic's
definition rather than replacing it. Neutral is a third class once a person
has given at least ``MIN_NEUTRAL_LABELS`` neutral labels; otherwise the model
is binary and the shared neutral band of :mod:`quotes.meaning.scoring` marks
the middle. With ``CV_MIN_PER_CLASS`` or more labels in every class the
regularisation strength is chosen by stratified cross-validation on the
labels; below that, cross-validation on a few labels is noise and the
default (fixed on the benchmark) is used.

Pure numpy / scikit-learn; no database, no model: the caller passes vectors
and texts, so the benchmark measures exactly what ``stance assign`` runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from quotes.meaning.confidence import learned_stance_confidence
from quotes.meaning.scoring import NEUTRAL_BAND, Label, Matrix, StanceEstimate, f_avg

#: Weight of the embedding block against the two TF-IDF blocks (each row of
#: each block has unit norm before weighting).
EMBEDDING_WEIGHT = 2.0
#: The pole sentences together weigh as much as this many labelled quotes.
POLE_LABELS = 6.0
#: Inverse regularisation when there are too few labels to choose it by CV.
DEFAULT_C = 3.0
#: Candidates for the inverse regularisation chosen by cross-validation.
C_GRID = (0.3, 1.0, 3.0, 10.0)
#: Labels needed in every class before C is chosen by cross-validation.
CV_MIN_PER_CLASS = 10
#: Neutral labels needed before neutral becomes a class of its own.
MIN_NEUTRAL_LABELS = 3

CLASSES: tuple[Label, ...] = ("against", "favor", "neutral")


def _vectorizers() -> tuple[Any, Any]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    words = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, min_df=1)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=1)
    return words, chars


@dataclass
class StackedFeatures:
    """Embedding + word n-gram + character n-gram features, fitted on training texts."""

    words: Any
    chars: Any

    @classmethod
    def fit(cls, texts: Sequence[str]) -> StackedFeatures:
        words, chars = _vectorizers()
        words.fit(list(texts))
        chars.fit(list(texts))
        return cls(words=words, chars=chars)

    def transform(self, vectors: npt.ArrayLike, texts: Sequence[str]) -> Any:
        from scipy import sparse

        dense = np.asarray(vectors, dtype=np.float64) * EMBEDDING_WEIGHT
        return sparse.hstack(
            [
                sparse.csr_matrix(dense),
                self.words.transform(list(texts)),
                self.chars.transform(list(texts)),
            ],
            format="csr",
        )


@dataclass
class StackedScorer:
    """A fitted stacked linear stance model; ``estimate`` scores quotes."""

    features: StackedFeatures
    model: Any
    classes: tuple[str, ...]
    labels: int
    c: float
    method: str = "stacked"

    @classmethod
    def fit(
        cls,
        vectors: Matrix,
        texts: Sequence[str],
        labels: Sequence[str],
        favor_poles: tuple[Matrix, Sequence[str]] | None = None,
        against_poles: tuple[Matrix, Sequence[str]] | None = None,
        c: float | None = None,
    ) -> StackedScorer:
        """Train on labelled quotes (favor / against / neutral) plus the pole sentences.

        ``favor_poles`` / ``against_poles``: (vectors, sentences) of each pole.
        Needs at least one favor and one against example among labels and poles.
        """
        from sklearn.linear_model import LogisticRegression

        gold = list(labels)
        use_neutral = gold.count("neutral") >= MIN_NEUTRAL_LABELS
        keep = [i for i, g in enumerate(gold) if use_neutral or g != "neutral"]
        rows = [np.asarray(vectors, dtype=np.float64)[keep]]
        all_texts = [texts[i] for i in keep]
        targets = [gold[i] for i in keep]
        weights = [1.0] * len(keep)
        for poles, target in ((favor_poles, "favor"), (against_poles, "against")):
            if poles is not None and len(poles[1]):
                pole_vectors, sentences = poles
                rows.append(np.asarray(pole_vectors, dtype=np.float64))
                all_texts += list(sentences)
                targets += [target] * len(sentences)
                weights += [POLE_LABELS / len(sentences)] * len(sentences)
        matrix = np.vstack(rows)
        features = StackedFeatures.fit(all_texts)
        design = features.transform(matrix, all_texts)
        y = np.asarray(targets)
        w = np.asarray(weights)
        chosen = c if c is not None else _choose_c(gold, keep, design, y, w)
        model = LogisticRegression(C=chosen, class_weight="balanced", max_iter=2000)
        model.fit(design, y, sample_weight=w)
        return cls(
            features=features,
            model=model,
            classes=tuple(str(k) for k in model.classes_),
            labels=len(gold),
            c=chosen,
        )

    def probabilities(self, vectors: Matrix, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """One row per quote, one column per class of :data:`CLASSES` (0 if not modelled)."""
        design = self.features.transform(vectors, texts)
        raw = np.asarray(self.model.predict_proba(design), dtype=np.float64)
        out = np.zeros((raw.shape[0], len(CLASSES)))
        for column, name in enumerate(self.classes):
            out[:, CLASSES.index(name)] = raw[:, column]
        return out

    def estimate(self, vectors: Matrix, texts: Sequence[str]) -> StanceEstimate:
        if not len(texts):
            return StanceEstimate.empty()
        p = self.probabilities(vectors, texts)
        scores = np.clip(p[:, CLASSES.index("favor")] - p[:, CLASSES.index("against")], -1, 1)
        if "neutral" in self.classes:
            labels: list[Label] = [CLASSES[int(i)] for i in p.argmax(axis=1)]
            chosen = p.max(axis=1)
        else:
            labels = [
                "favor" if s >= NEUTRAL_BAND else "against" if s <= -NEUTRAL_BAND else "neutral"
                for s in scores
            ]
            chosen = np.maximum(p[:, 0], p[:, 1])
        confidence = learned_stance_confidence(chosen, labels, self.labels)
        return StanceEstimate(scores=np.asarray(scores), labels=labels, confidence=confidence)


def _choose_c(
    gold: list[str],
    keep: list[int],
    design: Any,
    y: npt.NDArray[Any],
    w: npt.NDArray[np.float64],
) -> float:
    """C by stratified CV on the labels (pole rows always train), or the default."""
    kept = [gold[i] for i in keep]
    classes = sorted(set(kept))
    if len(classes) < 2 or min(kept.count(k) for k in classes) < CV_MIN_PER_CLASS:
        return DEFAULT_C
    from sklearn.linear_model import LogisticRegression

    folds = 5
    n = len(kept)
    order = np.arange(n)
    best, best_score = DEFAULT_C, -1.0
    for c in C_GRID:
        predicted: list[str] = [""] * n
        for fold in range(folds):
            test = order[fold::folds]
            train = np.setdiff1d(np.arange(design.shape[0]), test)
            model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
            model.fit(design[train], y[train], sample_weight=w[train])
            for i, label in zip(test, model.predict(design[test]), strict=True):
                predicted[int(i)] = str(label)
        value = f_avg(kept, predicted)
        if value > best_score + 1e-9:
            best, best_score = c, value
    return best
