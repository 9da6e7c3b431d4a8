"""Topic assignment on real parliamentary sentences (ParlEE sample, CAP codes).

The 5,496 UK House of Commons sentences carry a CAP policy code; two match
default topics closely enough to check assignment against: 16 Defence
(security) and 18 Foreign trade (tariffs). Production profiles
(quotes.meaning.topic_profiles: the relevance classifier against the bundled
background) decide the links; the previous rule (cosine to the topic
centroid >= 0.38) is measured beside them.

The sentences are split in two halves by row: even rows fitted the link
calibration (benchmarks/fit_confidence.py), odd rows are scored here. For
each topic: links, precision (strict: any other CAP code is wrong; lenient:
sentences coded 19 International affairs are left out, since "European
NATO is weak" is both), recall, and the mean stored confidence; then the
share of off-topic sentences (CAP codes other than 16, 18, 19) linked to any
default topic, and a reliability table of the link confidences (lenient).
CAP codes are coarse and many sentences are fragments cut at "hon."
("I should be delighted to send the hon."), so these figures are a floor.

Run: ``.venv/bin/python benchmarks/topic_assignment.py``
"""

from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from encode_cache import encode  # noqa: E402

from quotes.meaning.confidence import reliability  # noqa: E402
from quotes.meaning.encoder import Embedder, load_embedder  # noqa: E402
from quotes.meaning.topic_profiles import TopicProfile, build_profile, topic_texts  # noqa: E402
from quotes.records.topics import default_topics  # noqa: E402
from quotes.store.models import Topic  # noqa: E402

CODES = {"security": "16", "tariffs": "18"}
#: The cosine rule production used before the relevance classifier.
OLD_THRESHOLD = 0.38


def parlee() -> Path:
    for candidate in (ROOT.parent / "shared" / "data", Path("/work/shared/data")):
        path = candidate / "parlee" / "UK_2009_2014_annotated_sample.csv"
        if path.exists():
            return path
    raise SystemExit("ParlEE sample not found (../shared/data/parlee)")


def _fix(value: str) -> str:
    raw = value.encode("latin-1")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


_ROWS: dict[str, tuple[np.ndarray, np.ndarray]] = {}


def all_rows(embedder: Embedder) -> tuple[np.ndarray, np.ndarray]:
    """(vectors, CAP codes) of every sentence, encoded once per process."""
    if embedder.name not in _ROWS:
        with open(parlee(), encoding="latin-1", newline="") as f:
            rows = list(csv.DictReader(f))
        vectors = encode(embedder, [_fix(row["text"]) for row in rows])
        _ROWS[embedder.name] = (vectors, np.array([row["CAP"] for row in rows]))
    return _ROWS[embedder.name]


def dev_rows(embedder: Embedder, half: int) -> tuple[np.ndarray, np.ndarray]:
    """Half the sentences: 0 = even rows (calibration), 1 = odd rows (measurement)."""
    vectors, codes = all_rows(embedder)
    return vectors[half::2], codes[half::2]


def topic_profiles_for(embedder: Embedder) -> dict[str, tuple[TopicProfile, str]]:
    """Production profiles of the default topics (no labels), with their CAP code."""
    profiles: dict[str, tuple[TopicProfile, str]] = {}
    for spec in default_topics():
        topic = Topic(
            name=spec["name"],
            description=spec["description"],
            favor_pole=spec["favor"],
            against_pole=spec["against"],
        )
        empty = np.zeros((0, embedder.dimension), dtype=np.float32)
        profile = build_profile(
            topic,
            embedder,
            examples=empty,
            rejected=empty,
            labelled=empty,
            labelled_texts=[],
            labels=[],
            label_key="",
        )
        profiles[spec["name"]] = (profile, CODES.get(spec["name"], ""))
    return profiles


def old_rule(topic_name: str, embedder: Embedder, vectors: np.ndarray) -> np.ndarray:
    spec = next(s for s in default_topics() if s["name"] == topic_name)
    texts = topic_texts(
        Topic(
            name=spec["name"],
            description=spec["description"],
            favor_pole=spec["favor"],
            against_pole=spec["against"],
        )
    )
    every = embedder.encode(texts.description + texts.favor + texts.against)
    centroid = every.mean(axis=0)
    return np.asarray(vectors @ (centroid / np.linalg.norm(centroid)) >= OLD_THRESHOLD)


def main() -> None:
    embedder = load_embedder()
    vectors, codes = dev_rows(embedder, half=1)
    one, five, fifteen = os.getloadavg()
    print(
        f"{len(codes)} ParlEE sentences (odd rows), model {embedder.name}; "
        f"load average {one:.2f} {five:.2f} {fifteen:.2f}"
    )
    off_topic = ~np.isin(codes, ["16", "18", "19"])
    lenient = codes != "19"
    print(f"{'topic':12} {'rule':22} {'links':>5} {'P':>5} {'P len':>5} {'R':>5} {'conf':>5}")
    linked_any = np.zeros(len(codes), dtype=bool)
    linked_any_old = np.zeros(len(codes), dtype=bool)
    confidences: list[np.ndarray] = []
    rights: list[np.ndarray] = []
    for name, (profile, code) in topic_profiles_for(embedder).items():
        links = profile.is_about(vectors)
        about = profile.about(vectors)
        old = old_rule(name, embedder, vectors)
        linked_any |= links
        linked_any_old |= old
        print(f"  {name}: background subjects left out: {sorted(profile.relevance.left_out)}")
        if not code:
            continue
        gold = codes == code
        confidences.append(about[links & lenient])
        rights.append(gold[links & lenient])
        for rule, chosen in (("relevance classifier", links), (f"cosine >= {OLD_THRESHOLD}", old)):
            hits = int((chosen & gold).sum())
            precision = hits / max(int(chosen.sum()), 1)
            precision_lenient = hits / max(int((chosen & lenient).sum()), 1)
            recall = hits / max(int(gold.sum()), 1)
            mean_conf = float(about[chosen].mean()) if chosen.any() else float("nan")
            print(
                f"{name:12} {rule:22} {int(chosen.sum()):5d} {precision:5.2f} "
                f"{precision_lenient:5.2f} {recall:5.2f} {mean_conf:5.2f}"
            )
    print(
        f"off-topic sentences (CAP not 16/18/19, n={int(off_topic.sum())}) linked to any "
        f"default topic: {linked_any[off_topic].mean():.3f} "
        f"(cosine rule: {linked_any_old[off_topic].mean():.3f})"
    )
    table, ece = reliability(np.concatenate(confidences), np.concatenate(rights))
    print(f"link confidence reliability (security + tariffs, lenient): ECE {ece:.3f}")
    for low, high, count, share in table:
        print(f"  confidence {low:.1f}-{high:.1f}: {count:4d} links, {share:.2f} right")


if __name__ == "__main__":
    main()
