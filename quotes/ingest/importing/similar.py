"""Near-duplicate speaker names created by an import.

``quotes add`` stops when a new name is very close to a known one; a bulk
import cannot stop on row 40,000, so it creates the speaker and lists the
close names in its summary instead. The rule is the foundation's
(:func:`quotes.records.speakers.similar_names`): a rapidfuzz ratio of at least
``SIMILAR_NAME_SCORE``, or the new name being exactly a known surname; it is
computed here for all new names at once, as one matrix.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import Connection, select

from quotes.records.speakers import SIMILAR_NAME_SCORE
from quotes.store.models import Speaker, SpeakerAlias
from quotes.store.normalize import name_key

#: New names compared per round (keeps the score matrix a few megabytes).
_BLOCK = 256


def near_duplicates(connection: Connection, created: Sequence[str]) -> list[dict[str, Any]]:
    """For each new speaker name, the other speakers whose names are very close."""
    rows = connection.execute(
        select(SpeakerAlias.alias_key, Speaker.name).join(
            Speaker, Speaker.id == SpeakerAlias.speaker_id
        )
    ).all()
    keys = [key for key, _ in rows]
    owners = [name for _, name in rows]
    new_keys = [name_key(name) for name in created]
    by_surname: dict[str, set[str]] = {}
    for key, owner in rows:
        by_surname.setdefault(key.split(" ")[-1], set()).add(owner)
    found: list[dict[str, Any]] = []
    listed: set[str] = set()
    for start in range(0, len(created), _BLOCK):
        block = new_keys[start : start + _BLOCK]
        scores = process.cdist(
            block, keys, scorer=fuzz.ratio, score_cutoff=SIMILAR_NAME_SCORE, dtype="uint8"
        )
        for row, key in enumerate(block):
            name = created[start + row]
            close = {owners[col] for col in scores[row].nonzero()[0]}
            if " " not in key:
                close |= by_surname.get(key, set())
            close.discard(name)
            close -= listed  # a pair of two new names is listed once
            listed.add(name)
            if close:
                found.append({"name": name, "similar": sorted(close)})
    return found
