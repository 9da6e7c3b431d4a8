"""Do user-defined topics flood? Many minimal topics on real statements (LIAR subjects).

A new user defines topics the quick way: a name and the minimal poles
"Supports X." / "Opposes X.". Measured before: each comment was linked to
about nine such topics. This benchmark defines one topic per LIAR subject
(PolitiFact's own tags, e.g. ``health-care`` -> "health care"), builds the
production profiles (quotes.meaning.topic_profiles; no labels, no links) and
links the LIAR test statements that are not in the bundled background:

- links per statement (mean, median, share with none, share with more
  than three), the number a reporter would have to wade through;
- precision: the share of links whose topic is one of the statement's own
  PolitiFact subjects (subjects are incomplete, so this is a floor);
- recall: the share of (statement, own subject) pairs that were linked.

``--split train --sweep`` is the development run: 1,500 train statements
(none in the bundled background) under a grid of user topic settings
(topic sentences' share of the background, C, bar). On it (figures from
commit a9f3d17, whose train pool also left out 288 statements since
dropped),
no setting flooded (at most 0.3 links per statement). The current
``USER_TOPICS`` (share 0.2, C 10, bar 0.5) gave precision 0.97, recall
0.01; the best recall with precision >= 0.85 was 0.08 (share 1.0, C 10,
bar 0.3: precision 0.85 exactly, at the edge, so likely below on new rows),
and share 1.0, C 10, bar 0.5 gave 0.90 / 0.04. None makes a minimal topic
useful on its own (a person's links teach it far more), so user topics
were left as they are: precision first. The held-out figures are the
default run on test.tsv.

Run: ``.venv/bin/python benchmarks/topic_flood.py [--split train --sweep]``
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from encode_cache import encode  # noqa: E402

from quotes.meaning.encoder import Embedder, load_embedder  # noqa: E402
from quotes.meaning.relevance import (  # noqa: E402
    RelevanceModel,
    RelevanceSettings,
    background_statements,
    background_vectors,
)
from quotes.meaning.topic_profiles import topic_texts, untaught_profile  # noqa: E402
from quotes.store.models import Topic  # noqa: E402

#: Tags about the speaker or the venue rather than a policy subject.
NOT_SUBJECTS = {
    "candidates-biography", "message-machine", "message-machine-2012", "pundits",
    "corrections-and-updates", "abc-news-week", "polls", "job-accomplishments",
    "voting-record", "history", "states", "campaign-advertising", "bipartisanship",
    "elections", "congress", "ethics", "transparency", "government-efficiency",
}  # fmt: skip
#: The most frequent policy subjects become topics.
TOPICS = 40


def liar(split: str) -> list[tuple[str, set[str]]]:
    for candidate in (ROOT.parent / "shared" / "data", Path("/work/shared/data")):
        path = candidate / "liar" / f"{split}.tsv"
        if path.exists():
            break
    else:
        raise SystemExit("LIAR not found (../shared/data/liar)")
    rows = []
    with open(path, encoding="utf-8", newline="") as f:
        for record in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(record) >= 4:
                subjects = {s.strip() for s in record[3].split(",") if s.strip()}
                rows.append((" ".join(record[2].split()), subjects))
    return rows


def user_topic(subject: str) -> Topic:
    """The minimal topic a new user would define for a PolitiFact subject."""
    words = subject.replace("-", " ")
    return Topic(
        name=subject,
        description=words.capitalize() + ".",
        favor_pole=f"Supports {words}.",
        against_pole=f"Opposes {words}.",
    )


def sweep(embedder: Embedder, chosen: list[str], vectors: np.ndarray, gold: np.ndarray) -> None:
    """Links, precision and recall under a grid of user topic settings (development only)."""
    empty = np.zeros((0, embedder.dimension), dtype=np.float32)
    for share in (0.2, 0.5, 1.0, 2.0):
        for c in (1.0, 10.0):
            probability = np.zeros(gold.shape)
            for j, subject in enumerate(chosen):
                texts = topic_texts(user_topic(subject))
                every = embedder.encode(texts.description + texts.favor + texts.against)
                model = RelevanceModel.fit(
                    every,
                    empty,
                    empty,
                    background_vectors(embedder),
                    settings=RelevanceSettings(topic_share=share, c=c),
                )
                probability[:, j] = model.probability(vectors)
            for bar in (0.3, 0.5, 0.7):
                links = probability >= bar
                hits = int((links & gold).sum())
                precision = hits / max(int(links.sum()), 1)
                recall = hits / max(int(gold.sum()), 1)
                print(
                    f"  share {share:3.1f} C {c:4.1f} bar {bar:.1f}: "
                    f"links per statement {links.sum(axis=1).mean():.2f}, "
                    f"P {precision:.2f}, R {recall:.2f}"
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("test", "train"), default="test")
    parser.add_argument("--sweep", action="store_true", help="grid of user topic settings")
    args = parser.parse_args()
    embedder = load_embedder()
    counts = Counter(s for _, subjects in liar("train") for s in subjects)
    chosen = [s for s, _ in counts.most_common() if s not in NOT_SUBJECTS][:TOPICS]
    bundled = {text for text, _ in background_statements()}
    rows = [(t, s & set(chosen)) for t, s in liar(args.split) if t not in bundled]
    if args.split == "train":
        random.Random(1).shuffle(rows)
        rows = rows[:1500]
    texts = [t for t, _ in rows]
    vectors = encode(embedder, texts)
    gold = np.array([[s in subjects for s in chosen] for _, subjects in rows], dtype=bool)
    if args.sweep:
        sweep(embedder, chosen, vectors, gold)
    links = np.zeros((len(rows), len(chosen)), dtype=bool)
    for j, subject in enumerate(chosen):
        profile = untaught_profile(user_topic(subject), embedder)
        links[:, j] = profile.is_about(vectors)
    per = links.sum(axis=1)
    hits = int((links & gold).sum())
    one, five, fifteen = os.getloadavg()
    print(
        f"{len(rows)} LIAR {args.split} statements, {len(chosen)} topics "
        f"('Supports X.' / 'Opposes X.'), model {embedder.name}; "
        f"load average {one:.2f} {five:.2f} {fifteen:.2f}"
    )
    print(
        f"links per statement: mean {per.mean():.2f}, median {np.median(per):.0f}, "
        f"none {np.mean(per == 0):.2f}, more than 3 {np.mean(per > 3):.2f}"
    )
    precision = hits / max(int(links.sum()), 1)
    print(
        f"precision (link is one of the statement's subjects) {precision:.2f}; "
        f"recall {hits / max(int(gold.sum()), 1):.2f} ({hits} of {int(gold.sum())} subject pairs)"
    )
    worst = sorted(range(len(chosen)), key=lambda j: -int(links[:, j].sum()))[:5]
    for j in worst:
        n = int(links[:, j].sum())
        right = int((links[:, j] & gold[:, j]).sum())
        print(f"  {chosen[j]:22} {n:4d} links, precision {right / max(n, 1):.2f}")


if __name__ == "__main__":
    main()
