"""Which quotes a person should label next: those the model is least sure of, unalike.

A label teaches most where the model is likely wrong now, and a batch
teaches more when its quotes differ from each other and from what is already
labelled (ten near-copies of one uncertain sentence teach one thing). So:

- each candidate's **uncertainty** is the probability that what the tool
  says about it now is wrong: for a quote it links to the topic, ``1 -
  P(about) * P(stance label right)``; for one it leaves out, ``P(about) *
  (1 - P(stance label right))`` (it is only wrong if the quote is on topic
  after all). Both probabilities are the calibrated ones
  (:mod:`quotes.meaning.confidence`) of the model ``stance assign`` would
  use now, fitted on the current labels;
- candidates are picked greedily: each next one maximises ``uncertainty *
  (1 - s)``, ``s`` its highest cosine to the quotes already picked or
  labelled (max-min diversity, weighted by uncertainty).

Quotes with a person's label or rejection on the topic are never suggested,
nor quotes clearly off the topic (``P(about) < MIN_ABOUT``). Quotes need a
stored vector under the model (``quotes embed`` or ``stance assign`` makes
them). After a label, :func:`refit_topic` (or the next ``review_candidates``
call, which always fits on the current labels) moves the suggestions.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from sqlalchemy.orm import Session

from quotes.meaning.encoder import Embedder, Matrix, load_embedder
from quotes.meaning.stance import AssignReport, assign_stances, quote_texts, topic_state
from quotes.records.topics import get_topic
from quotes.search.semantic import vector_matrix
from quotes.store.engine import Database

#: Quotes less likely than this to be about the topic are not suggested.
MIN_ABOUT = 0.2


class ReviewCandidate(NamedTuple):
    """A quote worth labelling: why, and how likely the tool is wrong about it now."""

    quote_id: int
    uncertainty: float
    reason: str


def review_candidates(
    session: Session, topic: str, limit: int = 10, *, embedder: Embedder | None = None
) -> list[ReviewCandidate]:
    """The ``limit`` quotes whose labels would teach the topic's model most, best first.

    ``topic`` is a topic name (unknown: BadInputError via get_topic). Reads
    only; loads the embedding model to embed the topic's pole texts.
    """
    found = get_topic(session, topic)
    if limit <= 0:
        return []
    active = embedder if embedder is not None else load_embedder()
    vectors = vector_matrix(session, active.name)
    if not len(vectors.ids):
        return []
    state = topic_state(session, found, vectors, active)
    about = state.profile.about(vectors.matrix)
    links_to = state.profile.is_about(vectors.matrix)
    labelled = {q for q, _ in state.manual_labels}
    manual = set(state.manual_links)
    ids = [int(q) for q in vectors.ids]
    pool = [
        row
        for row, q in enumerate(ids)
        if q not in labelled
        and q not in state.rejected
        and (q in manual or about[row] >= MIN_ABOUT)
    ]
    if not pool:
        return []
    pool_ids = [ids[row] for row in pool]
    texts = quote_texts(session, pool_ids)
    estimate = state.profile.stance(vectors.matrix[pool], [texts[q] for q in pool_ids])
    p_about = np.array([1.0 if ids[r] in manual else float(about[r]) for r in pool])
    right = np.asarray(estimate.confidence, dtype=np.float64)
    linked = np.array([ids[r] in manual or bool(links_to[r]) for r in pool])
    uncertainty = np.where(linked, 1.0 - p_about * right, p_about * (1.0 - right))
    known = vectors.matrix[[state.row_of[q] for q in sorted(labelled)]]
    picked = select_for_review(vectors.matrix[pool], uncertainty, known, limit)
    candidates = []
    for i in picked:
        if linked[i] and p_about[i] < 1.0 and 1.0 - p_about[i] > 1.0 - right[i]:
            reason = f"may not be about {found.name} (P(about) {p_about[i]:.2f})"
        elif not linked[i]:
            reason = f"left out of {found.name} but may be about it (P(about) {p_about[i]:.2f})"
        else:
            label = estimate.labels[i]
            reason = f"stance unsure: {label}, confidence {right[i]:.2f}"
        candidates.append(ReviewCandidate(pool_ids[i], round(float(uncertainty[i]), 4), reason))
    return candidates


def select_for_review(
    vectors: Matrix,
    uncertainty: npt.ArrayLike,
    known: Matrix,
    limit: int,
) -> list[int]:
    """Greedy uncertainty-weighted max-min diversity: row indices into ``vectors``.

    Each pick maximises ``uncertainty * (1 - s)``, ``s`` the highest cosine
    (floored at 0) to the rows picked so far and to ``known`` (the labelled
    quotes). Rows are L2-normalised embeddings. Ties go to the lower index.
    """
    matrix = np.asarray(vectors, dtype=np.float64)
    weight = np.asarray(uncertainty, dtype=np.float64)
    nearest = np.zeros(len(matrix))
    if len(known):
        nearest = np.clip((matrix @ np.asarray(known, dtype=np.float64).T).max(axis=1), 0, 1)
    chosen: list[int] = []
    available = np.ones(len(matrix), dtype=bool)
    for _ in range(min(limit, len(matrix))):
        value = np.where(available, weight * (1.0 - nearest), -np.inf)
        best = int(np.argmax(value))
        chosen.append(best)
        available[best] = False
        nearest = np.maximum(nearest, np.clip(matrix @ matrix[best], 0, 1))
    return chosen


def refit_topic(
    database: Database, topic: str, *, embedder: Embedder | None = None
) -> AssignReport:
    """Refit one topic on its current labels, links and rejections, and rewrite its scores.

    The same as ``quotes stance assign --topic T``: assignment always fits
    from the labels in the database, so call this after saving a label (in
    its own transaction) to move the scores and the next suggestions.
    """
    return assign_stances(database, topic=topic, embedder=embedder)
