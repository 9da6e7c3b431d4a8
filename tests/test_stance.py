"""Topic and stance assignment, people's labels, and custom topics, via the CLI."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from quotes.meaning.learner import Settings, StackedScorer, choose_scorer
from quotes.meaning.scoring import (
    LogisticScorer,
    Poles,
    PrototypeScorer,
    ZeroShotScorer,
    f_avg,
    label_for,
    pole_sentences,
)
from quotes.store.normalize import clean_text

pytestmark = pytest.mark.model

NATO = "We will come together in NATO with our senior commanders to work out what is necessary."
FREDERIKSEN = "But we cannot negotiate on our sovereignty."

WHALING = (
    "whaling",
    "--description",
    "Commercial whaling: hunting whales for meat and oil, quotas and the moratorium.",
    "--favor",
    "Commercial whaling should be allowed. Whale hunting is a legitimate tradition "
    "and a sustainable industry.",
    "--against",
    "Whaling must be banned. Killing whales is cruel and endangers the species.",
)
TAUGHT_FAVOR = [
    "Our fishermen have caught minke whales for centuries and will keep doing so.",
    "Whale meat is part of our food culture.",
    "The harpoon boats bring jobs to our coastal towns.",
]
TAUGHT_AGAINST = [
    "Japan's whaling fleet should stay in port.",
    "Hunting whales is cruel and must end for good.",
    "Tourists come to watch whales, not to see them slaughtered.",
]
#: Benoit et al. (2016) manifesto sentences, see fixtures/manifesto/make_excerpt.py.
MANIFESTO = Path(__file__).parent / "fixtures" / "manifesto" / "immigration_excerpt.csv"
#: The immigration topic exactly as benchmarks/stance_quality.py defines it.
IMMIGRATION = (
    "immigration",
    "--description",
    "Immigration, asylum, refugees, migrants and border control.",
    "--favor",
    "Immigration enriches our country and we should welcome immigrants. "
    "We support open, generous immigration and the rights of migrants, refugees "
    "and asylum seekers. Migrants make a positive contribution to our economy "
    "and culture.",
    "--against",
    "Immigration must be restricted and reduced. We will stop mass immigration "
    "and secure our borders. Immigrants are a threat to our nation, our culture "
    "and our jobs.",
)
PROBE_FAVOR = "Our hunters have taken whales from these waters for generations and will continue."
PROBE_AGAINST = "Whaling ships should be kept in harbour."


def _add(cli, text: str, speaker: str = "Kari Hunter", *extra: str) -> int:
    result = cli.ok("add", text, "--speaker", speaker, "--new-speaker", "--json", *extra)
    return int(json.loads(result.stdout)["id"])


def _show(cli, quote_id: int) -> dict:
    return json.loads(cli.ok("show", str(quote_id), "--json").stdout)


def _auto(quote: dict, topic: str) -> dict | None:
    return next(
        (s for s in quote["stances"] if s["topic"] == topic and s["method"] == "auto"), None
    )


def _by_text(cli) -> dict[str, dict]:
    lines = cli.ok("export", "--format", "jsonl").stdout.splitlines()
    return {q["text"]: q for q in map(json.loads, lines)}


def test_seed_quotations_land_where_a_reader_puts_them(seeded) -> None:
    seeded.ok("stance", "assign")
    quotes = _by_text(seeded)
    frederiksen = next(q for t, q in quotes.items() if t.endswith(FREDERIKSEN))
    assert "sovereignty" in frederiksen["topics"]
    assert _auto(frederiksen, "sovereignty")["label"] == "favor"
    nato = quotes[NATO]
    assert "security" in nato["topics"]
    assert _auto(nato, "security")["label"] == "favor"
    assert _auto(nato, "security")["model"].startswith("all-MiniLM-L6-v2 zero-shot")
    for quote in quotes.values():
        for stance in quote["stances"]:
            assert -1.0 <= stance["score"] <= 1.0
            assert stance["label"] == label_for(stance["score"])


def test_unrelated_statements_get_no_topic(seeded) -> None:
    pizza = _add(seeded, "I like pizza with my friends on Sundays.")
    seeded.ok("stance", "assign")
    quote = _show(seeded, pizza)
    assert quote["topics"] == [] and quote["stances"] == []


def test_rerun_writes_nothing_and_manual_links_stay(seeded) -> None:
    pizza = _add(
        seeded, "I like pizza with my friends on Sundays.", "Joe Bloggs", "--topic", "tariffs"
    )
    first = json.loads(seeded.ok("stance", "assign", "--json").stdout)
    assert sum(t["assessed"] for t in first["topics"]) > 0
    second = json.loads(seeded.ok("stance", "assign", "--json").stdout)
    assert all(t["assessed"] == 0 and t["links_added"] == 0 for t in second["topics"])
    quote = _show(seeded, pizza)
    assert quote["topic_links"] == [{"topic": "tariffs", "origin": "manual", "confidence": None}]
    assert _auto(quote, "tariffs") is not None  # a manual link still gets a score


def test_manual_label_wins_and_is_never_overwritten(seeded) -> None:
    seeded.ok("stance", "assign")
    nato = next(q for t, q in _by_text(seeded).items() if t == NATO)
    result = seeded.ok(
        "stance", "label", str(nato["id"]), "--topic", "Security", "--stance", "against"
    )
    assert f"Quote {nato['id']} is against on security" in result.stdout
    seeded.ok("stance", "assign")
    quote = _show(seeded, nato["id"])
    manual = [s for s in quote["stances"] if s["method"] == "manual"]
    assert manual == [
        {
            "topic": "security",
            "label": "against",
            "score": -1.0,
            "method": "manual",
            "model": None,
            "confidence": None,  # a person's label is not an estimate
        }
    ]
    assert _auto(quote, "security")["label"] == "favor"  # kept, but the manual one wins
    ids = [
        h["id"]
        for h in json.loads(
            seeded.ok("search", "NATO", "--mode", "text", "--stance", "against", "--json").stdout
        )
    ]
    assert ids == [nato["id"]]


def test_a_custom_topic_works_end_to_end(seeded) -> None:
    seeded.ok("topics", "add", *WHALING)
    favor = _add(seeded, "We will resume commercial whale hunts next season.")
    against = _add(seeded, "The moratorium protects whale populations and we will defend it.")
    pizza = _add(seeded, "I like pizza with my friends on Sundays.")
    result = seeded.ok("stance", "assign", "--topic", "whaling")
    assert "whaling" in result.stdout and "security" not in result.stdout
    assert _auto(_show(seeded, favor), "whaling")["label"] == "favor"
    assert _auto(_show(seeded, against), "whaling")["label"] == "against"
    assert _show(seeded, pizza)["topics"] == []
    nato = _by_text(seeded)[NATO]
    assert "whaling" not in nato["topics"]


def test_labels_measurably_move_stances(seeded) -> None:
    seeded.ok("topics", "add", *WHALING)
    taught = {text: _add(seeded, text) for text in TAUGHT_FAVOR + TAUGHT_AGAINST}
    probes = {text: _add(seeded, text) for text in (PROBE_FAVOR, PROBE_AGAINST)}
    seeded.ok("stance", "assign", "--topic", "whaling")
    before = {t: _auto(_show(seeded, i), "whaling") for t, i in {**taught, **probes}.items()}
    assert before[PROBE_FAVOR]["label"] == "against"  # zero-shot gets these wrong
    assert before[PROBE_AGAINST]["label"] == "favor"
    wanted = {t: "favor" if t in TAUGHT_FAVOR else "against" for t in taught}
    # Zero-shot misplaces some of them (a wrong label, or not linked at all).
    wrong_before = [t for t in taught if before[t] is None or before[t]["label"] != wanted[t]]
    assert len(wrong_before) >= 2
    for text, quote_id in taught.items():
        seeded.ok("stance", "label", str(quote_id), "--topic", "whaling", "--stance", wanted[text])
    report = json.loads(seeded.ok("stance", "assign", "--topic", "whaling", "--json").stdout)
    (whaling,) = report["topics"]
    assert whaling["method"] == "stacked" and whaling["labels"] == 6
    assert whaling["learned_cv"] is not None and whaling["zero_shot_cv"] is not None
    after = {t: _auto(_show(seeded, i), "whaling") for t, i in {**taught, **probes}.items()}
    # The automatic assessments of the labelled quotes now agree with their labels...
    assert [t for t in taught if after[t]["label"] != wanted[t]] == []
    # ... and an unlabelled quote like the favor examples crosses over.
    assert after[PROBE_FAVOR]["score"] > before[PROBE_FAVOR]["score"] + 0.3
    assert after[PROBE_FAVOR]["label"] == "favor"
    assert after[PROBE_AGAINST]["score"] < before[PROBE_AGAINST]["score"]
    assert all(" stacked " in a["model"] for a in after.values())


def test_labels_improve_stances_on_real_manifesto_sentences(cli) -> None:
    """5 labels per pole on real sentences beat zero-shot on 40 others (labelled apart)."""
    cli.ok("topics", "add", *IMMIGRATION)
    cli.ok("import", str(MANIFESTO))
    with open(MANIFESTO, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    ids = {q["text"]: q["id"] for q in _by_text(cli).values()}
    teach = [(ids[clean_text(r["text"])], r["gold"]) for r in rows if r["teach"] == "yes"]
    scored = [(ids[clean_text(r["text"])], r["gold"]) for r in rows if r["teach"] == "no"]
    assert (len(teach), len(scored)) == (10, 40)

    def predicted() -> list[str]:
        by_id = {q["id"]: q for q in _by_text(cli).values()}
        return [_auto(by_id[quote_id], "immigration")["label"] for quote_id, _ in scored]

    cli.ok("stance", "assign", "--topic", "immigration")
    before = predicted()
    for quote_id, label in teach:
        cli.ok("stance", "label", str(quote_id), "--topic", "immigration", "--stance", label)
    report = json.loads(cli.ok("stance", "assign", "--topic", "immigration", "--json").stdout)
    assert report["topics"][0]["method"] == "stacked"
    after = predicted()
    gold = [label for _, label in scored]
    zero_shot, taught = f_avg(gold, before), f_avg(gold, after)
    assert taught >= zero_shot + 0.05, (zero_shot, taught)
    assert sum(b != a for b, a in zip(before, after, strict=True)) >= 4


def test_seed_quotations_stay_put_when_labels_teach(seeded) -> None:
    """With a learned model on sovereignty and security, the seed quotations still read right."""
    teach = {
        ("sovereignty", "favor"): [
            "Greenland belongs to the people who live there and it is not for sale.",
            "No foreign power will decide the future of our country.",
            "Our borders and our territory are not up for negotiation.",
        ],
        ("sovereignty", "against"): [
            "The United States should buy Greenland.",
            "We will take control of the island one way or another.",
            "That territory should be annexed, whatever its government says.",
        ],
        ("security", "favor"): [
            "We must spend more on defence and strengthen our armed forces.",
            "Allies need more troops and ships in the Arctic to deter Russia.",
            "Our deterrence has to be credible: more aircraft, more soldiers.",
        ],
        ("security", "against"): [
            "We should cut the military budget and bring our troops home.",
            "Sending more soldiers to the region will only escalate tensions.",
            "Arms control talks, not a new arms race, will keep us safe.",
        ],
    }
    for (topic, label), texts in teach.items():
        for text in texts:
            quote_id = _add(seeded, text, "Alex Analyst")
            seeded.ok("stance", "label", str(quote_id), "--topic", topic, "--stance", label)
    report = json.loads(seeded.ok("stance", "assign", "--json").stdout)
    methods = {t["topic"]: t["method"] for t in report["topics"]}
    assert methods["sovereignty"] == methods["security"] == "stacked"
    quotes = _by_text(seeded)
    frederiksen = next(q for t, q in quotes.items() if t.endswith(FREDERIKSEN))
    assert _auto(frederiksen, "sovereignty")["label"] == "favor"
    assert _auto(frederiksen, "sovereignty")["model"].startswith("all-MiniLM-L6-v2 stacked")
    assert _auto(quotes[NATO], "security")["label"] == "favor"


def test_manual_links_teach_topic_assignment(seeded) -> None:
    seeded.ok("topics", "add", *WHALING)
    near = _add(seeded, "Two minkes were landed by the boats this morning.")
    seeded.ok("stance", "assign", "--topic", "whaling")
    assert _show(seeded, near)["topics"] == []
    _add(
        seeded,
        "The boats came back with two minkes this morning.",
        "Ole Fisher",
        "--topic",
        "whaling",
    )
    seeded.ok("stance", "assign", "--topic", "whaling")
    quote = _show(seeded, near)
    assert quote["topic_links"][0]["topic"] == "whaling"
    assert quote["topic_links"][0]["origin"] == "auto"
    assert 0.0 < quote["topic_links"][0]["confidence"] <= 1.0


def test_bad_input_and_empty_databases(cli) -> None:
    assert "Nothing to assign: no quotes yet." in cli.ok("stance", "assign").stdout
    quote_id = _add(cli, "Tariffs will rise.")
    assert "Nothing to assign: no topics yet." in cli.ok("stance", "assign").stdout
    cli.ok("init")
    unknown_topic = cli("stance", "assign", "--topic", "fishing")
    assert unknown_topic.exit_code == 2 and "fishing" in unknown_topic.stderr
    bad_label = cli("stance", "label", str(quote_id), "--topic", "tariffs", "--stance", "maybe")
    assert bad_label.exit_code == 2 and "maybe" in bad_label.stderr
    bad_topic = cli("stance", "label", str(quote_id), "--topic", "fish", "--stance", "favor")
    assert bad_topic.exit_code == 2 and "fish" in bad_topic.stderr
    missing = cli("stance", "label", "999", "--topic", "tariffs", "--stance", "favor")
    assert missing.exit_code == 1 and "999" in missing.stderr
    assert _show(cli, quote_id)["stances"] == []  # nothing was written


def test_zero_shot_and_prototypes_on_hand_made_vectors() -> None:
    favor = [[1.0, 0.0, 0.0]]
    against = [[0.0, 1.0, 0.0]]
    zero = ZeroShotScorer.from_poles(favor, against)
    scores = zero.score([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    assert scores[0] > 0.99 and scores[1] < -0.99 and scores[2] == 0.0
    taught = PrototypeScorer.fit([[0.0, 0.0, 1.0]], [True], favor, against)
    assert taught.score([[0.0, 0.0, 1.0]])[0] > 0.5
    assert pole_sentences("One thing. Another; a third!\nFourth") == [
        "One thing.",
        "Another",
        "a third!",
        "Fourth",
    ]
    assert f_avg(["favor", "against", "neutral"], ["favor", "favor", "neutral"]) == pytest.approx(
        (2 / 3 + 0) / 2
    )


def _unit_rows(rows: list[list[float]]) -> np.ndarray:
    matrix = np.asarray(rows, dtype=np.float64)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def test_logistic_scorer_learns_from_labels_and_poles() -> None:
    favor_poles = _unit_rows([[1.0, 0.0, 0.0, 0.0]])
    against_poles = _unit_rows([[0.0, 1.0, 0.0, 0.0]])
    # Labels say the third dimension is favor and the fourth against.
    labelled = _unit_rows([[0.2, 0, 1, 0], [0, 0.2, 1, 0.1], [0, 0.2, 0, 1], [0.2, 0, 0.1, 1]])
    scorer = LogisticScorer.fit(labelled, [True, True, False, False], favor_poles, against_poles)
    scores = scorer.score(_unit_rows([[0, 0, 1, 0], [0, 0, 0, 1], [1, 0, 0, 0], [0, 1, 0, 0]]))
    assert scores[0] > 0.3 and scores[1] < -0.3  # taught by the labels
    assert scores[2] > 0.3 and scores[3] < -0.3  # the poles still count
    assert np.all(np.abs(scores) <= 1.0)
    # A pole split into more sentences weighs the same: the same model.
    doubled = LogisticScorer.fit(
        labelled,
        [True, True, False, False],
        np.vstack([favor_poles, favor_poles]),
        np.vstack([against_poles, against_poles, against_poles]),
    )
    assert np.allclose(doubled.weights, scorer.weights, atol=1e-4)


def test_choose_scorer_learns_from_three_labels_per_pole_without_a_cv_gate() -> None:
    favor_poles = _unit_rows([[1.0, 0.0, 0.0]])
    against_poles = _unit_rows([[0.0, 1.0, 0.0]])
    poles = Poles(favor_poles, ["We are for it."], against_poles, ["We are against it."])
    zero = ZeroShotScorer.from_poles(favor_poles, against_poles)
    # Labelled quotes that zero-shot already gets right: CV cannot beat it.
    vectors = _unit_rows([[1, 0.1, 0], [1, 0, 0.2], [1, 0.2, 0.1], [0.1, 1, 0], [0, 1, 0.2]])
    texts = ["yes indeed", "yes for sure", "yes please", "no way", "no never"]
    two = choose_scorer(zero, vectors, texts, ["favor"] * 3 + ["against"] * 2, poles)
    assert two.scorer is zero and two.learned_cv is None
    three = choose_scorer(
        zero,
        np.vstack([vectors, _unit_rows([[0.2, 1, 0.1]])]),
        [*texts, "no thanks"],
        ["favor"] * 3 + ["against"] * 3,
        poles,
    )
    assert three.zero_shot_cv == 1.0
    assert isinstance(three.scorer, StackedScorer) and three.scorer.method == "stacked"
    estimate = three.scorer.estimate(_unit_rows([[1, 0, 0], [0, 1, 0]]), ["yes", "no"])
    assert estimate.labels == ["favor", "against"]
    assert np.all((estimate.confidence >= 0) & (estimate.confidence <= 1))


def test_stacked_scorer_learns_words_and_a_neutral_class() -> None:
    """Word cues the embeddings cannot see are learned; 3+ neutral labels make a class."""
    vectors = _unit_rows([[1.0, 1.0, 1.0]] * 12)  # the embeddings carry no signal
    texts = (
        [f"we support the plan number {i}" for i in range(4)]
        + [f"we reject the plan number {i}" for i in range(4)]
        + [f"the plan was published on day {i}" for i in range(4)]
    )
    labels = ["favor"] * 4 + ["against"] * 4 + ["neutral"] * 4
    scorer = StackedScorer.fit(vectors, texts, labels)
    assert set(scorer.classes) == {"favor", "against", "neutral"}
    estimate = scorer.estimate(
        vectors[:3], ["we support the plan", "we reject the plan", "the plan was published"]
    )
    assert estimate.labels == ["favor", "against", "neutral"]
    assert estimate.scores[0] > 0 > estimate.scores[1]
    binary = StackedScorer.fit(vectors[:8], texts[:8], labels[:8])
    assert set(binary.classes) == {"favor", "against"}


def test_stacked_settings_change_the_model_the_benchmark_measures() -> None:
    """Each knob of learner.Settings reaches the fitted model (what tune_learner.py varies)."""
    vectors = _unit_rows([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0], [0.1, 0.9]])
    texts = ["we back it", "we back it fully", "we oppose it", "we oppose it fully"]
    labels = ["favor", "favor", "against", "against"]
    svm = StackedScorer.fit(vectors, texts, labels, settings=Settings(model="svm"))
    estimate = svm.estimate(_unit_rows([[1.0, 0.0], [0.0, 1.0]]), ["we back", "we oppose"])
    assert estimate.labels == ["favor", "against"]
    assert np.all((estimate.confidence > 0) & (estimate.confidence < 1))
    # Without the text blocks only the embeddings are features: same words, opposite sides.
    plain = Settings(word_weight=0.0, char_weight=0.0)
    blind = StackedScorer.fit(vectors, texts, labels, settings=plain)
    assert blind.features.transform(vectors, texts, plain).shape[1] == 2
    assert blind.estimate(vectors[[2]], ["we back it"]).labels == ["against"]
    # A binary model with a band calls the middle neutral; with none it picks a side.
    middle = np.array([[0.5, 0.5, 0.0]])
    assert blind.estimate_from(middle).labels == ["neutral"]
    banded = StackedScorer.fit(vectors, texts, labels, settings=Settings(band=0.2))
    assert banded.estimate_from(np.array([[0.45, 0.55, 0.0]])).labels == ["neutral"]
    assert blind.estimate_from(np.array([[0.45, 0.55, 0.0]])).labels == ["favor"]
