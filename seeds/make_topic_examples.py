"""Rebuild ``seeds/topic_examples.jsonl``: real statements about the default topics.

A topic defined by a description and a dozen paraphrases has too few
positives for its relevance classifier to learn what "about defence" looks
like in real speech (recall on ParlEE Defence sentences was 0.26). PolitiFact
tags every LIAR statement with subjects (Wang, ACL 2017; released marked
CC0, copied in ``../shared/data/liar/``), so statements tagged with a default
topic's subject are real examples of it:

- ``security``: ``military`` (armed forces, defence spending, wars, veterans'
  service). ``terrorism`` and ``homeland-security`` are left out: a reader's
  "security" may include them, but the default topic's description is about
  defence and the military, CAP code 16 Defence (the check in
  benchmarks/topic_assignment.py) puts policing under 12 Law and crime and
  splits terrorism (sentences naming it: 8 Defence, 6 International
  affairs, 3 Law and crime), and as examples they made security's ranking
  of Defence sentences much worse (see quotes.meaning.relevance);
- ``tariffs``: ``trade`` (tariffs, trade deals, exports, jobs lost to trade).

Only ``train.tsv`` is drawn from (``test.tsv`` is scored by
benchmarks/topic_flood.py); statements of 8 to 40 words, at most
:data:`PER_TOPIC` per topic, deduplicated, in a fixed random order. The
vectors under the default model are saved beside the file as float16.

Run from the repository root: ``.venv/bin/python seeds/make_topic_examples.py``.
"""

from __future__ import annotations

import csv
import json
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CANDIDATES = (REPO.parent / "shared" / "data" / "liar", Path("/work/shared/data/liar"))
OUTPUT = REPO / "seeds" / "topic_examples.jsonl"

#: default topic -> the PolitiFact subjects whose statements are about it
SUBJECTS = {"security": {"military"}, "tariffs": {"trade"}}
PER_TOPIC = 200


def main() -> None:
    folder = next((c for c in CANDIDATES if c.is_dir()), None)
    if folder is None:
        raise SystemExit("LIAR not found (../shared/data/liar)")
    rows: list[tuple[str, list[str]]] = []
    with open(folder / "train.tsv", encoding="utf-8", newline="") as f:
        for record in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(record) < 4:
                continue
            text = " ".join(record[2].split())
            subjects = [s.strip() for s in record[3].split(",") if s.strip()]
            if 8 <= len(text.split()) <= 40:
                rows.append((text, subjects))
    random.Random(2017).shuffle(rows)
    chosen: list[dict[str, object]] = []
    for topic, wanted in SUBJECTS.items():
        seen: set[str] = set()
        for text, subjects in rows:
            if set(subjects) & wanted and text.lower() not in seen:
                seen.add(text.lower())
                chosen.append({"topic": topic, "text": text, "subjects": subjects})
                if len(seen) == PER_TOPIC:
                    break
    with open(OUTPUT, "w", encoding="utf-8") as f:
        for item in chosen:
            f.write(json.dumps(item, ensure_ascii=False) + "\n")
    print(f"{len(chosen)} statements -> {OUTPUT.name}")

    import numpy as np

    sys.path.insert(0, str(REPO))
    from quotes.meaning.encoder import load_embedder
    from quotes.meaning.relevance import BACKGROUND_MODEL, EXAMPLES_VECTORS

    vectors = load_embedder(BACKGROUND_MODEL).encode([str(item["text"]) for item in chosen])
    np.save(REPO / "seeds" / EXAMPLES_VECTORS, vectors.astype(np.float16), allow_pickle=False)
    print(f"vectors {vectors.shape} -> {EXAMPLES_VECTORS}")


if __name__ == "__main__":
    main()
