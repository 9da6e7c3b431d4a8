"""A speaker's position on a topic, with the quotes behind it (``quotes position``).

The position is what a journalist would write: favor, against or neutral,
how strongly (score), how sure (confidence) and on what evidence. It is read
from the same effective stances as timelines (a person's label wins and
weighs double; an automatic stance counts only above the confidence bar) and
is made only when the evidence is sufficient by the one rule of
:mod:`quotes.timelines.evidence`; otherwise it says "not enough evidence".

- ``score``: the weighted mean of the effective scores in [-1, 1] (the
  timeline's ``mean``);
- ``label``: favor above +``DEFAULT_NEUTRAL_BAND`` (0.15), against below its
  negative, neutral between (the band shifts use);
- ``confidence``: the share of the evidence that agrees with the label, each
  quote weighted by its weight (2 for a person's label, 1 otherwise) times
  how sure it is (1 for a label, the automatic stance's confidence else). A
  position resting on confident quotes that all agree comes near 1; a split
  or shaky record comes out low even when the mean leans one way.

Only dated quotes are counted (a date range must be able to exclude them);
undated ones and automatic stances under the bar are reported as left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from quotes.records.speakers import require_speaker
from quotes.records.topics import get_topic
from quotes.timelines.aggregate import Observation, mean_score
from quotes.timelines.evidence import DEFAULT_MINIMUM, Evidence, EvidenceMinimum, evidence_of
from quotes.timelines.query import date_clauses, load_observations
from quotes.timelines.shifts import DEFAULT_NEUTRAL_BAND
from quotes.vocabulary import DEFAULT_MIN_CONFIDENCE, validate_min_confidence

#: How many of the strongest quotes for and against a position shows.
STRONGEST = 3
NOT_ENOUGH = "not enough evidence"


@dataclass
class Position:
    """A speaker's position on a topic (``label`` None: not enough evidence)."""

    speaker: str
    topic: str
    since: str | None
    until: str | None
    min_confidence: float
    evidence: Evidence
    label: str | None = None
    score: float | None = None
    confidence: float | None = None
    strongest_for: list[Observation] = field(default_factory=list)
    strongest_against: list[Observation] = field(default_factory=list)
    below_bar: int = 0
    undated: int = 0
    minimum: EvidenceMinimum = DEFAULT_MINIMUM

    @property
    def enough(self) -> bool:
        return self.label is not None

    @property
    def verdict(self) -> str:
        return self.label if self.label is not None else NOT_ENOUGH

    def to_dict(self) -> dict[str, Any]:
        return {
            "speaker": self.speaker,
            "topic": self.topic,
            "since": self.since,
            "until": self.until,
            "position": self.verdict,
            "label": self.label,
            "score": None if self.score is None else round(self.score, 4),
            "confidence": None if self.confidence is None else round(self.confidence, 4),
            "evidence": self.evidence.to_dict(),
            "rule": f"a position needs {self.minimum.describe()}",
            "min_confidence": self.min_confidence,
            "left_out": {"below_confidence": self.below_bar, "undated": self.undated},
            "for": [quote_evidence(o) for o in self.strongest_for],
            "against": [quote_evidence(o) for o in self.strongest_against],
        }


def quote_evidence(obs: Observation) -> dict[str, Any]:
    """One quote behind a claim, with what a reader needs to check it."""
    return {
        "id": obs.quote_id,
        "text": obs.text,
        "kind": obs.kind,
        "date": obs.date_label,
        "source": obs.source,
        "label": obs.label,
        "score": round(obs.score, 4),
        "method": obs.method,
        "confidence": None if obs.confidence is None else round(obs.confidence, 4),
    }


def _certainty(obs: Observation) -> float:
    if obs.method == "manual":
        return 1.0
    return 0.5 if obs.confidence is None else obs.confidence


def position_label(score: float, band: float = DEFAULT_NEUTRAL_BAND) -> str:
    return "favor" if score >= band else "against" if score <= -band else "neutral"


def agreement(observations: list[Observation], label: str) -> float:
    """Weighted share of the evidence that agrees with ``label`` (see the module)."""
    total = sum(o.weight for o in observations)
    if not total:
        return 0.0
    agree = sum(o.weight * _certainty(o) for o in observations if o.label == label)
    return agree / total


def _strongest(observations: list[Observation], label: str) -> list[Observation]:
    """A person's labels first, then the most extreme, most confident automatic ones."""
    side = [o for o in observations if o.label == label]
    sign = 1.0 if label == "favor" else -1.0
    side.sort(key=lambda o: (o.method != "manual", -sign * o.score * _certainty(o), o.quote_id))
    return side[:STRONGEST]


def speaker_position(
    session: Session,
    speaker: str,
    topic: str,
    *,
    since: str | None = None,
    until: str | None = None,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    minimum: EvidenceMinimum = DEFAULT_MINIMUM,
) -> Position:
    """The speaker's position on the topic between ``since`` and ``until``."""
    bar = validate_min_confidence(min_confidence)
    clauses = date_clauses(since, until)
    found = get_topic(session, topic)
    person = require_speaker(session, speaker)
    observed = load_observations(
        session, topic_ids=[found.id], speaker_ids=[person.id], extra=clauses, min_confidence=bar
    )
    observations = observed.observations
    evidence = evidence_of(observations)
    position = Position(
        speaker=person.name,
        topic=found.name,
        since=since,
        until=until,
        min_confidence=bar,
        evidence=evidence,
        below_bar=observed.below_bar,
        undated=observed.undated,
        minimum=minimum,
        strongest_for=_strongest(observations, "favor"),
        strongest_against=_strongest(observations, "against"),
    )
    if evidence.sufficient(minimum):
        score = mean_score(observations)
        position.score = score
        position.label = position_label(score)
        position.confidence = agreement(observations, position.label)
    return position
