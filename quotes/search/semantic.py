"""Search by meaning: cosine similarity over stored vectors, and hybrid fusion.

Vectors stay in the database (portable float32 bytes). Small databases
(under quotes.search.vector_index.INDEX_MIN_VECTORS vectors) are ranked
exactly: one model's vectors are loaded into an in-process matrix once and
reused; larger ones use the on-disk HNSW index of quotes.search.vector_index.
The matrix knows it is stale from the change counter that triggers bump on
any change to ``embeddings`` (one row read; a row count would read the whole
table on PostgreSQL, about 150 ms a query at 100k vectors). New vectors
(a higher highest id) are appended; a re-embedded text or a deletion reloads
it. Every hit is also checked in SQL by the same rule as the index's
(quotes.search.current), so a deleted quote, or one whose text was edited
since it was embedded, is never returned.

Filters are SQL conditions (quotes.search.filters). The best-scoring
candidates are checked in SQL, widening the candidate set until ``limit``
pass; past a few thousand candidates every passing vector is ranked instead.

``match`` means, by mode:
- semantic: the cosine similarity of the query and the statement, in [-1, 1]
  (with all-MiniLM-L6-v2, about 0.5 and above is close in meaning);
- hybrid: reciprocal rank fusion (k = 60) of the text and semantic rankings,
  divided by its maximum, so 1.0 means ranked first by both and 0.5 about
  first by one only.

A statement whose cosine similarity to the query is below ``min_match``
(default DEFAULT_MIN_MATCH, 0.25) is not a semantic hit, so a query nobody
said finds nothing rather than the least distant quotes. In hybrid mode the
text ranking is kept whole (its hits contain the words) and only the semantic
side is cut. Calibration (all-MiniLM-L6-v2, 1,200 LIAR statements, 80
subject-word queries): 3.8% of query/unrelated-statement pairs reach 0.25
(1.5% reach 0.30; the 99th percentile is 0.32). Nonsense queries top out at
0.16 ("zzqx nonexistent") to 0.28 ("asdfgh qwerty") on the demo corpus; real
topic queries reach 0.5-0.8 ("Arctic security", "tariffs"); and the
story's own pair, "Greenland is not for sale" against Frederiksen's "we
cannot negotiate on our sovereignty", is 0.26: a higher default would hide
it, a lower one lets noise through.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from quotes.meaning.encoder import Embedder, Matrix, load_embedder, unpack_many
from quotes.search.current import current_hits, rank_passing
from quotes.search.fulltext import TextHit, text_search
from quotes.store.models import Embedding
from quotes.vocabulary import DEFAULT_MIN_MATCH

RRF_K = 60
#: Candidates taken from each ranking before fusing them in hybrid mode.
HYBRID_DEPTH = 100
#: Above this many candidates, filter by fetching every passing id from SQL.
MAX_CANDIDATES_IN_SQL = 5000


@dataclass
class VectorMatrix:
    """One model's vectors as a matrix, with the quote id of each row."""

    model: str
    ids: npt.NDArray[np.int64]
    matrix: Matrix
    max_id: int
    counter: int = -1

    @property
    def nbytes(self) -> int:
        return int(self.matrix.nbytes + self.ids.nbytes)


_CACHE: dict[tuple[str, str], VectorMatrix] = {}
_LOCK = threading.Lock()


def _stamp(session: Session, model: str) -> int:
    """The highest id of the model's rows: one index lookup.

    Vectors are only ever inserted, or replaced by a row with a new, higher
    id (quotes.meaning.vectors), so any addition or replacement changes it.
    """
    return int(session.scalar(select(func.max(Embedding.id)).where(Embedding.model == model)) or 0)


def _load(session: Session, model: str, after_id: int = 0) -> tuple[list[int], list[bytes], int]:
    statement = (
        select(Embedding.id, Embedding.quote_id, Embedding.vector, Embedding.dimension)
        .where(Embedding.model == model, Embedding.id > after_id)
        .order_by(Embedding.id)
    )
    ids: list[int] = []
    blobs: list[bytes] = []
    dimension = 0
    for _, quote_id, vector, dim in session.execute(statement):
        ids.append(quote_id)
        blobs.append(vector)
        dimension = dim
    return ids, blobs, dimension


def _cache_key(session: Session, model: str) -> tuple[str, str]:
    return (session.get_bind().engine.url.render_as_string(hide_password=False), model)


def vector_matrix(session: Session, model: str) -> VectorMatrix:
    """The model's vectors, from the cache unless the database changed since."""
    from quotes.search.vector_index import change_counter

    key = _cache_key(session, model)
    counter = change_counter(session)
    with _LOCK:
        cached = _CACHE.get(key)
        if cached is not None and cached.counter == counter:
            return cached
        stamp = _stamp(session, model)
        if cached is not None and stamp > cached.max_id:
            ids, blobs, dimension = _load(session, model, after_id=cached.max_id)
            new_ids = np.asarray(ids, dtype=np.int64)
            if dimension == cached.matrix.shape[1] and not np.isin(new_ids, cached.ids).any():
                fresh = VectorMatrix(
                    model=model,
                    ids=np.concatenate([cached.ids, new_ids]),
                    matrix=np.vstack([cached.matrix, unpack_many(blobs, dimension)]),
                    max_id=stamp,
                    counter=counter,
                )
                _CACHE[key] = fresh
                return fresh
        ids, blobs, dimension = _load(session, model)
        fresh = VectorMatrix(
            model=model,
            ids=np.asarray(ids, dtype=np.int64),
            matrix=unpack_many(blobs, dimension) if blobs else np.zeros((0, 0), np.float32),
            max_id=stamp,
            counter=counter,
        )
        _CACHE[key] = fresh
        return fresh


def warm_vectors(session: Session, model: str, dimension: int) -> None:
    """Get a model's vectors ready for search: the index when large, else the matrix."""
    from quotes.search.vector_index import open_index, wants_index

    if wants_index(session, model):
        open_index(session, model, dimension)
    else:
        vector_matrix(session, model)


def clear_cache() -> None:
    """Forget every cached matrix (benchmarks measure a cold start with this)."""
    with _LOCK:
        _CACHE.clear()


def semantic_ranking(
    session: Session,
    query_vector: npt.NDArray[np.float32],
    model: str,
    clauses: list[ColumnElement[bool]],
    limit: int,
) -> list[tuple[int, float]]:
    """(quote id, cosine similarity) of the best ``limit`` quotes passing ``clauses``.

    Large databases ask the on-disk HNSW index (quotes.search.vector_index);
    small ones rank every vector exactly, which is also the reference the
    index is tested against.
    """
    from quotes.search.vector_index import index_ranking, wants_index

    if wants_index(session, model):
        return index_ranking(session, query_vector, model, clauses, limit)
    return _rank(session, query_vector, model, clauses, limit)


def _rank(
    session: Session,
    query_vector: npt.NDArray[np.float32],
    model: str,
    clauses: list[ColumnElement[bool]],
    limit: int,
) -> list[tuple[int, float]]:
    """Exact ranking over the matrix; candidates checked in SQL (quotes.search.current)."""
    vectors = vector_matrix(session, model)
    total = len(vectors.ids)
    if total == 0 or limit <= 0 or vectors.matrix.shape[1] != query_vector.shape[0]:
        return []
    query = np.ascontiguousarray(query_vector, dtype=np.float32)
    similarity = vectors.matrix @ query
    wanted = limit * 8
    while True:
        order = _best(similarity, min(wanted, total))
        if len(order) > MAX_CANDIDATES_IN_SQL:
            return rank_passing(session, model, clauses, query, limit)
        candidates = [int(i) for i in vectors.ids[order]]
        hits = current_hits(session, model, clauses, query, Embedding.quote_id, candidates)
        if len(hits) >= limit or len(order) == total:
            return hits[:limit]
        wanted *= 8


def _best(similarity: npt.NDArray[np.float32], n: int) -> npt.NDArray[np.intp]:
    """Row indices of the ``n`` highest similarities, best first (ties by row)."""
    if n >= len(similarity):
        return np.argsort(-similarity, kind="stable")
    part = np.argpartition(-similarity, n - 1)[:n]
    return part[np.argsort(-similarity[part], kind="stable")]


def fuse(rankings: list[list[int]], limit: int) -> list[tuple[int, float]]:
    """Reciprocal rank fusion of best-first id lists; match scaled to [0, 1]."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for position, quote_id in enumerate(ranking, start=1):
            scores[quote_id] = scores.get(quote_id, 0.0) + 1.0 / (RRF_K + position)
    best_possible = len(rankings) / (RRF_K + 1)
    ordered = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    return [(quote_id, score / best_possible) for quote_id, score in ordered[:limit]]


def meaning_search(
    session: Session,
    query: str,
    clauses: list[ColumnElement[bool]],
    limit: int,
    mode: str,
    embedder: Embedder | None = None,
    min_match: float = DEFAULT_MIN_MATCH,
) -> list[TextHit]:
    """Semantic or hybrid hits for ``query`` (no snippet unless the words matched).

    Semantic hits below ``min_match`` cosine similarity are dropped.
    """
    if not query.strip():
        return []
    active = embedder if embedder is not None else load_embedder()
    query_vector = active.encode([query])[0]
    if mode == "semantic":
        ranked = semantic_ranking(session, query_vector, active.name, clauses, limit)
        return [TextHit(quote_id, match, "") for quote_id, match in ranked if match >= min_match]
    depth = max(HYBRID_DEPTH, limit)
    words = text_search(session, query, clauses, depth)
    meaning = [
        hit
        for hit in semantic_ranking(session, query_vector, active.name, clauses, depth)
        if hit[1] >= min_match
    ]
    snippets = {hit.quote_id: hit.snippet for hit in words}
    fused = fuse([[hit.quote_id for hit in words], [quote_id for quote_id, _ in meaning]], limit)
    return [TextHit(quote_id, match, snippets.get(quote_id, "")) for quote_id, match in fused]
