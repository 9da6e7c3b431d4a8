"""Curation and what is computed from the records: vectors, automatic links, stances.

A small bag-of-words embedder keeps most of these fast; one behaviour test runs
the real default model through the CLI.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence

import numpy as np
import pytest
from sqlalchemy import select

from quotes.meaning.stance import assign_stances
from quotes.meaning.vectors import embed_missing
from quotes.records.links import link_topic, unlink_topic
from quotes.records.quote_edits import edit_quote
from quotes.records.quotes import add_quote, get_quote
from quotes.records.topic_edits import edit_topic
from quotes.records.topics import add_topic
from quotes.search.query import search
from quotes.store.engine import Database
from quotes.store.models import Embedding, QuoteTopic, StanceAssessment, TopicRejection


class WordsEmbedder:
    """Hashed bag of words: texts sharing words are close, and it runs in microseconds."""

    name = "fake-words"
    dimension = 64

    def __init__(self) -> None:
        self.encoded: list[str] = []

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        self.encoded += list(texts)
        rows = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in zip(rows, texts, strict=True):
            for word in re.findall(r"\w+", text.lower()):
                row[int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dimension] += 1
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        return rows / np.where(norms == 0, 1, norms)


WHALING = {
    "description": "Whaling: hunting whales, whale meat and whaling quotas.",
    "favor": "Whaling should be allowed. Hunting whales is our tradition.",
    "against": "Whaling must be banned. Hunting whales is cruel.",
}
ABOUT_WHALING = "Hunting whales is our tradition and whaling should be allowed."
ELSEWHERE = "Steel tariffs will rise next month on imports."


def _setup(db: Database) -> tuple[int, int]:
    with db.session(write=True) as session:
        add_topic(session, "whaling", **WHALING)
        about = add_quote(session, ABOUT_WHALING, "Kari Hunter", new_speaker=True).quote_id
        other = add_quote(session, ELSEWHERE, "Kari Hunter").quote_id
    return about, other


def _links(db: Database, quote_id: int) -> list[tuple[str, str]]:
    with db.session() as session:
        return [
            (link.topic.name, link.origin)
            for link in session.scalars(select(QuoteTopic).where(QuoteTopic.quote_id == quote_id))
        ]


def _auto_assessments(db: Database, quote_id: int) -> int:
    with db.session() as session:
        rows = session.scalars(
            select(StanceAssessment.id).where(
                StanceAssessment.quote_id == quote_id, StanceAssessment.method == "auto"
            )
        ).all()
    return len(rows)


def test_unlinked_quote_is_never_relinked_by_assignment(db: Database) -> None:
    about, _ = _setup(db)
    fake = WordsEmbedder()
    assign_stances(db, embedder=fake)
    assert _links(db, about) == [("whaling", "auto")]
    assert _auto_assessments(db, about) == 1

    with db.session(write=True) as session:
        unlink_topic(session, about, "whaling")
    assert _links(db, about) == [] and _auto_assessments(db, about) == 0
    report = assign_stances(db, embedder=fake)
    assert _links(db, about) == [] and _auto_assessments(db, about) == 0
    assert report.topics[0].links_added == 0

    # A person's link clears the rejection, and the link is theirs.
    with db.session(write=True) as session:
        link_topic(session, about, "whaling")
    assign_stances(db, embedder=fake)
    assert _links(db, about) == [("whaling", "manual")]
    assert _auto_assessments(db, about) == 1
    with db.session() as session:
        assert session.scalars(select(TopicRejection)).all() == []


def test_edited_text_is_reembedded_and_reassessed(db: Database) -> None:
    about, other = _setup(db)
    fake = WordsEmbedder()
    assign_stances(db, embedder=fake)
    with db.session() as session:
        hits = search(session, "steel tariffs imports", mode="semantic", embedder=fake, limit=1)
    assert hits[0].quote["id"] == other  # the matrix of vectors is now cached in-process

    with db.session(write=True) as session:
        result = edit_quote(session, other, text="Penguins are birds that cannot fly.")
    assert result.embeddings_removed == 1
    with db.session() as session:
        assert session.scalars(select(Embedding).where(Embedding.quote_id == other)).all() == []
        hits = search(session, "steel tariffs imports", mode="semantic", embedder=fake, limit=5)
    # The old vector no longer answers for the new text.
    assert other not in [h.quote["id"] for h in hits]

    fake.encoded.clear()
    report = embed_missing(db, embedder=fake)
    assert report.pending == 1 and fake.encoded == ["Penguins are birds that cannot fly."]
    with db.session() as session:
        hits = search(session, "penguins birds", mode="semantic", embedder=fake, limit=1)
        (vector,) = session.scalars(select(Embedding).where(Embedding.quote_id == other)).all()
        assert vector.content_hash == get_quote(session, other).text_hash
    assert hits[0].quote["id"] == other

    # Editing the whaling quote's text drops its automatic results; assign redoes them.
    with db.session(write=True) as session:
        edited = edit_quote(session, about, text="Hunting whales is an old tradition of ours.")
    assert (edited.assessments_removed, edited.links_removed) == (1, 1)
    assert _links(db, about) == [] and _auto_assessments(db, about) == 0
    assign_stances(db, embedder=fake)
    assert _links(db, about) == [("whaling", "auto")] and _auto_assessments(db, about) == 1


def test_topic_edit_makes_assignment_redo_its_assessments(db: Database) -> None:
    about, _ = _setup(db)
    fake = WordsEmbedder()
    assign_stances(db, embedder=fake)
    with db.session() as session:
        (before,) = session.scalars(
            select(StanceAssessment).where(StanceAssessment.quote_id == about)
        ).all()
        old_model = before.model
    with db.session(write=True) as session:
        result = edit_topic(session, "whaling", favor="Whaling must continue. Whale meat is food.")
    assert (result.assessments_removed, result.links_removed) == (1, 1)
    assert _auto_assessments(db, about) == 0
    report = assign_stances(db, embedder=fake)
    assert report.topics[0].assessed >= 1
    with db.session() as session:
        (after,) = session.scalars(
            select(StanceAssessment).where(StanceAssessment.quote_id == about)
        ).all()
    assert after.model != old_model  # the new poles' fingerprint


@pytest.mark.model
def test_unlink_holds_against_the_real_model(seeded) -> None:
    seeded.ok("stance", "assign")
    lines = seeded.ok("export", "--format", "jsonl").stdout.splitlines()
    linked = [
        q
        for q in map(json.loads, lines)
        if any(
            link["topic"] == "sovereignty" and link["origin"] == "auto" for link in q["topic_links"]
        )
    ]
    assert linked, "the seed quotations include statements about sovereignty"
    quote_id = linked[0]["id"]
    seeded.ok("topics", "unlink", str(quote_id), "sovereignty")
    seeded.ok("stance", "assign")
    shown = json.loads(seeded.ok("show", str(quote_id), "--json").stdout)
    assert "sovereignty" not in shown["topics"]
    assert all(s["topic"] != "sovereignty" for s in shown["stances"])
    seeded.ok("topics", "link", str(quote_id), "sovereignty")
    seeded.ok("stance", "assign")
    shown = json.loads(seeded.ok("show", str(quote_id), "--json").stdout)
    assert {"topic": "sovereignty", "origin": "manual", "confidence": None} in shown["topic_links"]
    assert any(s["topic"] == "sovereignty" and s["method"] == "auto" for s in shown["stances"])
