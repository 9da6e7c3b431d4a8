"""Writing result files safely: checked up front, complete or not at all, never over data.

Every file a command writes (``--output``, ``--rejects``, ``--output-dir``,
``backup``) goes through this module, so one rule holds everywhere:

* An output that is a file the command reads or the open SQLite database
  (or its ``-wal``, ``-shm`` or ``-journal`` file) is refused before any work
  (:class:`BadInputError`, exit 2). Paths are compared resolved, symlinks
  followed, and by inode, so a symlink or a hard link to the database is
  caught too.
* The result is written to a temporary file beside the target and renamed
  over it at the end, so a failure never leaves a partial or empty file. The
  rename replaces a symlink itself: a result never writes *through* a link
  into the file it points to.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from quotes.errors import BadInputError

#: Files the current command reads (import's FILE): never an output.
_INPUTS: set[Path] = set()
#: Companion files of a SQLite database that hold its data or its locks.
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def protect_input(path: Path | str) -> None:
    """Record that the command reads ``path``, so no output may replace it."""
    _INPUTS.add(Path(path))


def forget_inputs() -> None:
    """Start a new command with no protected inputs (the CLI calls this per command)."""
    _INPUTS.clear()


def protected_files() -> list[tuple[Path, str]]:
    """Every file no output may be: (path, what it is)."""
    from quotes.store.engine import open_sqlite_files

    found = [(path, "the input file") for path in _INPUTS]
    for database in open_sqlite_files():
        for suffix in SQLITE_COMPANIONS:
            what = "the database" if not suffix else f"the database's {suffix[1:]} file"
            found.append((Path(f"{database}{suffix}"), what))
    return found


def refuse_protected(path: Path, *, extra: tuple[tuple[Path, str], ...] = ()) -> None:
    """BadInputError when ``path`` is (or links to) an input, the database or its WAL."""
    target = path.expanduser().resolve()
    existing = _stat(target)
    for other, what in (*extra, *protected_files()):
        resolved = other.expanduser().resolve()
        same = resolved == target
        if not same and existing is not None:
            theirs = _stat(resolved)
            same = theirs is not None and os.path.samestat(theirs, existing)
        if same:
            raise BadInputError(
                f"refusing to write to {str(path)!r}: it is {what} ({str(resolved)!r}); "
                "choose another output file."
            )


def _stat(path: Path) -> os.stat_result | None:
    try:
        return path.stat()
    except OSError:
        return None


def check_writable(path: Path) -> None:
    """Fail now, before any work, if ``path`` cannot or must not be written."""
    shown = str(path)
    if path.is_dir():
        raise BadInputError(f"cannot write to {shown!r}: it is a directory.")
    refuse_protected(path)
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise BadInputError(f"cannot write to {shown!r}: folder {str(parent)!r} does not exist.")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise BadInputError(f"cannot write to {shown!r}: permission denied.")


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path`` that replaces it when the block succeeds.

    For writers that need a file name rather than a stream (SQLite's backup).
    """
    check_writable(path)
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise BadInputError(f"cannot write to {str(path)!r}: {exc.strerror}.") from None
    os.close(handle)
    temp = Path(temp_name)
    _default_permissions(temp)
    try:
        yield temp
        _replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _default_permissions(temp: Path) -> None:
    # mkstemp creates the file private (0600); give the result the permissions
    # a plain open() would have (0666 less the umask), so shared charts and
    # exports stay readable by the people they are for.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temp, 0o666 & ~umask)


@contextmanager
def atomic_output(
    path: Path, *, binary: bool = False, keep_on_error: bool = False
) -> Iterator[Any]:
    """Open a temporary file beside ``path`` and move it into place on success.

    ``keep_on_error`` moves it into place even when the block fails (a
    rejects file is worth keeping for an import that stopped).
    """
    check_writable(path)
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as exc:
        raise BadInputError(f"cannot write to {str(path)!r}: {exc.strerror}.") from None
    temp = Path(temp_name)
    _default_permissions(temp)
    try:
        mode = "wb" if binary else "w"
        encoding = None if binary else "utf-8"
        with open(handle, mode, encoding=encoding, newline="" if not binary else None) as stream:
            try:
                yield stream
            except BaseException:
                if not keep_on_error:
                    raise
                stream.flush()
                _replace(temp, path)
                raise
        _replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _replace(temp: Path, path: Path) -> None:
    # Checked again at the last moment: the database may have been opened
    # (or a link created) after the first check.
    refuse_protected(path)
    os.replace(temp, path)
