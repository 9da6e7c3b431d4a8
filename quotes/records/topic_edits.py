"""Changing a topic's description and poles, with the earlier version kept.

The poles define what favor and against mean, and with the description they
decide which quotes are about the topic, so everything automatic computed from
the old texts is stale: the topic's automatic stance assessments and automatic
links are removed, and the next ``quotes stance assign`` redoes them. A
person's links and labels stay (they were given against the proposition as
the person read it; the topic's history keeps the old texts).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from quotes.errors import BadInputError
from quotes.records import history
from quotes.records.topics import get_topic
from quotes.store.models import QuoteTopic, StanceAssessment
from quotes.store.normalize import clean_text


@dataclass
class TopicEdit:
    """What ``edit_topic`` changed and which automatic results it removed."""

    topic: str
    changed: list[str] = field(default_factory=list)
    assessments_removed: int = 0
    links_removed: int = 0

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


def edit_topic(
    session: Session,
    name: str,
    *,
    description: str | None = None,
    favor: str | None = None,
    against: str | None = None,
) -> TopicEdit:
    """Change the texts given (None leaves one as it is; an empty text is bad input)."""
    given = {"description": description, "favor": favor, "against": against}
    if all(value is None for value in given.values()):
        raise BadInputError("nothing to edit: give --description, --favor or --against.")
    topic = get_topic(session, name)
    columns = {"description": "description", "favor": "favor_pole", "against": "against_pole"}
    values: dict[str, str] = {}
    for option, value in given.items():
        if value is None:
            continue
        cleaned = clean_text(value)
        if not cleaned:
            raise BadInputError(f"--{option} is empty: topic {topic.name!r} needs all three texts.")
        if cleaned != getattr(topic, columns[option]):
            values[option] = cleaned
    result = TopicEdit(topic.name)
    if not values:
        return result
    history.append(session, "topic", topic.id, "edit", history.topic_snapshot(topic))
    for option, value in values.items():
        setattr(topic, columns[option], value)
        result.changed.append(option)
    assessments = session.execute(
        delete(StanceAssessment)
        .where(StanceAssessment.topic_id == topic.id, StanceAssessment.method == "auto")
        .execution_options(synchronize_session=False)
    )
    links = session.execute(
        delete(QuoteTopic)
        .where(QuoteTopic.topic_id == topic.id, QuoteTopic.origin == "auto")
        .execution_options(synchronize_session=False)
    )
    result.assessments_removed = int(getattr(assessments, "rowcount", 0) or 0)
    result.links_removed = int(getattr(links, "rowcount", 0) or 0)
    session.flush()
    return result


def topic_history(session: Session, name: str) -> list[history.Version]:
    """The topic's earlier descriptions and poles, oldest first."""
    topic = get_topic(session, name)
    return history.versions(session, "topic", topic.id, history.topic_snapshot(topic))
