"""``quotes stance review``: asking a person for the labels that teach most.

A review session shows the quotes of a topic whose label would help the model
most, records each answer as soon as it is given and refits the topic, so the
next suggestion already reflects it. Answers:

- ``favor`` / ``against`` / ``neutral``: a person's stance label
  (:func:`quotes.meaning.stance.label_stance`, which also links the quote);
- ``off-topic``: a person says the quote is not about the topic
  (:func:`quotes.records.links.unlink_topic`, as ``quotes topics unlink``): a
  ``topic_rejections`` row is written, the link and the quote's stances on the
  topic go (kept in the quote's history), and assignment never relinks it;
- ``skip`` / ``quit``: nothing is written.

Which quotes are suggested, and in what order, is the stance model's
ranking (:func:`quotes.meaning.review.review_candidates`: uncertain *and*
diverse, never a quote a person labelled or rejected); :func:`suggestions`
adds what a person needs to answer: the words, who said them, when, and the
model's current guess with its confidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from quotes.errors import BadInputError
from quotes.records.topics import get_topic
from quotes.store.dates import format_date
from quotes.store.models import Quote, StanceAssessment
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
    from quotes.meaning.review import review_candidates

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


def save_answer(database: Database, quote_id: int, topic: str, answer: Answer) -> bool:
    """Record one answer in its own transaction; True when something was written."""
    if answer in ("skip", "quit"):
        return False
    from quotes.meaning.stance import label_stance
    from quotes.records.links import unlink_topic

    with database.session(write=True) as session:
        if answer == "off-topic":
            unlink_topic(session, quote_id, topic)
        else:
            label_stance(session, quote_id, topic, answer)
    return True


def refit(database: Database, topic: str, embedder: Embedder) -> None:
    """Refit the topic on every answer so far, so the next suggestions reflect them."""
    from quotes.meaning.review import refit_topic

    refit_topic(database, topic, embedder=embedder)
