"""Writing result files safely: checked up front, complete or not at all.

Commands that write a file (export, timeline charts, the demo) check the
path before doing any work, then write to a temporary name beside it and
rename at the end, so a failure never leaves a partial or empty file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from quotes.errors import BadInputError


def check_writable(path: Path) -> None:
    """Fail now, before any work, if ``path`` cannot be written."""
    shown = str(path)
    if path.is_dir():
        raise BadInputError(f"cannot write to {shown!r}: it is a directory.")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise BadInputError(f"cannot write to {shown!r}: folder {str(parent)!r} does not exist.")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise BadInputError(f"cannot write to {shown!r}: permission denied.")


@contextmanager
def atomic_output(path: Path, *, binary: bool = False) -> Iterator[Any]:
    """Open a temporary file beside ``path`` and move it into place on success."""
    check_writable(path)
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise BadInputError(f"cannot write to {str(path)!r}: {exc.strerror}.") from None
    temp = Path(temp_name)
    # mkstemp creates the file private (0600); give the result the permissions
    # a plain open() would have (0666 less the umask), so shared charts and
    # exports stay readable by the people they are for.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temp, 0o666 & ~umask)
    try:
        mode = "wb" if binary else "w"
        encoding = None if binary else "utf-8"
        with open(handle, mode, encoding=encoding, newline="" if not binary else None) as stream:
            yield stream
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
