"""One import row, validated by the same rules as ``quotes add``.

Text, speaker names, URLs, kinds and dates go through the foundation's own
validators and normaliser, so an imported statement and a typed one with the
same words get the same dedup key. Topics and stance labels must name topics
that exist (an unknown topic is a mistake to report, not a topic to invent).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from quotes.dates import parse_date_with_format
from quotes.errors import BadInputError
from quotes.models import STANCE_LABELS
from quotes.normalize import MAX_TEXT_LENGTH, clean_text, name_key, text_hash
from quotes.records import validate_kind, validate_text
from quotes.sources import validate_url
from quotes.speakers import validate_name

MAX_OUTLET_LENGTH = 300


@dataclass(slots=True)
class ImportRow:
    """A row ready to write: cleaned values plus its dedup key."""

    line: int
    text: str
    text_hash: str
    speaker: str
    speaker_key: str
    date: date | None
    precision: str | None
    url: str | None
    outlet: str | None
    context: str | None
    kind: str
    topics: tuple[str, ...]
    stances: tuple[tuple[str, str], ...]

    @property
    def has_links(self) -> bool:
        return bool(self.url or self.outlet or self.topics or self.stances)


def _string(field: str, value: Any) -> str | None:
    """A field as text; JSON numbers are fine (a year), objects and lists are not."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise BadInputError(f"{field} must be text, not {type(value).__name__}.")
    text = str(value)
    return text if text.strip() else None


class RowValidator:
    """Turns one record's raw field values into an :class:`ImportRow`."""

    def __init__(self, topics: Iterable[str], date_format: str | None) -> None:
        self.topics = frozenset(topics)
        self.date_format = date_format

    def __call__(self, line: int, values: Mapping[str, Any]) -> ImportRow:
        text = validate_text(_string("text", values.get("text")) or "")
        speaker = validate_name(_string("speaker", values.get("speaker")) or "")
        when = None
        raw_date = _string("date", values.get("date"))
        if raw_date is not None:
            when = parse_date_with_format(raw_date, self.date_format)
        kind = (_string("kind", values.get("kind")) or "quote").strip().lower()
        outlet = _string("outlet", values.get("outlet"))
        outlet = clean_text(outlet) if outlet else None
        if outlet and len(outlet) > MAX_OUTLET_LENGTH:
            raise BadInputError(
                f"the outlet {outlet[:40]!r}... is longer than {MAX_OUTLET_LENGTH} characters."
            )
        context = _string("context", values.get("context"))
        context = clean_text(context) if context else None
        if context and len(context) > MAX_TEXT_LENGTH:
            raise BadInputError(
                f"the context is {len(context):,} characters long; the limit is "
                f"{MAX_TEXT_LENGTH:,}."
            )
        stances = self._stances(values.get("stance"))
        topics = self._topics(values.get("topics"))
        return ImportRow(
            line=line,
            text=text,
            text_hash=text_hash(text),
            speaker=speaker,
            speaker_key=name_key(speaker),
            date=when.start if when else None,
            precision=when.precision if when else None,
            url=validate_url(_string("source_url", values.get("source_url"))),
            outlet=outlet,
            context=context,
            kind=validate_kind(kind),
            topics=tuple(dict.fromkeys(topics + tuple(t for t, _ in stances))),
            stances=stances,
        )

    def _topic(self, name: str) -> str:
        key = clean_text(name).lower()
        if key not in self.topics:
            known = ", ".join(sorted(self.topics)) or "none yet"
            raise BadInputError(
                f"unknown topic {name.strip()!r}: known topics are {known} "
                "(add one with `quotes topics add`)."
            )
        return key

    def _topics(self, value: Any) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, list):
            names = [_string("topics", item) or "" for item in value]
        else:
            names = (_string("topics", value) or "").split(";")
        return tuple(dict.fromkeys(self._topic(n) for n in names if n.strip()))

    def _stances(self, value: Any) -> tuple[tuple[str, str], ...]:
        """JSONL ``{"topic": "label"}`` or CSV ``topic=label;topic=label``."""
        if value is None:
            return ()
        if isinstance(value, dict):
            pairs = [(str(k), _string("stance", v) or "") for k, v in value.items()]
        else:
            pairs = []
            for entry in (_string("stance", value) or "").split(";"):
                if not entry.strip():
                    continue
                topic, sep, label = entry.partition("=")
                if not sep:
                    raise BadInputError(
                        f"invalid stance {entry.strip()!r}: write topic=label, "
                        "e.g. sovereignty=favor."
                    )
                pairs.append((topic, label))
        stances: dict[str, str] = {}
        for topic, label in pairs:
            cleaned = label.strip().lower()
            if cleaned not in STANCE_LABELS:
                raise BadInputError(
                    f"invalid stance label {label.strip()!r} for {topic.strip()!r}: "
                    f"use {', '.join(STANCE_LABELS)}."
                )
            stances[self._topic(topic)] = cleaned
        return tuple(stances.items())
