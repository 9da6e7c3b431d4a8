"""What a topic looks like in embedding space: its texts, relevance and stance axis.

A topic is defined by a description and two pole texts (``topics add``). Each
text is split into sentences, each sentence one paraphrase; the default
topics also get the hand-written paraphrases bundled in
``seeds/topic_paraphrases.json`` (used only while the topic still carries the
bundled favor pole, so a user's own topic is never altered).

Relevance (is a quote about the topic?) is a per-topic classifier fitted on
the topic's sentences, the quotes people linked and rejected, and a bundled
background of statements on other subjects (quotes.meaning.relevance); a
default topic that still carries its bundled favor pole uses its own
settings and link bar, chosen on ParlEE.
Stance is zero-shot from the pole sentences until people label enough
quotes, then the stacked learner (quotes.meaning.learner). Both report
calibrated probabilities (quotes.meaning.confidence).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import numpy as np
import numpy.typing as npt

from quotes.meaning.encoder import Embedder, Matrix
from quotes.meaning.learner import choose_scorer
from quotes.meaning.relevance import (
    DEFAULT_TOPICS,
    USER_TOPICS,
    RelevanceModel,
    background_vectors,
)
from quotes.meaning.scoring import (
    Choice,
    Poles,
    StanceEstimate,
    pole_sentences,
)
from quotes.store.models import Topic


@cache
def _bundled_paraphrases() -> dict[str, dict[str, list[str]]]:
    text = resources.files("quotes.seeds").joinpath("topic_paraphrases.json").read_text("utf-8")
    data = json.loads(text)
    return {name: value for name, value in data.items() if not name.startswith("_")}


@cache
def _bundled_favor_poles() -> dict[str, str]:
    from quotes.records.topics import default_topics
    from quotes.store.normalize import clean_text

    return {spec["name"]: clean_text(spec["favor"]) for spec in default_topics()}


@dataclass(frozen=True)
class TopicTexts:
    """The sentences that define a topic."""

    description: list[str]
    favor: list[str]
    against: list[str]

    def fingerprint(self) -> str:
        parts = ["|".join(self.description), "|".join(self.favor), "|".join(self.against)]
        joined = "\x1f".join(parts)
        return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:8]


def is_bundled(topic: Topic) -> bool:
    """A default topic that still carries its bundled favor pole (so not a user's own)."""
    return _bundled_favor_poles().get(topic.name) == topic.favor_pole


def topic_texts(topic: Topic) -> TopicTexts:
    """A topic's description and pole sentences, with bundled paraphrases if default."""
    texts = TopicTexts(
        description=pole_sentences(topic.description),
        favor=pole_sentences(topic.favor_pole),
        against=pole_sentences(topic.against_pole),
    )
    extra = _bundled_paraphrases().get(topic.name)
    if extra and is_bundled(topic):
        texts = TopicTexts(
            description=texts.description + extra.get("description", []),
            favor=texts.favor + extra.get("favor", []),
            against=texts.against + extra.get("against", []),
        )
    return texts


@dataclass
class TopicProfile:
    """A topic ready to judge quotes: relevance and a stance scorer."""

    name: str
    relevance: RelevanceModel
    choice: Choice
    signature: str
    labels: int = field(default=0)

    def about(self, vectors: Matrix) -> npt.NDArray[np.float64]:
        """The calibrated probability that each quote is about the topic."""
        return self.relevance.about(vectors)

    def is_about(self, vectors: Matrix) -> npt.NDArray[np.bool_]:
        """Which quotes assignment links to the topic."""
        return self.relevance.links(vectors)

    @property
    def method(self) -> str:
        return self.choice.scorer.method

    def stance(self, vectors: Matrix, texts: Sequence[str]) -> StanceEstimate:
        """Scores, labels and confidences of quotes on this topic."""
        return self.choice.scorer.estimate(vectors, texts)


def untaught_profile(topic: Topic, embedder: Embedder) -> TopicProfile:
    """The profile of ``topic`` from its own sentences alone: no person's links or labels.

    What assignment fits for a topic nobody has taught yet; the benchmarks
    measure exactly this.
    """
    empty = np.zeros((0, embedder.dimension), dtype=np.float32)
    return build_profile(
        topic,
        embedder,
        examples=empty,
        rejected=empty,
        labelled=empty,
        labelled_texts=[],
        labels=[],
        label_key="",
    )


def build_profile(
    topic: Topic,
    embedder: Embedder,
    *,
    examples: Matrix,
    rejected: Matrix,
    labelled: Matrix,
    labelled_texts: Sequence[str],
    labels: list[str],
    label_key: str,
) -> TopicProfile:
    """Embed the topic's texts and fit its relevance and stance from people's input.

    ``examples``: vectors of quotes a person linked to the topic;
    ``rejected``: of quotes a person said are not about it; ``labelled``,
    ``labelled_texts`` and ``labels``: the quotes with a manual stance label;
    ``label_key`` identifies that input, so the recorded model changes
    whenever it does.
    """
    texts = topic_texts(topic)
    favor = embedder.encode(texts.favor)
    against = embedder.encode(texts.against)
    every = np.vstack([embedder.encode(texts.description), favor, against])
    poles = Poles(
        favor=favor, favor_texts=texts.favor, against=against, against_texts=texts.against
    )
    zero = poles.zero_shot()
    choice = choose_scorer(zero, labelled, labelled_texts, labels, poles)
    signature = texts.fingerprint()
    if choice.scorer is not zero:
        signature += "-" + hashlib.sha256(label_key.encode()).hexdigest()[:6]
    settings = DEFAULT_TOPICS.get(topic.name) if is_bundled(topic) else None
    relevance = RelevanceModel.fit(
        every,
        examples,
        rejected,
        background_vectors(embedder),
        settings=settings or USER_TOPICS,
    )
    return TopicProfile(
        name=topic.name,
        relevance=relevance,
        choice=choice,
        signature=signature,
        labels=len(labels),
    )
