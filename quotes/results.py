"""The typed records the public API returns (``quotes.open(...)`` methods).

Each is a frozen dataclass whose ``to_dict()`` is the JSON shape of the CLI
contract, so a notebook and ``quotes ... --json`` see the same document. They
are plain values: reading one never touches the database again.

Only the standard library is imported here, so ``import quotes`` stays light.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class SourceRecord:
    """Where a statement was published."""

    url: str | None
    outlet: str | None
    title: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"url": self.url, "outlet": self.outlet, "title": self.title}


@dataclass(frozen=True)
class TopicLink:
    """A quote is about a topic: said by a person (``manual``) or by assignment (``auto``)."""

    topic: str
    origin: str
    confidence: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"topic": self.topic, "origin": self.origin, "confidence": self.confidence}


@dataclass(frozen=True)
class StanceRecord:
    """Where a quote stands on a topic: ``score`` in [-1, 1] toward the favor pole.

    ``method`` is ``manual`` (a person's label) or ``auto``; ``confidence`` is,
    for an automatic stance, the calibrated probability that the label is right.
    """

    topic: str
    label: str
    score: float
    method: str
    model: str | None = None
    confidence: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "label": self.label,
            "score": self.score,
            "method": self.method,
            "model": self.model,
            "confidence": self.confidence,
        }


@dataclass(frozen=True)
class QuoteRecord:
    """One statement with its speaker, sources, topics and stances.

    ``stances`` lists a person's label before the automatic one for each topic;
    :meth:`effective_stances` keeps only the one that counts.
    """

    id: int
    text: str
    speaker: str
    date: str | None
    kind: str
    sources: tuple[SourceRecord, ...] = ()
    topics: tuple[str, ...] = ()
    stances: tuple[StanceRecord, ...] = ()
    topic_links: tuple[TopicLink, ...] = ()
    date_precision: str | None = None
    context: str | None = None
    language: str | None = None
    created_at: str | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> QuoteRecord:
        """Build from the library's quote dict (:func:`quotes.records.quotes.quote_to_dict`)."""
        return cls(
            id=data["id"],
            text=data["text"],
            speaker=data["speaker"],
            date=data.get("date"),
            kind=data["kind"],
            sources=tuple(
                SourceRecord(s.get("url"), s.get("outlet"), s.get("title"))
                for s in data.get("sources", ())
            ),
            topics=tuple(data.get("topics", ())),
            stances=tuple(
                StanceRecord(
                    topic=s["topic"],
                    label=s["label"],
                    score=s["score"],
                    method=s["method"],
                    model=s.get("model"),
                    confidence=s.get("confidence"),
                )
                for s in data.get("stances", ())
            ),
            topic_links=tuple(
                TopicLink(t["topic"], t["origin"], t.get("confidence"))
                for t in data.get("topic_links", ())
            ),
            date_precision=data.get("date_precision"),
            context=data.get("context"),
            language=data.get("language"),
            created_at=data.get("created_at"),
        )

    def effective_stances(self) -> tuple[StanceRecord, ...]:
        """One stance per topic: a person's label wins over the automatic one."""
        from quotes.vocabulary import effective_per_topic

        return tuple(effective_per_topic(self.stances))

    def to_dict(self) -> dict[str, Any]:
        """The contract's quote object (plus context, language, topic links, created_at)."""
        return {
            "id": self.id,
            "text": self.text,
            "speaker": self.speaker,
            "date": self.date,
            "date_precision": self.date_precision,
            "kind": self.kind,
            "context": self.context,
            "language": self.language,
            "sources": [s.to_dict() for s in self.sources],
            "topics": list(self.topics),
            "topic_links": [t.to_dict() for t in self.topic_links],
            "stances": [s.to_dict() for s in self.stances],
            "created_at": self.created_at,
        }


@dataclass(frozen=True)
class Added:
    """What :meth:`QuotesDatabase.add` did: the quote, and whether it was new."""

    quote: QuoteRecord
    created: bool
    source_attached: bool
    speaker_created: bool

    @property
    def id(self) -> int:
        return self.quote.id

    def to_dict(self) -> dict[str, Any]:
        return {**self.quote.to_dict(), "created": self.created}


@dataclass(frozen=True)
class SearchHit:
    """One search result: the quote, its 1-based rank and the mode's ``match`` score.

    ``match`` is higher for better matches: bm25 (SQLite) or ts_rank_cd
    (PostgreSQL) in text mode, cosine similarity in semantic mode, the
    reciprocal-rank-fusion score scaled to [0, 1] in hybrid mode. ``snippet``
    has the matched words wrapped in ``**`` (text and hybrid modes).
    """

    quote: QuoteRecord
    rank: int
    match: float
    snippet: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.quote.to_dict(),
            "rank": self.rank,
            "match": round(self.match, 6),
            "snippet": self.snippet,
        }


@dataclass(frozen=True)
class ExtractedQuote:
    """A quotation found in an article; ``id`` is set once it was saved."""

    text: str
    speaker: str | None
    kind: str
    start: int
    end: int
    cue: str | None
    partial: bool
    spans: tuple[tuple[int, int], ...]
    id: int | None = None
    created: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        """The contract's candidate (text, speaker, kind, start, end, cue) plus extras."""
        document: dict[str, Any] = {
            "text": self.text,
            "speaker": self.speaker,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "cue": self.cue,
            "partial": self.partial,
            "spans": [list(span) for span in self.spans],
        }
        if self.id is not None:
            document.update(id=self.id, created=self.created)
        return document


@dataclass(frozen=True)
class Extraction:
    """The quotations of one article, in order; ``unclosed`` are offsets of
    opening quotation marks never closed (those quotations were skipped)."""

    text: str
    quotations: tuple[ExtractedQuote, ...]
    unclosed: tuple[int, ...] = ()
    saved: bool = False

    @property
    def without_speaker(self) -> int:
        return sum(1 for q in self.quotations if q.speaker is None)

    def to_dict(self) -> list[dict[str, Any]]:
        return [q.to_dict() for q in self.quotations]


@dataclass(frozen=True)
class SpeakerRecord:
    """A speaker with the other names they are known by and their roles."""

    name: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    party: str | None = None
    wikidata_id: str | None = None
    roles: tuple[str, ...] = ()
    quotes: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "aliases": list(self.aliases),
            "country": self.country,
            "party": self.party,
            "wikidata_id": self.wikidata_id,
            "roles": list(self.roles),
            "quotes": self.quotes,
        }


@dataclass(frozen=True)
class TopicRecord:
    """A topic: stance labels are relative to its ``favor`` pole."""

    name: str
    description: str
    favor: str
    against: str
    quotes: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "favor": self.favor,
            "against": self.against,
            "quotes": self.quotes,
        }


@dataclass(frozen=True)
class Merged:
    """What merging speaker FROM into INTO moved."""

    into: str
    moved_quotes: int
    merged_duplicates: int
    moved_aliases: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "into": self.into,
            "moved_quotes": self.moved_quotes,
            "merged_duplicates": self.merged_duplicates,
            "moved_aliases": list(self.moved_aliases),
        }


@dataclass(frozen=True)
class Labelled:
    """A person's stance label as recorded."""

    quote_id: int
    topic: str
    label: str
    replaced: str | None = None  # the previous manual label, if any
    linked: bool = False  # a manual topic link was created or upgraded

    def to_dict(self) -> dict[str, Any]:
        return {
            "quote_id": self.quote_id,
            "topic": self.topic,
            "label": self.label,
            "replaced": self.replaced,
            "linked": self.linked,
        }


@dataclass(frozen=True)
class Initialised:
    """What :meth:`QuotesDatabase.init` did."""

    url: str
    topics_created: tuple[str, ...] = ()
    seeds_added: int | None = None  # None: seeds were not asked for
    seeds_existing: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "topics_created": list(self.topics_created),
            "seeds_added": self.seeds_added,
            "seeds_existing": self.seeds_existing,
        }


@dataclass(frozen=True)
class SchemaState:
    """The database's Alembic revision and the newest one this version ships."""

    current: str | None
    head: str

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head

    def to_dict(self) -> dict[str, Any]:
        return {"current": self.current, "head": self.head, "up_to_date": self.up_to_date}


__all__ = [
    "Added",
    "ExtractedQuote",
    "Extraction",
    "Initialised",
    "Labelled",
    "Merged",
    "QuoteRecord",
    "SchemaState",
    "SearchHit",
    "SourceRecord",
    "SpeakerRecord",
    "StanceRecord",
    "TopicLink",
    "TopicRecord",
]
