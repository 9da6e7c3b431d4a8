"""What every request handler shares: the server's state and the HTTP status of an error.

Kept apart from :mod:`quotes.serve.app` (which builds the app from the pages
and the API) so that the pages and the API can use it without importing the
app that imports them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import Request

from quotes.errors import (
    BadInputError,
    DatabaseError,
    DuplicateQuoteError,
    ModelError,
    NotFoundError,
    QuotesError,
    SchemaOutOfDateError,
)
from quotes.serve.jobs import ImportJobs
from quotes.serve.security import Gate, HttpError
from quotes.serve.service import SpeakerChoiceNeeded
from quotes.serve.settings import ServeSettings
from quotes.serve.warm import Keeper
from quotes.store.engine import Database


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


def status_for(error: QuotesError) -> int:
    """The HTTP status of a library error."""
    if isinstance(error, HttpError):
        return error.status
    if isinstance(error, SpeakerChoiceNeeded | DuplicateQuoteError | SchemaOutOfDateError):
        return 409
    if isinstance(error, NotFoundError):
        return 404
    if isinstance(error, BadInputError):
        return 400
    if isinstance(error, DatabaseError | ModelError):
        return 503
    return 409  # the operation failed on the data as it is (exit code 1)
