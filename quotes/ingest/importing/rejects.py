"""The ``--rejects`` file: every rejected row with its line number and reason.

A CSV with the columns ``line``, ``reason`` and ``record`` (the row as it was
in the file, so it can be fixed and imported again). It goes through
:mod:`quotes.exports.files` like every output: it may not be the file being
imported or the database, and it is written to a temporary name and moved
into place when the import ends, whether it finished or stopped, so it is
never half a file. Its cells are spreadsheet-safe unless ``--raw-cells``.

New speakers whose names are very close to known ones are listed at the end
(``line`` empty, ``reason`` saying which names are close), so the file holds
everything the terminal summary only samples.
"""

from __future__ import annotations

import csv
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType
from typing import Any

from quotes.exports.csv_safety import SPREADSHEET_SAFE, CsvStyle
from quotes.exports.files import atomic_output

#: A record longer than this is cut in the rejects file (it was rejected for its size).
MAX_RECORD_CHARS = 100_000


class RejectsFile:
    """Context manager writing rejects; a no-op when no path was given."""

    def __init__(self, path: Path | None, style: CsvStyle = SPREADSHEET_SAFE) -> None:
        self.path = path
        self.style = style
        self._stack = ExitStack()
        self._writer: csv.DictWriter[str] | None = None

    def __enter__(self) -> RejectsFile:
        if self.path is not None:
            stream = self._stack.enter_context(atomic_output(self.path, keep_on_error=True))
            stream.write(self.style.start())
            self._writer = csv.DictWriter(stream, ["line", "reason", "record"])
            self._writer.writeheader()
        return self

    def write(self, line: int | str, reason: str, raw: str) -> None:
        if self._writer is None:
            return
        record = raw.rstrip("\r\n")
        if len(record) > MAX_RECORD_CHARS:
            record = record[:MAX_RECORD_CHARS] + "..."
        self._writer.writerow(
            self.style.mapping({"line": line, "reason": reason, "record": record})
        )

    def similar_speakers(self, found: list[dict[str, Any]]) -> None:
        """List every new speaker whose name is very close to a known one."""
        for item in found:
            close = " or ".join(repr(name) for name in item["similar"])
            self.write("", f"new speaker {item['name']!r} is very close to {close}", item["name"])

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stack.__exit__(kind, error, trace)
