"""Zero-shot confidence weighs whether a quote's words lean to its label's pole.

Why it exists: |score| alone ranked right and wrong zero-shot labels poorly on
the manifesto benchmark; the word lean (quotes.meaning.pole_words) is the one
second witness that helped on both topics when fitted on the other. These
tests fail if the stored confidence stops listening to the words.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from quotes.meaning.confidence import zero_shot_stance_confidence
from quotes.meaning.pole_words import PoleWords
from quotes.meaning.scoring import Poles, ZeroShotScorer
from quotes.meaning.topic_profiles import topic_texts
from quotes.records.topics import get_topic
from quotes.store.engine import open_database

FAVOR = (
    "Immigration enriches our country and we should welcome immigrants.",
    "Migrants make a positive contribution to our economy and culture.",
)
AGAINST = (
    "Immigration must be restricted and reduced.",
    "We will stop mass immigration and secure our borders.",
)


def test_pole_words_lean_to_the_pole_whose_words_a_quote_shares() -> None:
    words = PoleWords(FAVOR, AGAINST)
    lean = words.lean(
        [
            "Migrants make our culture richer and we welcome them.",
            "Secure the borders and stop mass immigration now.",
            "",
        ]
    )
    assert lean[0] > 0 > lean[1] and lean[2] == 0.0
    # Signed by the label's side: positive when the words agree with the label.
    agreement = words.agreement(
        ["Secure the borders and stop mass immigration now."] * 2, [-0.8, 0.8]
    )
    assert agreement[0] > 0 > agreement[1] and agreement[0] == pytest.approx(-agreement[1])
    assert words.lean([]).shape == (0,)


def test_confidence_rises_with_word_agreement_and_stays_a_probability() -> None:
    scores = np.array([0.6, 0.6, 0.6, -0.6, 0.01])
    labels = ["favor", "favor", "favor", "against", "neutral"]
    agreement = np.array([0.2, 0.0, -0.2, 0.2, 0.3])
    confidence = zero_shot_stance_confidence(scores, labels, agreement)
    assert np.all((confidence > 0) & (confidence < 1))
    assert confidence[0] > confidence[1] > confidence[2]
    assert confidence[3] == pytest.approx(confidence[0])  # symmetric in the side
    # A neutral label keeps the share of neutral labels that were right.
    assert confidence[4] == pytest.approx(zero_shot_stance_confidence([0.01], ["neutral"])[0])
    # Higher |score| is still surer at equal agreement.
    higher = zero_shot_stance_confidence([0.9], ["favor"], [0.0])
    assert higher[0] > confidence[1]


@pytest.mark.model
def test_real_model_zero_shot_confidence_listens_to_the_words() -> None:
    from quotes.meaning.encoder import load_embedder

    embedder = load_embedder()
    poles = Poles(
        embedder.encode(list(FAVOR)), list(FAVOR), embedder.encode(list(AGAINST)), [*AGAINST]
    )
    quote = "Britain must stop mass immigration and secure its borders."
    vectors = embedder.encode([quote])
    with_words = poles.zero_shot()
    own = with_words.estimate(vectors, [quote])
    assert own.labels == ["against"]
    # The same vector with words leaning to the other pole: same score and
    # label, lower confidence.
    echo = with_words.estimate(vectors, ["We welcome immigrants: they enrich our culture."])
    assert echo.labels == own.labels and echo.scores == pytest.approx(own.scores)
    assert own.confidence[0] > echo.confidence[0] + 0.05
    # Built without the pole texts, the confidence cannot hear the words.
    blind = ZeroShotScorer.from_poles(poles.favor, poles.against)
    assert blind.estimate(vectors, [quote]).confidence == pytest.approx(
        blind.estimate(vectors, ["We welcome immigrants."]).confidence
    )


@pytest.mark.model
def test_stored_confidence_is_the_one_that_weighs_the_words(seeded) -> None:
    text = "NATO allies must spend more on defence to deter Russian aggression."
    added = seeded.ok("add", text, "--speaker", "Pat Member", "--new-speaker", "--json")
    quote_id = int(json.loads(added.stdout)["id"])
    seeded.ok("stance", "assign", "--topic", "security")
    shown = json.loads(seeded.ok("show", str(quote_id), "--json").stdout)
    stance = next(s for s in shown["stances"] if s["topic"] == "security" and s["method"] == "auto")
    with open_database(seeded.url).session() as session:
        texts = topic_texts(get_topic(session, "security"))
    words = PoleWords(tuple(texts.favor), tuple(texts.against))
    agreement = words.agreement([text], [stance["score"]])
    assert abs(agreement[0]) > 0.01  # the words say something here
    expected = zero_shot_stance_confidence([stance["score"]], [stance["label"]], agreement)
    blind = zero_shot_stance_confidence([stance["score"]], [stance["label"]])
    assert stance["confidence"] == pytest.approx(expected[0], abs=1e-3)
    assert abs(stance["confidence"] - blind[0]) > 0.005
