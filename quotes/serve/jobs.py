"""Imports run in the background, one at a time, while the server keeps answering.

An upload is saved to the server's work folder, then ``import_file`` runs on
a worker thread. It commits a batch at a time, so searches (other threads,
other connections; SQLite in WAL mode) are never blocked by it, and its
progress (bytes of the file, rows) is kept on the job for the page and
``GET /api/v1/imports/{id}`` to show. A dry run and the real import of the
same upload are two jobs on one saved file; the file is removed when the
server stops.
"""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quotes.errors import BadInputError, NotFoundError, QuotesError
from quotes.store.engine import Database

if TYPE_CHECKING:
    from quotes.serve.warm import Keeper

#: Jobs kept for their pages; older finished ones are forgotten.
KEPT_JOBS = 50


@dataclass(frozen=True)
class ImportRequest:
    """The form's options, the same as ``quotes import``'s."""

    format: str | None = None
    header: bool = True
    mapping: tuple[str, ...] = ()
    date_format: str | None = None
    encoding: str = "utf-8"
    strict: bool = False


@dataclass
class ImportJob:
    id: str
    upload: str  # the id of the saved file
    filename: str
    request: ImportRequest
    dry_run: bool
    state: str = "queued"  # queued, running, done, failed
    rows: int = 0
    bytes_read: int = 0
    total_bytes: int | None = None
    started: float = field(default_factory=time.time)
    finished: float | None = None
    summary: dict[str, Any] | None = None
    error: str | None = None
    rejects_path: Path | None = None

    @property
    def percent(self) -> float | None:
        if self.state == "done":
            return 100.0
        if not self.total_bytes:
            return None
        return round(min(100.0, 100.0 * self.bytes_read / self.total_bytes), 1)

    @property
    def has_rejects(self) -> bool:
        rejected = bool(self.summary and self.summary.get("rejected"))
        return rejected and self.rejects_path is not None and self.rejects_path.exists()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "upload": self.upload,
            "file": self.filename,
            "dry_run": self.dry_run,
            "state": self.state,
            "rows": self.rows,
            "percent": self.percent,
            "summary": self.summary,
            "error": self.error,
            "rejects": self.has_rejects,
        }


class ImportJobs:
    """Saved uploads and the jobs that import them (one worker thread)."""

    def __init__(self, database: Database, folder: Path, keeper: Keeper | None = None) -> None:
        self.database = database
        self.keeper = keeper
        self.folder = folder
        self._jobs: dict[str, ImportJob] = {}
        self._uploads: dict[str, tuple[Path, str]] = {}
        self._lock = threading.Lock()
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="quotes-import")

    def save_upload(self, filename: str, data: bytes, request: ImportRequest) -> str:
        """Keep an uploaded file under a fresh id, after checking it is text in a known format.

        The whole upload is decoded first (it is in memory anyway), so a file
        that is not text, or not in the encoding given, is refused with the
        line where it breaks before anything is written.
        """
        from quotes.ingest.articles import read_article
        from quotes.ingest.importing.formats import format_for

        name = filename or "upload"
        try:
            fmt = format_for(name, request.format)
        except BadInputError:
            raise BadInputError(
                f"cannot import {name!r}: upload a .csv, .tsv, .jsonl or .ndjson file "
                "(or choose its format)."
            ) from None
        if not data.strip():
            raise BadInputError(f"the uploaded file {name!r} is empty: nothing to import.")
        text = read_article(data, encoding=request.encoding, name=repr(name))
        if "\x00" in text:
            line = text.count("\n", 0, text.index("\x00")) + 1
            raise BadInputError(
                f"{name!r} is not a text file (a NUL byte on line {line}): "
                "upload CSV, TSV or JSON Lines."
            )
        upload = uuid.uuid4().hex
        path = self.folder / f"{upload}.{fmt}"
        path.write_bytes(data)
        with self._lock:
            self._uploads[upload] = (path, name)
        return upload

    def start(self, upload: str, request: ImportRequest, *, dry_run: bool) -> ImportJob:
        with self._lock:
            if upload not in self._uploads:
                raise NotFoundError(f"no uploaded file {upload!r}: upload it again.")
            path, filename = self._uploads[upload]
            job = ImportJob(uuid.uuid4().hex, upload, filename, request, dry_run)
            self._jobs[job.id] = job
            self._forget_old()
        self._worker.submit(self._run, job, path)
        return job

    def get(self, job_id: str) -> ImportJob:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            raise NotFoundError(f"no import job {job_id!r}: it may have finished long ago.")
        return job

    def wait(self, job_id: str, timeout: float = 60.0) -> ImportJob:
        """Block until the job has finished (tests and the API's ``wait`` use it)."""
        deadline = time.monotonic() + timeout
        job = self.get(job_id)
        while job.state in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.05)
        return job

    def _forget_old(self) -> None:
        finished = [j for j in self._jobs.values() if j.finished is not None]
        for job in sorted(finished, key=lambda j: j.started)[: max(0, len(finished) - KEPT_JOBS)]:
            del self._jobs[job.id]

    def _run(self, job: ImportJob, path: Path) -> None:
        from quotes.ingest.importing.run import ImportOptions, Progress, import_file

        job.state = "running"
        job.rejects_path = self.folder / f"{job.id}-rejects.csv"
        options = ImportOptions(
            format=job.request.format,
            header=job.request.header,
            mapping=job.request.mapping,
            date_format=job.request.date_format,
            encoding=job.request.encoding,
            rejects=job.rejects_path,
            dry_run=job.dry_run,
            strict=job.request.strict,
        )

        def progress(step: Progress) -> None:
            job.rows, job.bytes_read, job.total_bytes = step.rows, step.bytes_read, step.total_bytes

        try:
            summary = import_file(self.database, str(path), options, progress=progress)
            job.summary = {**summary.to_dict(), "file": job.filename}
            job.rows = summary.rows
            job.state = "done"
        except QuotesError as exc:
            job.error, job.state = str(exc), "failed"
        except Exception as exc:  # a bug: the job says so instead of dying silently
            job.error = f"unexpected {type(exc).__name__}: {exc}"
            job.state = "failed"
        finally:
            job.finished = time.time()
        if not job.dry_run and job.state == "done" and self.keeper is not None:
            self.keeper.changed()

    def close(self) -> None:
        self._worker.shutdown(wait=True, cancel_futures=True)
