"""One import row, validated by the same rules as ``quotes add``.

Text, speaker names, URLs, kinds and dates go through the foundation's own
validators and normaliser, so an imported statement and a typed one with the
same words get the same dedup key. Topics and stance labels must name topics
that exist (an unknown topic is a mistake to report, not a topic to invent).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from quotes.errors import BadInputError
from quotes.records.quotes import validate_kind, validate_text
from quotes.records.sources import validate_url
from quotes.records.speakers import validate_name
from quotes.store.dates import PartialDate, parse_date_with_format
from quotes.store.normalize import MAX_TEXT_LENGTH, clean_text, name_key, text_hash
from quotes.vocabulary import Method, stance_label

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
    #: (url, outlet) of each source; url None means a source known by its outlet only
    sources: tuple[tuple[str | None, str | None], ...]
    context: str | None
    kind: str
    topics: tuple[str, ...]
    stances: tuple[tuple[str, str], ...]

    @property
    def has_links(self) -> bool:
        return bool(self.sources or self.topics or self.stances)


Sources = tuple[tuple[str | None, str | None], ...]

_CACHE_LIMIT = 100_000
#: ``;`` separates URLs only where a new URL begins (a URL may contain ``;``).
_URL_SEPARATOR = re.compile(r";\s*(?=https?://)")


def _bound(cache: dict[Any, Any]) -> None:
    """Keep a memo small: forget everything once it is full (memory stays flat)."""
    if len(cache) > _CACHE_LIMIT:
        cache.clear()


def _string(field: str, value: Any) -> str | None:
    """A field as text; JSON numbers are fine (a year), objects and lists are not."""
    if type(value) is str:
        return value if value and not value.isspace() else None
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise BadInputError(f"{field} must be text, not {type(value).__name__}.")
    text = str(value)
    return text if text.strip() else None


def _manual_labels(value: Any) -> dict[str, Any]:
    """A person's labels from the quote object's ``stances`` (automatic ones are not facts)."""
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise BadInputError("stances must be a list of objects with topic, label and method.")
    return {str(v.get("topic")): v.get("label") for v in value if v.get("method") == Method.MANUAL}


class RowValidator:
    """Turns one record's raw field values into an :class:`ImportRow`.

    Speakers, dates and outlets repeat from row to row, so their validated
    forms are remembered (a bounded cache); every text is validated and hashed.
    """

    def __init__(self, topics: Iterable[str], date_format: str | None) -> None:
        self.topics = frozenset(topics)
        self.date_format = date_format
        self._speakers: dict[str, tuple[str, str]] = {}
        self._dates: dict[str, PartialDate] = {}
        self._outlets: dict[str, str] = {}
        #: (source_url cell, outlet cell) -> sources: a file repeats a few outlets
        #: on every row, and splitting, validating and pairing them cost more
        #: than a third of validating a row (profiled at 50k rows).
        self._source_cells: dict[tuple[str | None, str | None], Sources] = {}

    def __call__(self, line: int, values: Mapping[str, Any]) -> ImportRow:
        # The remembered forms are looked up by the raw cell first: a hit is
        # what the slow path would return (only valid values are remembered),
        # and it skips a call or two for every row of a large file.
        get = values.get
        raw = get("text")
        text = validate_text(raw if type(raw) is str else (_string("text", raw) or ""))
        raw = get("speaker")
        found = self._speakers.get(raw) if type(raw) is str else None
        if found is None:
            found = self._speaker(_string("speaker", raw) or "")
        speaker, speaker_key = found
        raw = get("date")
        when = self._dates.get(raw) if type(raw) is str else None
        if when is None:
            when = self._date(raw)
        raw_kind = get("kind")
        kind = "quote" if raw_kind is None else (_string("kind", raw_kind) or "quote")
        if kind != "quote":
            kind = kind.strip().lower()
            if kind != "quote":
                validate_kind(kind)
        context = get("context")
        context = _string("context", context) if context is not None else None
        if context is not None:
            context = clean_text(context, what="context")
            if len(context) > MAX_TEXT_LENGTH:
                raise BadInputError(
                    f"the context is {len(context):,} characters long; the limit is "
                    f"{MAX_TEXT_LENGTH:,}."
                )
        topics = get("topics")
        stance = get("stance")
        if stance is None and get("stances"):
            stance = _manual_labels(values["stances"])
        stances = self._stances(stance) if stance is not None else ()
        urls, outlets = get("source_url"), get("outlet")
        try:
            sources = self._source_cells[(urls, outlets)]
        except (KeyError, TypeError):  # not seen yet, or a JSON list (unhashable)
            sources = self._cell_sources(urls, outlets)
        return ImportRow(
            line,
            text,
            text_hash(text, cleaned=True),
            speaker,
            speaker_key,
            when.start if when else None,
            when.precision if when else None,
            sources or self._source_objects(get("sources")),
            context,
            kind,
            self._all_topics(topics, stances) if topics or stances else (),
            stances,
        )

    def _speaker(self, raw: str) -> tuple[str, str]:
        found = self._speakers.get(raw)
        if found is None:
            name = validate_name(raw)
            found = (name, name_key(name))
            self._speakers[raw] = found
            _bound(self._speakers)
        return found

    def _date(self, value: Any) -> PartialDate | None:
        raw = _string("date", value)
        if raw is None:
            return None
        found = self._dates.get(raw)
        if found is None:
            found = parse_date_with_format(raw, self.date_format)
            self._dates[raw] = found
            _bound(self._dates)
        return found

    def _cell_sources(self, urls: Any, outlets: Any) -> Sources:
        """:meth:`_sources`, remembered for text cells (a bad cell raises every time)."""
        if (urls is None or type(urls) is str) and (outlets is None or type(outlets) is str):
            key = (urls, outlets)
            found = self._source_cells.get(key)
            if found is None:
                found = self._sources(urls, outlets)
                self._source_cells[key] = found
                _bound(self._source_cells)
            return found
        return self._sources(urls, outlets)

    def _sources(self, urls: Any, outlets: Any) -> tuple[tuple[str | None, str | None], ...]:
        """Source URLs (a list, or ``;``-separated as ``quotes export`` writes them) and outlets.

        One outlet goes with every URL; as many outlets as URLs pair up in
        order; without a URL, the outlet alone is the source.
        """
        if isinstance(urls, list):
            links = [validate_url(_string("source_url", u)) for u in urls]
        else:
            raw = _string("source_url", urls)
            links = [validate_url(u) for u in _URL_SEPARATOR.split(raw)] if raw else []
        found = [link for link in links if link]
        names = [self._outlet(o) for o in str(outlets).split(";")] if outlets else []
        names = [name for name in names if name]
        if not found:
            return tuple((None, name) for name in names)
        if len(names) == len(found):
            return tuple(zip(found, names, strict=True))
        shared = names[0] if len(names) == 1 else None
        return tuple((link, shared) for link in found)

    def _source_objects(self, value: Any) -> tuple[tuple[str | None, str | None], ...]:
        """The quote object's ``sources``: ``[{"url": ..., "outlet": ...}]``."""
        if not value:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise BadInputError("sources must be a list of objects with url and outlet.")
        pairs = [
            (validate_url(_string("url", v.get("url"))), self._outlet(v.get("outlet")))
            for v in value
        ]
        return tuple((url, outlet) for url, outlet in pairs if url or outlet)

    def _outlet(self, value: Any) -> str | None:
        raw = _string("outlet", value)
        if raw is None:
            return None
        found = self._outlets.get(raw)
        if found is None:
            found = clean_text(raw, what="outlet")
            if len(found) > MAX_OUTLET_LENGTH:
                raise BadInputError(
                    f"the outlet {found[:40]!r}... is longer than {MAX_OUTLET_LENGTH} characters."
                )
            self._outlets[raw] = found
            _bound(self._outlets)
        return found

    def _all_topics(self, value: Any, stances: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self._topics(value) + tuple(t for t, _ in stances)))

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
            stances[self._topic(topic)] = stance_label(label)
        return tuple(stances.items())
