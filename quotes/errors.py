"""Typed errors raised by the library.

The library never prints or exits; the CLI maps each error class to an exit
code (``exit_code``) and prints the message, which is always one sentence that
names the bad value and says what is accepted.
"""

from __future__ import annotations


class QuotesError(Exception):
    """Base class of every error the library raises on purpose."""

    exit_code = 1


class BadInputError(QuotesError):
    """The caller passed a malformed or unknown value (CLI exit code 2)."""

    exit_code = 2


class NotFoundError(QuotesError):
    """A record the caller asked for by id does not exist (exit code 1)."""


class DuplicateQuoteError(BadInputError):
    """An edit or restore would make a quote the same statement as another quote.

    One statement by one speaker is one quote, so the change is refused (exit
    code 2, nothing written) unless the caller asks to merge the two;
    ``other_id`` is the quote it would duplicate.
    """

    def __init__(self, message: str, other_id: int) -> None:
        super().__init__(message)
        self.other_id = other_id


class SchemaOutOfDateError(QuotesError):
    """The database is at an older revision; writing to it would corrupt it."""


class DatabaseError(QuotesError):
    """The database cannot be opened or used (bad URL, unreachable server)."""

    exit_code = 2


class ModelError(QuotesError):
    """The embedding model cannot be loaded (unknown name, not available offline)."""

    exit_code = 2
