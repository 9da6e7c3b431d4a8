"""``quotes stance review``: asking a person for the labels that teach most.

A review session shows the quotes of a topic whose label would help the model
most, records each answer as soon as it is given and refits the topic, so the
next suggestion already reflects it. Answers:

- ``favor`` / ``against`` / ``neutral``: a person's stance label
  (:func:`quotes.meaning.stance.label_stance`, which also links the quote);
- ``off-topic``: a person says the quote is not about the topic; a
  ``topic_rejections`` row is written, the link and the quote's stances on the
  topic are removed, and automatic assignment must not link it again;
- ``skip`` / ``quit``: nothing is written.

Which quotes are suggested comes from :func:`review_candidates`. Until the
stance model supplies its own ranking (uncertain *and* diverse), this module
ranks by stored uncertainty: the automatic assessments least sure of
themselves first (lowest confidence; while no confidence is stored, the score
nearest 0, i.e. the decision boundary). Quotes a person labelled or rejected
are never suggested.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from quotes.errors import NotFoundError
from quotes.records.topics import get_topic
from quotes.store.dates import format_date
from quotes.store.models import Quote, QuoteTopic, StanceAssessment, TopicRejection
from quotes.vocabulary import choose

if TYPE_CHECKING:
    from quotes.meaning.encoder import Embedder
    from quotes.store.engine import Database

Answer = Literal["favor", "against", "neutral", "off-topic", "skip", "quit"]
ANSWERS: tuple[Answer, ...] = ("favor", "against", "neutral", "off-topic", "skip", "quit")
#: One-letter answers a person can type.
SHORT_ANSWERS: dict[str, Answer] = {
    "f": "favor",
    "a": "against",
    "n": "neutral",
    "o": "off-topic",
    "s": "skip",
    "q": "quit",
}
MAX_REVIEW_LIMIT = 1000


def parse_answer(text: str) -> Answer:
    """``f``/``favor`` ... ``q``/``quit`` (trimmed, any case); else bad input."""
    cleaned = text.strip().lower()
    if cleaned in SHORT_ANSWERS:
        return SHORT_ANSWERS[cleaned]
    return choose(cleaned, ANSWERS, "answer")


@dataclass
class ReviewCandidate:
    """A quote whose label would teach the topic's model, and why it was picked."""

    quote_id: int
    text: str
    kind: str
    speaker: str
    date: str | None
    label: str | None
    score: float | None
    confidence: float | None
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.quote_id,
            "text": self.text,
            "kind": self.kind,
            "speaker": self.speaker,
            "date": self.date,
            "label": self.label,
            "score": None if self.score is None else round(self.score, 4),
            "confidence": None if self.confidence is None else round(self.confidence, 4),
            "reason": self.reason,
        }


def _uncertainty(assessment: StanceAssessment) -> float:
    """Lower is less sure: the confidence, else how far the score is from 0."""
    if assessment.confidence is not None:
        return float(assessment.confidence)
    return abs(float(assessment.score))


def review_candidates(
    session: Session, topic: str, *, limit: int = 10, exclude: frozenset[int] = frozenset()
) -> list[ReviewCandidate]:
    """The ``limit`` quotes of ``topic`` whose label would help most, best first."""
    found = get_topic(session, topic)
    labelled = select(StanceAssessment.quote_id).where(
        StanceAssessment.topic_id == found.id, StanceAssessment.method == "manual"
    )
    rejected = select(TopicRejection.quote_id).where(TopicRejection.topic_id == found.id)
    rows = session.execute(
        select(Quote, StanceAssessment)
        .join(QuoteTopic, (QuoteTopic.quote_id == Quote.id) & (QuoteTopic.topic_id == found.id))
        .join(
            StanceAssessment,
            (StanceAssessment.quote_id == Quote.id)
            & (StanceAssessment.topic_id == found.id)
            & (StanceAssessment.method == "auto"),
        )
        .where(Quote.id.not_in(labelled), Quote.id.not_in(rejected))
    ).all()
    ranked = sorted(
        (pair for pair in rows if pair[0].id not in exclude),
        key=lambda pair: (_uncertainty(pair[1]), pair[0].id),
    )
    candidates = []
    for quote, assessment in ranked[:limit]:
        reason = (
            f"uncertain: confidence {assessment.confidence:.2f}"
            if assessment.confidence is not None
            else f"uncertain: score {assessment.score:+.2f} is near the boundary"
        )
        candidates.append(
            ReviewCandidate(
                quote_id=quote.id,
                text=quote.text,
                kind=quote.kind,
                speaker=quote.speaker.name,
                date=format_date(quote.date, quote.date_precision),
                label=assessment.label,
                score=float(assessment.score),
                confidence=assessment.confidence,
                reason=reason,
            )
        )
    return candidates


def reject_topic(session: Session, quote_id: int, topic: str) -> None:
    """A person says the quote is not about the topic: remember it, drop link and stances."""
    found = get_topic(session, topic)
    if session.get(Quote, quote_id) is None:
        raise NotFoundError(f"no quote with id {quote_id}: see `quotes search` or `quotes export`.")
    if session.get(TopicRejection, (quote_id, found.id)) is None:
        session.add(TopicRejection(quote_id=quote_id, topic_id=found.id))
    _drop_pairs(session, found.id, [quote_id])


def _drop_pairs(session: Session, topic_id: int, quote_ids: list[int]) -> None:
    if not quote_ids:
        return
    session.execute(
        delete(QuoteTopic).where(
            QuoteTopic.topic_id == topic_id, QuoteTopic.quote_id.in_(quote_ids)
        )
    )
    session.execute(
        delete(StanceAssessment).where(
            StanceAssessment.topic_id == topic_id, StanceAssessment.quote_id.in_(quote_ids)
        )
    )
    session.flush()


def honour_rejections(session: Session, topic: str) -> None:
    """Remove any automatic link or stance a refit made on a rejected pair.

    Automatic assignment is meant to skip rejected pairs itself; this keeps a
    review session right whatever the assignment does.
    """
    found = get_topic(session, topic)
    rejected = list(
        session.scalars(select(TopicRejection.quote_id).where(TopicRejection.topic_id == found.id))
    )
    auto_links = list(
        session.scalars(
            select(QuoteTopic.quote_id).where(
                QuoteTopic.topic_id == found.id,
                QuoteTopic.origin == "auto",
                QuoteTopic.quote_id.in_(rejected),
            )
        )
    )
    _drop_pairs(session, found.id, auto_links)


def save_answer(database: Database, quote_id: int, topic: str, answer: Answer) -> bool:
    """Record one answer in its own transaction; True when something was written."""
    if answer in ("skip", "quit"):
        return False
    from quotes.meaning.stance import label_stance

    with database.session(write=True) as session:
        if answer == "off-topic":
            reject_topic(session, quote_id, topic)
        else:
            label_stance(session, quote_id, topic, answer)
    return True


def refit(database: Database, topic: str, embedder: Embedder) -> None:
    """Re-assign the topic so the next suggestions reflect every answer so far."""
    from quotes.meaning.stance import assign_stances

    assign_stances(database, topic=topic, embedder=embedder)
    with database.session(write=True) as session:
        honour_rejections(session, topic)
