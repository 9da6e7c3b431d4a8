"""The demo: the whole main job on one database, from seeds to a timeline chart.

``quotes demo`` shows what the tool is for in one command: it loads the seed
article's quotations and a bundled sample of 158 real, dated House of Commons
statements (``seeds/parlee_sample.jsonl``, so no external data is needed),
embeds them, assigns topics and stances, then searches, clusters and charts.
Each step here is one library call the CLI renders as it goes; loading is
idempotent and embeddings are cached, so running the demo twice is cheap.

The story is the seed article's (January 2026: NATO's Rutte on Arctic security
after talks with Trump, Trump stepping back from tariffs over Greenland,
Frederiksen on Danish sovereignty). Automatic stances alone are too unsure to
publish anything about it, so the demo does what a journalist would: a named
curator reads each statement against the topic's poles and records a label
only where the speaker's own words justify it (:data:`STORY_READINGS`, each
with its reason, stored as a person's label that history keeps and
``quotes stance unlabel`` removes). Positions are then published with their
receipts. Shifts are shown only when they pass the one evidence rule; every
statement of the story falls in one month, so the demo says plainly that no
shift can be shown rather than inventing one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quotes.store.engine import Database
from quotes.timelines.aggregate import Timeline
from quotes.timelines.position import Position
from quotes.timelines.shifts import Shift, detect_shifts
from quotes.vocabulary import DEFAULT_MIN_CONFIDENCE

#: Where the demo writes when no --db is given (never the user's own database).
DEFAULT_DEMO_DB = "quotes-demo.db"
SAMPLE_FILE = "parlee_sample.jsonl"
SEARCH_QUERY = "sovereignty"
CHART_NAMES = ("timeline.png", "timeline.html")


@dataclass
class SeedCounts:
    """New and already-present quotes from each bundled file."""

    article_added: int
    article_existing: int
    sample_added: int
    sample_existing: int


def chart_paths(out_dir: Path) -> tuple[Path, Path]:
    """The PNG and HTML paths, checked writable before the demo does any work."""
    from quotes.exports.files import check_writable

    png, html = (out_dir / name for name in CHART_NAMES)
    check_writable(png)
    check_writable(html)
    return png, html


def load_demo_data(database: Database) -> SeedCounts:
    """Default topics, the seed article's quotations and the ParlEE sample (one transaction)."""
    from quotes.ingest.seeding import load_seed_quotes
    from quotes.records.topics import install_default_topics

    with database.session(write=True) as session:
        install_default_topics(session)
        article = load_seed_quotes(session)
        sample = load_seed_quotes(session, SAMPLE_FILE)
    return SeedCounts(article.added, article.existing, sample.added, sample.existing)


def demo_search(database: Database, query: str = SEARCH_QUERY, limit: int = 5) -> list[Any]:
    """A hybrid search (words and meaning fused) as contract quote dicts with rank."""
    from quotes.search.query import search

    with database.session() as session:
        return [h.to_dict() for h in search(session, query, mode="hybrid", limit=limit)]


def demo_clusters(database: Database, topics: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
    """Stance groups for each topic (an empty list when a topic has no assessed quotes)."""
    from quotes.meaning.clusters import cluster_topic

    found: dict[str, list[dict[str, Any]]] = {}
    with database.session() as session:
        for name in topics:
            groups = cluster_topic(session, name)
            found[name] = [g.to_dict() for g in groups]
    return found


def confident_share(
    database: Database, min_confidence: float = DEFAULT_MIN_CONFIDENCE
) -> dict[str, tuple[int, int]]:
    """Per topic: (automatic stances at ``min_confidence`` or above, all automatic ones).

    The assignment counts every estimate; this says how many of them would
    count in a published claim.
    """
    from sqlalchemy import case, func, select

    from quotes.store.models import StanceAssessment, Topic

    sure = func.sum(case((StanceAssessment.confidence >= min_confidence, 1), else_=0))
    with database.session() as session:
        rows = session.execute(
            select(Topic.name, sure, func.count(StanceAssessment.id))
            .join(Topic, Topic.id == StanceAssessment.topic_id)
            .where(StanceAssessment.method == "auto")
            .group_by(Topic.name)
        ).all()
    return {name: (int(above or 0), int(total)) for name, above, total in rows}


@dataclass
class DemoTimeline:
    timeline: Timeline
    shifts: list[Shift]
    png: Path
    html: Path


def demo_timeline(
    database: Database,
    png: Path,
    html: Path,
    *,
    speakers: int = 3,
    by: str = "year",
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
) -> DemoTimeline | None:
    """The busiest topic's timeline for its most-quoted speakers, as PNG and HTML.

    Only stances that pass the confidence bar count, as in ``quotes timeline``,
    and only shifts with sufficient evidence on both sides are shown. None (and
    no file written) when nothing has a stance that counts.
    """
    from quotes.timelines.output import write_timeline
    from quotes.timelines.query import build_timeline, most_assessed

    with database.session() as session:
        picked = most_assessed(session, limit=speakers, min_confidence=min_confidence)
        if picked is None:
            return None
        topic, names = picked
        timeline = build_timeline(session, topic, names, by=by, min_confidence=min_confidence)
    shifts = detect_shifts(timeline.points)
    write_timeline(timeline, shifts, "png", png)
    write_timeline(timeline, shifts, "html", html)
    return DemoTimeline(timeline, shifts, png, html)


#: Who reads the story's statements in the demo (shown with every label it records).
CURATOR = "the quotes demo's curator"


@dataclass(frozen=True)
class Reading:
    """A person's reading of one seed statement on one topic.

    ``text`` is the statement exactly as ``seeds/seed_quotes.jsonl`` holds it
    (a test checks); ``label`` None means it was read and the words do not
    justify a label, for the ``reason`` given.
    """

    speaker: str
    text: str
    topic: str
    label: str | None
    reason: str


STORY_READINGS: tuple[Reading, ...] = (
    Reading(
        "Mark Rutte",
        "We will come together in NATO with our senior commanders to work out what is necessary.",
        "security",
        "favor",
        "NATO allies and their commanders are to work out the Arctic defence that is "
        "needed: a call for stronger collective defence.",
    ),
    Reading(
        "Mark Rutte",
        "collectively make sure the Arctic stays safe",
        "security",
        "favor",
        "Allies acting together to keep the Arctic safe: collective defence.",
    ),
    Reading(
        "Mark Rutte",
        "the Russians and the Chinese stay out.",
        "security",
        "favor",
        "Keeping adversaries out is the favor pole's own wording.",
    ),
    Reading(
        "Mark Rutte",
        "I have no doubt we can do this quite fast. Certainly, I would hope for 2026 — "
        "I hope even early in 2026.",
        "security",
        None,
        "About timing only; the words take no side on defence.",
    ),
    Reading(
        "Mette Frederiksen",
        "We can negotiate on all political issues: security, investments, economics. "
        "But we cannot negotiate on our sovereignty.",
        "sovereignty",
        "favor",
        "Sovereignty is not for negotiation: the favor pole's own wording.",
    ),
    Reading(
        "Mette Frederiksen",
        "constructive dialogue",
        "sovereignty",
        None,
        "Two words; the condition (territorial integrity respected) is the reporter's "
        "context, not her words.",
    ),
    Reading(
        "Donald Trump",
        "A framework regarding Greenland has been formed, so the tariffs planned against "
        "European nations that opposed the plan will not be imposed.",
        "tariffs",
        None,
        "Our paraphrase, not his words; dropping these tariffs is not opposing tariffs or "
        "favouring free trade (the against pole), and no earlier statement of the "
        "threat is in the seed data.",
    ),
)

#: The story's claims the demo publishes (or says it cannot): (speaker, topic).
STORY_POSITIONS: tuple[tuple[str, str], ...] = (
    ("Mark Rutte", "security"),
    ("Mette Frederiksen", "sovereignty"),
    ("Donald Trump", "tariffs"),
)


@dataclass(frozen=True)
class StoryReading:
    """A reading applied to a stored quote (``kind`` says if it is verbatim)."""

    quote_id: int
    kind: str
    date: str | None
    reading: Reading


def label_story(database: Database) -> list[StoryReading]:
    """Record the curator's labels on the seed statements (idempotent).

    A reading whose statement is not in the database (deleted by a user of a
    reused demo database) is skipped rather than re-created.
    """
    from sqlalchemy import select

    from quotes.meaning.stance import label_stance
    from quotes.store.models import Quote, Speaker

    applied: list[StoryReading] = []
    with database.session(write=True) as session:
        for reading in STORY_READINGS:
            quote = session.scalar(
                select(Quote)
                .join(Speaker, Speaker.id == Quote.speaker_id)
                .where(Quote.text == reading.text, Speaker.name == reading.speaker)
                .order_by(Quote.id)
                .limit(1)
            )
            if quote is None:
                continue
            if reading.label is not None:
                label_stance(session, quote.id, reading.topic, reading.label)
            when = None if quote.date is None else quote.date.isoformat()[:7]
            applied.append(StoryReading(quote.id, quote.kind, when, reading))
    return applied


@dataclass(frozen=True)
class StoryClaim:
    """A story position and the months in which its evidence is sufficient."""

    position: Position
    months: list[str]


def story_positions(database: Database) -> list[StoryClaim]:
    """Each story speaker's position with receipts, and which months could be compared.

    A shift compares two periods that each rest on sufficient evidence; the
    months listed are those periods, so one month means no shift can be shown.
    """
    from quotes.timelines.position import speaker_position
    from quotes.timelines.query import build_timeline

    claims = []
    with database.session() as session:
        for speaker, topic in STORY_POSITIONS:
            position = speaker_position(session, speaker, topic)
            timeline = build_timeline(session, topic, [speaker], by="month")
            months = [p.period.label for p in timeline.points if p.evidence.sufficient()]
            claims.append(StoryClaim(position, months))
    return claims


def demo_shifts(database: Database) -> dict[str, list[Shift]]:
    """Every shift that passes the rule, every speaker and topic, by month and by year."""
    from quotes.timelines.query import find_shifts

    with database.session() as session:
        return {by: find_shifts(session, by=by) for by in ("month", "year")}
