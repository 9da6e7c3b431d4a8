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
- the priority of a quote starts from how *typical* it is of the topic's
  quotes (``representativeness``: the mean cosine to its 10 nearest
  neighbours among them, to the 4th power), so labels teach the bulk of
  the topic rather than its odd corners. While either pole has fewer than
  ``COLD_START_LABELS`` (3) labels, zero-shot is the model and that is the
  whole priority; from then on, once the learned model is fitted, it is
  multiplied by the uncertainty (information density sampling);
- divided by ``1 + n``, ``n`` the labels people already gave for the stance
  the model now predicts for the quote: the learner needs labels on both
  poles, and on an unbalanced topic the larger side would keep being asked;
- the batch is spread over the topic (``SELECTION``): by default
  :func:`select_by_clusters` splits the candidates and the labelled quotes
  into ``labelled + CLUSTER_BATCH`` k-means clusters and takes the best
  candidate of the largest clusters nobody labelled yet (TypiClust, Hacohen
  et al. 2022), then continues with :func:`select_for_review` (greedy
  max-min cosine diversity weighted by priority), the previous ordering.

Chosen on benchmarks/tune_review.py's tuning draws (seeds 100-105, both
manifesto topics, 3 and 5 labels per pole, mean F_avg): clusters with
uncertainty from 3 labels per pole 0.605 against 0.574 for the previous
ordering (max-min diversity, uncertainty from 10 per pole) and 0.586 for
random labels; it beat random in all four cells. (Clusters with typicality
to the power 1 tied on the mean, 0.6053, but lost to random on economy at
5 per pole; the tie went to the variant whose worst cell is better.)

Quotes with a person's label or rejection on the topic are never suggested,
nor quotes clearly off the topic (``P(about) < MIN_ABOUT``). Quotes need a
stored vector under the model (``quotes embed`` or ``stance assign`` makes
them). After a label, :func:`refit_topic` (or the next ``review_candidates``
call, which always fits on the current labels) moves the suggestions.
"""

from __future__ import annotations

from collections.abc import Sequence
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
#: Below this many labels on either pole, suggestions ignore uncertainty.
COLD_START_LABELS = 3
#: Typicality is raised to this power in the priority.
TYPICAL_POWER = 4.0
#: How a batch is spread over the topic: "diversity" (greedy max-min
#: cosine, :func:`select_for_review`) or "clusters" (:func:`select_by_clusters`).
SELECTION = "clusters"
#: Quotes taken one per uncovered cluster before diversity takes over (the
#: benchmark refits every two labels, as a person answering two at a time).
CLUSTER_BATCH = 2
#: Neighbours and reference quotes of the representativeness estimate.
NEIGHBOURS = 10
REFERENCE_QUOTES = 1000


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
    given = [label for _, label in state.manual_labels]
    priority = review_priority(
        uncertainty, representativeness(vectors.matrix[pool]), estimate.labels, given
    )
    known = vectors.matrix[[state.row_of[q] for q in sorted(labelled)]]
    picked = pick_for_review(vectors.matrix[pool], priority, known, limit)
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


def representativeness(vectors: Matrix) -> npt.NDArray[np.float64]:
    """Mean cosine of each row to its nearest neighbours among (a fixed sample of) the rows."""
    matrix = np.asarray(vectors, dtype=np.float64)
    if len(matrix) < 2:
        return np.ones(len(matrix))
    rows = np.arange(len(matrix))
    if len(matrix) > REFERENCE_QUOTES:
        rows = np.random.default_rng(0).choice(len(matrix), REFERENCE_QUOTES, replace=False)
    similarity = matrix @ matrix[rows].T
    k = min(NEIGHBOURS + 1, similarity.shape[1])
    nearest = -np.sort(-similarity, axis=1)[:, 1:k]  # the best match is (usually) itself
    return np.asarray(np.clip(nearest.mean(axis=1), 0.0, 1.0))


def review_priority(
    uncertainty: npt.ArrayLike,
    typical: npt.ArrayLike,
    predicted: Sequence[str],
    given: Sequence[str],
    *,
    cold_start: int = COLD_START_LABELS,
    power: float = TYPICAL_POWER,
) -> npt.NDArray[np.float64]:
    """How much a label on each quote would teach (before diversity; see the module doc)."""
    priority = np.asarray(typical, dtype=np.float64) ** power
    labels = list(given)
    if min(labels.count("favor"), labels.count("against")) >= cold_start:
        priority = priority * np.asarray(uncertainty, dtype=np.float64)
    balance = np.array([1.0 + labels.count(label) for label in predicted])
    return np.asarray(priority / balance)


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


def select_by_clusters(
    vectors: Matrix,
    priority: npt.ArrayLike,
    known: Matrix,
    limit: int,
) -> list[int]:
    """Cover the topic's clusters first: row indices into ``vectors``, best first.

    The candidates and the labelled quotes (``known``) are split into
    ``len(known) + CLUSTER_BATCH`` k-means clusters of their embeddings (a
    fixed seed, so a re-run suggests the same); clusters with the fewest
    labelled quotes come first, larger ones before smaller, and from each of
    the ``CLUSTER_BATCH`` first the candidate of highest ``priority`` is taken
    (TypiClust, Hacohen et al. 2022, with the priority in place of
    typicality alone). The rest follow by :func:`select_for_review`'s
    priority-weighted max-min diversity. The number of clusters does not
    depend on ``limit``, so a shorter list is a prefix of a longer one (the
    quote ``stance review --limit 1`` asks about is the first one ``--json``
    lists).
    """
    matrix = np.asarray(vectors, dtype=np.float64)
    weight = np.asarray(priority, dtype=np.float64)
    limit = min(limit, len(matrix))
    if limit <= 0:
        return []
    labelled = np.asarray(known, dtype=np.float64).reshape(-1, matrix.shape[1])
    every = np.vstack([matrix, labelled])
    clusters = min(len(labelled) + CLUSTER_BATCH, len(every))
    from sklearn.cluster import KMeans

    assignment = KMeans(n_clusters=clusters, n_init=1, random_state=0).fit_predict(every)
    pool, held = assignment[: len(matrix)], assignment[len(matrix) :]
    covered = np.bincount(held, minlength=clusters)
    size = np.bincount(pool, minlength=clusters)
    chosen: list[int] = []
    for cluster in sorted(range(clusters), key=lambda c: (covered[c], -size[c], c)):
        members = np.flatnonzero(pool == cluster)
        if len(members) and len(chosen) < min(limit, CLUSTER_BATCH):
            chosen.append(int(members[np.argmax(weight[members])]))
    rest = np.setdiff1d(np.arange(len(matrix)), chosen)
    reference = np.vstack([labelled, matrix[chosen]]).astype(np.float32)
    more = select_for_review(
        matrix[rest].astype(np.float32), weight[rest], reference, limit - len(chosen)
    )
    return chosen + [int(rest[i]) for i in more]


def pick_for_review(
    vectors: Matrix,
    priority: npt.ArrayLike,
    known: Matrix,
    limit: int,
    method: str = SELECTION,
) -> list[int]:
    """The selection ``review_candidates`` uses (``SELECTION``): clusters or max-min diversity."""
    if method == "clusters":
        return select_by_clusters(vectors, priority, known, limit)
    return select_for_review(vectors, priority, known, limit)


def refit_topic(
    database: Database, topic: str, *, embedder: Embedder | None = None
) -> AssignReport:
    """Refit one topic on its current labels, links and rejections, and rewrite its scores.

    The same as ``quotes stance assign --topic T``: assignment always fits
    from the labels in the database, so call this after saving a label (in
    its own transaction) to move the scores and the next suggestions.
    """
    return assign_stances(database, topic=topic, embedder=embedder)
