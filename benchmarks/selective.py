"""Selective accuracy: how right automatic labels are when only the confident ones count.

Shared by benchmarks/stance_quality.py (which prints the figures) and
benchmarks/fit_confidence.py (which fits the constants): the Platt fit, the
accuracy-vs-coverage curve, and the share right at a confidence bar.
Coverage is always a share of *every* scored row (neutral labels and wrong
ones included), so a higher accuracy cannot be bought by quietly scoring
fewer rows.
"""

from __future__ import annotations

import numpy as np

from quotes.meaning.confidence import reliability, sigmoid

#: Accuracies at which the curve reports the coverage reachable.
TARGETS = (0.80, 0.85, 0.90)
#: Coverage at which the curve reports the accuracy (the issue's aim: 40 %).
AT_COVERAGE = 0.40


def platt(features: np.ndarray, right: np.ndarray, weight: np.ndarray | None = None) -> np.ndarray:
    """Intercept and slopes of a (nearly unregularised) logistic fit."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=1e4, max_iter=5000)
    model.fit(features, right.astype(int), sample_weight=weight)
    return np.concatenate([model.intercept_, model.coef_[0]])


def apply(params: np.ndarray, features: np.ndarray) -> np.ndarray:
    return sigmoid(params[0] + features @ params[1:])


def at_bar(confidence: np.ndarray, right: np.ndarray, bar: float) -> tuple[float, float]:
    """(share right among labels at or above the bar, share of rows kept)."""
    kept = confidence >= bar
    return (float(right[kept].mean()) if kept.any() else float("nan")), float(kept.mean())


def curve(confidence: np.ndarray, right: np.ndarray) -> tuple[list[float], float]:
    """Coverage reachable at each of TARGETS accuracy, and the accuracy at AT_COVERAGE.

    Rows are kept most confident first (ties in a stable order); the coverage
    at an accuracy is the largest share of rows whose kept labels are at
    least that right. This depends only on the ranking, not on calibration:
    it is what any bar on this confidence could reach.
    """
    order = np.argsort(-confidence, kind="stable")
    hits = np.cumsum(right[order]) / np.arange(1, len(right) + 1)
    shares = np.arange(1, len(right) + 1) / len(right)
    coverage = []
    for target in TARGETS:
        reached = np.flatnonzero(hits >= target)
        coverage.append(float(shares[reached.max()]) if len(reached) else 0.0)
    at = max(int(np.ceil(AT_COVERAGE * len(right))) - 1, 0)
    return coverage, float(hits[at])


def describe(confidence: np.ndarray, right: np.ndarray, bar: float) -> str:
    """One line: right / kept at the bar, the curve, and the ECE."""
    share, kept = at_bar(confidence, right, bar)
    coverage, accuracy = curve(confidence, right)
    _, ece = reliability(confidence, right)
    reach = ", ".join(f"{c:.2f} at {t:.0%}" for t, c in zip(TARGETS, coverage, strict=True))
    return (
        f"at bar {bar}: {share:.3f} right covering {kept:.3f}; coverage {reach} right; "
        f"{accuracy:.3f} right at {AT_COVERAGE:.0%} coverage; ECE {ece:.3f}"
    )
