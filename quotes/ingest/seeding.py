"""Loading the bundled seed data (``seeds/``) into a database.

The seed quotations come from the news article the project started from; their
speakers, roles and aliases are in ``seeds/speakers.json``. Loading is
idempotent: statements already present are found again, not duplicated.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

from sqlalchemy.orm import Session

from quotes.records.quotes import add_quote
from quotes.records.speakers import add_alias, add_speaker, find_speaker


def _read_json(name: str) -> Any:
    return json.loads(resources.files("quotes.seeds").joinpath(name).read_text("utf-8"))


def _read_jsonl(name: str) -> list[dict[str, Any]]:
    text = resources.files("quotes.seeds").joinpath(name).read_text("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@dataclass
class SeedResult:
    added: int
    existing: int


def load_seed_speakers(session: Session) -> None:
    """Create the seed speakers with their roles and aliases (once)."""
    for spec in _read_json("speakers.json"):
        if find_speaker(session, spec["name"]) is None:
            role = spec.get("role") or {}
            add_speaker(
                session,
                spec["name"],
                country=spec.get("country"),
                party=spec.get("party"),
                wikidata_id=spec.get("wikidata_id"),
                role=role.get("title"),
                organisation=role.get("organisation"),
                role_from=role.get("from"),
            )
        for alias in spec.get("aliases", []):
            add_alias(session, spec["name"], alias)


def load_seed_quotes(session: Session, filename: str = "seed_quotes.jsonl") -> SeedResult:
    """Add the bundled seed quotations; returns how many were new."""
    load_seed_speakers(session)
    added = existing = 0
    for row in _read_jsonl(filename):
        result = add_quote(
            session,
            row["text"],
            row["speaker"],
            date=row.get("date"),
            source_url=row.get("source_url"),
            outlet=row.get("outlet"),
            context=row.get("context"),
            topics=row.get("topics", []),
            kind=row.get("kind", "quote"),
            language=row.get("language"),
            new_speaker=True,
        )
        added += result.created
        existing += not result.created
    return SeedResult(added, existing)
