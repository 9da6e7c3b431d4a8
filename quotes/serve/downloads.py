"""Search results as files: CSV for spreadsheets, JSON Lines for programs.

CSV cells follow the one spreadsheet-safety rule of
:mod:`quotes.exports.csv_safety` (a text a spreadsheet would evaluate gets a
leading apostrophe, which ``quotes import`` reverses); numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from quotes.exports.csv_safety import safe_dict

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
    return safe_dict(row)


def search_csv(hits: Sequence[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=SEARCH_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for hit in hits:
        writer.writerow(_row(hit))
    return out.getvalue()


def search_jsonl(hits: Sequence[dict[str, Any]]) -> str:
    return "".join(json.dumps(hit, ensure_ascii=False) + "\n" for hit in hits)
