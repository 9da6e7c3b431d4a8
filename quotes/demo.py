"""The demo: the whole main job on one database, from seeds to a timeline chart.

``quotes demo`` shows what the tool is for in one command: it loads the seed
article's quotations and a bundled sample of 158 real, dated House of Commons
statements (``seeds/parlee_sample.jsonl``, so no external data is needed),
embeds them, assigns topics and stances, then searches, clusters and charts.
Each step here is one library call the CLI renders as it goes; loading is
idempotent and embeddings are cached, so running the demo twice is cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quotes.store.engine import Database
from quotes.timelines.aggregate import Timeline
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
