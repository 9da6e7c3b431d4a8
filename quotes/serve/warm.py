"""Keeping the model warm and the stored vectors current while the server runs.

Loading the embedding model costs seconds, so the server loads it once, on a
background thread at start-up (text search answers meanwhile), and keeps it
for the life of the process; the vector matrix is loaded with it. After a
write (an added statement, a saved extraction, an import) the new quotes are
embedded on the same single background thread, so searching by meaning finds
them a moment later without any request paying for it.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from quotes.store.engine import Database

log = logging.getLogger("quotes.serve")


class Keeper:
    """The model and the vectors of one server's database."""

    def __init__(self, database: Database, *, enabled: bool = True, embed: bool = True) -> None:
        self.database = database
        self.enabled = enabled
        self.embed = embed  # off for a read-only server: it writes nothing, vectors included
        self.model_ready = threading.Event()
        self.error: str | None = None
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="quotes-embed")
        self._pending: Future[None] | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        """Load the model and the vectors in the background, then embed what is missing."""
        if self.enabled:
            self._worker.submit(self._warm)

    def changed(self) -> None:
        """New quotes were written: embed them soon (one pending run at most)."""
        if not (self.enabled and self.embed):
            return
        with self._lock:
            pending = self._pending
            if pending is not None and not pending.running() and not pending.done():
                return  # a run that has not started yet will see these quotes too
            self._pending = self._worker.submit(self._embed)

    def _warm(self) -> None:
        try:
            from quotes.meaning.encoder import load_embedder
            from quotes.search.semantic import vector_matrix

            embedder = load_embedder()
            with self.database.session() as session:
                vector_matrix(session, embedder.name)
            self.model_ready.set()
            if self.embed:
                self._embed()
        except Exception as exc:  # the server still answers text searches
            self.error = f"{type(exc).__name__}: {exc}"
            log.warning("the embedding model could not be loaded: %s", self.error)

    def _embed(self) -> None:
        from quotes.meaning.vectors import embed_missing

        try:
            report = embed_missing(self.database)
            if report.pending:
                log.info("embedded %d new quotes", report.pending)
        except Exception as exc:
            self.error = f"{type(exc).__name__}: {exc}"
            log.warning("embedding new quotes failed: %s", self.error)

    def close(self) -> None:
        self._worker.shutdown(wait=False, cancel_futures=True)
