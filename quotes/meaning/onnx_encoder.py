"""The default model on ONNX Runtime: encoding a query without importing torch.

Importing torch and sentence-transformers costs about 3.5 s, which made every
semantic or hybrid search slow. all-MiniLM-L6-v2 is a BERT encoder followed by
mean pooling and L2 normalisation; only the encoder needs a neural-network
runtime. So the encoder is exported once to an ONNX file (this step uses
torch) and from then on a query is: the ``tokenizers`` library (the model's own
``tokenizer.json``), one ONNX Runtime call, and numpy for pooling, exactly as
sentence-transformers does it (mean over the attention mask, clamp 1e-9;
divide by the norm, clamp 1e-12).

The ONNX file lives in the data directory under a key made of the model name
and a SHA-256 of its weights, so upgrading the weights exports again and two
models never share a file. The export is checked against torch on probe
sentences before it is installed (cosine >= 0.9999), written to a temporary
name and renamed, so concurrent processes and interrupted exports never leave
a half-written file in place; an unreadable file is exported again.

The weights are saved beside the graph in their own file (ONNX "external
data"), not inside it: ONNX Runtime then memory-maps them instead of parsing
90 MB of protobuf, which was most of the cost of opening the model in every
search process (with the quick options of ``_session``: about 160 ms of CPU
-> 15 ms in a fresh process, 2 cores). Each export writes its weights
under a name of its own and the graph names that file, so a graph never
points at weights written by another export.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import warnings
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from quotes.meaning.batching import DEFAULT_BATCH_SIZE, FEW_TEXTS, Matrix
from quotes.notices import notice
from quotes.store.settings import DEFAULT_MODEL, model_cache_dir

#: Models known to be a BERT-style encoder + mean pooling + normalisation.
EXPORTABLE = (DEFAULT_MODEL,)
#: The export must reproduce torch at least this closely on the probes.
EXPORT_MIN_COSINE = 0.9999
_PROBES = (
    "Greenland is not for sale.",
    "We cannot negotiate on our sovereignty.",
    "Tariffs on steel will rise next month, the minister said, and nothing will change that.",
    "",
)
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
WEIGHTS_FILES = ("model.safetensors", "pytorch_model.bin")


class OnnxUnavailable(Exception):
    """This model cannot run on ONNX Runtime here (the caller falls back to torch)."""


@dataclass(frozen=True)
class ModelFiles:
    """A sentence-transformers directory whose encoder can be exported."""

    directory: Path
    weights: Path
    max_seq_length: int

    @property
    def tokenizer(self) -> Path:
        return self.directory / "tokenizer.json"


def model_files(directory: str | Path) -> ModelFiles:
    """Check that ``directory`` is a mean-pooled encoder this module can run."""
    root = Path(directory)
    weights = next((root / n for n in WEIGHTS_FILES if (root / n).is_file()), None)
    if weights is None or not (root / "tokenizer.json").is_file():
        raise OnnxUnavailable(f"{root} has no weights or tokenizer.json")
    pooling = _read_json(root / "1_Pooling" / "config.json")
    modes = {k for k, v in pooling.items() if k.startswith("pooling_mode") and v}
    if modes != {"pooling_mode_mean_tokens"}:
        raise OnnxUnavailable(f"pooling {sorted(modes)} is not mean pooling")
    config = _read_json(root / "sentence_bert_config.json")
    return ModelFiles(root, weights, int(config.get("max_seq_length") or 256))


def _read_json(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise OnnxUnavailable(f"cannot read {path}: {exc}") from exc
    if not isinstance(document, dict):
        raise OnnxUnavailable(f"{path} is not a JSON object")
    return document


def weights_digest(weights: Path) -> str:
    """SHA-256 of the weights file, remembered by (path, size, mtime).

    Hashing 90 MB costs ~0.2 s, too much for every query; the digest is
    computed once per installed file and kept in a small JSON file.
    """
    stat = weights.stat()
    stamp = f"{weights.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
    memo_path = onnx_dir() / "weights-sha256.json"
    try:
        memo = json.loads(memo_path.read_text(encoding="utf-8"))
        if not isinstance(memo, dict):
            memo = {}
    except (OSError, ValueError):
        memo = {}
    digest = memo.get(stamp)
    if isinstance(digest, str):
        return digest
    sha = hashlib.sha256()
    with weights.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    digest = sha.hexdigest()
    memo[stamp] = digest
    _atomic_write(memo_path, json.dumps(memo, indent=1).encode())
    return digest


def onnx_dir() -> Path:
    return model_cache_dir() / "onnx"


def onnx_path(name: str, files: ModelFiles) -> Path:
    """Where the export of ``name`` with these weights lives (its graph; weights beside it).

    ``-mapped`` marks the layout with weights in a separate file; a file of the
    earlier layout (weights inside, no suffix) is not used, and is removed by
    the export that replaces it.
    """
    return onnx_dir() / f"{_stem(name, files)}-mapped.onnx"


def _stem(name: str, files: ModelFiles) -> str:
    slug = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)[:60]
    return f"{slug}-{weights_digest(files.weights)[:16]}"


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def pool(hidden: Any, mask: Any) -> Matrix:
    """Mean pooling over real tokens then L2 normalisation, as sentence-transformers."""
    weights = mask[..., None].astype(np.float32)
    summed = (hidden * weights).sum(axis=1)
    counts = np.clip(weights.sum(axis=1), 1e-9, None)
    vectors = summed / counts
    norms = np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)
    return np.ascontiguousarray(vectors / norms, dtype=np.float32)


#: At most this many batches are encoded at once (see :func:`bulk_workers`).
MAX_BULK_WORKERS = 4


def bulk_workers() -> int:
    """How many batches to encode at once: one per core this process may use, up to 4.

    A batch through this small model is a chain of small matrix products; one
    session with two intra-op threads meets at a barrier after each of them,
    which on two cores leaves one idle much of the time, and when other
    processes hold the cores the barriers wait on descheduled threads. One
    whole batch per core, each on a single thread, needs no barrier and
    lets one batch's tokenisation and pooling overlap the other's inference.
    Measured on 610 real sentences, 2 busy cores (benchmarks/embed_speed.py):
    x2.09 of raw sentence-transformers against x1.91 for the 2-thread
    session, and 1.09 instead of 1.49 CPU s per 100 texts; the vectors are
    identical (each batch runs the same single-threaded kernels either way).
    The cap bounds memory: a batch of 64 long texts holds ~200 MB of
    attention scores while it runs.
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_BULK_WORKERS))


#: Texts per ONNX Runtime call in bulk, however large the caller's batch.
#:
#: A run pads every text to its longest, and this model's cost is almost all
#: matrix products over padded tokens. Texts are sorted by their token count
#: (not their characters, which tokenise unevenly), so a run of 16 neighbours
#: pads little: on 610 real sentences 17,040 padded tokens against 23,968 for
#: character-sorted runs of 64 (16,392 real). Smaller runs also keep each
#: one's activations in the core's cache. Measured (benchmarks/embed_speed.py
#: arms, 5 interleaved rounds, 2 cores, load 5-7): CPU s per 100 texts 0.56
#: for character-sorted runs of 64, 0.45 token-sorted 64, 0.39 at 32, 0.35
#: at 16, 0.35 at 8; runs under a 512-token budget 0.35. The vectors are
#: the same (cosine to torch >= 0.99999 each way).
RUN_TEXTS = 16
#: ... and at most this many padded tokens (one text may exceed it alone): a
#: rare long text (up to 256 tokens) would otherwise pad fifteen neighbours to
#: its length, almost tripling the work of a set with one such text. Runs
#: under 512 tokens alone measured as fast as runs of 16 (0.35 s per 100).
RUN_TOKENS = 512


def _runs(order: list[int], counts: list[int], size: int, budget: int) -> list[list[int]]:
    """Cut ``order`` (longest first; ``counts`` its token counts) into runs.

    Each run takes up to ``size`` texts, fewer when they would pad past
    ``budget`` tokens; its first text is its longest, so that is its width.
    """
    runs: list[list[int]] = []
    start = 0
    while start < len(order):
        rows = max(1, min(size, budget // max(counts[start], 1)))
        runs.append(order[start : start + rows])
        start += rows
    return runs


#: Queries a process encodes with the quick session before it opens the
#: optimised one (see ``OnnxEmbedder._few_texts_session``).
QUICK_QUERIES = 15


@dataclass
class OnnxEmbedder:
    """The default model on ONNX Runtime: same vectors as torch, no torch import."""

    name: str
    path: Path
    files: ModelFiles
    _tokenizer: Any = field(repr=False)
    _query: Any = field(repr=False)
    _bulk: Any = field(default=None, repr=False)
    _dimension: int = 0
    #: Batches encoded at once in bulk; 0 means :func:`bulk_workers`.
    workers: int = 0
    #: Texts per ONNX Runtime call in bulk; 0 means :data:`RUN_TEXTS`.
    run_texts: int = 0
    #: Padded tokens per call in bulk; 0 means :data:`RUN_TOKENS`.
    run_tokens: int = 0
    _queries: int = 0

    @property
    def dimension(self) -> int:
        if not self._dimension:
            size = self._query.get_outputs()[0].shape[-1]
            if isinstance(size, int):
                self._dimension = size
            else:  # a symbolic size: ask the model
                self._dimension = int(self._run(self._query, self._tokens(["dimension"])).shape[1])
        return self._dimension

    def encode(self, texts: Sequence[str], batch_size: int = DEFAULT_BATCH_SIZE) -> Matrix:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        if len(texts) <= FEW_TEXTS:
            # One thread: a query is milliseconds of work, and on busy shared
            # cores thread barriers cost more than they save.
            return self._run(self._few_texts_session(), self._tokens(texts))
        workers = self.workers or bulk_workers()
        tokens = self._tokens(texts)
        # Longest first, so the last runs to finish are short ones and the
        # workers end together; results go back in input order.
        order = sorted(range(len(texts)), key=lambda i: -len(tokens[i]))
        # Fewer texts than a run per worker are split evenly between the
        # workers: each runs on one thread, so one run would leave a core idle.
        size = min(batch_size, self.run_texts or RUN_TEXTS, -(-len(texts) // workers))
        runs = _runs(order, [len(tokens[i]) for i in order], size, self.run_tokens or RUN_TOKENS)

        bulk = self._bulk_session()

        def run(rows: list[int]) -> Matrix:
            return self._run(bulk, [tokens[i] for i in rows])

        result = np.empty((len(texts), self.dimension), dtype=np.float32)
        if workers == 1 or len(runs) == 1:
            for rows in runs:
                result[rows] = run(rows)
            return result
        with ThreadPoolExecutor(min(workers, len(runs))) as pool:
            for rows, vectors in zip(runs, pool.map(run, runs), strict=True):
                result[rows] = vectors
        return result

    def _tokens(self, texts: Sequence[str]) -> list[list[int]]:
        """Each text's token ids, truncated, unpadded (padding is per run, in :meth:`_run`)."""
        return [e.ids for e in self._tokenizer.encode_batch(list(texts))]

    def _bulk_session(self) -> Any:
        """The optimised session, opened once (graph optimiser on, weights prepacked).

        One session is shared by the bulk workers, each run on one thread
        (ONNX Runtime sessions may be run from several threads at once).
        """
        if self._bulk is None:
            self._bulk = _session(self.path, threads=1)
        return self._bulk

    def _few_texts_session(self) -> Any:
        """The quick session for a process's first queries, the optimised one after.

        A search process encodes one query, so the quick session (opened in
        ~15 ms) wins there; but it runs a query in ~11 ms against ~7 ms for
        the optimised one, whose opening costs ~60 ms more (measured, 2 cores,
        quiet). A process that keeps asking (the web app, a notebook, a
        benchmark loop) has paid that back after about fifteen queries, so from
        then on it uses the optimised session. Vectors agree at cosine >=
        0.9999 (tested).
        """
        self._queries += 1
        if self._bulk is None and self._queries > QUICK_QUERIES:
            return self._bulk_session()
        return self._bulk if self._bulk is not None else self._query

    def _run(self, session: Any, tokens: list[list[int]]) -> Matrix:
        """One ONNX Runtime call on texts padded to the longest of them, then pooling.

        Padding tokens are masked out of attention and pooling, so a text's
        vector does not depend on what it is padded to (only rounding does).
        """
        longest = max(len(ids) for ids in tokens)
        ids = np.zeros((len(tokens), longest), dtype=np.int64)  # 0 is BERT's [PAD]
        mask = np.zeros((len(tokens), longest), dtype=np.int64)
        for row, text_ids in enumerate(tokens):
            ids[row, : len(text_ids)] = text_ids
            mask[row, : len(text_ids)] = 1
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in {i.name for i in session.get_inputs()}:
            feed["token_type_ids"] = np.zeros_like(ids)  # one segment
        hidden = session.run(None, feed)[0]
        return pool(hidden, mask)


def load_onnx_embedder(name: str, directory: str | Path) -> OnnxEmbedder:
    """The ONNX embedder for ``name``, exporting the model first if needed.

    Raises :class:`OnnxUnavailable` when the model cannot run this way.
    """
    files = model_files(directory)
    try:
        import onnxruntime  # noqa: F401
        from tokenizers import Tokenizer
    except ImportError as exc:
        raise OnnxUnavailable(f"onnxruntime or tokenizers is not installed ({exc})") from exc
    path = onnx_path(name, files)
    if not path.exists():
        notice(f"exporting {name} to ONNX once (a few seconds); later searches start fast.")
        export_onnx(files, path)
    try:
        session = _session(path, threads=1, quick=True)
    except Exception:  # unreadable, or its weights file gone: whatever ONNX Runtime raised
        notice(f"the ONNX file {path} was unreadable; exporting {name} again.")
        export_onnx(files, path)
        session = _session(path, threads=1, quick=True)
    tokenizer = Tokenizer.from_file(str(files.tokenizer))
    tokenizer.enable_truncation(files.max_seq_length)
    tokenizer.no_padding()  # tokenizer.json may pad to a fixed length; runs pad themselves
    return OnnxEmbedder(name=name, path=path, files=files, _tokenizer=tokenizer, _query=session)


def _session(path: Path, threads: int, *, quick: bool = False) -> Any:
    """An ONNX Runtime session; ``quick`` opens it fast for a few short queries.

    A search process encodes one query, so opening is what counts. Measured
    per fresh process (CPU time, the export with its weights memory-mapped):
    the default options open in ~75 ms and run a query in ~4 ms; without the
    graph optimiser and without prepacking the MatMul weights, 15 ms and
    ~8 ms. The optimiser buys the query nothing measurable (torch already
    folded the constants) and prepacking, worth its 40 ms over a batch of
    texts, pays off only after ~10 queries; so the bulk session keeps both.
    """
    import onnxruntime as ort

    options = ort.SessionOptions()
    if quick:
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        options.add_session_config_entry("session.disable_prepacking", "1")
    else:
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def export_onnx(files: ModelFiles, target: Path) -> None:
    """Export the encoder of ``files`` to ``target`` and check it against torch.

    The only place this module imports torch; raises :class:`OnnxUnavailable`
    when the export fails or its vectors differ from torch's.
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import torch
        from tokenizers import Tokenizer
        from transformers import AutoModel
        from transformers.utils import logging as hf_logging
    except ImportError as exc:
        raise OnnxUnavailable(f"exporting needs torch and transformers ({exc})") from exc
    hf_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    model = AutoModel.from_pretrained(str(files.directory))
    model.eval()

    class Encoder(torch.nn.Module):
        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            out = self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return out.last_hidden_state

    tokenizer = Tokenizer.from_file(str(files.tokenizer))
    tokenizer.enable_truncation(files.max_seq_length)
    tokenizer.enable_padding()
    encodings = tokenizer.encode_batch(list(_PROBES))
    arrays = {
        "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
        "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
        "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64),
    }
    tensors = tuple(torch.from_numpy(arrays[n]) for n in _INPUTS)
    target.parent.mkdir(parents=True, exist_ok=True)
    token = f"{os.getpid()}-{os.urandom(4).hex()}"  # not `secrets`: its import is on the query path
    whole = target.with_name(f".{target.name}.{token}.whole.tmp")
    temporary = target.with_name(f".{target.name}.{token}.tmp")
    weights = target.with_name(f"{target.stem}.{token}.weights")
    axes = {n: {0: "batch", 1: "tokens"} for n in (*_INPUTS, "last_hidden_state")}
    try:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            expected = pool(Encoder(model)(*tensors).numpy(), arrays["attention_mask"])
            torch.onnx.export(
                Encoder(model),
                tensors,
                str(whole),
                input_names=list(_INPUTS),
                output_names=["last_hidden_state"],
                dynamic_axes=axes,
                opset_version=17,
                dynamo=False,
            )
        _move_weights_out(whole, temporary, weights.name)
        session = _session(temporary, threads=1, quick=True)
        got = pool(session.run(None, arrays)[0], arrays["attention_mask"])
    except OnnxUnavailable:
        _remove(whole, temporary, weights)
        raise
    except Exception as exc:  # the exporter's and the runtime's errors are many
        _remove(whole, temporary, weights)
        raise OnnxUnavailable(f"export failed: {type(exc).__name__}: {exc}") from exc
    whole.unlink(missing_ok=True)
    cosine = float((got * expected).sum(axis=1).min())
    if cosine < EXPORT_MIN_COSINE:
        _remove(temporary, weights)
        raise OnnxUnavailable(f"the export differs from torch (cosine {cosine:.5f})")
    os.replace(temporary, target)
    old = (_legacy_path(target), *_weights_files(target))
    _remove(*(p for p in old if p not in (target, weights)))


def _move_weights_out(source: Path, graph: Path, weights_name: str) -> None:
    """Save ``source`` as ``graph`` with its weights in ``weights_name`` beside it."""
    import onnx

    model = onnx.load(str(source))
    onnx.save_model(
        model,
        str(graph),
        save_as_external_data=True,
        all_tensors_to_one_file=True,
        location=weights_name,
        size_threshold=1024,
    )
    # onnx creates the weights file readable by its owner only; give it the
    # graph's permissions, so a model cache shared by several users still works.
    (graph.parent / weights_name).chmod(graph.stat().st_mode & 0o777)


def _weights_files(target: Path) -> list[Path]:
    """Every weights file written for ``target`` (the graph names one of them)."""
    return sorted(target.parent.glob(f"{target.stem}.*.weights"))


def _legacy_path(target: Path) -> Path:
    """The export of the earlier layout (weights inside the graph) for the same model."""
    return target.with_name(target.name.replace("-mapped.onnx", ".onnx"))


def _remove(*paths: Path) -> None:
    for path in paths:
        path.unlink(missing_ok=True)
