"""Do a quote's words lean the same way as its zero-shot label? A second witness.

Zero-shot stance compares a quote's embedding with the pole sentences; how
far the quote is from the middle (``|score|``) was the only evidence of how
sure that label is. Measured on the Benoit et al. manifesto sentences
(``benchmarks/zero_shot_features.py``), ``|score|`` ranks right above wrong
labels poorly (AUROC 0.65 immigration, 0.60 economy): sentences far out on
the axis are still often on the wrong side. Second witnesses tried, each in
a calibration fitted on one topic and scored on the other:

- the topic relevance probability and the cosine to the topic's centroid:
  no signal (AUROC 0.54 / 0.50 and 0.53 / 0.48): every manifesto sentence is
  on topic, so they cannot tell a right label from a wrong one there;
- the per-sentence maximum score and the votes of every (favor sentence,
  against sentence) pair, signed by the label: better on one topic, worse on
  the other (pair votes: 0.86 right at the bar on immigration, 0.68 on the
  economy with ECE 0.10);
- **the words** (kept): the character 3-5-gram TF-IDF cosine of the quote to
  the favor pole's sentences minus that to the against pole's, signed by the
  label (AUROC 0.61 / 0.57 alone). A view the embedding does not give, and
  the only one that raised the share right at the default bar on both
  topics: 0.789 -> 0.868 (immigration) and 0.707 -> 0.730 (economy) at
  about the same coverage (0.17), with ECE 0.05 / 0.03.

The IDF weights come from the bundled background statements (LIAR, on other
subjects; quotes.meaning.relevance), fitted once per process, so a quote's
agreement does not depend on which other quotes are scored with it, and
words common in political speech ("government", "we will") count little.
scikit-learn is imported only when a scorer first needs the words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import numpy.typing as npt

Vector = npt.NDArray[np.float64]


@cache
def _vectorizer() -> Any:
    """Character 3-5-gram TF-IDF (within word boundaries) with background IDF."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from quotes.meaning.relevance import background_statements

    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    vectorizer.fit([text for text, _ in background_statements()])
    return vectorizer


@dataclass
class PoleWords:
    """The two poles' texts as TF-IDF vectors; :meth:`lean` compares a quote's words."""

    favor_texts: tuple[str, ...]
    against_texts: tuple[str, ...]
    _poles: Any = field(default=None, init=False, repr=False, compare=False)

    def lean(self, texts: Sequence[str]) -> Vector:
        """Cosine of each text's n-grams to the favor pole minus that to the against pole."""
        if not len(texts):
            return np.zeros(0)
        vectorizer = _vectorizer()
        if self._poles is None:
            joined = [" ".join(self.favor_texts), " ".join(self.against_texts)]
            self._poles = vectorizer.transform(joined)
        cosines = (vectorizer.transform(list(texts)) @ self._poles.T).toarray()
        return np.asarray(cosines[:, 0] - cosines[:, 1], dtype=np.float64)

    def agreement(self, texts: Sequence[str], scores: npt.ArrayLike) -> Vector:
        """``lean`` signed by the label's side: positive when the words agree with it."""
        side = np.sign(np.asarray(scores, dtype=np.float64))
        return np.asarray(side * self.lean(texts))
