"""Search results as files: CSV for spreadsheets, JSON Lines for programs.

A CSV cell whose text a spreadsheet would evaluate (it starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return) gets a leading apostrophe,
as the contract asks; ``quotes import`` reverses it. Only text a user typed
is touched: numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

SEARCH_COLUMNS = [
    "rank",
    "match",
    "id",
    "speaker",
    "date",
    "kind",
    "text",
    "context",
    "topics",
    "stances",
    "source_url",
    "outlet",
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula, made inert."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _row(hit: dict[str, Any]) -> dict[str, Any]:
    sources = hit["sources"]
    row = {
        "rank": hit["rank"],
        "match": hit["match"],
        "id": hit["id"],
        "speaker": hit["speaker"],
        "date": hit["date"],
        "kind": hit["kind"],
        "text": hit["text"],
        "context": hit.get("context"),
        "topics": ";".join(hit["topics"]),
        "stances": ";".join(
            f"{s['topic']}={s['label']}:{s['score']:+.3f}:{s['method']}" for s in hit["stances"]
        ),
        "source_url": ";".join(s["url"] for s in sources if s["url"]),
        "outlet": ";".join(dict.fromkeys(s["outlet"] for s in sources if s["outlet"])),
    }
    return {key: neutralise(value) for key, value in row.items()}


def search_csv(hits: Sequence[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=SEARCH_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for hit in hits:
        writer.writerow(_row(hit))
    return out.getvalue()


def search_jsonl(hits: Sequence[dict[str, Any]]) -> str:
    return "".join(json.dumps(hit, ensure_ascii=False) + "\n" for hit in hits)
