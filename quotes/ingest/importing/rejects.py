"""The ``--rejects`` file: every rejected row with its line number and reason.

A CSV with the columns ``line``, ``reason`` and ``record`` (the row as it was
in the file, so it can be fixed and imported again). Rows are written as they
are rejected, so the file is complete even for an import that is stopped.
"""

from __future__ import annotations

import csv
from pathlib import Path
from types import TracebackType
from typing import TextIO

from quotes.errors import BadInputError

#: A record longer than this is cut in the rejects file (it was rejected for its size).
MAX_RECORD_CHARS = 100_000


class RejectsFile:
    """Context manager writing rejects; a no-op when no path was given."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._file: TextIO | None = None
        self._writer: csv.DictWriter[str] | None = None

    def __enter__(self) -> RejectsFile:
        if self.path is not None:
            try:
                self._file = self.path.open("w", encoding="utf-8", newline="")
            except OSError as exc:
                raise BadInputError(
                    f"cannot write the rejects file {str(self.path)!r}: {exc.strerror or exc}."
                ) from None
            self._writer = csv.DictWriter(self._file, ["line", "reason", "record"])
            self._writer.writeheader()
        return self

    def write(self, line: int, reason: str, raw: str) -> None:
        if self._writer is None:
            return
        record = raw.rstrip("\r\n")
        if len(record) > MAX_RECORD_CHARS:
            record = record[:MAX_RECORD_CHARS] + "..."
        self._writer.writerow({"line": line, "reason": reason, "record": record})

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._file is not None:
            self._file.close()
