"""Stance quality on real labelled political text (Benoit et al. 2016 manifesto data).

Each data set is defined as a topic exactly as a user would with
``quotes topics add NAME --description --favor --against``; we report F_avg
(mean of the F1 of favor and of against, the SemEval-2016 stance metric) for:

- zero-shot from the pole texts (the production zero-shot scorer), on all
  rows and, for each k, on the same scored rows as the learned methods;
- k labels per pole (k = 3, the least production learns from, 5 and 20)
  drawn at random, scored on the *other* rows only: logistic regression on
  embeddings alone; the same plus the pole sentences (production's learner),
  with and without the neutral band; prototypes (pole centroids blended with
  the labelled rows, the previous production learner); a cross-validation
  gate (the learner only where 5-fold CV on the k labels beats zero-shot, as
  production did before); and **production**: exactly what ``stance
  assign`` does with those labels (``choose_scorer``, scores labelled with
  the shared neutral band);
- SetFit-style contrastive fine-tuning of the encoder on pairs of the
  labelled rows followed by a logistic head (band 0, as first measured).

Several draws per setting; mean and standard deviation are printed. The
economic set has 5,101 rows; a fixed random 1,500 of them are the pool that
every method is scored on (so SetFit, which must re-encode with its tuned
encoder, costs the same as the rest).

Run: ``.venv/bin/python benchmarks/stance_quality.py [--draws N] [--setfit-draws N]``
(under a minute on 2 CPU cores without SetFit, ``--setfit-draws 0``; SetFit
adds several minutes per draw).
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

from quotes.meaning.encoder import load_embedder, resolve_model_path  # noqa: E402
from quotes.meaning.scoring import (  # noqa: E402
    NEUTRAL_BAND,
    LogisticScorer,
    PrototypeScorer,
    ZeroShotScorer,
    choose_scorer,
    f_avg,
    labels_for,
    pole_sentences,
)


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


def row(topic: str, k: int, method: str, values: list[float], n: int) -> None:
    spread = f"{np.std(values):6.3f}" if len(values) > 1 else " " * 6
    print(f"{topic:12} {k:>3} {method:36} {np.mean(values):7.3f} {spread}  {n} x{len(values)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=10)
    parser.add_argument("--setfit-draws", type=int, default=3)
    args = parser.parse_args()

    embedder = load_embedder()
    print(f"model {embedder.name}; draws {args.draws} (SetFit {args.setfit_draws})")
    print(f"{'topic':12} {'k':>3} {'method':36} {'F_avg':>7} {'sd':>6}  scored x draws")
    for task in TASKS:
        texts, gold = load(task)
        x = embedder.encode(texts)
        fav_txt, ag_txt = pole_sentences(task.favor), pole_sentences(task.against)
        fav, ag = embedder.encode(fav_txt), embedder.encode(ag_txt)
        counts = {label: gold.count(label) for label in ("favor", "against", "neutral")}
        print(f"# {task.name}: {len(gold)} rows {counts}")
        zero = ZeroShotScorer.from_poles(fav, ag)
        for band in (0.0, NEUTRAL_BAND, 0.1):
            value = f_avg(gold, labels_for(zero.score(x), band))
            row(task.name, 0, f"zero-shot band {band}", [value], len(gold))
        for k in (3, 5, 20):
            results: dict[str, list[float]] = {}
            seconds: list[float] = []
            picked: list[bool] = []
            methods: set[str] = set()
            for seed in range(args.draws):
                labelled, scored = draw(gold, k, seed)
                y = [gold[i] == "favor" for i in labelled]
                sg = [gold[i] for i in scored]
                labels = [gold[i] for i in labelled]
                choice = choose_scorer(zero, x[labelled], labels, fav, ag)
                assert choice.learned_cv is not None and choice.zero_shot_cv is not None
                gate_learned = choice.learned_cv > choice.zero_shot_cv
                picked.append(gate_learned)
                methods.add(choice.scorer.method)
                logistic = LogisticScorer.fit(x[labelled], y, fav, ag)
                candidates = {
                    f"zero-shot band {NEUTRAL_BAND} (same rows)": (zero, NEUTRAL_BAND),
                    "logistic (labels only)": (LogisticScorer.fit(x[labelled], y), NEUTRAL_BAND),
                    "logistic + poles, band 0": (logistic, 0.0),
                    "logistic + poles": (logistic, NEUTRAL_BAND),
                    "prototypes + poles": (
                        PrototypeScorer.fit(x[labelled], y, fav, ag),
                        NEUTRAL_BAND,
                    ),
                    "CV gate: zero-shot or logistic": (
                        choice.scorer if gate_learned else zero,
                        NEUTRAL_BAND,
                    ),
                    "production (what stance assign does)": (choice.scorer, NEUTRAL_BAND),
                }
                for name, (scorer, band) in candidates.items():
                    scores = scorer.score(x[scored])
                    results.setdefault(name, []).append(f_avg(sg, labels_for(scores, band)))
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
            print(f"  (production used: {', '.join(sorted(methods))}; the CV gate picked")
            print(f"   the logistic model in {sum(picked)} of {len(picked)} draws)")
            if seconds:
                print(f"  (SetFit-style tuning + encoding: {np.mean(seconds):.0f} s per draw)")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
