"""``quotes cluster``: group a topic's quotes by the position they take.

Clustering embeddings alone groups quotes by wording ("NATO", "Greenland"),
not by position. Each quote is therefore placed by its effective stance score
(manual label wins over the automatic score) on one axis, weighted
``STANCE_WEIGHT`` times, plus its embedding reduced to a few principal
components for the arguments within one position. k-means groups them; k is
chosen by the best silhouette over 2..``MAX_K`` (one group when there are too
few quotes or every quote takes the same position), or given with ``--k``.

Each group reports its dominant stance (the label more than half of its
quotes carry, else ``mixed``: a group split one for, one against is not a
side), mean score, size per speaker, its
distinctive terms (highest mean TF-IDF within the group relative to the
whole topic) and the 3 quotes nearest its centre.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import select
from sqlalchemy.orm import Session

from quotes.errors import BadInputError
from quotes.records.speakers import require_speaker
from quotes.records.topics import get_topic
from quotes.search.semantic import vector_matrix
from quotes.store.dates import format_date
from quotes.store.models import Quote, QuoteTopic, StanceAssessment
from quotes.vocabulary import manual_wins, passes_confidence, validate_min_confidence

STANCE_WEIGHT = 3.0
COMPONENTS = 5
MAX_K = 6
REPRESENTATIVES = 3
TERMS = 6


@dataclass(frozen=True)
class Member:
    quote_id: int
    text: str
    speaker: str
    date: str | None
    score: float
    label: str
    method: str
    confidence: float | None = None
    kind: str = "quote"


@dataclass(frozen=True)
class Group:
    """One stance group of a topic's quotes; ``number`` 1 is the largest."""

    stance: str
    mean_score: float
    members: list[Member]
    speakers: dict[str, int]
    terms: list[str]
    representatives: list[Member]
    number: int = 0

    def to_dict(self) -> dict[str, Any]:
        """The ``cluster --json`` object of this group."""
        return {
            "group": self.number,
            "stance": self.stance,
            "mean_score": round(self.mean_score, 4),
            "size": len(self.members),
            "speakers": self.speakers,
            "terms": self.terms,
            "quotes": [
                {
                    "id": m.quote_id,
                    "text": m.text,
                    "speaker": m.speaker,
                    "date": m.date,
                    "score": round(m.score, 4),
                    "label": m.label,
                    "method": m.method,
                    "confidence": None if m.confidence is None else round(m.confidence, 4),
                    "kind": m.kind,
                }
                for m in self.representatives
            ],
            "quote_ids": [m.quote_id for m in self.members],
        }


def _members(
    session: Session, topic_id: int, speaker_id: int | None, min_confidence: float
) -> list[Member]:
    """The topic's quotes with their effective stance (manual first, else an
    automatic one that passes the confidence bar)."""
    statement = (
        select(Quote, StanceAssessment)
        .join(QuoteTopic, (QuoteTopic.quote_id == Quote.id) & (QuoteTopic.topic_id == topic_id))
        .join(
            StanceAssessment,
            (StanceAssessment.quote_id == Quote.id) & (StanceAssessment.topic_id == topic_id),
        )
        .order_by(Quote.id)
    )
    if speaker_id is not None:
        statement = statement.where(Quote.speaker_id == speaker_id)
    chosen: dict[int, tuple[Quote, StanceAssessment]] = {}
    for quote, assessment in session.execute(statement):
        held = chosen.get(quote.id)
        if held is None or manual_wins(assessment.method, held[1].method):
            chosen[quote.id] = (quote, assessment)
    return [
        Member(
            quote_id=quote.id,
            text=quote.text,
            speaker=quote.speaker.name,
            date=format_date(quote.date, quote.date_precision),
            score=float(assessment.score),
            label=assessment.label,
            method=assessment.method,
            confidence=assessment.confidence,
            kind=quote.kind,
        )
        for quote, assessment in chosen.values()
        if passes_confidence(assessment.method, assessment.confidence, min_confidence)
    ]


def cluster_topic(
    session: Session,
    topic: str,
    *,
    speaker: str | None = None,
    k: int | None = None,
    model: str | None = None,
    min_confidence: float = 0.0,
) -> list[Group]:
    """Groups of the topic's assessed quotes, largest first; [] when there are none.

    An automatic stance counts only at ``min_confidence`` or above (0: all do).
    """
    found = get_topic(session, topic)
    person = require_speaker(session, speaker) if speaker else None
    if k is not None and not 1 <= k <= 50:
        raise BadInputError(f"invalid --k {k}: use a number of groups from 1 to 50.")
    bar = validate_min_confidence(min_confidence)
    members = _members(session, found.id, person.id if person else None, bar)
    if not members:
        return []
    if k is not None and k > len(members):
        raise BadInputError(
            f"invalid --k {k}: topic {found.name!r} has only {len(members)} assessed quotes."
        )
    features = _features(session, members, model)
    assignment = _kmeans(features, k)
    groups = []
    for number in sorted(set(assignment.tolist())):
        rows = np.flatnonzero(assignment == number)
        groups.append(_describe([members[i] for i in rows], features[rows], members, rows))
    groups.sort(key=lambda g: (-len(g.members), -g.mean_score))
    return [replace(g, number=i) for i, g in enumerate(groups, start=1)]


def _features(session: Session, members: list[Member], model: str | None) -> npt.NDArray[Any]:
    from quotes.meaning.encoder import stored_name
    from quotes.store.settings import model_name

    scores = np.array([[m.score * STANCE_WEIGHT] for m in members])
    vectors = vector_matrix(session, stored_name(model_name(model)))
    row_of = {int(q): i for i, q in enumerate(vectors.ids.tolist())}
    rows = [row_of.get(m.quote_id) for m in members]
    if len(members) < 3 or any(r is None for r in rows):
        return scores
    matrix = vectors.matrix[[r for r in rows if r is not None]].astype(np.float64)
    centred = matrix - matrix.mean(axis=0)
    _, _, components = np.linalg.svd(centred, full_matrices=False)
    reduced = centred @ components[: min(COMPONENTS, len(members) - 1)].T
    return np.hstack([scores, reduced])


def _kmeans(features: npt.NDArray[Any], k: int | None) -> npt.NDArray[np.int_]:
    """Group labels: k given, or the k of best silhouette (one group if nothing splits)."""
    from sklearn.metrics import silhouette_score

    n = len(features)
    if k is not None:
        return _fit(features, k) if k > 1 else np.zeros(n, dtype=int)
    if n < 3 or np.allclose(features, features[0]):
        return np.zeros(n, dtype=int)
    best: tuple[float, npt.NDArray[np.int_]] | None = None
    for candidate in range(2, min(MAX_K, n - 1) + 1):
        labels = _fit(features, candidate)
        if len(set(labels.tolist())) < 2:
            continue
        value = float(silhouette_score(features, labels))
        if best is None or value > best[0] + 1e-9:
            best = (value, labels)
    return best[1] if best is not None else np.zeros(n, dtype=int)


def _fit(features: npt.NDArray[Any], k: int) -> npt.NDArray[np.int_]:
    import warnings

    from sklearn.cluster import KMeans

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # fewer distinct points than k: still a grouping
        model = KMeans(n_clusters=k, n_init=10, random_state=0)
        return np.asarray(model.fit_predict(features), dtype=int)


#: The stance of a group that no label holds a majority of.
MIXED = "mixed"


def dominant_stance(labels: list[str]) -> str:
    """The label more than half of ``labels`` carry, else :data:`MIXED`."""
    label, count = Counter(labels).most_common(1)[0]
    return label if 2 * count > len(labels) else MIXED


def _describe(
    group: list[Member], features: npt.NDArray[Any], everyone: list[Member], rows: npt.NDArray[Any]
) -> Group:
    stance = dominant_stance([m.label for m in group])
    centre = features.mean(axis=0)
    nearest = np.argsort(((features - centre) ** 2).sum(axis=1), kind="stable")[:REPRESENTATIVES]
    return Group(
        stance=stance,
        mean_score=float(np.mean([m.score for m in group])),
        members=group,
        speakers=dict(Counter(m.speaker for m in group).most_common()),
        terms=_terms([m.text for m in everyone], set(rows.tolist())),
        representatives=[group[i] for i in nearest],
    )


def _terms(texts: list[str], inside: set[int]) -> list[str]:
    """Words whose TF-IDF is highest inside the group compared with the rest."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    try:
        matrix = TfidfVectorizer(stop_words="english", token_pattern=r"(?u)\b[a-zA-Z]{3,}\b").fit(
            texts
        )
    except ValueError:  # only stop words
        return []
    weights = matrix.transform(texts).toarray()
    mask = np.array([i in inside for i in range(len(texts))])
    within = weights[mask].mean(axis=0)
    outside = weights[~mask].mean(axis=0) if (~mask).any() else np.zeros_like(within)
    distinct = within - outside
    vocabulary = matrix.get_feature_names_out()
    order = np.argsort(-distinct, kind="stable")
    return [str(vocabulary[i]) for i in order[:TERMS] if distinct[i] > 0]
