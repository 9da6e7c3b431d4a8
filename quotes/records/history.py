"""History: the earlier versions of quotes, speakers and topics, append-only.

Before a person's edit or delete changes a record, the record as it was is
written to the ``history`` table as a JSON snapshot (for a quote: its text,
speaker, date, kind, context, sources, topic links, stance assessments and
rejected topics). Rows are only ever inserted, never updated or deleted, so
nothing a person corrects or removes is lost: ``quotes history ID`` reads the
versions back and ``quotes restore ID`` rebuilds a deleted quote from its
last snapshot.

Each row holds the record *before* its action, except ``restore`` rows, which
hold the record as it was brought back (before a restore there was nothing).
What an action changed is therefore the difference between a row's snapshot
and the next state: the next row's snapshot, or the record as it is now.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from quotes.store.dates import format_date
from quotes.store.ids import storable_ids
from quotes.store.models import (
    HistoryEntry,
    Quote,
    QuoteTopic,
    Speaker,
    StanceAssessment,
    Topic,
    TopicRejection,
)

#: Actions after which the quote no longer exists (a restore can bring it back).
GONE_ACTIONS = ("delete", "merge")
#: Actions whose snapshot is the state *after* the action.
AFTER_ACTIONS = ("restore",)


def _timestamp(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def quote_snapshot(session: Session, quote: Quote) -> dict[str, Any]:
    """Everything needed to show and rebuild ``quote`` (embeddings excepted: recomputable)."""
    links = session.scalars(select(QuoteTopic).where(QuoteTopic.quote_id == quote.id)).all()
    stances = session.scalars(
        select(StanceAssessment).where(StanceAssessment.quote_id == quote.id)
    ).all()
    rejected = session.scalars(
        select(Topic.name)
        .join(TopicRejection, TopicRejection.topic_id == Topic.id)
        .where(TopicRejection.quote_id == quote.id)
        .order_by(Topic.name)
    ).all()
    return {
        "id": quote.id,
        "text": quote.text,
        "speaker": quote.speaker.name,
        "speaker_record": speaker_snapshot(quote.speaker),
        "date": format_date(quote.date, quote.date_precision),
        "kind": quote.kind,
        "context": quote.context,
        "language": quote.language,
        "created_at": _timestamp(quote.created_at),
        "sources": [
            {"url": link.source.url, "outlet": link.source.outlet, "title": link.source.title}
            for link in quote.source_links
        ],
        "topic_links": sorted(
            (
                {"topic": link.topic.name, "origin": link.origin, "confidence": link.confidence}
                for link in links
            ),
            key=lambda item: str(item["topic"]),
        ),
        "stances": sorted(
            (
                {
                    "topic": s.topic.name,
                    "label": s.label,
                    "score": s.score,
                    "method": s.method,
                    "model": s.model,
                    "confidence": s.confidence,
                }
                for s in stances
            ),
            key=lambda item: (str(item["topic"]), str(item["method"])),
        ),
        "rejected_topics": list(rejected),
    }


def speaker_snapshot(speaker: Speaker) -> dict[str, Any]:
    """A speaker with its names and roles."""
    return {
        "id": speaker.id,
        "name": speaker.name,
        "country": speaker.country,
        "party": speaker.party,
        "wikidata_id": speaker.wikidata_id,
        "aliases": sorted(a.alias for a in speaker.aliases),
        "roles": [
            {
                "title": r.title,
                "organisation": r.organisation,
                "from": r.start_date.isoformat() if r.start_date else None,
                "to": r.end_date.isoformat() if r.end_date else None,
            }
            for r in speaker.roles
        ],
    }


def topic_snapshot(topic: Topic) -> dict[str, Any]:
    """A topic's name, description and poles."""
    return {
        "id": topic.id,
        "name": topic.name,
        "description": topic.description,
        "favor": topic.favor_pole,
        "against": topic.against_pole,
    }


def append(
    session: Session, entity: str, entity_id: int, action: str, snapshot: dict[str, Any]
) -> None:
    """Add one version to the history (inside the caller's transaction)."""
    session.add(
        HistoryEntry(
            entity=entity,
            entity_id=entity_id,
            action=action,
            snapshot=json.dumps(snapshot, ensure_ascii=False, sort_keys=True, default=str),
        )
    )
    session.flush()


def entries(session: Session, entity: str, entity_id: int) -> list[HistoryEntry]:
    """A record's history rows, oldest first."""
    if not storable_ids(session, [entity_id]):
        return []
    return list(
        session.scalars(
            select(HistoryEntry)
            .where(HistoryEntry.entity == entity, HistoryEntry.entity_id == entity_id)
            .order_by(HistoryEntry.id)
        )
    )


def last_snapshot(session: Session, entity: str, entity_id: int, actions: tuple[str, ...]) -> Any:
    """The snapshot of the record's newest history row with one of ``actions``, or None."""
    if not storable_ids(session, [entity_id]):
        return None
    row = session.scalar(
        select(HistoryEntry)
        .where(
            HistoryEntry.entity == entity,
            HistoryEntry.entity_id == entity_id,
            HistoryEntry.action.in_(actions),
        )
        .order_by(HistoryEntry.id.desc())
        .limit(1)
    )
    return None if row is None else json.loads(row.snapshot)


@dataclass
class Version:
    """One history row as people read it: what happened, when, and what changed."""

    version: int
    action: str
    recorded_at: str | None
    #: field -> {"from": before, "to": after}; for delete and merge the "to" is None.
    changes: dict[str, dict[str, Any]]
    snapshot: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version,
            "action": self.action,
            "recorded_at": self.recorded_at,
            "changes": self.changes,
            "snapshot": self.snapshot,
        }


#: Snapshot fields that are bookkeeping, not content a person changed.
_NOT_COMPARED = ("id", "created_at", "speaker_record", "merged_into")


def _readable(snapshot: dict[str, Any] | None) -> dict[str, Any]:
    """A snapshot as people compare versions.

    Automatic links and assessments are left out: they are estimates that
    every ``stance assign`` may change, not something a person edited. Lists
    become short strings ("sovereignty: favor").
    """
    if snapshot is None:
        return {}
    view = {k: v for k, v in snapshot.items() if k not in _NOT_COMPARED}
    if "sources" in view:
        view["sources"] = [
            " ".join(str(part) for part in (s.get("outlet"), s.get("url")) if part)
            for s in view["sources"]
        ]
    if "topic_links" in view:
        view["topic_links"] = [
            link["topic"] for link in view["topic_links"] if link.get("origin") == "manual"
        ]
    if "stances" in view:
        view["labels"] = [
            f"{s['topic']}: {s['label']}" for s in view.pop("stances") if s["method"] == "manual"
        ]
    if "roles" in view:
        view["roles"] = [
            " ".join(str(v) for v in role.values() if v is not None) for role in view["roles"]
        ]
    return view


def diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """The fields whose values differ between two snapshots (None: the record did not exist)."""
    old_view, new_view = _readable(before), _readable(after)
    changes: dict[str, dict[str, Any]] = {}
    for key in dict.fromkeys([*old_view, *new_view]):
        old, new = old_view.get(key), new_view.get(key)
        if old != new:
            changes[key] = {"from": old, "to": new}
    return changes


def versions(
    session: Session, entity: str, entity_id: int, current: dict[str, Any] | None
) -> list[Version]:
    """The record's history with what each action changed; ``current`` is its state now."""
    rows = entries(session, entity, entity_id)
    snapshots: list[dict[str, Any]] = [json.loads(row.snapshot) for row in rows]
    found: list[Version] = []
    for index, row in enumerate(rows):
        snapshot = snapshots[index]
        if row.action in AFTER_ACTIONS:
            changes = diff(None, snapshot)
        elif row.action in GONE_ACTIONS:
            changes = diff(snapshot, None)
        else:
            following = index + 1
            after = snapshots[following] if following < len(rows) else current
            changes = diff(snapshot, after)
        found.append(Version(index + 1, row.action, _timestamp(row.recorded_at), changes, snapshot))
    return found
