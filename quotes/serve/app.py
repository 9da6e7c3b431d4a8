"""The app factory: one FastAPI app over one database, pages and JSON API side by side.

``create_app(settings)`` opens the database (SQLite in WAL with the busy
timeout of :mod:`quotes.store.engine`; PostgreSQL through a connection pool
sized for the server's threads), wires the security middleware, the routes
and the error handlers, and starts the background model warm-up. Library
errors become the same one-sentence messages the CLI prints, with the HTTP
status that fits: 400 bad input, 404 unknown id, 409 a choice is needed,
401/403 not allowed, 413 too large; never a 500 for bad input.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from quotes import __version__
from quotes.errors import (
    BadInputError,
    DatabaseError,
    ModelError,
    NotFoundError,
    QuotesError,
    SchemaOutOfDateError,
)
from quotes.serve.jobs import ImportJobs
from quotes.serve.security import Gate, GuardMiddleware, HttpError
from quotes.serve.service import SpeakerChoiceNeeded
from quotes.serve.settings import ServeSettings, check_settings
from quotes.serve.warm import Keeper
from quotes.store.engine import Database, build_engine, ensure_schema, open_database, resolve_url

log = logging.getLogger("quotes.serve")

#: PostgreSQL connections kept open for the request threads (more are opened
#: under load, up to the overflow, and closed again).
PG_POOL_SIZE = 8
PG_MAX_OVERFLOW = 16


@dataclass
class ServerState:
    """Everything a request handler needs, kept on ``app.state.quotes``."""

    settings: ServeSettings
    database: Database
    gate: Gate
    keeper: Keeper
    jobs: ImportJobs
    workdir: Path


def state_of(request: Request) -> ServerState:
    state: ServerState = request.app.state.quotes
    return state


def open_server_database(target: str | None) -> Database:
    """The server's database: a pooled engine on PostgreSQL, the usual one on SQLite."""
    url = resolve_url(target)
    if url.get_backend_name() == "sqlite":
        return open_database(target)
    engine = build_engine(
        url, pool_size=PG_POOL_SIZE, max_overflow=PG_MAX_OVERFLOW, pool_timeout=30
    )
    database = Database(url=url, engine=engine)
    ensure_schema(database)
    return database


def create_app(settings: ServeSettings, database: Database | None = None) -> FastAPI:
    """Build the app; the database is opened (and a new one migrated) now."""
    from quotes.serve import api, pages

    check_settings(settings)
    database = database if database is not None else open_server_database(settings.db)
    workdir = Path(tempfile.mkdtemp(prefix="quotes-serve-"))
    keeper = Keeper(database, enabled=settings.warm_model, embed=not settings.read_only)
    state = ServerState(
        settings=settings,
        database=database,
        gate=Gate(settings),
        keeper=keeper,
        jobs=ImportJobs(database, workdir, keeper),
        workdir=workdir,
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        keeper.start()
        try:
            yield
        finally:
            state.jobs.close()
            keeper.close()
            shutil.rmtree(workdir, ignore_errors=True)

    app = FastAPI(
        title="quotes",
        version=__version__,
        summary="What leaders said, found by words and by meaning, with their stances.",
        docs_url=None,  # FastAPI's docs pages load scripts from a CDN: not offline, not our CSP
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
        lifespan=lifespan,
    )
    app.state.quotes = state
    app.add_middleware(GuardMiddleware, settings=settings)
    app.include_router(api.router, prefix="/api/v1")
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(packages=[("quotes.serve", "static")]), name="static")
    _error_handlers(app)
    return app


def status_for(error: QuotesError) -> int:
    """The HTTP status of a library error."""
    if isinstance(error, HttpError):
        return error.status
    if isinstance(error, SpeakerChoiceNeeded | SchemaOutOfDateError):
        return 409
    if isinstance(error, NotFoundError):
        return 404
    if isinstance(error, BadInputError):
        return 400
    if isinstance(error, DatabaseError | ModelError):
        return 503
    return 409  # the operation failed on the data as it is (exit code 1)


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_response(request: Request, status: int, message: str, **extra: Any) -> Response:
    if wants_json(request):
        return JSONResponse({"error": message, "status": status, **extra}, status_code=status)
    from quotes.serve.pages import render_error

    return render_error(request, status, message)


def _validation_sentence(exc: RequestValidationError) -> str:
    errors = exc.errors()
    if not errors:
        return "the request is not valid."
    first = errors[0]
    where = ".".join(str(part) for part in first.get("loc", ()) if part not in ("body", "query"))
    message = str(first.get("msg", "is not valid")).rstrip(".")
    shown = f"{where!r}" if where else "the request"
    more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
    return f"invalid {shown}: {message[:1].lower() + message[1:]}{more}."


def _error_handlers(app: FastAPI) -> None:
    @app.exception_handler(QuotesError)
    async def library_error(request: Request, exc: QuotesError) -> Response:
        extra = {"similar": exc.similar} if isinstance(exc, SpeakerChoiceNeeded) else {}
        return error_response(request, status_for(exc), str(exc), **extra)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        return error_response(request, 422, _validation_sentence(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        messages = {
            404: f"there is no page at {request.url.path!r}.",
            405: f"{request.method} is not allowed on {request.url.path!r}.",
        }
        message = messages.get(exc.status_code, str(exc.detail))
        return error_response(request, exc.status_code, message)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
        message = f"unexpected {type(exc).__name__} on the server; nothing was changed."
        return error_response(request, 500, message)
