"""What a published stance claim rests on, and when that is enough to make it.

A shift or a position is something a reader could publish, so it says what
evidence it rests on (``2 labelled quotes``, ``5 automatic, mean confidence
0.82``) and is made only when that evidence is *sufficient*. One rule, used
by shifts, positions and the demo:

- only evidence that passed the confidence bar is counted at all (a person's
  label always passes; an automatic stance passes at ``--min-confidence`` or
  above, see :func:`quotes.vocabulary.passes_confidence`);
- a period (or a position) is sufficient with at least ``MIN_LABELLED`` (1)
  quote a person labelled, or at least ``MIN_AUTOMATIC`` (3) automatic
  assessments above the bar. One confident automatic score can be one
  unlucky sentence; three that agree in one period rarely all are, and a
  person's label is a reading a journalist can cite.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

#: A period or position rests on at least this many labelled quotes ...
MIN_LABELLED = 1
#: ... or at least this many automatic assessments above the confidence bar.
MIN_AUTOMATIC = 3
#: What a claim with no counted evidence at all rests on ("0 labelled quotes" would
#: read as if only labels had been looked for).
NOTHING = "no quote a person labelled or scored above the confidence bar"


class Assessed(Protocol):
    """Anything with a stance method and (for automatic stances) a confidence."""

    @property
    def method(self) -> str: ...

    @property
    def confidence(self) -> float | None: ...


@dataclass(frozen=True)
class EvidenceMinimum:
    """How much evidence is sufficient (``EvidenceMinimum(1, 1)`` accepts any one quote)."""

    labelled: int = MIN_LABELLED
    automatic: int = MIN_AUTOMATIC

    def describe(self) -> str:
        labels = "label" if self.labelled == 1 else "labels"
        return (
            f"at least {self.labelled} person's {labels} or {self.automatic} "
            "automatic assessments above the confidence bar"
        )


DEFAULT_MINIMUM = EvidenceMinimum()


@dataclass(frozen=True)
class Evidence:
    """How many quotes a claim rests on, by method, and how sure the automatic ones are."""

    labelled: int
    automatic: int
    mean_confidence: float | None  # over automatic stances whose confidence is known

    @property
    def total(self) -> int:
        return self.labelled + self.automatic

    def sufficient(self, minimum: EvidenceMinimum = DEFAULT_MINIMUM) -> bool:
        return self.labelled >= minimum.labelled or self.automatic >= minimum.automatic

    def describe(self) -> str:
        """``2 labelled quotes`` / ``5 automatic, mean confidence 0.82`` / both, or
        ``no quote a person labelled or scored above the confidence bar``."""
        if not self.total:
            return NOTHING
        labelled = f"{self.labelled} labelled quote" + ("" if self.labelled == 1 else "s")
        confidence = (
            "confidence unknown"
            if self.mean_confidence is None
            else f"mean confidence {self.mean_confidence:.2f}"
        )
        if not self.automatic:
            return labelled
        if not self.labelled:
            return f"{self.automatic} automatic, {confidence}"
        return f"{labelled} + {self.automatic} automatic ({confidence})"

    def short(self) -> str:
        """A few characters for a chart label: ``2 labelled``, ``3 auto 0.82``."""
        parts = [f"{self.labelled} labelled"] if self.labelled else []
        if self.automatic:
            sure = "" if self.mean_confidence is None else f" {self.mean_confidence:.2f}"
            parts.append(f"{self.automatic} auto{sure}")
        return " + ".join(parts) or "none"

    def to_dict(self) -> dict[str, object]:
        return {
            "labelled": self.labelled,
            "automatic": self.automatic,
            "mean_confidence": None
            if self.mean_confidence is None
            else round(self.mean_confidence, 4),
            "summary": self.describe(),
        }


def evidence_of(items: Iterable[Assessed]) -> Evidence:
    """Count what ``items`` hold (callers pass only what passed the confidence bar)."""
    labelled = automatic = 0
    confidences: list[float] = []
    for item in items:
        if item.method == "manual":
            labelled += 1
        else:
            automatic += 1
            if item.confidence is not None:
                confidences.append(item.confidence)
    mean = sum(confidences) / len(confidences) if confidences else None
    return Evidence(labelled, automatic, mean)
