"""Topics that are right and confidences that are stored, with the real default model."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sqlalchemy import select

from quotes.meaning.confidence import reliability, zero_shot_stance_confidence
from quotes.meaning.relevance import background_statements, near_subjects
from quotes.store.engine import open_database
from quotes.store.models import QuoteTopic, StanceAssessment, Topic, TopicRejection
from quotes.vocabulary import DEFAULT_MIN_CONFIDENCE

SCOTTISH = "A final decision from the Scottish Executive is awaited."
OFF_TOPIC = [
    SCOTTISH,
    "The hospital waiting lists in my constituency have doubled since last spring.",
    "Our schools need more teachers and smaller classes.",
]
ON_TOPIC = "NATO allies must spend more on defence to deter Russian aggression."


def _add(cli, text: str, *extra: str) -> int:
    result = cli.ok("add", text, "--speaker", "Pat Member", "--new-speaker", "--json", *extra)
    return int(json.loads(result.stdout)["id"])


def _topics_of(cli, quote_id: int) -> list[str]:
    return json.loads(cli.ok("show", str(quote_id), "--json").stdout)["topics"]


@pytest.mark.model
def test_off_topic_sentences_are_not_linked_and_confidences_are_stored(seeded) -> None:
    off = {text: _add(seeded, text) for text in OFF_TOPIC}
    nato = _add(seeded, ON_TOPIC)
    seeded.ok("stance", "assign")
    for text, quote_id in off.items():
        assert _topics_of(seeded, quote_id) == [], text
    assert "security" in _topics_of(seeded, nato)
    database = open_database(seeded.url)
    with database.session() as session:
        auto = list(
            session.scalars(select(StanceAssessment).where(StanceAssessment.method == "auto"))
        )
        links = list(session.scalars(select(QuoteTopic).where(QuoteTopic.origin == "auto")))
    assert auto and links
    for assessment in auto:
        assert assessment.confidence is not None and 0.0 <= assessment.confidence <= 1.0
    for link in links:
        assert link.confidence is not None and 0.0 <= link.confidence <= 1.0


@pytest.mark.model
def test_a_rejected_link_stays_away_and_teaches(seeded) -> None:
    nato = _add(seeded, ON_TOPIC)
    twin = _add(seeded, "NATO members must raise defence spending to deter Russia.")
    seeded.ok("stance", "assign", "--topic", "security")
    assert "security" in _topics_of(seeded, nato)
    database = open_database(seeded.url)
    with database.session(write=True) as session:
        topic_id = session.scalar(select(Topic.id).where(Topic.name == "security"))
        before = session.get(QuoteTopic, (twin, topic_id))
        assert before is not None and before.confidence is not None
        twin_before = before.confidence
        session.add(TopicRejection(quote_id=nato, topic_id=topic_id))
    seeded.ok("stance", "assign", "--topic", "security")
    assert "security" not in _topics_of(seeded, nato)
    with database.session() as session:
        assert session.get(QuoteTopic, (nato, topic_id)) is None
        left = session.scalar(
            select(StanceAssessment).where(
                StanceAssessment.quote_id == nato, StanceAssessment.topic_id == topic_id
            )
        )
        assert left is None
        # The rejection is a negative example: a near-identical quote is less sure now.
        twin_link = session.get(QuoteTopic, (twin, topic_id))
        assert twin_link is None or twin_link.confidence < twin_before


def test_confidence_maps_are_probabilities_and_reliability_adds_up() -> None:
    scores = np.linspace(-1, 1, 41)
    labels = ["neutral" if abs(s) < 0.05 else "favor" if s > 0 else "against" for s in scores]
    confidence = zero_shot_stance_confidence(scores, labels)
    assert np.all((confidence >= 0) & (confidence <= 1))
    decided = [i for i, label in enumerate(labels) if label != "neutral"]
    assert confidence[decided][np.argmax(np.abs(scores[decided]))] == confidence.max()
    assert 0.0 < DEFAULT_MIN_CONFIDENCE < 1.0
    table, ece = reliability([0.9, 0.9, 0.1, 0.1], [1, 1, 0, 0])
    assert ece == pytest.approx(0.1) and sum(row[2] for row in table) == 4
    _, perfect = reliability([1.0, 0.0], [1, 0])
    assert perfect == 0.0


def test_background_leaves_out_subjects_near_a_users_topic() -> None:
    statements = background_statements()
    assert len(statements) >= 500
    subjects = {s for _, subs in statements for s in subs}
    assert "military" not in subjects and "trade" not in subjects  # near the default topics
    # Hand-made vectors: every "health-care" statement points one way, the rest another.
    dimension = 4
    vectors = np.zeros((len(statements), dimension), dtype=np.float32)
    for row, (_, subs) in enumerate(statements):
        vectors[row, 0 if "health-care" in subs else 1 + row % 3] = 1.0
    near = near_subjects(np.array([1.0, 0, 0, 0]), vectors)
    assert "health-care" in near and len(near) <= 5
