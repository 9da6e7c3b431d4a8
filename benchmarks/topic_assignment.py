"""Topic assignment calibration on real parliamentary sentences (ParlEE sample).

The 5,496 UK House of Commons sentences carry a CAP policy code; two match
default topics closely enough to check assignment against: 16 Defence
(security) and 18 Foreign trade (tariffs). For each, the production topic
profile (description, poles and bundled paraphrases: quotes.meaning.topic_profiles)
scores every sentence; precision, recall and F1 are printed for a range of
thresholds, the production one marked. CAP codes are coarse (a sentence on
any defence matter is "16", a tariff sentence can be coded under another
policy area), so these figures are a floor for the task, not its ceiling.

Run: ``python benchmarks/topic_assignment.py``
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from quotes.meaning.encoder import load_embedder  # noqa: E402
from quotes.meaning.topic_profiles import TOPIC_THRESHOLD, topic_texts  # noqa: E402
from quotes.records.topics import default_topics  # noqa: E402
from quotes.store.models import Topic  # noqa: E402

CODES = {"security": "16", "tariffs": "18"}


def parlee() -> Path:
    for candidate in (ROOT.parent / "shared" / "data", Path("/work/shared/data")):
        path = candidate / "parlee" / "UK_2009_2014_annotated_sample.csv"
        if path.exists():
            return path
    raise SystemExit("ParlEE sample not found (../shared/data/parlee)")


def main() -> None:
    with open(parlee(), encoding="latin-1", newline="") as f:
        rows = list(csv.DictReader(f))
    embedder = load_embedder()
    vectors = embedder.encode([row["text"] for row in rows])
    codes = np.array([row["CAP"] for row in rows])
    print(f"{len(rows)} ParlEE sentences, model {embedder.name}")
    print(f"{'topic':9} {'CAP':>4} {'thr':>5} {'assigned':>8} {'P':>5} {'R':>5} {'F1':>5}")
    for spec in default_topics():
        if spec["name"] not in CODES:
            continue
        topic = Topic(
            name=spec["name"],
            description=spec["description"],
            favor_pole=spec["favor"],
            against_pole=spec["against"],
        )
        texts = topic_texts(topic)
        every = embedder.encode(texts.description + texts.favor + texts.against)
        centroid = every.mean(axis=0)
        relevance = vectors @ (centroid / np.linalg.norm(centroid))
        gold = codes == CODES[spec["name"]]
        for threshold in (0.30, 0.34, TOPIC_THRESHOLD, 0.42, 0.46, 0.50):
            assigned = relevance >= threshold
            hits = int((assigned & gold).sum())
            precision = hits / max(int(assigned.sum()), 1)
            recall = hits / int(gold.sum())
            f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
            mark = " <- production" if threshold == TOPIC_THRESHOLD else ""
            print(
                f"{spec['name']:9} {CODES[spec['name']]:>4} {threshold:5.2f} "
                f"{int(assigned.sum()):8d} {precision:5.2f} {recall:5.2f} {f1:5.2f}{mark}"
            )


if __name__ == "__main__":
    main()
