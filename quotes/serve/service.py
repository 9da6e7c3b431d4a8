"""The one module of the web app that calls the library.

Every route (page or JSON) calls one function here, and each function is one
transaction on the server's :class:`~quotes.store.engine.Database`, like one
CLI command. They return the contract's JSON shapes (plain dicts), so the
pages and the API show the same data and switching the calls underneath to
the public Python API changes nothing above this module.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quotes.errors import BadInputError, NotFoundError
from quotes.records.documents import quote_documents
from quotes.records.quotes import add_quote, get_quote, quote_to_dict
from quotes.records.speakers import find_speaker, similar_names, validate_name
from quotes.records.topics import get_topic, list_topics
from quotes.search.filters import QuoteFilters
from quotes.search.query import MAX_LIMIT, check_mode, default_mode
from quotes.search.query import search as library_search
from quotes.store.engine import Database
from quotes.store.models import Quote, Speaker, StanceAssessment, Topic
from quotes.timelines.aggregate import Observation, Timeline, build_points, mean_score
from quotes.timelines.periods import validate_granularity
from quotes.vocabulary import DEFAULT_MIN_CONFIDENCE

#: Results per page of the search page and the default page of the API.
PAGE_SIZE = 20
MAX_PAGE_SIZE = 200


class SpeakerChoiceNeeded(BadInputError):
    """A new speaker name is very close to known ones: the caller must choose.

    The message is the library's sentence; ``similar`` lists the known names
    so a form can offer them ("did you mean"), or creating the new speaker.
    """

    def __init__(self, message: str, similar: list[str]) -> None:
        super().__init__(message)
        self.similar = similar


# --- search -----------------------------------------------------------------


@dataclass
class SearchPage:
    """One page of search results and what is needed to show the next."""

    query: str
    mode: str
    hits: list[dict[str, Any]]
    offset: int
    limit: int
    has_more: bool


def resolve_mode(database: Database, mode: str | None) -> str:
    """The mode a search runs in (hybrid once vectors exist, else text)."""
    if mode is None or not mode.strip():
        with database.session() as session:
            return default_mode(session)
    return check_mode(mode)


def check_paging(offset: int, limit: int, most: int = MAX_PAGE_SIZE) -> None:
    if not 1 <= limit <= most:
        raise BadInputError(f"invalid limit {limit}: use a number from 1 to {most}.")
    if offset < 0 or offset + limit > MAX_LIMIT:
        raise BadInputError(
            f"invalid offset {offset}: use a number from 0 to {MAX_LIMIT - limit} "
            f"(results past the first {MAX_LIMIT:,} are not ranked)."
        )


def search(
    database: Database,
    query: str,
    *,
    filters: QuoteFilters,
    mode: str | None = None,
    offset: int = 0,
    limit: int = PAGE_SIZE,
    most: int = MAX_PAGE_SIZE,
) -> SearchPage:
    """One page of results, best first; ``rank`` counts from the first page."""
    check_paging(offset, limit, most)
    chosen = resolve_mode(database, mode)
    with database.session() as session:
        hits = library_search(
            session, query, filters=filters, mode=chosen, limit=min(MAX_LIMIT, offset + limit + 1)
        )
    page = [hit.to_dict() for hit in hits[offset : offset + limit]]
    return SearchPage(query, chosen, page, offset, limit, len(hits) > offset + limit)


def browse(
    database: Database, *, filters: QuoteFilters, offset: int = 0, limit: int = PAGE_SIZE
) -> SearchPage:
    """Statements passing the filters, newest first (the search page without words)."""
    from quotes.search.filters import resolve_filters

    check_paging(offset, limit)
    with database.session() as session:
        clauses = resolve_filters(session, filters).clauses()
        ids = list(
            session.scalars(
                select(Quote.id)
                .where(*clauses)
                .order_by(Quote.date.is_(None), Quote.date.desc(), Quote.id.desc())
                .offset(offset)
                .limit(limit + 1)
            )
        )
        hits = [
            {**document, "rank": offset + i, "match": None, "snippet": None}
            for i, document in enumerate(quote_documents(session, ids[:limit]), start=1)
        ]
    return SearchPage("", "text", hits, offset, limit, len(ids) > limit)


# --- quotes -----------------------------------------------------------------


def quote(database: Database, quote_id: int) -> dict[str, Any]:
    """One quote in the contract's shape; NotFoundError for an unknown id."""
    with database.session() as session:
        return quote_to_dict(get_quote(session, quote_id))


@dataclass
class NewStatement:
    """What the Add form and ``POST /api/v1/quotes`` send."""

    text: str
    speaker: str
    date: str | None = None
    source_url: str | None = None
    outlet: str | None = None
    context: str | None = None
    topics: Sequence[str] = ()
    kind: str = "quote"
    new_speaker: bool = False


@dataclass
class Added:
    quote: dict[str, Any]
    created: bool
    speaker_created: bool
    source_attached: bool


def add(database: Database, statement: NewStatement) -> Added:
    """Record one statement with the rules of ``quotes add``.

    A speaker name very close to a known one raises :class:`SpeakerChoiceNeeded`
    (nothing is written) unless ``new_speaker`` is set.
    """
    try:
        with database.session(write=True) as session:
            result = add_quote(
                session,
                statement.text,
                statement.speaker,
                date=statement.date,
                source_url=statement.source_url,
                outlet=statement.outlet,
                context=statement.context,
                topics=[t for t in statement.topics if t.strip()],
                kind=statement.kind,
                new_speaker=statement.new_speaker,
            )
            document = quote_to_dict(get_quote(session, result.quote_id))
    except BadInputError as exc:
        raise _speaker_choice(database, statement.speaker, exc) from None
    return Added(document, result.created, result.speaker_created, result.source_attached)


def _speaker_choice(database: Database, name: str, error: BadInputError) -> BadInputError:
    """The error as it is, or as a choice when the name is close to known speakers."""
    if "very close to" not in str(error):
        return error
    with database.session() as session:
        similar = similar_names(session, validate_name(name))
    return SpeakerChoiceNeeded(str(error), similar) if similar else error


def label(database: Database, quote_id: int, topic: str, stance: str) -> dict[str, Any]:
    """A person's stance label (it wins over the automatic one); returns the quote."""
    from quotes.meaning.stance import label_stance

    with database.session(write=True) as session:
        label_stance(session, quote_id, topic, stance)
        session.expire_all()
        return quote_to_dict(get_quote(session, quote_id))


def link(database: Database, quote_id: int, topic: str) -> dict[str, Any]:
    """A person's link of the quote to a topic (clears an earlier unlink); returns the quote."""
    from quotes.records.links import link_topic

    with database.session(write=True) as session:
        link_topic(session, quote_id, topic)
        session.expire_all()
        return quote_to_dict(get_quote(session, quote_id))


def unlink(database: Database, quote_id: int, topic: str) -> dict[str, Any]:
    """A person says the quote is not about the topic (history keeps the link)."""
    from quotes.records.links import unlink_topic

    with database.session(write=True) as session:
        result = unlink_topic(session, quote_id, topic)
        session.expire_all()
        return {**result.to_dict(), "quote": quote_to_dict(get_quote(session, quote_id))}


def unlabel(database: Database, quote_id: int, topic: str) -> dict[str, Any]:
    """Remove a person's stance label (history keeps it); returns the quote."""
    from quotes.records.links import unlabel_stance

    with database.session(write=True) as session:
        unlabel_stance(session, quote_id, topic)
        session.expire_all()
        return quote_to_dict(get_quote(session, quote_id))


@dataclass
class Correction:
    """The fields an edit sets; None leaves a field as it is, "" clears date or context."""

    text: str | None = None
    speaker: str | None = None
    date: str | None = None
    context: str | None = None
    kind: str | None = None
    merge: bool = False


def edit(database: Database, quote_id: int, correction: Correction) -> dict[str, Any]:
    """Correct a quote like ``quotes edit`` (the previous version goes to its history)."""
    from quotes.records.quote_edits import edit_quote

    with database.session(write=True) as session:
        result = edit_quote(
            session,
            quote_id,
            text=correction.text,
            speaker=correction.speaker,
            date=correction.date,
            context=correction.context,
            kind=correction.kind,
            merge=correction.merge,
        )
        session.expire_all()
        document = quote_to_dict(get_quote(session, result.surviving_id))
    return {**result.to_dict(), "quote": document}


def delete(database: Database, quote_id: int) -> list[int]:
    """Delete a quote; its history keeps it whole, so it can be restored."""
    from quotes.records.quote_edits import delete_quotes

    with database.session(write=True) as session:
        return delete_quotes(session, [quote_id]).deleted


def restore(database: Database, quote_id: int) -> dict[str, Any]:
    """Bring a deleted quote back with its sources, links and labels."""
    from quotes.records.quote_edits import restore_quote

    with database.session(write=True) as session:
        result = restore_quote(session, quote_id)
        session.flush()
        document = quote_to_dict(get_quote(session, quote_id))
    return {**result.to_dict(), "quote": document}


def history(database: Database, quote_id: int) -> dict[str, Any]:
    """A quote's earlier versions (also for a deleted one) and whether it exists now."""
    from quotes.records.quote_edits import quote_history

    with database.session() as session:
        versions = [v.to_dict() for v in quote_history(session, quote_id)]
        exists = session.get(Quote, quote_id) is not None
    return {"id": quote_id, "exists": exists, "versions": versions}


# --- speakers ---------------------------------------------------------------


def speakers(database: Database) -> list[dict[str, Any]]:
    """Every speaker with aliases, roles and their number of quotes."""
    from quotes.records.speakers import list_speakers

    with database.session() as session:
        return [dict(s.__dict__) for s in list_speakers(session)]


def _speaker(session: Session, name: str) -> Speaker:
    found = find_speaker(session, validate_name(name))
    if found is None:
        similar = similar_names(session, name)
        hint = f" Did you mean {' or '.join(repr(s) for s in similar)}?" if similar else ""
        raise NotFoundError(f"unknown speaker {name!r}: see `quotes speakers list`.{hint}")
    return found


@dataclass
class Position:
    """A speaker's stance on one topic, with the quotes it rests on."""

    topic: str
    score: float
    n: int
    manual: int
    counts: dict[str, int]
    first: str
    last: str
    timeline: Timeline
    observations: list[Observation] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "score": round(self.score, 4),
            "n": self.n,
            "manual": self.manual,
            "counts": self.counts,
            "first": self.first,
            "last": self.last,
            "quote_ids": [o.quote_id for o in self.observations],
            "timeline": self.timeline.rows(),
        }


def positions_from(
    observations: Sequence[Observation], speakers: list[str], granularity: str = "month"
) -> list[Position]:
    """Per topic: the weighted mean of the effective stances and their timeline."""
    by = validate_granularity(granularity)
    grouped: dict[str, list[Observation]] = defaultdict(list)
    for obs in observations:
        grouped[obs.topic].append(obs)
    found = []
    for topic, items in grouped.items():
        items.sort(key=lambda o: (o.span.sort_key, o.quote_id))
        counts = {name: sum(1 for o in items if o.label == name) for name in LABELS}
        timeline = Timeline(topic, by, "mean", speakers, build_points(items, by, "mean"))
        found.append(
            Position(
                topic=topic,
                score=mean_score(items),
                n=len(items),
                manual=sum(1 for o in items if o.method == "manual"),
                counts=counts,
                first=items[0].date_label,
                last=items[-1].date_label,
                timeline=timeline,
                observations=items,
            )
        )
    found.sort(key=lambda p: (-p.n, p.topic))
    return found


LABELS = ("favor", "against", "neutral")


def speaker(database: Database, name: str, *, by: str = "month") -> dict[str, Any]:
    """A speaker's names, roles, latest quotes and per-topic positions with timelines."""
    from quotes.timelines.query import load_observations

    validate_granularity(by)
    with database.session() as session:
        person = _speaker(session, name)
        session.refresh(person, ["aliases", "roles"])
        total = session.scalar(select(func.count()).where(Quote.speaker_id == person.id)) or 0
        latest_ids = list(
            session.scalars(
                select(Quote.id)
                .where(Quote.speaker_id == person.id)
                .order_by(Quote.date.is_(None), Quote.date.desc(), Quote.id.desc())
                .limit(PAGE_SIZE)
            )
        )
        latest = quote_documents(session, latest_ids)
        observed = load_observations(
            session, speaker_ids=[person.id], min_confidence=DEFAULT_MIN_CONFIDENCE
        )
        observations, undated = observed.observations, observed.undated
        document: dict[str, Any] = {
            "name": person.name,
            "aliases": [a.alias for a in person.aliases if a.alias_key != person.name_key],
            "country": person.country,
            "party": person.party,
            "wikidata_id": person.wikidata_id,
            "roles": [
                {
                    "title": r.title,
                    "organisation": r.organisation,
                    "from": r.start_date.isoformat() if r.start_date else None,
                    "to": r.end_date.isoformat() if r.end_date else None,
                }
                for r in person.roles
            ],
            "quotes": total,
            "latest": latest,
            "undated_assessed": undated,
        }
    document["positions"] = positions_from(observations, [document["name"]], by)
    document["verdicts"] = _verdicts(database, document["name"], document["positions"])
    return document


def _verdicts(
    database: Database, name: str, positions: Sequence[Position]
) -> dict[str, dict[str, Any]]:
    """Per topic, ``quotes position``'s answer: a label with its confidence, or
    "not enough evidence" by the one evidence rule."""
    from quotes.timelines.position import speaker_position

    with database.session() as session:
        return {p.topic: speaker_position(session, name, p.topic).to_dict() for p in positions}


# --- topics -----------------------------------------------------------------


def topics(database: Database) -> list[dict[str, Any]]:
    with database.session() as session:
        return [t.to_dict() for t in list_topics(session)]


def topic_names(database: Database) -> list[str]:
    with database.session() as session:
        return list(session.scalars(select(Topic.name).order_by(Topic.name)))


def topic(database: Database, name: str, *, by: str = "month") -> dict[str, Any]:
    """A topic's poles, every speaker's position side by side, and its stance groups."""
    from quotes.timelines.query import load_observations

    validate_granularity(by)
    with database.session() as session:
        try:
            found = get_topic(session, name)
        except BadInputError as exc:
            raise NotFoundError(str(exc)) from None
        linked = session.scalar(
            select(func.count(func.distinct(StanceAssessment.quote_id))).where(
                StanceAssessment.topic_id == found.id
            )
        )
        observed = load_observations(
            session, topic_ids=[found.id], min_confidence=DEFAULT_MIN_CONFIDENCE
        )
        observations, undated = observed.observations, observed.undated
        groups = _clusters(session, found)
        document: dict[str, Any] = {
            "name": found.name,
            "description": found.description,
            "favor": found.favor_pole,
            "against": found.against_pole,
            "assessed": linked or 0,
            "undated_assessed": undated,
            "clusters": groups,
        }
    by_speaker: dict[str, list[Observation]] = defaultdict(list)
    for obs in observations:
        by_speaker[obs.speaker].append(obs)
    side_by_side = []
    for person, items in by_speaker.items():
        position = positions_from(items, [person], by)[0]
        side_by_side.append({"speaker": person, **position.to_dict()})
    side_by_side.sort(key=lambda p: (-p["n"], p["speaker"].casefold()))
    document["speakers"] = side_by_side
    top = [p["speaker"] for p in side_by_side[:5]]
    chosen = [o for o in observations if o.speaker in top]
    granularity = validate_granularity(by)
    document["timeline"] = Timeline(
        found.name, granularity, "mean", top, build_points(chosen, granularity, "mean")
    )
    return document


_CLUSTERS: dict[tuple[str, int], tuple[tuple[Any, ...], list[dict[str, Any]]]] = {}
_CLUSTERS_LOCK = threading.Lock()


def _clusters(session: Session, topic: Topic) -> list[dict[str, Any]]:
    """The topic's stance groups, computed again only when its assessments changed.

    k-means over a topic's quotes takes seconds on a busy machine, too long
    for every page view; the stamp (how many assessments, the newest id and
    the sum of their scores) changes with any new, removed or relabelled one.
    """
    from threadpoolctl import threadpool_limits

    from quotes.meaning.clusters import cluster_topic

    stamp = tuple(
        session.execute(
            select(
                func.count(StanceAssessment.id),
                func.max(StanceAssessment.id),
                func.sum(StanceAssessment.score),
            ).where(StanceAssessment.topic_id == topic.id)
        ).one()
    )
    key = (session.get_bind().engine.url.render_as_string(hide_password=False), topic.id)
    with _CLUSTERS_LOCK:
        cached = _CLUSTERS.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    with threadpool_limits(1):  # one request must not take every core's threads
        groups = [g.to_dict() for g in cluster_topic(session, topic.name)]
    with _CLUSTERS_LOCK:
        _CLUSTERS[key] = (stamp, groups)
    return groups


def review(database: Database, topic: str, limit: int = 10) -> list[dict[str, Any]]:
    """The topic's quotes whose label would teach the stance model most, best first."""
    from quotes.meaning.reviewing import suggestions

    with database.session() as session:
        return [s.to_dict() for s in suggestions(session, topic, limit)]


# --- timelines and shifts ----------------------------------------------------


def timeline(
    database: Database,
    topic: str,
    speakers: Sequence[str],
    *,
    by: str = "month",
    score: str = "mean",
    since: str | None = None,
    until: str | None = None,
) -> Timeline:
    """The contract's timeline; without speakers, the five most assessed on the topic."""
    from quotes.timelines.query import build_timeline

    with database.session() as session:
        names = list(speakers) or most_assessed_speakers(session, topic)
        if not names:
            get_topic(session, topic)  # an unknown topic is still bad input
            return Timeline(topic, validate_granularity(by), "mean", [], [])
        return build_timeline(session, topic, names, by=by, score=score, since=since, until=until)


def most_assessed_speakers(session: Session, topic: str, limit: int = 5) -> list[str]:
    found = get_topic(session, topic)
    rows = session.execute(
        select(Speaker.name, func.count(func.distinct(Quote.id)))
        .select_from(StanceAssessment)
        .join(Quote, Quote.id == StanceAssessment.quote_id)
        .join(Speaker, Speaker.id == Quote.speaker_id)
        .where(StanceAssessment.topic_id == found.id, Quote.date.is_not(None))
        .group_by(Speaker.name)
    ).all()
    return [name for name, _ in sorted(rows, key=lambda r: (-r[1], r[0]))[:limit]]


def shifts(
    database: Database,
    *,
    topic: str | None = None,
    speaker: str | None = None,
    by: str = "month",
    score: str = "mean",
) -> list[dict[str, Any]]:
    from quotes.timelines.query import find_shifts

    with database.session() as session:
        return [
            s.to_dict()
            for s in find_shifts(session, topic=topic, speaker=speaker, by=by, score=score)
        ]


# --- extraction ---------------------------------------------------------------

MAX_ARTICLE_CHARACTERS = 200_000


def check_article(text: str) -> str:
    if not text.strip():
        raise BadInputError("the article is empty: paste the article's text.")
    if len(text) > MAX_ARTICLE_CHARACTERS:
        raise BadInputError(
            f"the article is {len(text):,} characters long; the limit is "
            f"{MAX_ARTICLE_CHARACTERS:,}."
        )
    return text


def extract(database: Database, text: str) -> dict[str, Any]:
    """The article's candidate quotations (resolving names against known speakers)."""
    from quotes.ingest.articles import extract_article

    check_article(text)
    with database.session() as session:
        found = extract_article(session, text)
    return {
        "candidates": [c.to_dict() for c in found.candidates],
        "unclosed_lines": [text.count("\n", 0, offset) + 1 for offset in found.unclosed],
    }


@dataclass
class Chosen:
    """A candidate the person ticked, by its start offset, with the speaker they confirmed."""

    start: int
    speaker: str | None = None


def save_extracted(
    database: Database,
    text: str,
    chosen: Sequence[Chosen],
    *,
    date: str | None = None,
    source_url: str | None = None,
    outlet: str | None = None,
    new_speaker: bool = False,
) -> list[dict[str, Any]]:
    """Record the ticked candidates like ``quotes extract --save`` (all or nothing)."""
    from quotes.ingest.articles import extract_article, save_candidates

    check_article(text)
    wanted = {c.start: c for c in chosen}
    with database.session(write=True) as session:
        found = extract_article(session, text).candidates
        offsets = {c.start for c in found}
        unknown = sorted(set(wanted) - offsets)
        if unknown:
            raise BadInputError(
                f"no quotation starts at offset {unknown[0]} of this article: extract it again."
            )
        picked = []
        for candidate in found:
            choice = wanted.get(candidate.start)
            if choice is None:
                continue
            speaker = (choice.speaker or "").strip() or candidate.speaker
            if speaker is None:
                raise BadInputError(
                    f"the quotation {candidate.text[:40]!r} has no speaker: type who said it."
                )
            picked.append(replace(candidate, speaker=speaker))
        try:
            saved = save_candidates(
                session,
                picked,
                text,
                date=date,
                source_url=source_url,
                outlet=outlet,
                new_speaker=new_speaker,
                min_confidence=0.0,  # a person ticked these: their choice, not the rules' score
            )
        except BadInputError as exc:
            session.rollback()
            names = [c.speaker for c in picked if c.speaker]
            similar = sorted({s for n in names for s in similar_names(session, n)})
            if "very close to" in str(exc) and similar:
                raise SpeakerChoiceNeeded(str(exc), similar) from None
            raise
        return [s.to_dict() for s in saved]


# --- helpers the pages use ------------------------------------------------------


def speaker_names(database: Database, limit: int = 2000) -> list[str]:
    """Known speaker names for the filter suggestions (most quoted first)."""
    with database.session() as session:
        rows = session.execute(
            select(Speaker.name, func.count(Quote.id))
            .outerjoin(Quote, Quote.speaker_id == Speaker.id)
            .group_by(Speaker.name)
            .order_by(func.count(Quote.id).desc(), Speaker.name)
            .limit(limit)
        ).all()
    return [name for name, _ in rows]


def counts(database: Database) -> dict[str, int]:
    with database.session() as session:
        return {
            "quotes": session.scalar(select(func.count()).select_from(Quote)) or 0,
            "speakers": session.scalar(select(func.count()).select_from(Speaker)) or 0,
            "topics": session.scalar(select(func.count()).select_from(Topic)) or 0,
        }


def quotes_by_ids(database: Database, ids: Sequence[int]) -> list[dict[str, Any]]:
    with database.session() as session:
        return quote_documents(session, list(ids))


def recent(database: Database, limit: int = PAGE_SIZE) -> list[dict[str, Any]]:
    """The most recently recorded statements (the search page before a query)."""
    with database.session() as session:
        ids = list(session.scalars(select(Quote.id).order_by(Quote.id.desc()).limit(limit)))
        return quote_documents(session, ids)
