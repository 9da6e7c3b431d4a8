"""What the extractor returns: candidates, and the attribution evidence behind each.

Kept apart from the reader (:mod:`.extract`) so that code which only consumes
candidates (saving, rendering, the benchmark) reads the shapes, not the rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from quotes.ingest.extraction.confidence import confidence_of


@dataclass(frozen=True)
class Attribution:
    """Who said a quotation and the evidence for it.

    ``rule`` is how the quotation was tied to its cue, ``name_from`` how the
    speaker's name was found (None: no speaker), ``confidence`` what the two
    are worth together (:func:`confidence_of`).
    """

    speaker: str | None = None
    cue: str | None = None
    rule: str = "none"
    name_from: str | None = None
    confidence: float = 0.0

    def carried(self, rule: str) -> Attribution:
        """The same speaker for a quotation with no cue of its own."""
        if self.speaker is None:
            return Attribution(None, self.cue, rule)
        value = round(self.confidence * confidence_of(rule, "carried"), 2)
        return Attribution(self.speaker, self.cue, rule, self.name_from, value)


#: no speaker, no cue
NOBODY = Attribution()


@dataclass(frozen=True)
class Candidate:
    """A quotation found in the article.

    ``start``/``end`` are character offsets of the quoted words in the input
    (for a quotation split around its cue, from the first part's start to the
    last part's end; ``spans`` lists each part). ``text`` is the quotation as it
    reads on its own: a comma that only led into the cue becomes a full stop.
    ``confidence`` (0-1, 0 without a speaker) rests on ``rule`` (how the
    quotation was tied to its cue) and ``name_from`` (how the name was found).
    """

    text: str
    speaker: str | None
    kind: str
    start: int
    end: int
    cue: str | None
    partial: bool
    spans: tuple[tuple[int, int], ...]
    #: the article's sentence the quotation starts in (context for a partial one)
    sentence: tuple[int, int] = (0, 0)
    confidence: float = 0.0
    rule: str = "none"
    name_from: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The contract's candidate object, plus ``partial``, ``spans`` and the evidence."""
        return {
            "text": self.text,
            "speaker": self.speaker,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "cue": self.cue,
            "partial": self.partial,
            "spans": [list(span) for span in self.spans],
            "confidence": self.confidence,
            "evidence": {"rule": self.rule, "name_from": self.name_from},
        }


@dataclass(frozen=True)
class Extraction:
    candidates: list[Candidate]
    #: offsets of opening quotation marks that were never closed
    unclosed: list[int]
