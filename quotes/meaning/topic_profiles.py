"""What a topic looks like in embedding space: its texts, relevance and stance axis.

A topic is defined by a description and two pole texts (``topics add``). Each
text is split into sentences, each sentence one paraphrase; the default
topics also get the hand-written paraphrases bundled in
``seeds/topic_paraphrases.json`` (used only while the topic still carries the
bundled favor pole, so a user's own topic is never altered).

Relevance of a quote to a topic is the larger of
- its cosine to the centroid of all the topic's sentences (description and
  both poles: a statement against the proposition is still about the topic),
  which must reach ``TOPIC_THRESHOLD``; and
- its cosine to the nearest quote a person linked to the topic (``add
  --topic``, ``stance label``), which must reach ``EXAMPLE_THRESHOLD``: this
  is how manual links teach assignment.

Both thresholds were calibrated on public data (``benchmarks/topic_assignment.py``
on ParlEE sentences with CAP codes 16 Defence and 18 Foreign trade) and on
the seed quotations; see the README's "Meaning" section for the figures.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import numpy as np
import numpy.typing as npt

from quotes.meaning.encoder import Embedder, Matrix
from quotes.meaning.scoring import Choice, ZeroShotScorer, choose_scorer, pole_sentences
from quotes.store.models import Topic

#: Cosine to the topic centroid from which a quote is about the topic.
TOPIC_THRESHOLD = 0.38
#: Cosine to a manually linked quote from which a quote is about the topic.
EXAMPLE_THRESHOLD = 0.60


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


def topic_texts(topic: Topic) -> TopicTexts:
    """A topic's description and pole sentences, with bundled paraphrases if default."""
    texts = TopicTexts(
        description=pole_sentences(topic.description),
        favor=pole_sentences(topic.favor_pole),
        against=pole_sentences(topic.against_pole),
    )
    extra = _bundled_paraphrases().get(topic.name)
    if extra and _bundled_favor_poles().get(topic.name) == topic.favor_pole:
        texts = TopicTexts(
            description=texts.description + extra.get("description", []),
            favor=texts.favor + extra.get("favor", []),
            against=texts.against + extra.get("against", []),
        )
    return texts


def _unit(vector: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else vector


@dataclass
class TopicProfile:
    """A topic ready to judge quotes: relevance and a stance scorer."""

    name: str
    centroid: npt.NDArray[np.float64]
    examples: Matrix
    choice: Choice
    signature: str
    labels: int = field(default=0)

    def relevance(self, vectors: Matrix) -> npt.NDArray[np.float64]:
        """Cosine to the topic (0 for a quote that passes neither threshold's test)."""
        matrix = np.asarray(vectors, dtype=np.float64)
        by_text = matrix @ self.centroid
        if not len(self.examples):
            return np.asarray(by_text)
        by_example = (matrix @ np.asarray(self.examples, dtype=np.float64).T).max(axis=1)
        return np.asarray(np.maximum(by_text, by_example))

    def is_about(self, vectors: Matrix) -> npt.NDArray[np.bool_]:
        matrix = np.asarray(vectors, dtype=np.float64)
        passes = matrix @ self.centroid >= TOPIC_THRESHOLD
        if len(self.examples):
            nearest = (matrix @ np.asarray(self.examples, dtype=np.float64).T).max(axis=1)
            passes |= nearest >= EXAMPLE_THRESHOLD
        return np.asarray(passes)

    @property
    def method(self) -> str:
        return self.choice.scorer.method

    def stance_scores(self, vectors: Matrix) -> npt.NDArray[np.float64]:
        return np.clip(self.choice.scorer.score(vectors), -1.0, 1.0)


def build_profile(
    topic: Topic,
    embedder: Embedder,
    examples: Matrix,
    labelled: Matrix,
    labels: list[str],
    label_key: str,
) -> TopicProfile:
    """Embed the topic's texts and pick its stance scorer from the manual labels.

    ``examples``: vectors of quotes a person linked to the topic; ``labelled``
    and ``labels``: vectors and manual stance labels; ``label_key`` identifies
    the label set, so the recorded model changes whenever the labels do.
    """
    texts = topic_texts(topic)
    favor = embedder.encode(texts.favor)
    against = embedder.encode(texts.against)
    every = np.vstack([embedder.encode(texts.description), favor, against])
    zero = ZeroShotScorer.from_poles(favor, against)
    choice = choose_scorer(zero, labelled, labels, favor, against)
    signature = texts.fingerprint()
    if choice.scorer is not zero:
        signature += "-" + hashlib.sha256(label_key.encode()).hexdigest()[:6]
    return TopicProfile(
        name=topic.name,
        centroid=_unit(np.asarray(every, dtype=np.float64).mean(axis=0)),
        examples=examples,
        choice=choice,
        signature=signature,
        labels=len(labels),
    )
