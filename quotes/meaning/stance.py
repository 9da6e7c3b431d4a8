"""``stance assign`` and ``stance label``: topics and stances for every quote.

Assignment recomputes, for each topic, which quotes are about it and where
each linked quote stands, then writes only what changed:
- automatic topic links are added, updated (confidence) or removed; manual
  links are never removed or downgraded, and a pair a person unlinked
  (``topic_rejections``) is never linked automatically;
- every linked quote (manual or automatic link) gets an automatic stance
  assessment (score in [-1, 1], label, ``model`` = "EMBEDDING-MODEL METHOD
  SIGNATURE"); manual assessments are never touched;
- an automatic assessment whose quote is no longer linked is removed.

Recomputing is cheap (one matrix product per topic) and deterministic, so a
second run with nothing changed writes nothing; new labels change the
signature and so re-score that topic. The stance score is relative to the
topic's favor pole: +1 fully toward it, -1 toward the against pole; labels
use the neutral band of quotes.meaning.scoring.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from quotes.errors import NotFoundError
from quotes.meaning.encoder import Embedder, load_embedder
from quotes.meaning.scoring import label_for
from quotes.meaning.topic_profiles import TopicProfile, build_profile
from quotes.meaning.vectors import Progress, embed_missing
from quotes.records import history
from quotes.records.quotes import link_topics, manual_assessment
from quotes.records.topics import get_topic
from quotes.search.filters import validate_stance_label
from quotes.search.semantic import VectorMatrix, vector_matrix
from quotes.store.engine import Database
from quotes.store.ids import storable_ids
from quotes.store.models import Quote, QuoteTopic, StanceAssessment, Topic, TopicRejection

#: The score stored with a manual label.
MANUAL_SCORES = {"favor": 1.0, "against": -1.0, "neutral": 0.0}


@dataclass
class TopicOutcome:
    """What assignment did for one topic."""

    topic: str
    method: str
    labels: int
    zero_shot_cv: float | None
    learned_cv: float | None
    linked: int = 0  # quotes about the topic after the run (manual + auto)
    links_added: int = 0
    links_removed: int = 0
    assessed: int = 0  # automatic assessments written (new or changed)
    counts: dict[str, int] = field(default_factory=dict)  # effective labels


@dataclass
class AssignReport:
    model: str
    quotes: int
    topics: list[TopicOutcome]
    #: Why nothing was done ("no quotes yet", "no topics yet"), else None.
    nothing_because: str | None = None

    @property
    def nothing_to_do(self) -> bool:
        return self.nothing_because is not None


def assign_stances(
    database: Database,
    *,
    topic: str | None = None,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
) -> AssignReport:
    """Embed what is missing, then assign topics and stances (one transaction)."""
    with database.session() as session:
        topics = [get_topic(session, topic)] if topic else _all_topics(session)
        has_quotes = session.scalar(select(Quote.id).limit(1)) is not None
    if not has_quotes:
        return AssignReport(model="", quotes=0, topics=[], nothing_because="no quotes yet")
    if not topics:
        return AssignReport(model="", quotes=0, topics=[], nothing_because="no topics yet")
    active = embedder if embedder is not None else load_embedder()
    embed_missing(database, embedder=active, progress=progress)
    outcomes = []
    with database.session(write=True) as session:
        vectors = vector_matrix(session, active.name)
        for row in topics:
            current = session.get(Topic, row.id)
            if current is not None:
                outcomes.append(_assign_topic(session, current, vectors, active))
    return AssignReport(model=active.name, quotes=len(vectors.ids), topics=outcomes)


def _all_topics(session: Session) -> list[Topic]:
    return list(session.scalars(select(Topic).order_by(Topic.name)))


def _assign_topic(
    session: Session, topic: Topic, vectors: VectorMatrix, embedder: Embedder
) -> TopicOutcome:
    row_of = {int(quote_id): row for row, quote_id in enumerate(vectors.ids.tolist())}
    links = {
        link.quote_id: link
        for link in session.scalars(select(QuoteTopic).where(QuoteTopic.topic_id == topic.id))
    }
    manual_links = sorted(q for q, link in links.items() if link.origin == "manual")
    assessments = list(
        session.scalars(select(StanceAssessment).where(StanceAssessment.topic_id == topic.id))
    )
    manual_labels = sorted(
        (a.quote_id, a.label) for a in assessments if a.method == "manual" and a.quote_id in row_of
    )
    example_rows = [row_of[q] for q in manual_links if q in row_of]
    label_rows = [row_of[q] for q, _ in manual_labels]
    profile = build_profile(
        topic,
        embedder,
        vectors.matrix[example_rows],
        vectors.matrix[label_rows],
        [label for _, label in manual_labels],
        label_key=repr(manual_labels),
    )
    outcome = TopicOutcome(
        topic=topic.name,
        method=profile.method,
        labels=len(manual_labels),
        zero_shot_cv=profile.choice.zero_shot_cv,
        learned_cv=profile.choice.learned_cv,
    )
    if not len(vectors.ids):
        return outcome
    about = profile.is_about(vectors.matrix)
    relevance = profile.relevance(vectors.matrix)
    rejected = set(
        session.scalars(select(TopicRejection.quote_id).where(TopicRejection.topic_id == topic.id))
    )
    auto_ids = {int(q) for q in vectors.ids[about]} - set(manual_links) - rejected
    for quote_id, link in links.items():
        if link.origin == "auto" and quote_id not in auto_ids:
            session.delete(link)
            outcome.links_removed += 1
    for quote_id in auto_ids:
        confidence = round(float(relevance[row_of[quote_id]]), 4)
        current = links.get(quote_id)
        if current is None:
            session.add(
                QuoteTopic(
                    quote_id=quote_id, topic_id=topic.id, origin="auto", confidence=confidence
                )
            )
            outcome.links_added += 1
        elif current.confidence != confidence:
            current.confidence = confidence
    linked = sorted(auto_ids | {q for q in manual_links if q in row_of})
    outcome.linked = len(linked)
    _write_assessments(session, topic, profile, vectors, row_of, linked, assessments, outcome)
    return outcome


def _write_assessments(
    session: Session,
    topic: Topic,
    profile: TopicProfile,
    vectors: VectorMatrix,
    row_of: dict[int, int],
    linked: list[int],
    assessments: list[StanceAssessment],
    outcome: TopicOutcome,
) -> None:
    model = f"{vectors.model} {profile.method} {profile.signature}"
    auto = {a.quote_id: a for a in assessments if a.method == "auto"}
    manual = {a.quote_id: a.label for a in assessments if a.method == "manual"}
    rows = [row_of[q] for q in linked]
    scores = [float(v) for v in profile.stance_scores(vectors.matrix[rows])] if linked else []
    keep = set(linked)
    for quote_id, assessment in auto.items():
        if quote_id not in keep:
            session.delete(assessment)
    counts = {"favor": 0, "against": 0, "neutral": 0}
    for quote_id, value in zip(linked, scores, strict=True):
        score = round(float(value), 4)
        label = label_for(score)
        counts[manual.get(quote_id, label)] += 1
        existing = auto.get(quote_id)
        if existing is None:
            session.add(
                StanceAssessment(
                    quote_id=quote_id,
                    topic_id=topic.id,
                    label=label,
                    score=score,
                    method="auto",
                    model=model,
                )
            )
            outcome.assessed += 1
        elif (existing.label, existing.score, existing.model) != (label, score, model):
            existing.label, existing.score, existing.model = label, score, model
            outcome.assessed += 1
    outcome.counts = counts
    session.flush()


@dataclass
class LabelResult:
    quote_id: int
    topic: str
    label: str
    replaced: str | None  # the previous manual label, if any
    linked: bool  # a manual topic link was created or upgraded


def label_stance(session: Session, quote_id: int, topic: str, label: str) -> LabelResult:
    """Record a person's stance label; it wins over the automatic one and teaches it.

    The quote is also linked to the topic by hand (a labelled quote is about
    the topic), which no automatic run removes.
    """
    value = validate_stance_label(label)
    found = get_topic(session, topic)
    quote = session.get(Quote, quote_id) if storable_ids(session, [quote_id]) else None
    if quote is None:
        raise NotFoundError(f"no quote with id {quote_id}: see `quotes search` or `quotes export`.")
    existing = manual_assessment(session, quote_id, found.id)
    replaced = existing.label if existing is not None else None
    if replaced != value:  # every label a person gives or replaces is a version
        history.append(session, "quote", quote_id, "label", history.quote_snapshot(session, quote))
    if existing is None:
        session.add(
            StanceAssessment(
                quote_id=quote_id,
                topic_id=found.id,
                label=value,
                score=MANUAL_SCORES[value],
                method="manual",
                model=None,
            )
        )
    else:
        existing.label, existing.score = value, MANUAL_SCORES[value]
    link = session.get(QuoteTopic, (quote_id, found.id))
    linked = link is None or link.origin != "manual"
    link_topics(session, quote_id, [found])  # flushes
    return LabelResult(quote_id, found.name, value, replaced, linked)
