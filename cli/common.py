"""Shared CLI pieces: the --db option, error handling, the API object per command.

Every command accepts ``--db`` itself (so it may come after the sub-command
name) and the root callback accepts it too (before the name); the innermost
value wins. Library errors become exit codes in :class:`QuotesGroup`, so a
command body is only: parse, call one public-API method (:mod:`quotes.api`), render.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from typer.core import TyperGroup

from quotes.errors import QuotesError
from quotes.exports.csv_safety import CsvStyle
from quotes.exports.files import forget_inputs
from quotes.notices import LOGGER_NAME as NOTICE_LOGGER
from quotes.store.engine import Database, checkpoint_all, open_database

if TYPE_CHECKING:
    from quotes.api import QuotesDatabase


class _CurrentConsole:
    """A rich Console for the current streams and terminal size.

    A console made once at import would keep the width it saw then; a fresh
    one per call follows redirection and ``COLUMNS`` (tests run commands
    in-process with their own streams).
    """

    def __init__(self, **options: Any) -> None:
        self._options = options

    def __getattr__(self, name: str) -> Any:
        return getattr(Console(**self._options), name)


console: Console = _CurrentConsole(highlight=False)  # type: ignore[assignment]
err_console: Console = _CurrentConsole(stderr=True, highlight=False, soft_wrap=True)  # type: ignore[assignment]

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database: a SQLAlchemy URL or a SQLite file path "
        "(default: $QUOTES_DATABASE_URL, else the user data directory).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]
CsvOption = Annotated[bool, typer.Option("--csv", help="Print CSV with a header row.")]
RawCellsOption = Annotated[
    bool,
    typer.Option(
        "--raw-cells",
        help="CSV cells exactly as stored: no leading ' before cells starting with "
        "= + - @ (spreadsheets would evaluate those; see README).",
    ),
]
BomOption = Annotated[
    bool, typer.Option("--bom", help="Start CSV with a UTF-8 byte-order mark (for Excel).")
]


def csv_style(raw_cells: bool, bom: bool) -> CsvStyle:
    """The CSV style the --raw-cells and --bom options ask for."""
    return CsvStyle(raw=raw_cells, bom=bom)


def say(message: str) -> None:
    """Print a plain status line (never wrapped, so scripts can match it)."""
    typer.echo(message)


def fail(message: str, code: int = 1) -> None:
    """Print one sentence to stderr and stop with ``code``."""
    err_console.print(f"Error: {message}", markup=False)
    raise typer.Exit(code)


class QuotesGroup(TyperGroup):
    """The root command group: turns library errors into messages and exit codes,
    and tidies every command's help (:mod:`quotes.cli.help_text`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from .help_text import tidy

        tidy(self)

    def get_params(self, ctx: Any) -> list[Any]:
        # Typer adds the completion options after __init__: tidy them here.
        from .help_text import tidy_param

        params = super().get_params(ctx)
        for param in params:
            tidy_param(param)
        return params

    def make_context(
        self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any
    ) -> Any:
        # On POSIX, bytes in argv that are not UTF-8 arrive as lone surrogates
        # (surrogateescape); they can be neither stored nor printed, so they
        # are refused before any option is parsed.
        for position, arg in enumerate(args, start=1):
            if FORBIDDEN_ARGUMENT.search(arg):
                shown = arg.encode("utf-8", "replace").decode("utf-8", "replace")
                err_console.print(
                    f"Error: argument {position} ({shown[:60]!r}) is not valid UTF-8 text: "
                    "give it in UTF-8.",
                    markup=False,
                )
                raise typer.Exit(2)
        return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: Any) -> Any:  # typer's vendored click Context
        _GROUP_DB.set(ctx.params.get("db"))  # reset per invocation (tests reuse a thread)
        forget_inputs()
        with _notices_on_stderr():
            return self._invoke(ctx)

    def _invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except BrokenPipeError:
            # The reader went away (`quotes export | head`): stop quietly, as
            # Unix tools do, and keep Python from complaining at exit.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(1)
        except QuotesError as exc:
            if _debug(ctx):
                raise
            err_console.print(f"Error: {exc}", markup=False)
            ctx.exit(exc.exit_code)
        except SQLAlchemyError as exc:  # never show the SQL or its parameters
            if _debug(ctx):
                raise
            err_console.print(f"Error: {database_error_sentence(exc)}", markup=False)
            ctx.exit(1)
        except Exception as exc:  # a bug: say so in one line unless --debug
            if _debug(ctx):
                raise
            err_console.print(
                f"Error: unexpected {type(exc).__name__}: {exc} (rerun with --debug for details).",
                markup=False,
            )
            ctx.exit(1)
        finally:
            # The database file alone holds everything once a command ends.
            checkpoint_all()


FORBIDDEN_ARGUMENT = re.compile("[\ud800-\udfff]")


def database_error_sentence(exc: SQLAlchemyError) -> str:
    """One sentence about a database error: the driver's first line, no SQL, no values."""
    original = getattr(exc, "orig", None)
    first = str(original if original is not None else type(exc).__name__).strip().splitlines()
    reason = first[0] if first else type(exc).__name__
    return f"the database refused the operation ({reason}); rerun with --debug for details."


class _NoticeHandler(logging.Handler):
    """Prints the library's one-line notices (quotes.notices) on stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        err_console.print(f"Note: {record.getMessage()}", markup=False)


@contextmanager
def _notices_on_stderr() -> Iterator[None]:
    logger = logging.getLogger(NOTICE_LOGGER)
    handler = _NoticeHandler()
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = True


def _debug(ctx: typer.Context) -> bool:
    return bool(ctx.params.get("debug")) or os.environ.get("QUOTES_DEBUG") == "1"


_GROUP_DB: ContextVar[str | None] = ContextVar("group_db", default=None)


def remember_db(db: str | None) -> None:
    """Record a --db given before the sub-command name (root or group callback)."""
    if db is not None:
        _GROUP_DB.set(db)


def db_target(db: str | None) -> str | None:
    """The --db value that applies: the command's own, else one given before it."""
    return db if db is not None else _GROUP_DB.get()


def database(db: str | None, *, migrate: bool = True, create: bool = False) -> Database:
    """Open the database the command should use.

    Only commands that record something pass ``create=True`` (a new path
    becomes a database at the newest revision); every other command refuses a
    missing database instead of leaving an empty one, and its folders, behind.
    """
    return open_database(db_target(db), migrate=migrate, create=create)


@contextmanager
def session(db: str | None, *, write: bool = False) -> Iterator[Session]:
    """The command's one transaction."""
    with database(db, create=write).session(write=write) as active:
        yield active


def open_db(db: str | None, *, migrate: bool = True, create: bool = False) -> QuotesDatabase:
    """The public API on the database the command should use.

    As for :func:`database`, only commands that record something pass
    ``create=True``; the others refuse a missing database instead of creating one.
    """
    from quotes.api import open as open_quotes

    return open_quotes(db_target(db), migrate=migrate, create=create)


def echo_json(document: Any) -> None:
    """Print one JSON document to stdout."""
    import json

    typer.echo(json.dumps(document, ensure_ascii=False, indent=2, default=str))
