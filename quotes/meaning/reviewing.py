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

Which quotes are suggested comes from :func:`review_candidates` (the
interface of the stance model's ranking, which weighs uncertainty and
diversity); :func:`suggestions` adds what a person needs to answer. The
ranking here is by stored uncertainty: the automatic assessments least sure
of themselves first (lowest confidence; where none is stored, the score
nearest 0, the decision boundary). Quotes a person labelled or rejected are
never suggested.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from quotes.errors import BadInputError, NotFoundError
from quotes.records.quotes import manual_assessment
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


class ReviewCandidate(NamedTuple):
    """A quote worth labelling: why, and how likely the tool is wrong about it now.

    The shape the stance model's ranking (``quotes.meaning.review``) returns.
    """

    quote_id: int
    uncertainty: float
    reason: str


@dataclass
class Suggestion:
    """A candidate as a person (or a script) sees it: the quote and the current guess."""

    quote_id: int
    text: str
    kind: str
    speaker: str
    date: str | None
    topic: str
    label: str | None
    score: float | None
    confidence: float | None
    uncertainty: float
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.quote_id,
            "text": self.text,
            "kind": self.kind,
            "speaker": self.speaker,
            "date": self.date,
            "topic": self.topic,
            "label": self.label,
            "score": None if self.score is None else round(self.score, 4),
            "confidence": None if self.confidence is None else round(self.confidence, 4),
            "uncertainty": round(self.uncertainty, 4),
            "reason": self.reason,
        }


def _uncertainty(assessment: StanceAssessment) -> float:
    """The chance the label is wrong: 1 - confidence, else how near the score is to 0."""
    if assessment.confidence is not None:
        return 1.0 - float(assessment.confidence)
    return 1.0 - min(1.0, abs(float(assessment.score)))


def review_candidates(
    session: Session, topic: str, limit: int = 10, *, embedder: Embedder | None = None
) -> list[ReviewCandidate]:
    """The ``limit`` quotes of ``topic`` whose label would help most, best first.

    Ranked by stored uncertainty only (see the module); ``embedder`` is
    accepted for the stance model's signature and not needed here.
    """
    found = get_topic(session, topic)
    labelled = select(StanceAssessment.quote_id).where(
        StanceAssessment.topic_id == found.id, StanceAssessment.method == "manual"
    )
    rejected = select(TopicRejection.quote_id).where(TopicRejection.topic_id == found.id)
    rows = session.scalars(
        select(StanceAssessment)
        .join(
            QuoteTopic,
            (QuoteTopic.quote_id == StanceAssessment.quote_id) & (QuoteTopic.topic_id == found.id),
        )
        .where(
            StanceAssessment.topic_id == found.id,
            StanceAssessment.method == "auto",
            StanceAssessment.quote_id.not_in(labelled),
            StanceAssessment.quote_id.not_in(rejected),
        )
    ).all()
    ranked = sorted(rows, key=lambda a: (-_uncertainty(a), a.quote_id))[: max(0, limit)]
    return [
        ReviewCandidate(
            a.quote_id,
            round(_uncertainty(a), 4),
            f"stance unsure: {a.label}, "
            + (
                f"confidence {a.confidence:.2f}"
                if a.confidence is not None
                else f"score {a.score:+.2f} near the boundary"
            ),
        )
        for a in ranked
    ]


def suggestions(
    session: Session,
    topic: str,
    limit: int = 10,
    *,
    exclude: frozenset[int] = frozenset(),
    embedder: Embedder | None = None,
) -> list[Suggestion]:
    """The best ``limit`` candidates not in ``exclude``, with their quotes and current guess."""
    if not 1 <= limit <= MAX_REVIEW_LIMIT:
        raise BadInputError(f"invalid --limit {limit}: use a number from 1 to {MAX_REVIEW_LIMIT}.")
    found = get_topic(session, topic)
    ranked = [
        c
        for c in review_candidates(session, found.name, limit + len(exclude), embedder=embedder)
        if c.quote_id not in exclude
    ][:limit]
    ids = [c.quote_id for c in ranked]
    quotes = {q.id: q for q in session.scalars(select(Quote).where(Quote.id.in_(ids)))}
    guesses = {
        a.quote_id: a
        for a in session.scalars(
            select(StanceAssessment).where(
                StanceAssessment.topic_id == found.id,
                StanceAssessment.method == "auto",
                StanceAssessment.quote_id.in_(ids),
            )
        )
    }
    found_suggestions = []
    for candidate in ranked:
        quote = quotes.get(candidate.quote_id)
        if quote is None:
            continue
        guess = guesses.get(candidate.quote_id)
        found_suggestions.append(
            Suggestion(
                quote_id=quote.id,
                text=quote.text,
                kind=quote.kind,
                speaker=quote.speaker.name,
                date=format_date(quote.date, quote.date_precision),
                topic=found.name,
                label=guess.label if guess else None,
                score=float(guess.score) if guess else None,
                confidence=guess.confidence if guess else None,
                uncertainty=candidate.uncertainty,
                reason=candidate.reason,
            )
        )
    return found_suggestions


def reject_topic(session: Session, quote_id: int, topic: str) -> None:
    """A person says the quote is not about the topic: remember it, drop the link and
    the automatic stance. A person's stance label on the topic is never dropped
    silently: it must be removed first (bad input otherwise)."""
    found = get_topic(session, topic)
    if session.get(Quote, quote_id) is None:
        raise NotFoundError(f"no quote with id {quote_id}: see `quotes search` or `quotes export`.")
    if manual_assessment(session, quote_id, found.id) is not None:
        raise BadInputError(
            f"quote {quote_id} has a person's stance label on {found.name}: remove it with "
            f"`quotes stance unlabel {quote_id} --topic {found.name}` before calling it off-topic."
        )
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
