"""Calibrated confidence: the probability that an automatic label is right.

Every automatic stance assessment stores ``confidence``, the probability
that its label (favor / against / neutral) is the one a careful reader would
give, and every automatic topic link stores the probability that the quote is
about the topic. Outputs a reader could publish keep only automatic evidence
at or above :data:`DEFAULT_MIN_CONFIDENCE` unless asked otherwise; a
person's label is not an estimate and always counts.

The maps below are Platt scalings (a logistic curve on one margin) whose
constants were fitted by ``benchmarks/fit_confidence.py`` on public labelled
political text that nobody on this project wrote: the Benoit et al. (2016)
manifesto sentences on immigration and on the economy, each topic defined
with a description and two poles as a user would. Zero-shot stance is
fitted on every sentence; the learned model on held-out sentences of random
draws of 3, 5 and 20 labels per pole. The benchmark
(``benchmarks/stance_quality.py``) prints their reliability tables and
expected calibration error.

Zero-shot: with the calibration fitted on the *other* topic, labels at or
above the default bar are right 0.868 of the time covering 0.170 of the
immigration sentences, 0.730 covering 0.171 of the economic ones (|score|
alone: 0.789 / 0.170 and 0.707 / 0.148). The aim of 85 % right at 40 %
coverage is not met: at 40 % coverage the most confident labels are 0.744 /
0.670 right, and no calibration over the features tried could rank better
than 0.78 / 0.68 there even fitted on the topic's own labels
(``benchmarks/zero_shot_features.py``): the limit is the zero-shot score, not
its calibration. Labels from a person (the learned model) are the way past it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

Vector = npt.NDArray[np.float64]

# The default bar (DEFAULT_MIN_CONFIDENCE) lives in quotes.vocabulary, the one
# place every output and benchmark reads it from.

#: Zero-shot stance with the pole texts known (production):
#: P(right) = sigmoid(A + B * |score| + C * agreement) for a favor or against
#: label, ``agreement`` how far the quote's words lean to the label's pole
#: (quotes.meaning.pole_words.PoleWords.agreement).
ZERO_SHOT_WORDS_INTERCEPT = -0.4618
ZERO_SHOT_WORDS_SLOPE = 1.5312
ZERO_SHOT_WORDS_AGREEMENT = 4.3881
#: Zero-shot stance from vectors alone (no pole texts):
#: P(right) = sigmoid(A + B * |score|) (score on the tanh scale of
#: quotes.meaning.scoring).
ZERO_SHOT_INTERCEPT = -0.4521
ZERO_SHOT_SLOPE = 1.6563
#: The share of zero-shot neutral labels (|score| inside the band) that
#: were right on the benchmark.
ZERO_SHOT_NEUTRAL = 0.1411

#: Learned stance: P(right) = sigmoid(A + B * logit(p) + C * log(labels)),
#: p the model's probability of the label it gives.
LEARNED_INTERCEPT = 0.0611
LEARNED_SLOPE = 0.9803
LEARNED_LABELS = -0.0431

#: Topic links: P(about) = sigmoid(A + B * logit(p)), p the relevance
#: classifier's probability (quotes.meaning.relevance).
TOPIC_INTERCEPT = -0.4461
TOPIC_SLOPE = 1.0457


def sigmoid(values: npt.ArrayLike) -> Vector:
    return np.asarray(1.0 / (1.0 + np.exp(-np.asarray(values, dtype=np.float64))))


def logit(p: npt.ArrayLike) -> Vector:
    clipped = np.clip(np.asarray(p, dtype=np.float64), 1e-6, 1 - 1e-6)
    return np.asarray(np.log(clipped / (1 - clipped)))


def zero_shot_stance_confidence(
    scores: npt.ArrayLike, labels: Sequence[str], agreement: npt.ArrayLike | None = None
) -> Vector:
    """P(label right) for zero-shot scores, their band labels and (if known) word agreement."""
    margin = np.abs(np.asarray(scores, dtype=np.float64))
    if agreement is None:
        calibrated = sigmoid(ZERO_SHOT_INTERCEPT + ZERO_SHOT_SLOPE * margin)
    else:
        words = np.asarray(agreement, dtype=np.float64)
        calibrated = sigmoid(
            ZERO_SHOT_WORDS_INTERCEPT
            + ZERO_SHOT_WORDS_SLOPE * margin
            + ZERO_SHOT_WORDS_AGREEMENT * words
        )
    neutral = np.asarray([label == "neutral" for label in labels], dtype=bool)
    return np.asarray(np.where(neutral, ZERO_SHOT_NEUTRAL, calibrated))


def learned_stance_confidence(
    chosen: npt.ArrayLike, labels: Sequence[str], n_labels: int
) -> Vector:
    """P(label right) for the learned model: ``chosen`` is its probability of each label."""
    features = LEARNED_INTERCEPT + LEARNED_SLOPE * logit(chosen)
    features = features + LEARNED_LABELS * np.log(max(n_labels, 1))
    return sigmoid(features)


def topic_link_confidence(margin: npt.ArrayLike) -> Vector:
    """P(about the topic) for the logit of the relevance classifier's probability."""
    return sigmoid(TOPIC_INTERCEPT + TOPIC_SLOPE * np.asarray(margin, dtype=np.float64))


def reliability(
    confidence: npt.ArrayLike, right: npt.ArrayLike, bins: int = 10
) -> tuple[list[tuple[float, float, int, float]], float]:
    """Reliability table rows (bin low, bin high, count, share right) and the ECE.

    Expected calibration error: the count-weighted mean of |mean confidence
    - share right| over equal-width confidence bins.
    """
    conf = np.asarray(confidence, dtype=np.float64)
    hit = np.asarray(right, dtype=np.float64)
    edges = np.linspace(0.0, 1.0, bins + 1)
    rows: list[tuple[float, float, int, float]] = []
    error = 0.0
    for low, high in zip(edges[:-1], edges[1:], strict=True):
        mask = (conf >= low) & ((conf < high) if high < 1.0 else (conf <= high))
        count = int(mask.sum())
        if not count:
            continue
        share = float(hit[mask].mean())
        rows.append((float(low), float(high), count, share))
        error += count * abs(float(conf[mask].mean()) - share)
    return rows, error / max(len(conf), 1)
