"""Which column (or JSON key) holds which field: the header plus ``--map``.

The contract's field names work as they are; ``--map text=Tweet,speaker=3``
points a field at another header name or at a 1-based column number (the only
way to address columns of a ``--no-header`` file). Every problem with the
mapping is found before the first row is read, and the missing required fields
are named together in one error.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from quotes.errors import BadInputError

FIELDS = (
    "text",
    "speaker",
    "date",
    "source_url",
    "outlet",
    "context",
    "topics",
    "kind",
    "stance",
)
REQUIRED = ("text", "speaker")


def parse_map(specs: Iterable[str]) -> dict[str, str]:
    """``["text=Tweet,speaker=3"]`` -> ``{"text": "Tweet", "speaker": "3"}``."""
    mapping: dict[str, str] = {}
    for spec in specs:
        for entry in spec.split(","):
            if not entry.strip():
                continue
            field, sep, column = entry.partition("=")
            field, column = field.strip().lower(), column.strip()
            if not sep or not column:
                raise BadInputError(
                    f"invalid --map entry {entry.strip()!r}: write FIELD=COLUMN, "
                    "e.g. text=Tweet or text=3."
                )
            if field not in FIELDS:
                raise BadInputError(
                    f"unknown field {field!r} in --map: fields are {', '.join(FIELDS)}."
                )
            mapping[field] = column
    return mapping


def _column_number(column: str) -> int | None:
    return int(column) if column.isdigit() else None


@dataclass(frozen=True)
class Columns:
    """Field -> 0-based column index for CSV and TSV rows."""

    index: dict[str, int]
    width: int | None
    _fields: tuple[str, ...] = dataclasses.field(init=False, repr=False, compare=False)
    _getter: Any = dataclasses.field(init=False, repr=False, compare=False)
    _reach: int = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # A row that reaches every mapped column is read by one C-level getter.
        fields, positions = tuple(self.index), tuple(self.index.values())
        getter = itemgetter(*positions) if len(positions) > 1 else None
        object.__setattr__(self, "_fields", fields)
        object.__setattr__(self, "_getter", getter)
        object.__setattr__(self, "_reach", max(positions, default=-1) + 1)

    def values(self, row: Sequence[str]) -> dict[str, Any]:
        """The row's fields; a column the row is too short to have is missing (None)."""
        getter = self._getter
        if getter is not None and len(row) >= self._reach:
            return dict(zip(self._fields, getter(row), strict=True))
        return {
            field: row[position] if position < len(row) else None
            for field, position in self.index.items()
        }

    def missing_in(self, row: Sequence[str]) -> list[str]:
        """Required or mapped fields whose column this row does not reach."""
        return [field for field, position in self.index.items() if position >= len(row)]


def resolve_columns(header: Sequence[str] | None, mapping: dict[str, str]) -> Columns:
    """Match fields to columns by header name, ``--map`` names or numbers."""
    index: dict[str, int] = {}
    names: dict[str, int] = {}
    if header is not None:
        for position, name in enumerate(header):
            names.setdefault(name.strip().lower(), position)
        for field in FIELDS:
            if field in names:
                index[field] = names[field]
    for field, column in mapping.items():
        number = _column_number(column)
        if number is not None:
            if number < 1 or (header is not None and number > len(header)):
                width = (
                    f"the header has {len(header)}" if header is not None else "columns start at 1"
                )
                raise BadInputError(f"--map {field}={column}: no column {number} ({width}).")
            index[field] = number - 1
        elif header is None:
            raise BadInputError(
                f"--map {field}={column}: a file without a header row is read by column "
                f"number, e.g. --map {field}=3."
            )
        elif column.lower() in names:
            index[field] = names[column.lower()]
        else:
            raise BadInputError(
                f"--map {field}={column}: the file has no column {column!r}; "
                f"its columns are {_listing(header)}."
            )
    missing = [field for field in REQUIRED if field not in index]
    if missing:
        raise BadInputError(_missing_message(missing, header))
    return Columns(index, len(header) if header is not None else None)


def _listing(header: Sequence[str]) -> str:
    shown = [repr(h) for h in header[:12]]
    return ", ".join(shown) + (", ..." if len(header) > 12 else "")


def _missing_message(missing: list[str], header: Sequence[str] | None) -> str:
    fields = " and ".join(missing)
    example = ",".join(f"{field}=COLUMN" for field in missing)
    if header is None:
        return (
            f"no column given for {fields}: a file without a header row needs "
            f"--map {example} with column numbers."
        )
    return (
        f"the file has no column for {fields} (its columns are {_listing(header)}): "
        f"rename them or pass --map {example}."
    )


#: Keys of the contract's quote object (``quotes export --format jsonl``) read
#: when the import fields are absent, so an export imports again losslessly.
QUOTE_OBJECT_KEYS = {"sources": "sources", "stances": "stances"}


def resolve_keys(mapping: dict[str, str]) -> dict[str, str]:
    """Field -> JSON key for JSON Lines (numbers mean nothing there)."""
    keys = {field: field for field in FIELDS} | QUOTE_OBJECT_KEYS
    for field, key in mapping.items():
        if key.isdigit():
            raise BadInputError(
                f"--map {field}={key}: JSON Lines are read by key, not column number."
            )
        keys[field] = key
    return keys


def json_values(obj: dict[str, Any], keys: dict[str, str]) -> dict[str, Any]:
    return {field: obj.get(key) for field, key in keys.items()}
