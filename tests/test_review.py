"""Review suggestions (uncertain and diverse quotes) and refitting after a label."""

from __future__ import annotations

import json

import numpy as np
import pytest

from quotes.errors import BadInputError
from quotes.meaning.review import (
    refit_topic,
    representativeness,
    review_candidates,
    review_priority,
    select_by_clusters,
    select_for_review,
)
from quotes.store.engine import open_database

WHALING = (
    "whaling",
    "--description",
    "Commercial whaling: hunting whales for meat and oil, quotas and the moratorium.",
    "--favor",
    "Commercial whaling should be allowed. Whale hunting is a legitimate tradition "
    "and a sustainable industry.",
    "--against",
    "Whaling must be banned. Killing whales is cruel and endangers the species.",
)
STATEMENTS = [
    "We will resume commercial whale hunts next season.",
    "The moratorium protects whale populations and we will defend it.",
    "Our fishermen have caught minke whales for centuries and will keep doing so.",
    "Japan's whaling fleet should stay in port.",
    "Whale meat is part of our food culture.",
    "Tourists come to watch whales, not to see them slaughtered.",
    "The whaling commission meets in Lima next week to discuss quotas.",
    "Hunting whales is cruel and must end for good.",
    "I like pizza with my friends on Sundays.",
]


def _add(cli, text: str) -> int:
    result = cli.ok("add", text, "--speaker", "Kari Hunter", "--new-speaker", "--json")
    return int(json.loads(result.stdout)["id"])


def test_review_priority_starts_typical_and_balanced_then_weighs_uncertainty() -> None:
    typical = np.array([0.9, 0.8, 0.9])
    uncertainty = np.array([0.1, 0.9, 0.1])
    predicted = ["favor", "favor", "against"]
    cold = review_priority(uncertainty, typical, predicted, ["favor"] * 2)
    # Few labels: typical quotes first, and the pole with fewer labels before the other.
    assert cold[2] > cold[0] > cold[1]
    warm = review_priority(uncertainty, typical, predicted, ["favor", "against"] * 10)
    assert warm[1] > warm[0]  # enough labels: uncertainty counts
    rows = np.array([[1.0, 0.0], [0.99, 0.141], [0.0, 1.0]])
    assert representativeness(rows)[2] < representativeness(rows)[0]


def test_select_for_review_prefers_uncertain_and_spreads_out() -> None:
    vectors = np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    uncertainty = [0.9, 0.9, 0.5, 0.1]
    # The two copies of one quote are not both picked: the second one teaches nothing new.
    assert select_for_review(vectors, uncertainty, np.zeros((0, 3)), 3) == [0, 2, 3]
    # A quote like one already labelled comes last.
    labelled = np.array([[0.0, 1.0, 0.0]])
    assert select_for_review(vectors, uncertainty, labelled, 2) == [0, 3]
    assert select_for_review(vectors, uncertainty, labelled, 0) == []
    assert len(select_for_review(vectors, uncertainty, labelled, 10)) == 4


@pytest.mark.model
def test_review_suggests_uncertain_quotes_and_moves_after_a_label(cli) -> None:
    cli.ok("init")
    cli.ok("topics", "add", *WHALING)
    ids = {text: _add(cli, text) for text in STATEMENTS}
    cli.ok("stance", "assign", "--topic", "whaling")
    database = open_database(cli.url)
    with database.session() as session:
        first = review_candidates(session, "whaling", 5)
        every = review_candidates(session, "whaling", 20)
    assert 1 <= len(first) <= 5
    assert len({c.quote_id for c in first}) == len(first)
    assert ids["I like pizza with my friends on Sundays."] not in {c.quote_id for c in first}
    for _quote_id, uncertainty, reason in first:
        assert 0.0 <= uncertainty <= 1.0 and reason

    top = first[0].quote_id
    cli.ok("stance", "label", str(top), "--topic", "whaling", "--stance", "favor")
    with database.session() as session:
        after = review_candidates(session, "whaling", 5)
    assert top not in {c.quote_id for c in after}  # a labelled quote is never suggested again
    assert after != first

    # Three labels per pole switch the topic to the learned model: the tool's doubt about
    # the quotes still suggested is its new model's, not zero-shot's.
    favor = [
        "We will resume commercial whale hunts next season.",
        "Our fishermen have caught minke whales for centuries and will keep doing so.",
        "Whale meat is part of our food culture.",
    ]
    against = [
        "The moratorium protects whale populations and we will defend it.",
        "Japan's whaling fleet should stay in port.",
        "Tourists come to watch whales, not to see them slaughtered.",
        "Hunting whales is cruel and must end for good.",
    ]
    for stance, texts in (("favor", favor), ("against", against)):
        for text in texts:
            if ids[text] != top:
                cli.ok("stance", "label", str(ids[text]), "--topic", "whaling", "--stance", stance)
    with database.session() as session:
        learned = review_candidates(session, "whaling", 5)
    before = {c.quote_id: c.uncertainty for c in every}
    common = [c for c in learned if c.quote_id in before]
    assert common, (every, learned)
    assert all(abs(c.uncertainty - before[c.quote_id]) > 1e-3 for c in common)

    report = refit_topic(database, "whaling")
    assert [t.topic for t in report.topics] == ["whaling"]
    with database.session() as session, pytest.raises(BadInputError):
        review_candidates(session, "fishing", 5)


def test_select_by_clusters_covers_unlabelled_clusters_first() -> None:
    # Two tight groups; the first already has a labelled quote.
    vectors = np.array([[1.0, 0.0], [0.99, 0.14], [0.0, 1.0], [0.14, 0.99], [0.1, 0.995]])
    priority = [0.9, 0.5, 0.2, 0.3, 0.1]
    labelled = np.array([[1.0, 0.02]])
    picked = select_by_clusters(vectors, priority, labelled, 1)
    assert picked == [3]  # the best of the group nobody labelled, not the best overall
    assert sorted(select_by_clusters(vectors, priority, labelled, 10)) == [0, 1, 2, 3, 4]
    assert select_by_clusters(vectors, priority, labelled, 0) == []
    # A shorter list is a prefix of a longer one: review --limit 1 asks what --json lists first.
    assert select_by_clusters(vectors, priority, labelled, 3)[:2] == select_by_clusters(
        vectors, priority, labelled, 2
    )
