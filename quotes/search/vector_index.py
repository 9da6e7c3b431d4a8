"""A persistent HNSW vector index per database and model (usearch), never stale.

Brute force over an in-memory matrix (quotes.search.semantic) is exact and
fast for small databases, but at a million quotes it means loading 1.5 GB of
vectors in every process. Above :data:`INDEX_MIN_VECTORS` vectors, semantic
search asks an HNSW graph kept on disk instead:

- **Where.** ``<data dir>/indexes/<database key>/<model>.usearch`` with a
  ``.json`` stamp beside it; the database key is a hash of the SQLite file's
  absolute path or of the PostgreSQL URL (password hidden), so two databases
  never share an index and PostgreSQL gets one too.
- **Fast to open.** The file is memory-mapped (``Index.restore(view=True)``):
  opening costs milliseconds and only the pages a query touches are read.
  Vectors are stored as int8 (a quarter of float32); the hits are re-scored
  with their exact float32 vectors from the database, so ``match`` is always
  the true cosine similarity and ranking among the returned hits is exact.
- **Never stale.** Triggers bump ``vector_changes.counter`` on any change
  to ``embeddings`` (migration 0004_speed). The stamp records the counter the
  index reflects; when they differ the index is brought up to date
  incrementally (ids added and removed, found by comparing id lists, no
  vector re-read except the new ones) and saved, with a one-line notice.
  A missing, unreadable or mismatched file is rebuilt, never a traceback.
  Every hit is also checked in SQL at query time (quotes.search.current: its
  row still exists, its text is still the one embedded, it passes the
  filters), so even a change made between the check and the query cannot
  show a deleted or edited quote.
- **Filters stay exact.** A filter few quotes pass (at most
  :data:`EXACT_FILTER_ROWS`, counted with a bounded query) ranks just those
  quotes' vectors exactly. A broader one widens the candidates (x4 each round)
  until enough pass the SQL filters; past :data:`MAX_INDEX_CANDIDATES` the
  passing rows' vectors are ranked exactly instead.

Keys in the index are ``embeddings.id`` values: a re-embedded text gets a new
row id (quotes.meaning.vectors), so a key never points at another vector.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from quotes.meaning.encoder import VECTOR_DTYPE
from quotes.notices import notice
from quotes.search.current import checked_hits, rank_passing
from quotes.store.models import Embedding, Quote, VectorChanges
from quotes.store.settings import data_dir

#: Below this many vectors exact brute force is used. Measured
#: (benchmarks/vector_scale.py --crossover, SQLite, one fresh process, load
#: 11-13 on 2 cores): the index already answers faster at 5,000 vectors, first
#: query 28 ms against 89 ms (the matrix read from the database), warm 11 against
#: 28 ms, for a one-off build of 1.6 s; at 20,000: 53/3 ms against 235/30 ms,
#: build 13 s. Below 5,000 nothing was measured and brute force stays.
INDEX_MIN_VECTORS = 5_000
#: HNSW parameters. Build side from benchmarks/index_choice.py; search side
#: tuned with benchmarks/vector_scale.py on its "tune" queries at 100k vectors
#: (load 13): expansion 96 / 64 candidates gave recall@20 0.963, 160 / 100
#: gave 0.982 at 7 ms median, kept for headroom at 1M (not yet measured there).
CONNECTIVITY = 16
EXPANSION_ADD = 128
EXPANSION_SEARCH = 160
STORED_DTYPE = "i8"
#: Candidates asked of the index for one query: at least this many, and
#: CANDIDATE_FACTOR per hit wanted. They are re-scored exactly, so more
#: candidates buy recall lost to the int8 vectors, but each one is a row
#: read in SQL (quotes.search.current), which on PostgreSQL at 1M vectors is
#: most of a search: about four blocks per candidate outside its buffers.
#: The int8 error is small: at 100k vectors, expansion 160, recall@20 was
#: 0.983 / 0.983 / 0.983 / 0.982 with 100 / 60 / 40 / 30 candidates ("tune"
#: queries) and 0.980 with 100 or 40 ("report"); the graph search, not the
#: candidate count, decides recall. So 40, not 100.
MIN_CANDIDATES = 40
CANDIDATE_FACTOR = 2
#: A filter that at most this many quotes pass is ranked exactly over just
#: those quotes' vectors (cheaper than widening the index search to find them).
EXACT_FILTER_ROWS = 20_000
#: Past this many candidates, filtered search ranks the passing rows exactly.
MAX_INDEX_CANDIDATES = 50_000
FORMAT_VERSION = 1
_READ_CHUNK = 20_000


@dataclass
class _Loaded:
    index: Any  # usearch.index.Index (a memory-mapped view)
    counter: int  # the vector change counter the index reflects


_OPEN: dict[Path, _Loaded] = {}
_LOCK = threading.Lock()


def database_key(session: Session) -> str:
    """A stable name for the database behind ``session``."""
    url = session.get_bind().engine.url
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        identity = "sqlite:" + str(Path(str(url.database)).resolve())
    else:
        identity = url.render_as_string(hide_password=True)
    return hashlib.sha256(identity.encode()).hexdigest()[:20]


def index_path(session: Session, model: str) -> Path:
    slug = "".join(c if c.isalnum() or c in "-_." else "_" for c in model)[:60]
    digest = hashlib.sha256(model.encode()).hexdigest()[:8]
    return data_dir() / "indexes" / database_key(session) / f"{slug}-{digest}.usearch"


def change_counter(session: Session) -> int:
    """The database's vector change counter (one row read)."""
    return int(session.scalar(select(VectorChanges.counter).where(VectorChanges.id == 1)) or 0)


def _stamp_path(path: Path) -> Path:
    return path.with_suffix(".json")


def _read_stamp(path: Path) -> dict[str, Any] | None:
    try:
        stamp = json.loads(_stamp_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stamp, dict) or stamp.get("format") != FORMAT_VERSION:
        return None
    try:
        size = path.stat().st_size
    except OSError:
        return None
    return stamp if stamp.get("bytes") == size else None


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """One process at a time updates an index file (others wait, then reuse it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(".lock"), "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def open_index(session: Session, model: str, dimension: int) -> Any:
    """The model's index for this database, up to date with its vectors."""
    return _open(session, model, dimension, change_counter(session)).index


def _open(session: Session, model: str, dimension: int, counter: int) -> _Loaded:
    """The index as of ``counter``: reused, updated on disk, or rebuilt."""
    path = index_path(session, model)
    with _LOCK:
        loaded = _OPEN.get(path)
        if loaded is not None and loaded.counter == counter:
            return loaded
        stamp = _read_stamp(path)
        if not _fits(stamp, counter, dimension):
            with _file_lock(path):
                stamp = _read_stamp(path)  # another process may have just done it
                if not _fits(stamp, counter, dimension):
                    stamp = _update(session, model, dimension, path, stamp, counter)
        view = _view(path)
        if view is None:  # unreadable although its stamp matched: rebuild once
            with _file_lock(path):
                stamp = _update(session, model, dimension, path, None, counter)
            view = _view(path)
            if view is None:
                raise RuntimeError(f"the vector index {path} cannot be read after a rebuild")
        loaded = _Loaded(view, counter)
        _OPEN[path] = loaded
        return loaded


def _already_open(session: Session, model: str, dimension: int) -> _Loaded | None:
    """The index this process opened last, unchecked (see :func:`index_ranking`)."""
    with _LOCK:
        loaded = _OPEN.get(index_path(session, model))
    if loaded is None or loaded.index.ndim != dimension:
        return None
    return loaded


def _fits(stamp: dict[str, Any] | None, counter: int, dimension: int) -> bool:
    return stamp is not None and stamp.get("counter") == counter and stamp.get("ndim") == dimension


def wants_index(session: Session, model: str) -> bool:
    """Whether this database and model are big enough for the index (else brute force)."""
    stamp = _read_stamp(index_path(session, model))
    if stamp is not None:
        return int(stamp.get("vectors", 0)) >= INDEX_MIN_VECTORS
    statement = select(Embedding.id).where(Embedding.model == model)
    statement = statement.offset(INDEX_MIN_VECTORS - 1).limit(1)
    return session.scalar(statement) is not None


def refresh_index(session: Session, model: str, dimension: int) -> None:
    """After vectors changed (``embed``): update the index now, not at the next query."""
    if wants_index(session, model):
        open_index(session, model, dimension)


def forget_indexes() -> None:
    """Close every open index (benchmarks measure a fresh process with this)."""
    with _LOCK:
        _OPEN.clear()


def _view(path: Path) -> Any:
    from usearch.index import Index

    try:  # the search expansion is not kept in the file: set it here
        return Index.restore(str(path), view=True, expansion_search=EXPANSION_SEARCH)
    except Exception:  # usearch raises RuntimeError or ValueError on a damaged file
        return None  # (restore itself returns None when the file is not an index)


def _new_index(dimension: int) -> Any:
    from usearch.index import Index

    return Index(
        ndim=dimension,
        metric="cos",
        dtype=STORED_DTYPE,
        connectivity=CONNECTIVITY,
        expansion_add=EXPANSION_ADD,
        expansion_search=EXPANSION_SEARCH,
    )


def _update(
    session: Session,
    model: str,
    dimension: int,
    path: Path,
    stamp: dict[str, Any] | None,
    counter: int,
) -> dict[str, Any]:
    """Bring the file up to date: incrementally when it is readable, else rebuilt."""
    from usearch.index import Index

    index = None
    if stamp is not None and stamp.get("ndim") == dimension:
        try:
            index = Index.restore(str(path), view=False)
        except Exception:  # a damaged file: rebuilt below
            index = None
    stored = np.fromiter(
        session.scalars(select(Embedding.id).where(Embedding.model == model)), dtype=np.int64
    )
    if index is None:
        reason = "missing" if not path.exists() else "unreadable or out of date"
        notice(
            f"building the vector index for {len(stored):,} vectors of {model} "
            f"(its file was {reason}); later searches reuse it."
        )
        index = _new_index(dimension)
        removed = np.zeros(0, dtype=np.int64)
        added = stored
    else:
        indexed = np.asarray(index.keys, dtype=np.int64)
        removed = np.setdiff1d(indexed, stored, assume_unique=True)
        added = np.setdiff1d(stored, indexed, assume_unique=True)
        if len(removed) or len(added):
            notice(
                f"updating the vector index of {model}: {len(added):,} vectors added, "
                f"{len(removed):,} removed since it was saved."
            )
    if len(removed):
        index.remove(removed.astype(np.uint64))
    for keys, matrix in _vectors(session, model, added, rebuild=len(added) == len(stored)):
        index.add(keys, matrix.reshape(len(keys), dimension), threads=0)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    index.save(str(temporary))
    count = len(index)
    del index  # the built graph is large: free it before the view maps the file
    os.replace(temporary, path)
    fresh = {
        "format": FORMAT_VERSION,
        "model": model,
        "ndim": dimension,
        "counter": counter,
        "vectors": count,
        "bytes": path.stat().st_size,
        "dtype": STORED_DTYPE,
    }
    stamp_file = _stamp_path(path)
    temporary_stamp = stamp_file.with_name(f".{stamp_file.name}.{os.getpid()}.tmp")
    temporary_stamp.write_text(json.dumps(fresh), encoding="utf-8")
    os.replace(temporary_stamp, stamp_file)
    return fresh


def _vectors(
    session: Session, model: str, wanted: npt.NDArray[np.int64], rebuild: bool
) -> Iterator[tuple[npt.NDArray[np.uint64], npt.NDArray[np.float32]]]:
    """(keys, float32 rows) of the ``wanted`` embedding ids, a chunk at a time.

    A rebuild streams the model's rows in one pass (a server-side cursor on
    PostgreSQL) instead of asking for each chunk of ids: a million-row
    ``IN`` list costs more than reading the table.
    """
    if rebuild:
        statement = select(Embedding.id, Embedding.vector).where(Embedding.model == model)
        result = session.execute(statement, execution_options={"yield_per": _READ_CHUNK})
        for rows in result.partitions():
            yield _unpack(rows)
        return
    for start in range(0, len(wanted), _READ_CHUNK):
        part = [int(i) for i in wanted[start : start + _READ_CHUNK]]
        rows = session.execute(
            select(Embedding.id, Embedding.vector).where(Embedding.id.in_(part))
        ).all()
        if rows:
            yield _unpack(rows)


def _unpack(rows: Any) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.float32]]:
    keys = np.asarray([row[0] for row in rows], dtype=np.uint64)
    matrix = np.frombuffer(b"".join(row[1] for row in rows), dtype=VECTOR_DTYPE)
    return keys, matrix.astype(np.float32)


def index_ranking(
    session: Session,
    query_vector: npt.NDArray[np.float32],
    model: str,
    clauses: list[ColumnElement[bool]],
    limit: int,
) -> list[tuple[int, float]]:
    """(quote id, exact cosine) of the best ``limit`` current quotes passing ``clauses``.

    An index this process already opened is searched without first reading
    the change counter: the SQL check of the candidates reads it in the same
    statement (quotes.search.current.checked_hits), and if vectors changed
    since the index was brought up to date, it is updated and the search run
    again. So a warm search costs one statement fewer (one round trip to
    PostgreSQL), and the index is checked against exactly the rows the check
    saw, not an earlier snapshot.
    """
    query = np.ascontiguousarray(query_vector, dtype=np.float32)
    dimension = int(query.shape[0])
    loaded = _already_open(session, model, dimension)
    if loaded is None:
        loaded = _open(session, model, dimension, change_counter(session))
    if limit <= 0:
        return []
    if clauses and _passing_at_most(session, clauses, EXACT_FILTER_ROWS):
        return rank_passing(session, model, clauses, query, limit)
    while True:
        hits, seen = _search(session, loaded, query, model, clauses, limit)
        counter = change_counter(session) if seen is None else seen
        if counter == loaded.counter:
            return hits
        loaded = _open(session, model, dimension, counter)


def _search(
    session: Session,
    loaded: _Loaded,
    query: npt.NDArray[np.float32],
    model: str,
    clauses: list[ColumnElement[bool]],
    limit: int,
) -> tuple[list[tuple[int, float]], int | None]:
    """The best ``limit`` hits of one index, and the change counter the check saw.

    Exact ranking of every passing row does not depend on the index, so it
    reports the index's own counter (nothing to recheck).
    """
    index = loaded.index
    total = len(index)
    if total == 0:
        return [], None
    wanted = min(max(limit * CANDIDATE_FACTOR, MIN_CANDIDATES), total)
    while True:
        matches = index.search(query, wanted)
        keys = [int(k) for k in matches.keys]
        hits, seen = checked_hits(session, model, clauses, query, Embedding.id, keys)
        if len(hits) >= limit or wanted >= total:
            return hits[:limit], seen
        if wanted * 4 > MAX_INDEX_CANDIDATES:
            return rank_passing(session, model, clauses, query, limit), loaded.counter
        wanted = min(wanted * 4, total)


def _passing_at_most(session: Session, clauses: list[ColumnElement[bool]], bound: int) -> bool:
    """Whether at most ``bound`` quotes pass the filters (reads at most bound + 1 ids)."""
    passing = select(Quote.id).where(*clauses).limit(bound + 1).subquery()
    return int(session.scalar(select(func.count()).select_from(passing)) or 0) <= bound
