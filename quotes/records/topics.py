"""Topics: subjects with a proposition (favor pole) and its opposite (against pole).

Stance labels are relative to the favor pole. The three default topics ship in
``seeds/topics.json``; their pole texts drive zero-shot stance scoring, so they
are full sentences a statement can be compared with.
"""

from __future__ import annotations

import json
import re
from importlib import resources

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quotes.errors import BadInputError
from quotes.results import TopicRecord
from quotes.store.models import QuoteTopic, Topic
from quotes.store.normalize import clean_text

_NAME = re.compile(r"^[a-z0-9][a-z0-9 _-]{0,99}$")


def default_topics() -> list[dict[str, str]]:
    """The bundled default topics (sovereignty, tariffs, security)."""
    text = resources.files("quotes.seeds").joinpath("topics.json").read_text("utf-8")
    data: list[dict[str, str]] = json.loads(text)
    return data


def topic_name(name: str) -> str:
    """Topic names are case-insensitive: stored lower-case, trimmed."""
    cleaned = clean_text(name, what="topic name").lower()
    if not _NAME.match(cleaned):
        raise BadInputError(
            f"invalid topic name {name!r}: use up to 100 letters, digits, spaces, '-' or '_'."
        )
    return cleaned


def get_topic(session: Session, name: str) -> Topic:
    """The topic called ``name``; an unknown one is bad input naming the known ones."""
    topic = session.scalar(
        select(Topic).where(Topic.name == clean_text(name, what="topic name").lower())
    )
    if topic is None:
        known = ", ".join(session.scalars(select(Topic.name).order_by(Topic.name))) or "none yet"
        raise BadInputError(
            f"unknown topic {name!r}: known topics are {known} (add one with `quotes topics add`)."
        )
    return topic


def add_topic(session: Session, name: str, *, description: str, favor: str, against: str) -> Topic:
    """Define a new topic; every text must be non-empty and the name unused."""
    cleaned = topic_name(name)
    fields = {"--description": description, "--favor": favor, "--against": against}
    for option, value in fields.items():
        if not value or not value.strip():
            raise BadInputError(f"{option} is empty: topic {cleaned!r} needs all three texts.")
    if session.scalar(select(Topic.id).where(Topic.name == cleaned)) is not None:
        raise BadInputError(f"topic {cleaned!r} already exists: see `quotes topics list`.")
    topic = Topic(
        name=cleaned,
        description=clean_text(description, what="--description"),
        favor_pole=clean_text(favor, what="--favor"),
        against_pole=clean_text(against, what="--against"),
    )
    session.add(topic)
    session.flush()
    return topic


def install_default_topics(session: Session) -> list[str]:
    """Create the default topics that do not exist yet; returns the names created."""
    created = []
    for spec in default_topics():
        if session.scalar(select(Topic.id).where(Topic.name == spec["name"])) is None:
            add_topic(
                session,
                spec["name"],
                description=spec["description"],
                favor=spec["favor"],
                against=spec["against"],
            )
            created.append(spec["name"])
    return created


def list_topics(session: Session) -> list[TopicRecord]:
    """Every topic with its poles and the number of quotes linked to it."""
    counts = dict(
        session.execute(
            select(QuoteTopic.topic_id, func.count()).group_by(QuoteTopic.topic_id)
        ).all()
    )
    return [
        TopicRecord(t.name, t.description, t.favor_pole, t.against_pole, counts.get(t.id, 0))
        for t in session.scalars(select(Topic).order_by(Topic.name))
    ]
