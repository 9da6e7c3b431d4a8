"""Rebuild ``seeds/background_statements.jsonl``: off-topic political statements.

Topic assignment learns what a topic is *not* about from a background of real
statements on other subjects. This script draws them from the LIAR data set
(Wang, "Liar, Liar Pants on Fire", ACL 2017; PolitiFact statements, released
marked CC0), as copied in ``../shared/data/liar/``:

- statements of 8 to 40 words;
- none tagged with a subject near a default topic (sovereignty, tariffs,
  security: :data:`NEAR_DEFAULT_TOPICS`), so the background never teaches
  that a defence or trade statement is off-topic;
- at most :data:`PER_SUBJECT` statements per first-listed subject, so no
  subject dominates; a fixed seed makes the file reproducible.

Each line keeps the statement's subjects, so assignment can drop the
subjects that lie near a user's own topic (a "health care" topic must not
learn that health statements are off-topic).

The file's vectors under the default model are saved beside it as float16
(``background_vectors_all-MiniLM-L6-v2.npy``), so assignment does not
re-encode them in every process.

Run from the repository root: ``.venv/bin/python seeds/make_background_sample.py``.
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CANDIDATES = (REPO.parent / "shared" / "data" / "liar", Path("/work/shared/data/liar"))
OUTPUT = REPO / "seeds" / "background_statements.jsonl"

NEAR_DEFAULT_TOPICS = {
    "afghanistan", "china", "foreign-policy", "homeland-security", "immigration", "iraq",
    "israel", "military", "national-security", "nuclear", "russia", "terrorism", "trade",
    "ukraine", "veterans", "islam", "human-rights", "patriotism", "cap-and-trade",
}  # fmt: skip
PER_SUBJECT = 25
SIZE = 800


def main() -> None:
    folder = next((c for c in CANDIDATES if c.is_dir()), None)
    if folder is None:
        raise SystemExit("LIAR not found (../shared/data/liar)")
    rows: list[tuple[str, list[str]]] = []
    for split in ("train", "valid", "test"):
        with open(folder / f"{split}.tsv", encoding="utf-8", newline="") as f:
            for record in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                if len(record) < 4:
                    continue
                text = " ".join(record[2].split())
                subjects = [s.strip() for s in record[3].split(",") if s.strip()]
                if not subjects or set(subjects) & NEAR_DEFAULT_TOPICS:
                    continue
                if 8 <= len(text.split()) <= 40:
                    rows.append((text, subjects))
    random.Random(2017).shuffle(rows)
    taken: dict[str, int] = {}
    seen: set[str] = set()
    chosen = []
    for text, subjects in rows:
        first = subjects[0]
        if taken.get(first, 0) >= PER_SUBJECT or text.lower() in seen:
            continue
        taken[first] = taken.get(first, 0) + 1
        seen.add(text.lower())
        chosen.append({"text": text, "subjects": subjects})
        if len(chosen) == SIZE:
            break
    with open(OUTPUT, "w", encoding="utf-8") as f:
        for item in chosen:
            f.write(json.dumps(item, ensure_ascii=False) + "\n")
    print(f"{len(chosen)} statements from {len(taken)} subjects -> {OUTPUT.name}")
    import sys

    import numpy as np

    sys.path.insert(0, str(REPO))
    from quotes.meaning.encoder import load_embedder
    from quotes.meaning.relevance import BACKGROUND_MODEL, BACKGROUND_VECTORS

    vectors = load_embedder(BACKGROUND_MODEL).encode([item["text"] for item in chosen])
    np.save(REPO / "seeds" / BACKGROUND_VECTORS, vectors.astype(np.float16), allow_pickle=False)
    print(f"vectors {vectors.shape} -> {BACKGROUND_VECTORS}")


if __name__ == "__main__":
    main()
