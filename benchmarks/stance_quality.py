"""Stance quality on real labelled political text (Benoit et al. 2016 manifesto data).

Each data set is defined as a topic exactly as a user would with
``quotes topics add NAME --description --favor --against``; we report F_avg
(mean of the F1 of favor and of against, the SemEval-2016 stance metric) for:

- zero-shot from the pole texts (the production zero-shot scorer), on all
  rows and, for each k, on the same scored rows as the learned methods;
- k labels per pole (k = 3, the least production learns from, 5 and 20)
  drawn at random, scored on the *other* rows only: logistic regression on
  embeddings alone; the same plus the pole sentences (the previous
  production learner); prototypes; the stacked model on TF-IDF alone; and
  **production**: exactly what ``stance assign`` does with those labels
  (``choose_scorer``: the stacked TF-IDF + embedding model with the poles);
- review: labels chosen as ``stance review`` chooses them
  (``review_priority`` and ``pick_for_review``), answered with the gold
  labels, refitting after every two, until each pole has k labels (k = 3,
  5), scored on every other row, with the number of labels it took;
- calibration, first: zero-shot's share of labels right at or above
  ``DEFAULT_MIN_CONFIDENCE`` and the share of rows kept (coverage), the
  accuracy-vs-coverage curve (coverage at 80 / 85 / 90 % right, accuracy at
  40 % coverage) and the reliability table with expected calibration error,
  with the calibration fitted on the *other* topic (cross-fitted), then with
  production's constants; the learned model's at the bar over draws;
- optionally (``--setfit-draws``), SetFit-style contrastive fine-tuning of
  the encoder on pairs of the labelled rows followed by a logistic head.

Several draws per setting; mean and standard deviation are printed. The
economic set has 5,101 rows; a fixed random 1,500 of them are the pool that
every method is scored on (so SetFit, which must re-encode with its tuned
encoder, costs the same as the rest).

Run: ``.venv/bin/python benchmarks/stance_quality.py [--draws N] [--review-draws N]
[--setfit-draws N] [--zero-shot-only] [--model NAME_OR_PATH]`` (a few minutes on 2
quiet cores; the review simulation refits the model every two labels and dominates;
SetFit adds several minutes per draw). Encoded sentences are cached in the temp directory
(benchmarks/encode_cache.py). ``--model`` scores with another
sentence-transformers model (as ``quotes stance assign --stance-model``
does; the confidence calibration was fitted on the default model);
``--draws 0`` reports zero-shot only.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from encode_cache import encode  # noqa: E402
from selective import apply, describe, platt  # noqa: E402

from quotes.meaning.confidence import reliability  # noqa: E402
from quotes.meaning.encoder import load_embedder, resolve_model_path  # noqa: E402
from quotes.meaning.learner import StackedScorer, choose_scorer  # noqa: E402
from quotes.meaning.review import (  # noqa: E402
    SELECTION,
    pick_for_review,
    representativeness,
    review_priority,
)
from quotes.meaning.scoring import (  # noqa: E402
    MIN_LABELS_PER_POLE,
    NEUTRAL_BAND,
    LogisticScorer,
    Poles,
    PrototypeScorer,
    ZeroShotScorer,
    f_avg,
    labels_for,
    pole_sentences,
)
from quotes.vocabulary import DEFAULT_MIN_CONFIDENCE  # noqa: E402


def data_dir() -> Path:
    for candidate in (ROOT.parent / "shared" / "data", Path("/work/shared/data")):
        if (candidate / "manifesto-stance").is_dir():
            return candidate / "manifesto-stance"
    raise SystemExit("manifesto-stance data not found (../shared/data/manifesto-stance)")


@dataclass
class Task:
    name: str
    file: str
    description: str
    favor: str
    against: str
    favor_sign: int  # the sign of the data set's label that means "favor"
    pool: int | None  # rows scored (None: all)


TASKS = [
    Task(
        name="immigration",
        file="benoit_crowdsourced_2016-immigration_policy_stance.csv",
        description="Immigration, asylum, refugees, migrants and border control.",
        favor=(
            "Immigration enriches our country and we should welcome immigrants. "
            "We support open, generous immigration and the rights of migrants, refugees "
            "and asylum seekers. Migrants make a positive contribution to our economy "
            "and culture."
        ),
        against=(
            "Immigration must be restricted and reduced. We will stop mass immigration "
            "and secure our borders. Immigrants are a threat to our nation, our culture "
            "and our jobs."
        ),
        favor_sign=-1,
        pool=None,
    ),
    Task(
        name="economy",
        file="benoit_crowdsourced_2016-econ_policy_stance.csv",
        description="Economic policy: taxes, public spending, welfare, business and markets.",
        favor=(
            "Cut taxes, reduce government spending and deregulate business. Free "
            "markets, private enterprise and competition create prosperity. Privatise "
            "state industries and reduce the size of the state."
        ),
        against=(
            "Increase public spending on welfare and public services. Raise taxes on "
            "the rich and redistribute wealth to protect workers. Regulate markets and "
            "keep industries in public ownership."
        ),
        favor_sign=1,
        pool=1500,
    ),
]


def load(task: Task) -> tuple[list[str], list[str]]:
    with open(data_dir() / task.file, encoding="utf-8", errors="replace", newline="") as f:
        rows = list(csv.DictReader(f))
    if task.pool is not None:
        rows = random.Random(2016).sample(rows, task.pool)
    gold = []
    for row in rows:
        value = int(row["label"]) * task.favor_sign
        gold.append("favor" if value > 0 else "against" if value < 0 else "neutral")
    return [row["text"] for row in rows], gold


def draw(gold: list[str], k: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    labelled = np.concatenate(
        [
            rng.choice(np.flatnonzero(np.array(gold) == label), k, replace=False)
            for label in ("favor", "against")
        ]
    )
    scored = np.setdiff1d(np.arange(len(gold)), labelled)
    return labelled, scored


def setfit_encode(
    texts: list[str],
    favor: list[bool],
    to_encode: list[str],
    seed: int,
    iterations: int = 20,
    batch_size: int = 16,
) -> tuple[np.ndarray, np.ndarray]:
    """Contrastive fine-tuning (SetFit's first stage) on labelled pairs, then encode.

    Pairs: for every labelled text and iteration, one partner with the same
    label (target cosine 1) and one with the other label (target 0); one
    epoch of cosine-similarity MSE with AdamW at 2e-5, as SetFit does.
    Returns the tuned embeddings of ``texts`` and of ``to_encode``.
    """
    import torch
    from sentence_transformers import SentenceTransformer

    torch.manual_seed(seed)
    rng = random.Random(seed)
    model = SentenceTransformer(resolve_model_path("all-MiniLM-L6-v2"), device="cpu")
    same = {flag: [i for i, f in enumerate(favor) if f == flag] for flag in (True, False)}
    pairs = []
    for _ in range(iterations):
        for i, f in enumerate(favor):
            pairs.append((i, rng.choice(same[f]), 1.0))
            pairs.append((i, rng.choice(same[not f]), 0.0))
    rng.shuffle(pairs)
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-5)
    model.train()
    for start in range(0, len(pairs), batch_size):
        chunk = pairs[start : start + batch_size]
        left = model.tokenize([texts[i] for i, _, _ in chunk])
        right = model.tokenize([texts[j] for _, j, _ in chunk])
        a = model(left)["sentence_embedding"]
        b = model(right)["sentence_embedding"]
        target = torch.tensor([t for _, _, t in chunk])
        loss = torch.nn.functional.mse_loss(torch.cosine_similarity(a, b), target)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    model.eval()
    kwargs = {"normalize_embeddings": True, "convert_to_numpy": True, "batch_size": 64}
    return model.encode(texts, **kwargs), model.encode(to_encode, **kwargs)


def task_poles(task: Task, embedder: object) -> Poles:
    """The task's pole sentences and their embeddings, as production builds them."""
    fav_txt, ag_txt = pole_sentences(task.favor), pole_sentences(task.against)
    encode = embedder.encode  # type: ignore[attr-defined]
    return Poles(encode(fav_txt), fav_txt, encode(ag_txt), ag_txt)


def row(topic: str, k: int, method: str, values: list[float], n: int) -> None:
    spread = f"{np.std(values):6.3f}" if len(values) > 1 else " " * 6
    middle = f"{np.median(values):7.3f}"
    mean = np.mean(values)
    print(f"{topic:12} {k:>3} {method:40} {mean:7.3f} {spread} {middle}  {n} x{len(values)}")


def reliability_table(name: str, confidence: np.ndarray, right: np.ndarray) -> None:
    rows, ece = reliability(confidence, right)
    print(f"  reliability, {name}: ECE {ece:.3f} over {len(right)} labels")
    for low, high, count, share in rows:
        print(f"    confidence {low:.1f}-{high:.1f}: {count:5d} labels, {share:.2f} right")


def selective(confidence: np.ndarray, right: np.ndarray, bar: float) -> tuple[float, float]:
    """(share right among labels at or above the bar, share of labels kept)."""
    kept = confidence >= bar
    return (float(right[kept].mean()) if kept.any() else float("nan")), float(kept.mean())


@dataclass
class ZeroShotRows:
    """Production zero-shot on every row of one topic (what its calibration is fitted on)."""

    scores: np.ndarray
    labels: list[str]
    agreement: np.ndarray  # how far each quote's words lean to its label's pole
    right: np.ndarray
    confidence: np.ndarray  # production's stored confidence (constants in confidence.py)

    @property
    def decided(self) -> np.ndarray:
        return np.array([label != "neutral" for label in self.labels])

    def features(self, words: bool = True) -> np.ndarray:
        """The calibrator's inputs: |score|, and the word agreement when ``words``."""
        margin = np.abs(self.scores)
        return np.column_stack([margin, self.agreement]) if words else margin[:, None]


def zero_shot_rows(task: Task, embedder: object) -> ZeroShotRows:
    texts, gold = load(task)
    x = encode(embedder, texts)
    zero = task_poles(task, embedder).zero_shot()
    estimate = zero.estimate(x, texts)
    agreement = zero.agreement(texts, estimate.scores)
    assert agreement is not None
    right = np.array([g == p for g, p in zip(gold, estimate.labels, strict=True)])
    return ZeroShotRows(estimate.scores, estimate.labels, agreement, right, estimate.confidence)


def fit_zero_shot(groups: dict[str, ZeroShotRows], words: bool = True) -> tuple[np.ndarray, float]:
    """Platt constants over the decided rows (each topic weighs the same) and the
    share right of neutral labels (mean over topics): the zero-shot calibration."""
    features, right, weight, neutral = [], [], [], []
    for rows in groups.values():
        decided = rows.decided
        features.append(rows.features(words)[decided])
        right.append(rows.right[decided])
        weight.append(np.full(int(decided.sum()), 1.0 / max(int(decided.sum()), 1)))
        neutral.append(float(rows.right[~decided].mean()) if (~decided).any() else 0.0)
    params = platt(np.vstack(features), np.concatenate(right), np.concatenate(weight))
    return params, float(np.mean(neutral))


def zero_shot_confidence(
    params: np.ndarray, neutral: float, rows: ZeroShotRows, words: bool = True
) -> np.ndarray:
    return np.where(rows.decided, apply(params, rows.features(words)), neutral)


def zero_shot_section(groups: dict[str, ZeroShotRows], bar: float) -> None:
    """Selective accuracy of zero-shot: cross-fitted by topic, then production's constants.

    Cross-fitted: the calibration is fitted on the *other* topic only
    (immigration -> economy, economy -> immigration), so no figure comes from
    constants fitted on the rows it is reported on; both the production
    features (|score| + word agreement) and |score| alone are shown. Then
    the constants in quotes/meaning/confidence.py (fitted on both topics:
    in-sample, for reference) with their reliability table.
    """
    print(f"# zero-shot confidence: share right at the default bar {bar} and the curve")
    for held, rows in groups.items():
        rest = {name: g for name, g in groups.items() if name != held}
        source = "+".join(rest)
        for words, name in ((True, "|score| + words"), (False, "|score| alone")):
            params, neutral = fit_zero_shot(rest, words)
            confidence = zero_shot_confidence(params, neutral, rows, words)
            print(
                f"  {held:12} {name:16} fitted on {source}: {describe(confidence, rows.right, bar)}"
            )
            if words:
                reliability_table(f"{held}, cross-fitted", confidence, rows.right)
    for held, rows in groups.items():
        figures = describe(rows.confidence, rows.right, bar)
        print(f"  {held:12} production constants (in-sample): {figures}")
        reliability_table(f"{held}, production constants", rows.confidence, rows.right)
        print(f"    (all labels: {rows.right.mean():.3f} right)")
    sys.stdout.flush()


def current_scorer(
    zero: ZeroShotScorer,
    x: np.ndarray,
    texts: list[str],
    given: list[str],
    rows: list[int],
    poles: Poles,
) -> object:
    """The scorer ``choose_scorer`` would return on these labels, without its CV evidence."""
    if min(given.count("favor"), given.count("against")) < MIN_LABELS_PER_POLE:
        return zero
    return StackedScorer.fit(
        x[rows],
        [texts[i] for i in rows],
        given,
        (poles.favor, poles.favor_texts),
        (poles.against, poles.against_texts),
    )


def simulate_review(
    x: np.ndarray,
    texts: list[str],
    gold: list[str],
    poles: Poles,
    per_pole: int,
    seed: int,
    batch: int = 2,
    **strategy: object,
) -> tuple[np.ndarray, np.ndarray]:
    """Labels chosen as ``stance review`` chooses them, answered with the gold labels.

    A random 80 % of the rows (per seed) is the pool a person reviews; each
    round the current model (zero-shot until 3 labels per pole, then the
    stacked learner, exactly as production) is fitted on the labels so far,
    and ``batch`` quotes are picked as ``review_candidates`` picks them
    (``review_priority`` with uncertainty = 1 - calibrated confidence, every
    row being on topic here, and ``representativeness`` over the pool; then
    ``pick_for_review``). Their gold labels (neutral included: a person's
    neutral answer costs a label too) are added until each pole has
    ``per_pole`` labels (at most ``6 * per_pole`` labels in all).
    ``strategy``: keyword arguments for ``review_priority`` and ``method`` for
    ``pick_for_review`` (variants measured
    by benchmarks/tune_review.py).
    Returns (labelled rows, scored rows = every other row).
    """
    rng = np.random.default_rng(1000 + seed)
    pool = np.sort(rng.choice(len(gold), int(0.8 * len(gold)), replace=False))
    zero = poles.zero_shot()
    typical = np.zeros(len(gold))
    typical[pool] = representativeness(x[pool])
    labelled: list[int] = []

    def short() -> bool:
        given = [gold[i] for i in labelled]
        return min(given.count("favor"), given.count("against")) < per_pole

    while short() and len(labelled) < 6 * per_pole:
        given = [gold[i] for i in labelled]
        scorer = current_scorer(zero, x, texts, given, labelled, poles)
        open_rows = np.setdiff1d(pool, labelled)
        estimate = scorer.estimate(x[open_rows], [texts[i] for i in open_rows])  # type: ignore[attr-defined]
        options = dict(strategy)
        method = str(options.pop("method", SELECTION))
        priority = review_priority(
            1.0 - estimate.confidence,
            typical[open_rows],
            estimate.labels,
            given,
            **options,  # type: ignore[arg-type]
        )
        picked = pick_for_review(x[open_rows], priority, x[labelled], batch, method)
        labelled += [int(open_rows[i]) for i in picked]
    chosen = np.array(labelled)
    return chosen, np.setdiff1d(np.arange(len(gold)), chosen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10)
    parser.add_argument("--setfit-draws", type=int, default=0)
    parser.add_argument("--review-draws", type=int, default=None)
    parser.add_argument(
        "--zero-shot-only", action="store_true", help="only the zero-shot confidence section"
    )
    parser.add_argument(
        "--model", default=None, help="sentence-transformers name or path (default: the default)"
    )
    args = parser.parse_args()
    review_draws = args.draws if args.review_draws is None else args.review_draws

    embedder = load_embedder(args.model)
    print(
        f"model {embedder.name}; draws {args.draws} (SetFit {args.setfit_draws}); {load_average()}"
    )
    print(
        f"{'topic':12} {'k':>3} {'method':40} {'F_avg':>7} {'sd':>6} {'median':>7}  scored x draws"
    )
    bar = DEFAULT_MIN_CONFIDENCE
    zero_shot_section({task.name: zero_shot_rows(task, embedder) for task in TASKS}, bar)
    if args.zero_shot_only:
        return
    for task in TASKS:
        texts, gold = load(task)
        x = encode(embedder, texts)
        poles = task_poles(task, embedder)
        fav, ag = poles.favor, poles.against
        fav_txt, ag_txt = poles.favor_texts, poles.against_texts
        counts = {label: gold.count(label) for label in ("favor", "against", "neutral")}
        print(f"# {task.name}: {len(gold)} rows {counts}")
        zero = poles.zero_shot()
        for band in (0.0, NEUTRAL_BAND, 0.1):
            value = f_avg(gold, labels_for(zero.score(x), band))
            row(task.name, 0, f"zero-shot band {band}", [value], len(gold))
        for k in (3, 5, 20) if args.draws else ():
            results: dict[str, list[float]] = {}
            seconds: list[float] = []
            learned_conf: list[np.ndarray] = []
            learned_right: list[np.ndarray] = []
            spent: list[int] = []
            for seed in range(args.draws):
                labelled, scored = draw(gold, k, seed)
                y = [gold[i] == "favor" for i in labelled]
                sg = [gold[i] for i in scored]
                labels = [gold[i] for i in labelled]
                lt = [texts[i] for i in labelled]
                st = [texts[i] for i in scored]
                # choose_scorer's scorer without its cross-validated evidence (same model).
                production_scorer = current_scorer(zero, x, texts, labels, list(labelled), poles)
                logistic = LogisticScorer.fit(x[labelled], y, fav, ag)
                candidates = {
                    f"zero-shot band {NEUTRAL_BAND} (same rows)": (zero, NEUTRAL_BAND),
                    "logistic (labels only)": (LogisticScorer.fit(x[labelled], y), NEUTRAL_BAND),
                    "logistic + poles (previous production)": (logistic, NEUTRAL_BAND),
                    "prototypes + poles": (
                        PrototypeScorer.fit(x[labelled], y, fav, ag),
                        NEUTRAL_BAND,
                    ),
                }
                for name, (scorer, band) in candidates.items():
                    scores = scorer.score(x[scored])
                    results.setdefault(name, []).append(f_avg(sg, labels_for(scores, band)))
                words_only = StackedScorer.fit(
                    x[labelled] * 0, lt, labels, (fav * 0, fav_txt), (ag * 0, ag_txt)
                )
                value = f_avg(sg, words_only.estimate(x[scored] * 0, st).labels)
                results.setdefault("stacked, TF-IDF only (no embeddings)", []).append(value)
                production = production_scorer.estimate(x[scored], st)  # type: ignore[attr-defined]
                results.setdefault("stacked + poles (production)", []).append(
                    f_avg(sg, production.labels)
                )
                learned_conf.append(production.confidence)
                learned_right.append(
                    np.array([g == p for g, p in zip(sg, production.labels, strict=True)])
                )
                if seed < review_draws and k <= 5:
                    chosen, rest = simulate_review(x, texts, gold, poles, k, seed)
                    spent.append(len(chosen))
                    reviewed = choose_scorer(
                        zero,
                        x[chosen],
                        [texts[i] for i in chosen],
                        [gold[i] for i in chosen],
                        poles,
                    )
                    value = f_avg(
                        [gold[i] for i in rest],
                        reviewed.scorer.estimate(x[rest], [texts[i] for i in rest]).labels,
                    )
                    results.setdefault("reviewed to k per pole (review_candidates)", []).append(
                        value
                    )
                if seed < args.setfit_draws:
                    started = time.perf_counter()
                    train_texts = [texts[i] for i in labelled] + fav_txt + ag_txt
                    train_y = y + [True] * len(fav_txt) + [False] * len(ag_txt)
                    tuned_train, tuned_scored = setfit_encode(
                        train_texts, train_y, [texts[i] for i in scored], seed
                    )
                    head = LogisticScorer.fit(tuned_train, train_y)
                    value = f_avg(sg, labels_for(head.score(tuned_scored), 0.0))
                    results.setdefault("SetFit-style + logistic, band 0", []).append(value)
                    seconds.append(time.perf_counter() - started)
            for name, values in results.items():
                row(task.name, k, name, values, len(gold) - 2 * k)
            if spent:
                print(
                    f"  (review reached {k} labels per pole after {np.mean(spent):.1f} labels "
                    f"on average, range {min(spent)}-{max(spent)}; random: {2 * k})"
                )
            conf, hit = np.concatenate(learned_conf), np.concatenate(learned_right)
            share, coverage = selective(conf, hit, bar)
            _, ece = reliability(conf, hit)
            print(
                f"  stacked at the default bar {bar}: {share:.3f} right, covering {coverage:.3f}; "
                f"ECE {ece:.3f}"
            )
            if seconds:
                print(f"  (SetFit-style tuning + encoding: {np.mean(seconds):.0f} s per draw)")
        sys.stdout.flush()


def load_average() -> str:
    import os

    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


if __name__ == "__main__":
    main()
