"""``stance assign`` and ``stance label``: topics and stances for every quote.

Assignment recomputes, for each topic, which quotes are about it and where
each linked quote stands, then writes only what changed:
- automatic topic links are added, updated (confidence: the calibrated
  probability the quote is about the topic) or removed; manual links are
  never removed or downgraded, and a pair a person rejected
  (``topic_rejections``) is never linked again;
- every linked quote (manual or automatic link) gets an automatic stance
  assessment (score in [-1, 1], label, ``confidence``: the calibrated
  probability that the label is right, ``model`` = "EMBEDDING-MODEL METHOD
  SIGNATURE"); manual assessments are never touched;
- an automatic assessment whose quote is no longer linked is removed.

Every run refits each topic from the labels, links and rejections in the
database (a few small linear models per topic), deterministically, so a
second run with nothing changed writes nothing, and a new label re-scores its
topic (``assign_stances(database, topic=T)`` after a label is the refit).
The stance score is relative to the topic's favor pole: +1 fully toward it,
-1 toward the against pole.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from quotes.errors import NotFoundError
from quotes.meaning.encoder import Embedder, load_embedder
from quotes.meaning.topic_profiles import TopicProfile, build_profile
from quotes.meaning.vectors import Progress, embed_missing
from quotes.records import history
from quotes.records.quotes import link_topics, manual_assessment
from quotes.records.topics import get_topic
from quotes.results import Labelled
from quotes.search.semantic import VectorMatrix, vector_matrix
from quotes.store.engine import Database
from quotes.store.ids import storable_ids
from quotes.store.models import Quote, QuoteTopic, StanceAssessment, Topic, TopicRejection
from quotes.vocabulary import LABEL_SCORES, Method, stance_label


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

    def to_dict(self) -> dict[str, Any]:
        """The ``stance assign --json`` document."""
        return {
            "model": self.model,
            "quotes": self.quotes,
            "topics": [asdict(t) for t in self.topics],
        }


def assign_stances(
    database: Database,
    *,
    topic: str | None = None,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
    model: str | None = None,
) -> AssignReport:
    """Embed what is missing, then refit and assign topics and stances (one transaction).

    With ``topic``, only that topic is refitted and rewritten: the call to
    make after a person labels, links or rejects a quote on it. ``model``
    names the sentence-transformers model that scores (see
    :func:`quotes.meaning.encoder.load_embedder`); a model named explicitly is
    loaded first, so a bad name fails before anything is read or written.
    Every topic is scored from one model's vectors only, recorded in each
    automatic assessment's ``model``.
    """
    if embedder is None and model is not None:
        embedder = load_embedder(model)
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


@dataclass
class TopicState:
    """A topic's profile fitted on the current labels, links and rejections.

    What ``stance assign`` writes and what ``stance review`` suggests are
    both read from this, so a suggestion is about the model the next
    assignment will use.
    """

    topic: Topic
    profile: TopicProfile
    vectors: VectorMatrix
    row_of: dict[int, int]
    links: dict[int, QuoteTopic]
    manual_links: list[int]
    manual_labels: list[tuple[int, str]]
    rejected: set[int]
    assessments: list[StanceAssessment]


def topic_state(
    session: Session, topic: Topic, vectors: VectorMatrix, embedder: Embedder
) -> TopicState:
    """Fit the topic's relevance and stance models on what people said about it."""
    row_of = {int(quote_id): row for row, quote_id in enumerate(vectors.ids.tolist())}
    links = {
        link.quote_id: link
        for link in session.scalars(select(QuoteTopic).where(QuoteTopic.topic_id == topic.id))
    }
    manual_links = sorted(q for q, link in links.items() if link.origin == "manual")
    rejected = set(
        session.scalars(select(TopicRejection.quote_id).where(TopicRejection.topic_id == topic.id))
    )
    assessments = list(
        session.scalars(select(StanceAssessment).where(StanceAssessment.topic_id == topic.id))
    )
    manual_labels = sorted(
        (a.quote_id, a.label)
        for a in assessments
        if a.method == Method.MANUAL and a.quote_id in row_of
    )
    example_rows = [row_of[q] for q in manual_links if q in row_of]
    rejected_rows = [row_of[q] for q in sorted(rejected) if q in row_of]
    label_ids = [q for q, _ in manual_labels]
    texts = quote_texts(session, label_ids)
    profile = build_profile(
        topic,
        embedder,
        examples=vectors.matrix[example_rows],
        rejected=vectors.matrix[rejected_rows],
        labelled=vectors.matrix[[row_of[q] for q in label_ids]],
        labelled_texts=[texts[q] for q in label_ids],
        labels=[label for _, label in manual_labels],
        label_key=repr(manual_labels),
    )
    return TopicState(
        topic=topic,
        profile=profile,
        vectors=vectors,
        row_of=row_of,
        links=links,
        manual_links=manual_links,
        manual_labels=manual_labels,
        rejected=rejected,
        assessments=assessments,
    )


def quote_texts(session: Session, quote_ids: list[int]) -> dict[int, str]:
    """The texts of these quotes, by id (read in chunks of 500)."""
    found: dict[int, str] = {}
    for start in range(0, len(quote_ids), 500):
        chunk = quote_ids[start : start + 500]
        rows = session.execute(select(Quote.id, Quote.text).where(Quote.id.in_(chunk)))
        found.update({int(quote_id): text for quote_id, text in rows})
    return found


def _assign_topic(
    session: Session, topic: Topic, vectors: VectorMatrix, embedder: Embedder
) -> TopicOutcome:
    state = topic_state(session, topic, vectors, embedder)
    profile, row_of, links = state.profile, state.row_of, state.links
    outcome = TopicOutcome(
        topic=topic.name,
        method=profile.method,
        labels=len(state.manual_labels),
        zero_shot_cv=profile.choice.zero_shot_cv,
        learned_cv=profile.choice.learned_cv,
    )
    if not len(vectors.ids):
        return outcome
    about = profile.about(vectors.matrix)
    links_to = profile.is_about(vectors.matrix)
    ids = [int(q) for q in vectors.ids]
    auto_ids = {
        q for q, linked in zip(ids, links_to, strict=True) if linked and q not in state.rejected
    } - set(state.manual_links)
    for quote_id, link in links.items():
        if link.origin == Method.AUTO and quote_id not in auto_ids:
            session.delete(link)
            outcome.links_removed += 1
    for quote_id in auto_ids:
        confidence = round(float(about[row_of[quote_id]]), 4)
        current = links.get(quote_id)
        if current is None:
            session.add(
                QuoteTopic(
                    quote_id=quote_id,
                    topic_id=topic.id,
                    origin=Method.AUTO.value,
                    confidence=confidence,
                )
            )
            outcome.links_added += 1
        elif current.confidence != confidence:
            current.confidence = confidence
    linked = sorted(auto_ids | {q for q in state.manual_links if q in row_of})
    outcome.linked = len(linked)
    _write_assessments(session, state, linked, outcome)
    return outcome


def _write_assessments(
    session: Session, state: TopicState, linked: list[int], outcome: TopicOutcome
) -> None:
    profile, vectors, topic = state.profile, state.vectors, state.topic
    model = f"{vectors.model} {profile.method} {profile.signature}"
    auto = {a.quote_id: a for a in state.assessments if a.method == "auto"}
    manual = {a.quote_id: a.label for a in state.assessments if a.method == "manual"}
    texts = quote_texts(session, linked)
    rows = [state.row_of[q] for q in linked]
    estimate = profile.stance(vectors.matrix[rows], [texts[q] for q in linked])
    keep = set(linked)
    for quote_id, assessment in auto.items():
        if quote_id not in keep:
            session.delete(assessment)
    counts = {"favor": 0, "against": 0, "neutral": 0}
    for i, quote_id in enumerate(linked):
        score = round(float(estimate.scores[i]), 4)
        label = estimate.labels[i]
        confidence = round(float(estimate.confidence[i]), 4)
        counts[manual.get(quote_id, label)] += 1
        existing = auto.get(quote_id)
        if existing is None:
            session.add(
                StanceAssessment(
                    quote_id=quote_id,
                    topic_id=topic.id,
                    label=label,
                    score=score,
                    method=Method.AUTO.value,
                    model=model,
                    confidence=confidence,
                )
            )
            outcome.assessed += 1
        else:
            now = (label, score, model, confidence)
            if (existing.label, existing.score, existing.model, existing.confidence) != now:
                existing.label, existing.score, existing.model = label, score, model
                existing.confidence = confidence
                outcome.assessed += 1
    outcome.counts = counts
    session.flush()


def label_stance(session: Session, quote_id: int, topic: str, label: str) -> Labelled:
    """Record a person's stance label; it wins over the automatic one and teaches it.

    The quote is also linked to the topic by hand (a labelled quote is about
    the topic), which no automatic run removes.
    """
    value = stance_label(label)
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
                score=LABEL_SCORES[value],
                method=Method.MANUAL.value,
                model=None,
            )
        )
    else:
        existing.label, existing.score = value, LABEL_SCORES[value]
    link = session.get(QuoteTopic, (quote_id, found.id))
    linked = link is None or link.origin != Method.MANUAL
    link_topics(session, quote_id, [found])  # flushes
    return Labelled(quote_id, found.name, value, replaced, linked)
