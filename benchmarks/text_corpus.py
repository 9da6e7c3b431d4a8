"""Realistic statements at any size, recombined from real political sentences.

Text search speed depends on the word distribution: how many rows a common
word or a two-word phrase matches, how long the posting lists are. Made-up
vocabularies of 80 words match far too much; real sentences give the real
Zipf curve. Each statement here joins one to three clauses cut from the LIAR
statements and the ParlEE House of Commons sentences (cp1252; ../shared/data, read in
place, never copied), so the words, their frequencies and their neighbours
are real while a million rows stay distinct. Speakers are the data sets' own
names (about 3,800). Deterministic for a seed.

Usage: ``text_corpus.py ROWS OUT.csv`` writes a CSV ``quotes import`` reads
(text, speaker, date, outlet, context).
"""

from __future__ import annotations

import csv
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

DATA = Path("/work/shared/data")
_CLAUSE = re.compile(r"(?<=[,;:.?!])\s+")
OUTLETS = ["Reuters", "AP", "AFP", "BBC", "Politico", "Hansard", "PolitiFact", "The Times"]


def _sources() -> tuple[list[str], list[str]]:
    """Clauses and speaker names from LIAR (tab-separated, no quoting) and ParlEE (cp1252)."""
    clauses: list[str] = []
    names: set[str] = set()
    for part in ("train", "valid", "test"):
        with (DATA / "liar" / f"{part}.tsv").open(encoding="utf-8") as handle:
            for fields in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
                if len(fields) > 4:
                    clauses += _clauses(fields[2])
                    names.add(fields[4].replace("-", " ").title())
    parlee = DATA / "parlee" / "UK_2009_2014_annotated_sample.csv"
    with parlee.open(encoding="cp1252", errors="replace") as f:
        for record in csv.DictReader(f):
            clauses += _clauses(record["text"])
            names.add(record["speaker"])
    return sorted(set(clauses)), sorted(n for n in names if n.strip())


def _clauses(sentence: str) -> list[str]:
    """Clauses of three words or more; a few source lines carry C1 control characters,
    which ``quotes import`` rightly rejects, so those clauses are left out."""
    return [c.strip() for c in _CLAUSE.split(sentence) if len(c.split()) >= 3 and c.isprintable()]


def rows(count: int, seed: int = 11) -> Iterator[tuple[str, str, str, str, str]]:
    """``count`` distinct (text, speaker, date, outlet, context) rows."""
    rng = random.Random(seed)
    clauses, names = _sources()
    seen: set[int] = set()
    made = 0
    while made < count:
        parts = rng.sample(clauses, rng.choice((1, 2, 2, 2, 3)))
        text = " ".join(parts)
        key = hash(text)
        if key in seen:
            continue
        seen.add(key)
        made += 1
        date = f"{rng.randint(2009, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        context = f"Debate {made % 991}" if made % 4 == 0 else ""
        yield text[0].upper() + text[1:], rng.choice(names), date, rng.choice(OUTLETS), context


def write_csv(path: Path, count: int, seed: int = 11) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "speaker", "date", "outlet", "context"])
        writer.writerows(rows(count, seed))


if __name__ == "__main__":
    write_csv(Path(sys.argv[2]), int(sys.argv[1]))
