"""Quotation finding and attribution, scored on the articles in tests/fixtures/attribution.

Each article there has the quotations a reader would count and the speaker of
each (see that folder's README). The extractor's candidates are paired one to
one with the expected quotations by their words (a pair needs half the words
of the longer side in common), then this prints, for each split (``dev``;
``heldout`` and ``final``, each scored once before any change they prompted,
see the folder's README) and all together:

- precision: candidates that are somebody's quotation / all candidates;
- recall: expected quotations found, overall, for full quotations and for
  partial ones woven into reported speech;
- attribution of found: found quotations given the right speaker;
- found and rightly attributed: expected quotations found with the right speaker;
- the same recall and attribution for each pattern of issue 15.

``--speed`` also times the whole ``quotes extract FILE --json`` process on a
1,000-word article (without the model: extraction never loads it) against the
raw floor of starting Python, as medians of several runs with the load average.

    .venv/bin/python benchmarks/attribution.py [--split dev|heldout|final|all] [--misses] [--speed]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
ARTICLES = REPO / "tests" / "fixtures" / "attribution"
SHARED = (REPO.parent / "shared" / "data", Path("/work/shared/data"))
BIN = Path(sys.executable).parent
sys.path.insert(0, str(REPO))

from quotes.ingest.extraction import extract  # noqa: E402

#: development articles, the first held-out set (scored once, then tuned on) and the final one
SPLITS = ("dev", "heldout", "final")
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)?")


def words(text: str) -> list[str]:
    return [w.replace("\u2019", "'") for w in _WORD.findall(text.casefold())]


@dataclass
class Article:
    name: str
    text: str
    split: str
    patterns: list[str]
    expected: list[dict[str, object]]


def load_articles() -> list[Article]:
    articles: list[Article] = []
    for path in sorted(ARTICLES.glob("*.expected.json")):
        spec = json.loads(path.read_text("utf-8"))
        name = path.name.removesuffix(".expected.json")
        where = spec.get("article")
        if isinstance(where, str) and where.startswith("shared:"):
            found = [d / where.removeprefix("shared:") for d in SHARED]
            existing = [p for p in found if p.exists()]
            if not existing:
                print(f"(skipping {name}: {where} is not here)", file=sys.stderr)
                continue
            text = existing[0].read_text("utf-8")
        else:
            text = (ARTICLES / f"{name}.txt").read_text("utf-8")
        articles.append(Article(name, text, spec["split"], spec["patterns"], spec["quotations"]))
    return articles


def overlap(a: list[str], b: list[str]) -> float:
    """Words in common over the longer side's length (1.0: the same words)."""
    if not a or not b:
        return 0.0
    common = sum((Counter(a) & Counter(b)).values())
    return common / max(len(a), len(b))


def same_speaker(found: object, wanted: object) -> bool:
    """The same name, ignoring case; None (a body's statement, nobody named) matches None."""
    if wanted is None:
        return found is None
    return (
        isinstance(found, str) and isinstance(wanted, str) and found.casefold() == wanted.casefold()
    )


@dataclass
class Score:
    found: int = 0
    true_found: int = 0
    expected: Counter[str] = field(default_factory=Counter)
    matched: Counter[str] = field(default_factory=Counter)
    right: Counter[str] = field(default_factory=Counter)
    misses: list[str] = field(default_factory=list)
    #: (confidence, rightly attributed) of every candidate matched to a quotation
    confidences: list[tuple[float, bool]] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.confidences += other.confidences
        self.found += other.found
        self.true_found += other.true_found
        self.expected.update(other.expected)
        self.matched.update(other.matched)
        self.right.update(other.right)
        self.misses += other.misses


def score(article: Article) -> Score:
    result = Score()
    candidates = extract(article.text).candidates
    result.found = len(candidates)
    cand_words = [words(c.text) for c in candidates]
    pairs = sorted(
        (
            (overlap(cw, words(str(e["text"]))), -i, -j, i, j)
            for i, cw in enumerate(cand_words)
            for j, e in enumerate(article.expected)
        ),
        reverse=True,
    )
    used_c: set[int] = set()
    used_e: dict[int, int] = {}
    for value, _, _, i, j in pairs:
        if value < 0.5 or i in used_c or j in used_e:
            continue
        used_c.add(i)
        used_e[j] = i
    result.true_found = len(used_c)
    for j, wanted in enumerate(article.expected):
        keys = ["all", "partial" if wanted["partial"] else "full"]
        keys += [f"pattern:{p}" for p in article.patterns]
        for key in keys:
            result.expected[key] += 1
        if j not in used_e:
            result.misses.append(f"{article.name}: MISSED {wanted['text']!r} ({wanted['speaker']})")
            continue
        got = candidates[used_e[j]]
        right = same_speaker(got.speaker, wanted["speaker"])
        if got.speaker is not None:
            result.confidences.append((got.confidence, right))
        for key in keys:
            result.matched[key] += 1
            result.right[key] += right
        if not right:
            result.misses.append(
                f"{article.name}: WRONG SPEAKER {got.speaker!r} for {got.text!r} "
                f"(expected {wanted['speaker']}; cue {got.cue!r})"
            )
    for i, candidate in enumerate(candidates):
        if i not in used_c:
            result.misses.append(f"{article.name}: NOT A QUOTATION {candidate.text!r}")
    return result


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def report(label: str, result: Score, n_articles: int) -> None:
    e, m, r = result.expected, result.matched, result.right
    print(
        f"\n{label}: {n_articles} articles, {e['all']} quotations "
        f"({e['full']} full, {e['partial']} partial), {result.found} candidates"
    )
    print(f"  precision                    {pct(result.true_found, result.found)}")
    print(f"  recall                       {pct(m['all'], e['all'])}")
    print(f"    full quotations            {pct(m['full'], e['full'])}")
    print(f"    partial quotations         {pct(m['partial'], e['partial'])}")
    print(f"  attribution of found         {pct(r['all'], m['all'])}")
    print(f"  found and rightly attributed {pct(r['all'], e['all'])}")
    if result.confidences:
        print("  attributed candidates by confidence (count, rightly attributed):")
        for low, high in ((0.0, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 1.01)):
            inside = [ok for value, ok in result.confidences if low <= value < high]
            share = pct(sum(inside), len(inside))
            print(f"    {low:.1f}-{min(high, 1.0):.1f}  {len(inside):4}  {share}")
    patterns = sorted(k for k in e if k.startswith("pattern:"))
    if patterns:
        print("  by pattern (found / rightly attributed, of expected):")
        for key in patterns:
            print(
                f"    {key.removeprefix('pattern:'):24} {e[key]:3}  "
                f"{pct(m[key], e[key])}  {pct(r[key], e[key])}"
            )


def speed(runs: int) -> None:
    """Whole-process time of `quotes extract` on a 1,000-word article, against its floors.

    Floors measured in the same run: starting Python, and starting Python and
    importing the CLI (what every command pays before it reads anything). The
    extraction itself is also timed in-process.
    """
    pieces: list[str] = []
    count = 0
    for path in sorted(ARTICLES.glob("*.txt")):
        text = path.read_text("utf-8")
        pieces.append(text)
        count += len(text.split())
        if count >= 1000:
            break
    article_text = "\n".join(pieces)
    in_process: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        extract(article_text)
        in_process.append(time.perf_counter() - start)
    with tempfile.TemporaryDirectory() as tmp:
        article = Path(tmp) / "article.txt"
        article.write_text(article_text, "utf-8")
        db = Path(tmp) / "speed.db"
        quotes = str(BIN / "quotes")
        subprocess.run([quotes, "init", "--db", str(db)], check=True, capture_output=True)
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "import quotes.cli.main": [sys.executable, "-c", "import quotes.cli.main"],
            "quotes extract --json": [quotes, "extract", str(article), "--json", "--db", str(db)],
        }
        env = {**os.environ, "HF_HUB_OFFLINE": "1"}
        timings: dict[str, list[float]] = defaultdict(list)
        for _ in range(runs):
            for label, command in commands.items():
                start = time.perf_counter()
                subprocess.run(command, check=True, capture_output=True, env=env)
                timings[label].append(time.perf_counter() - start)
    timings["extract() in-process"] = in_process
    print(f"\nspeed: {count} words, {runs} runs each, load average {os.getloadavg()}")
    floor = statistics.median(timings["python -c pass"])
    for label, values in timings.items():
        median = statistics.median(values)
        print(
            f"  {label:26} median {median * 1000:6.0f} ms  "
            f"(min {min(values) * 1000:.0f}, max {max(values) * 1000:.0f})  "
            f"{median / floor:5.1f}x python start"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=[*SPLITS, "all"], default="all")
    parser.add_argument("--misses", action="store_true", help="list every miss and error")
    parser.add_argument("--speed", action="store_true", help="time `quotes extract` too")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    articles = load_articles()
    splits = list(SPLITS) if args.split == "all" else [args.split]
    total = Score()
    for split in splits:
        chosen = [a for a in articles if a.split == split]
        result = Score()
        for article in chosen:
            result.add(score(article))
        report(split, result, len(chosen))
        total.add(result)
        if args.misses:
            for line in result.misses:
                print("   ", line)
    if len(splits) > 1:
        report("all", total, len(articles))
    if args.speed:
        speed(args.runs)


if __name__ == "__main__":
    main()
