"""A person's say on what a quote is about: link, unlink, and taking back a label.

A person's link (origin manual) is never removed by automatic assignment.
Unlinking says the opposite, "this quote is not about this topic": the link
goes, and a row in ``topic_rejections`` makes automatic assignment never link
the pair again, until a person links it once more (any manual link clears the
rejection: quotes.records.quotes.link_topics). Every change is recorded in the
quote's history first, so a removed link or label can be read back and is
restored with the quote.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from quotes.errors import BadInputError
from quotes.records import history
from quotes.records.quote_edits import require_quote
from quotes.records.quotes import link_topics, manual_assessment
from quotes.records.topics import get_topic
from quotes.store.models import QuoteTopic, StanceAssessment, TopicRejection


@dataclass
class LinkResult:
    """What a link or unlink did."""

    quote_id: int
    topic: str
    changed: bool
    #: link: the link was automatic and is now a person's; unlink: there was a link.
    was_linked: bool = False
    was_rejected: bool = False
    #: unlink: the person's label on the topic that was removed with the link.
    removed_label: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def link_topic(session: Session, quote_id: int, topic: str) -> LinkResult:
    """A person says the quote is about ``topic`` (clears an earlier unlink)."""
    found = get_topic(session, topic)
    quote = require_quote(session, quote_id)
    link = session.get(QuoteTopic, (quote_id, found.id))
    rejected = session.get(TopicRejection, (quote_id, found.id)) is not None
    if link is not None and link.origin == "manual" and not rejected:
        return LinkResult(quote_id, found.name, changed=False, was_linked=True)
    history.append(session, "quote", quote_id, "link", history.quote_snapshot(session, quote))
    link_topics(session, quote_id, [found])
    session.expire(quote)
    return LinkResult(
        quote_id, found.name, changed=True, was_linked=link is not None, was_rejected=rejected
    )


def unlink_topic(session: Session, quote_id: int, topic: str) -> LinkResult:
    """A person says the quote is *not* about ``topic``; assignment never relinks it.

    The link goes whoever made it, with the stance assessments on that topic
    (a person's label too: a label says where a statement stands on a topic it
    is about). They stay readable in the quote's history.
    """
    found = get_topic(session, topic)
    quote = require_quote(session, quote_id)
    link = session.get(QuoteTopic, (quote_id, found.id))
    rejected = session.get(TopicRejection, (quote_id, found.id)) is not None
    label = manual_assessment(session, quote_id, found.id)
    has_assessment = session.scalar(
        select(StanceAssessment.id).where(
            StanceAssessment.quote_id == quote_id, StanceAssessment.topic_id == found.id
        )
    )
    result = LinkResult(
        quote_id,
        found.name,
        changed=False,
        was_linked=link is not None,
        was_rejected=rejected,
        removed_label=label.label if label is not None else None,
    )
    if rejected and link is None and has_assessment is None:
        return result
    history.append(session, "quote", quote_id, "unlink", history.quote_snapshot(session, quote))
    session.execute(
        delete(StanceAssessment)
        .where(StanceAssessment.quote_id == quote_id, StanceAssessment.topic_id == found.id)
        .execution_options(synchronize_session="fetch")
    )
    if link is not None:
        session.delete(link)
    if not rejected:
        session.add(TopicRejection(quote_id=quote_id, topic_id=found.id))
    session.flush()
    session.expire(quote)
    result.changed = True
    return result


@dataclass
class UnlabelResult:
    quote_id: int
    topic: str
    label: str

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def unlabel_stance(session: Session, quote_id: int, topic: str) -> UnlabelResult:
    """Remove a person's stance label (the quote's history keeps it).

    The quote stays linked to the topic; the next ``stance assign`` scores it
    automatically and no longer learns from the label. A quote without a
    person's label on the topic is bad input (exit code 2).
    """
    found = get_topic(session, topic)
    quote = require_quote(session, quote_id)
    label = manual_assessment(session, quote_id, found.id)
    if label is None:
        raise BadInputError(
            f"quote {quote_id} has no person's label on {found.name}: see `quotes show {quote_id}`."
        )
    history.append(session, "quote", quote_id, "unlabel", history.quote_snapshot(session, quote))
    removed = label.label
    session.delete(label)
    session.flush()
    session.expire(quote)
    return UnlabelResult(quote_id, found.name, removed)
