"""Rebuild ``seeds/parlee_sample.jsonl`` from the ParlEE UK sample.

Source: ParlEE plenary speeches data set, UK House of Commons 2009-2014
sentences annotated with CAP policy topics (Sylvester, Greene, Ebing et al.,
"ParlEE plenary speeches data set", 2022), as copied in
``../shared/data/parlee/UK_2009_2014_annotated_sample.csv``.

The demo needs real, dated statements by speakers who spoke several times over
the years, so timelines have something to show. This script keeps:

- sentences coded CAP 16 (Defence), 18 (Foreign trade) or 19 (International
  affairs and foreign aid);
- substantive declarative sentences: 10 to 60 words, starting with a capital
  letter, ending with ``.`` or ``!``, and not a fragment left by the sentence
  splitter at "hon." ("Friend ...", "Gentleman ...", "... the hon.");
- one copy of sentences the file repeats;
- speakers with at least ``--min-statements`` such sentences spread over at
  least ``--min-years`` calendar years.

The file is mostly UTF-8 with a few Windows-1252 bytes, so each field is read
as Latin-1 (which never fails) and then re-decoded as UTF-8, or as cp1252 when
that fails. Topics are linked from the human CAP codes where they match a
default topic (Defence -> security, Foreign trade -> tariffs); International
affairs has no single match and is left to automatic topic assignment.

Run from the repository root: ``python seeds/make_parlee_sample.py``.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FILE = Path("parlee") / "UK_2009_2014_annotated_sample.csv"
CANDIDATES = (REPO.parent / "shared" / "data" / FILE, Path("/work/shared/data") / FILE)
OUTPUT = REPO / "seeds" / "parlee_sample.jsonl"

CAP_CODES = {"16": "Defence", "18": "Foreign trade", "19": "International affairs"}
CAP_TOPICS = {"16": ["security"], "18": ["tariffs"], "19": []}
OUTLET = "House of Commons (Hansard)"
_FRAGMENT = re.compile(r"^(Gentleman|Gentlemen|Friend|Friends|Member|Members|Lady)\b")


def fix_text(value: str) -> str:
    """Undo the Latin-1 reading of a field that is really UTF-8 (or cp1252)."""
    raw = value.encode("latin-1")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    return " ".join(text.split())


def substantive(text: str) -> bool:
    words = text.split()
    return (
        10 <= len(words) <= 60
        and text[0].isupper()
        and text.endswith((".", "!"))
        and not text.endswith("hon.")
        and not _FRAGMENT.match(text)
    )


def read_rows(path: Path) -> Iterable[dict[str, str]]:
    with path.open(encoding="latin-1", newline="") as handle:
        for row in csv.DictReader(handle):
            yield {key: fix_text(value or "") for key, value in row.items()}


def build(path: Path, min_statements: int, min_years: int) -> list[dict[str, object]]:
    by_speaker: dict[str, dict[str, dict[str, object]]] = defaultdict(dict)
    for row in read_rows(path):
        if row["CAP"] not in CAP_CODES or not substantive(row["text"]):
            continue
        when = datetime.strptime(row["date"], "%d/%m/%Y").date()
        agenda = row["agenda"] if row["agenda"] not in ("", "NA") else None
        context = f"House of Commons debate ({CAP_CODES[row['CAP']]})"
        if agenda:
            context = f"House of Commons debate: {agenda} ({CAP_CODES[row['CAP']]})"
        by_speaker[row["speaker"]].setdefault(
            row["text"],
            {
                "text": row["text"],
                "speaker": row["speaker"],
                "date": when.isoformat(),
                "outlet": OUTLET,
                "context": context,
                "topics": CAP_TOPICS[row["CAP"]],
            },
        )
    chosen: list[dict[str, object]] = []
    for statements in by_speaker.values():
        years = {str(s["date"])[:4] for s in statements.values()}
        if len(statements) >= min_statements and len(years) >= min_years:
            chosen.extend(statements.values())
    chosen.sort(key=lambda s: (str(s["date"]), str(s["speaker"]), str(s["text"])))
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, help="the ParlEE UK CSV (default: ../shared)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--min-statements", type=int, default=4)
    parser.add_argument("--min-years", type=int, default=3)
    args = parser.parse_args()
    source = args.source or next((p for p in CANDIDATES if p.exists()), None)
    if source is None or not source.exists():
        parser.error(f"cannot find {FILE}; pass --source PATH")
    rows = build(source, args.min_statements, args.min_years)
    with args.output.open("w", encoding="utf-8", newline="\n") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    speakers = len({row["speaker"] for row in rows})
    print(f"wrote {len(rows)} statements by {speakers} speakers to {args.output}")


if __name__ == "__main__":
    main()
