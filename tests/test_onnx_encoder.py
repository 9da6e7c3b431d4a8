"""The light query path: the default model on ONNX Runtime gives torch's vectors."""

from __future__ import annotations

import json
import logging
import os
import random
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from quotes.meaning.encoder import load_embedder, resolve_model_path
from quotes.meaning.onnx_encoder import (
    MAX_BULK_WORKERS,
    QUICK_QUERIES,
    RUN_TEXTS,
    RUN_TOKENS,
    OnnxEmbedder,
    bulk_workers,
    model_files,
    onnx_path,
)
from quotes.notices import LOGGER_NAME
from quotes.store.settings import DEFAULT_MODEL

pytestmark = pytest.mark.model

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
HOSTILE = [
    "",
    "   ",
    "a",
    "Ünïcødé çà marche — « guillemets » 日本語の文 😀 ✓",
    "Greenland " * 400,  # far past the 256-token limit: truncated the same way
    '"quoted" <b>html</b> \' OR 1=1; -- \u200b\u00a0',
]


def _test_set() -> list[str]:
    texts = []
    for name in ("seed_quotes.jsonl", "parlee_sample.jsonl"):
        for line in (SEEDS / name).read_text(encoding="utf-8").splitlines():
            texts.append(json.loads(line)["text"])
    return texts + HOSTILE


def test_onnx_vectors_match_torch_on_a_test_set() -> None:
    texts = _test_set()
    assert len(texts) > 150
    fast = load_embedder(runtime="onnx")
    assert isinstance(fast, OnnxEmbedder)
    reference = load_embedder(runtime="torch")
    assert fast.name == reference.name == DEFAULT_MODEL
    assert fast.dimension == reference.dimension == 384
    torch_vectors = reference.encode(texts, batch_size=16)
    for got in (fast.encode(texts, batch_size=16), np.vstack([fast.encode([t]) for t in texts])):
        assert got.shape == torch_vectors.shape and got.dtype == np.float32
        cosine = (got * torch_vectors).sum(axis=1)
        assert cosine.min() >= 0.999, texts[int(cosine.argmin())]
        assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)


def test_a_missing_or_corrupt_export_is_made_again_with_a_notice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("QUOTES_MODEL_CACHE", str(tmp_path / "models"))
    files = model_files(resolve_model_path(DEFAULT_MODEL))
    path = onnx_path(DEFAULT_MODEL, files)
    assert str(path).startswith(str(tmp_path))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not an onnx file")
    from quotes.meaning.onnx_encoder import load_onnx_embedder

    with caplog.at_level(logging.WARNING, logger=LOGGER_NAME):
        embedder = load_onnx_embedder(DEFAULT_MODEL, files.directory)
    assert any("unreadable" in r.getMessage() for r in caplog.records), caplog.text
    vector = embedder.encode(["We cannot negotiate on our sovereignty."])
    assert vector.shape == (1, 384)
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    # The weights sit beside the graph, in one file, for ONNX Runtime to map.
    weights = [p for p in path.parent.iterdir() if p.name.endswith(".weights")]
    assert len(weights) == 1 and weights[0].stat().st_size > 80_000_000, weights
    assert path.stat().st_size < 1_000_000


def test_an_export_whose_weights_file_is_gone_is_made_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The graph alone cannot run; an export of the earlier layout is cleared away."""
    monkeypatch.setenv("QUOTES_MODEL_CACHE", str(tmp_path / "models"))
    files = model_files(resolve_model_path(DEFAULT_MODEL))
    from quotes.meaning.onnx_encoder import export_onnx, load_onnx_embedder

    path = onnx_path(DEFAULT_MODEL, files)
    export_onnx(files, path)
    legacy = path.with_name(path.name.replace("-mapped.onnx", ".onnx"))
    assert legacy != path
    legacy.write_bytes(b"an export with its weights inside")
    (first,) = path.parent.glob("*.weights")
    first.unlink()
    with caplog.at_level(logging.WARNING, logger=LOGGER_NAME):
        embedder = load_onnx_embedder(DEFAULT_MODEL, files.directory)
    assert any("unreadable" in r.getMessage() for r in caplog.records), caplog.text
    reference = load_embedder(runtime="torch")
    text = ["We cannot negotiate on our sovereignty."]
    assert float((embedder.encode(text) * reference.encode(text)).sum()) >= 0.999
    (second,) = path.parent.glob("*.weights")
    assert second != first
    assert not legacy.exists()


def test_a_model_without_an_onnx_path_falls_back_with_one_notice(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A local model using CLS pooling: ONNX here would be wrong, torch runs it."""
    local = tmp_path / "cls-model"
    shutil.copytree(resolve_model_path(DEFAULT_MODEL), local)
    pooling = local / "1_Pooling" / "config.json"
    config = json.loads(pooling.read_text())
    config.update(pooling_mode_mean_tokens=False, pooling_mode_cls_token=True)
    pooling.write_text(json.dumps(config))
    with caplog.at_level(logging.WARNING, logger=LOGGER_NAME):
        embedder = load_embedder(str(local))
    notices = [r.getMessage() for r in caplog.records if r.name == LOGGER_NAME]
    assert len(notices) == 1 and "sentence-transformers" in notices[0], notices
    assert not isinstance(embedder, OnnxEmbedder)
    assert embedder.encode(["Tariffs will rise."]).shape == (1, 384)


def test_batches_encoded_at_once_give_the_serial_vectors_in_input_order() -> None:
    """Workers share one session: each row must be its own text's, whatever ran beside it."""
    texts = _test_set()
    random.Random(5).shuffle(texts)
    fast = load_embedder(runtime="onnx")
    assert isinstance(fast, OnnxEmbedder)
    serial = replace(fast, workers=1, _bulk=None).encode(texts, batch_size=8)
    parallel = replace(fast, workers=3, _bulk=None).encode(texts, batch_size=8)
    assert len(texts) > 20 * 8  # many batches, so the workers interleave
    assert parallel.shape == serial.shape == (len(texts), 384)
    assert np.array_equal(parallel, serial)
    # Order: every row is the vector of the text at that position, encoded alone.
    for index in (0, 1, len(texts) // 2, len(texts) - 1):
        alone = fast.encode([texts[index]])[0]
        assert float(parallel[index] @ alone) >= 0.9999, texts[index]


def test_bulk_runs_are_small_token_sorted_and_padded_only_to_their_longest_text() -> None:
    """Runs of RUN_TEXTS neighbours by token count: little padding, the same vectors."""
    texts = _test_set()
    random.Random(7).shuffle(texts)
    fast = load_embedder(runtime="onnx")
    assert isinstance(fast, OnnxEmbedder)
    counts = sorted((len(ids) for ids in fast._tokens(texts)), reverse=True)  # longest first
    shapes: list[tuple[int, int]] = []

    class Spy:
        def __init__(self, inner: object) -> None:
            self.inner = inner

        def get_inputs(self) -> object:
            return self.inner.get_inputs()  # type: ignore[attr-defined]

        def run(self, names: object, feed: dict[str, np.ndarray]) -> object:
            shapes.append(feed["input_ids"].shape)
            return self.inner.run(names, feed)  # type: ignore[attr-defined]

    spied = replace(fast, workers=1, _bulk=Spy(fast._bulk_session()))
    got = spied.encode(texts, batch_size=64)
    assert len(shapes) > 5
    for rows, width in shapes:
        assert rows <= RUN_TEXTS and (rows == 1 or rows * width <= RUN_TOKENS), (rows, width)
    # Neighbours by token count pad little, even with a 256-token text among them.
    assert max(counts) == 256
    assert sum(rows * width for rows, width in shapes) < 1.1 * sum(counts)
    whole = replace(fast, run_texts=64, _bulk=None).encode(texts, batch_size=64)
    assert float((got * whole).sum(axis=1).min()) >= 0.9999
    reference = load_embedder(runtime="torch").encode(texts, batch_size=64)
    assert float((got * reference).sum(axis=1).min()) >= 0.999


def test_a_process_that_keeps_asking_moves_to_the_optimised_session_with_the_same_vectors() -> None:
    """The first queries use the quick session; later ones the optimised one, same meaning."""
    texts = _test_set()
    embedder = load_embedder(runtime="onnx")
    assert isinstance(embedder, OnnxEmbedder)
    embedder = replace(embedder, _bulk=None, _queries=0)
    quick = [embedder.encode([text])[0] for text in texts[:QUICK_QUERIES]]
    assert embedder._bulk is None  # a short process never pays to open the optimised one
    optimised = [embedder.encode([text])[0] for text in texts[:QUICK_QUERIES]]
    assert embedder._bulk is not None
    for text, a, b in zip(texts, quick, optimised, strict=False):
        assert float(a @ b) >= 0.9999, text


@pytest.mark.parametrize(("cores", "expected"), [(1, 1), (2, 2), (3, 3), (64, MAX_BULK_WORKERS)])
def test_bulk_workers_follow_the_usable_cores_up_to_the_cap(
    monkeypatch: pytest.MonkeyPatch, cores: int, expected: int
) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: set(range(cores)), raising=False)
    assert bulk_workers() == expected
