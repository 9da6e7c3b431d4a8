"""``--stance-model``: another sentence-transformers model scores topics and stances.

Its vectors live under its own model id beside the default's and are never
mixed: a topic is scored from one model's vectors, and the model is recorded
in each automatic assessment.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from quotes.meaning.encoder import resolve_model_path
from quotes.store.engine import open_database
from quotes.store.models import Embedding, StanceAssessment
from quotes.store.settings import DEFAULT_MODEL

pytestmark = pytest.mark.model


def _state(url: str) -> tuple[list[tuple[str, int]], list[tuple[int, int, str, float, str | None]]]:
    """(vectors per model, every stance assessment) as stored."""
    database = open_database(url)
    with database.session() as session:
        vectors = session.execute(
            select(Embedding.model, func.count())
            .group_by(Embedding.model)
            .order_by(Embedding.model)
        ).all()
        assessments = session.execute(
            select(
                StanceAssessment.quote_id,
                StanceAssessment.topic_id,
                StanceAssessment.label,
                StanceAssessment.score,
                StanceAssessment.model,
            ).order_by(StanceAssessment.quote_id, StanceAssessment.topic_id)
        ).all()
    return [tuple(v) for v in vectors], [tuple(a) for a in assessments]  # type: ignore[misc]


def test_an_unknown_stance_model_exits_2_with_one_sentence_and_changes_nothing(seeded) -> None:
    seeded.ok("stance", "assign")
    before = _state(seeded.url)
    assert before[0] and before[1]
    for command in (("stance", "assign"), ("stance", "review", "--topic", "sovereignty")):
        result = seeded(*command, "--stance-model", "no-such-org/no-such-model-xyz")
        assert result.exit_code == 2, result.output
        message = result.stderr.strip()
        assert "no-such-org/no-such-model-xyz" in message and "\n" not in message
        assert "Traceback" not in result.output
        assert _state(seeded.url) == before


def test_the_default_model_named_explicitly_behaves_like_the_default(seeded) -> None:
    default = json.loads(seeded.ok("stance", "assign", "--json").stdout)
    before = _state(seeded.url)
    named = json.loads(
        seeded.ok("stance", "assign", "--stance-model", DEFAULT_MODEL, "--json").stdout
    )
    assert named["model"] == default["model"] == DEFAULT_MODEL
    assert named["quotes"] == default["quotes"]
    assert [t["linked"] for t in named["topics"]] == [t["linked"] for t in default["topics"]]
    assert all(t["assessed"] == 0 and t["links_added"] == 0 for t in named["topics"]), named
    assert _state(seeded.url) == before
    suggested = seeded.ok("stance", "review", "--topic", "sovereignty", "--json").stdout
    assert (
        seeded.ok(
            "stance", "review", "--topic", "sovereignty", "--json", "--stance-model", DEFAULT_MODEL
        ).stdout
        == suggested
    )


def test_another_model_keeps_its_own_vectors_and_never_mixes(seeded, tmp_path: Path) -> None:
    """A local copy of the default model is another model to quotes (its id is its path)."""
    other = tmp_path / "other-model"
    shutil.copytree(resolve_model_path(DEFAULT_MODEL), other)
    seeded.ok("stance", "assign")
    vectors, assessments = _state(seeded.url)
    assert vectors == [(DEFAULT_MODEL, 8)]
    report = json.loads(
        seeded.ok("stance", "assign", "--stance-model", str(other), "--json").stdout
    )
    assert report["model"] == str(other.resolve())
    after_vectors, after = _state(seeded.url)
    assert after_vectors == sorted([(DEFAULT_MODEL, 8), (str(other.resolve()), 8)])
    automatic = [model for *_, model in after if model is not None]
    assert automatic and all(m.startswith(f"{other.resolve()} ") for m in automatic)
    # The default again: every automatic assessment is the default's, none left over.
    seeded.ok("stance", "assign")
    _, again = _state(seeded.url)
    automatic = [model for *_, model in again if model is not None]
    assert automatic and all(m.startswith(f"{DEFAULT_MODEL} ") for m in automatic)
    assert [a[:4] for a in again] == [a[:4] for a in assessments]
