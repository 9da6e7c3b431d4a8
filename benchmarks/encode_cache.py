"""Encode benchmark texts once: vectors cached in the temp directory by content hash.

Benchmarks re-encode thousands of public sentences on every run, which costs
minutes on a busy 2-core machine; the cache key is the model name and the
SHA-256 of the texts, so a changed data set or model is encoded afresh.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import numpy as np

CACHE = Path(tempfile.gettempdir()) / "quotes-benchmark-vectors"


def encode(embedder: object, texts: list[str]) -> np.ndarray:
    digest = hashlib.sha256("\x1f".join([embedder.name, *texts]).encode()).hexdigest()[:20]  # type: ignore[attr-defined]
    path = CACHE / f"{digest}.npy"
    if path.exists():
        return np.load(path)
    vectors = embedder.encode(texts)  # type: ignore[attr-defined]
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors
