"""Writing a batch of rows with a handful of set-based statements.

Per-row ORM adds cost a round of identity-map bookkeeping and a flush per
row; a batch here costs one lookup of its speakers, one lookup of its dedup
keys and one multi-row INSERT per table, whatever its size. The rules are the
foundation's: a speaker is found through any alias (case-folded key), the
same statement by the same speaker (same ``text_hash``) is one quote, a
repeat attaches its new source and topics and fills a missing date or context
but never overwrites them, and a stance in the file is a person's (manual)
label.

The dedup look-up is skipped for the quotes of speakers this import created,
unless an earlier batch may have written the same key (:mod:`.seen`): on a
file of new speakers it was the batch's costliest query after the INSERTs
(0.45 s CPU of 200k rows). Within the batch that creates a speaker that is
certain; in a later batch another program may have given that speaker quotes
meanwhile (an add, a merge of speakers). So whenever look-ups were skipped
the new quotes are inserted under a savepoint, and if the unique (speaker,
text hash) rule refuses one, the savepoint is rolled back and the batch looks
the skipped keys up after all.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Sequence
from collections.abc import Set as AbstractSet
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    Connection,
    Table,
    and_,
    bindparam,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError

from quotes.ingest.importing.bulk import bulk_insert, chunks, driver_values
from quotes.ingest.importing.fulltext_batch import fulltext_per_batch
from quotes.ingest.importing.rows import ImportRow, Sources
from quotes.ingest.importing.seen import Key, SeenKeys
from quotes.store.coverage import inserts_above_top
from quotes.store.models import (
    Quote,
    QuoteSource,
    QuoteTopic,
    Source,
    Speaker,
    SpeakerAlias,
    StanceAssessment,
    utcnow,
)
from quotes.vocabulary import LABEL_SCORES, Method

QUOTES = cast(Table, Quote.__table__)
SPEAKERS = cast(Table, Speaker.__table__)
ALIASES = cast(Table, SpeakerAlias.__table__)
SOURCES = cast(Table, Source.__table__)
QUOTE_SOURCES = cast(Table, QuoteSource.__table__)
QUOTE_TOPICS = cast(Table, QuoteTopic.__table__)
STANCES = cast(Table, StanceAssessment.__table__)

_SOURCE_CACHE_LIMIT = 50_000


def _speaker_of(item: tuple[Key, ImportRow]) -> int:
    return item[0][0]


def _split(
    firsts: dict[Key, ImportRow],
    repeats: list[tuple[Key, ImportRow]],
    existing: dict[Key, tuple[int, Any, str | None]],
) -> tuple[list[tuple[Key, ImportRow]], list[tuple[Key, ImportRow]]]:
    """The batch's new quotes (speaker by speaker) and its records of existing ones.

    A repeat of a new quote fills what its first record lacked; doing that
    twice (a batch split again after a refused insert) changes nothing more.
    """
    new = [(k, r) for k, r in firsts.items() if k not in existing]
    old = [(k, r) for k, r in firsts.items() if k in existing]
    for key, row in repeats:  # a repeat fills what the first record lacked
        if key in existing:
            old.append((key, row))
            continue
        first = firsts[key]
        if first.date is None and row.date is not None:
            first.date, first.precision = row.date, row.precision
        if not first.context and row.context:
            first.context = row.context
    # Speaker by speaker (file order within each): the unique (speaker, hash)
    # key and the (speaker, date) index then take their entries close
    # together instead of all over the tree, which cost a quarter of the
    # INSERT's CPU time on 200k real rows.
    new.sort(key=_speaker_of)
    return new, old


@dataclass
class BatchOutcome:
    added: int = 0
    merged: int = 0
    sources_attached: int = 0


@dataclass
class Writer:
    """Writes batches through one connection; caches speakers and sources between batches."""

    connection: Connection
    topic_ids: dict[str, int]
    speaker_ids: dict[str, int] = field(default_factory=dict)
    created_speakers: list[str] = field(default_factory=list)
    #: Ids of the speakers this import created, and the keys its batches wrote since.
    created_ids: set[int] = field(default_factory=set)
    seen: SeenKeys = field(default_factory=SeenKeys)
    source_ids: dict[tuple[str | None, str | None], int] = field(default_factory=dict)

    def write(self, rows: Sequence[ImportRow]) -> BatchOutcome:
        """Write one batch inside the caller's transaction."""
        with ExitStack() as finish:
            return self.write_rows(rows, finish)

    def write_rows(self, rows: Sequence[ImportRow], finish: ExitStack) -> BatchOutcome:
        """Write one batch's rows; closing ``finish`` completes the batch.

        What is left on ``finish`` is the full-text entries of the rows just
        written, one statement inside the caller's transaction (the suspended
        triggers are back when this returns). Closing it may happen on another
        thread while this one reads the next batch (quotes.ingest.importing.run).
        """
        if not rows:
            return BatchOutcome()
        with (
            fulltext_per_batch(self.connection, finish.callback),
            inserts_above_top(self.connection),
        ):
            return self._write(rows)

    def _write(self, rows: Sequence[ImportRow]) -> BatchOutcome:
        outcome = BatchOutcome()
        now = utcnow()
        self._resolve_speakers(rows, now)
        speaker_ids = self.speaker_ids
        firsts: dict[Key, ImportRow] = {}
        repeats: list[tuple[Key, ImportRow]] = []
        for row in rows:
            key = (speaker_ids[row.speaker_key], row.text_hash)
            if key in firsts:
                repeats.append((key, row))
            else:
                firsts[key] = row
        wanted = self._keys_to_look_up(firsts)
        existing = self._existing_quotes(wanted)
        # Ids are needed when any row, a repeat included, brings a link to write.
        links = any(row.has_links for row in rows)
        if len(wanted) == len(firsts):
            new, old = _split(firsts, repeats, existing)
            new_ids = self._insert_quotes(new, now, links=links)
        else:
            try:
                with self.connection.begin_nested():
                    new, old = _split(firsts, repeats, existing)
                    new_ids = self._insert_quotes(new, now, links=links)
            except (IntegrityError, self.connection.dialect.loaded_dbapi.IntegrityError):
                # Another program gave quotes to a speaker this import created.
                wanted_set = set(wanted)
                existing.update(self._existing_quotes(k for k in firsts if k not in wanted_set))
                new, old = _split(firsts, repeats, existing)
                new_ids = self._insert_quotes(new, now, links=links)
        self._fill_missing(old, existing)
        if self.created_ids:
            # Only new speakers' keys are asked about; adding every key of the batch
            # (a few more false "maybe"s) is cheaper than picking those out.
            self.seen.add(firsts)
        outcome.added = len(new)
        outcome.merged = len(firsts) - len(new) + len(repeats)
        linked = [
            (i, r)
            for i, (_, r) in zip(new_ids, new, strict=False)
            if r.sources or r.topics or r.stances
        ]
        linked += [(existing[k][0], r) for k, r in old if r.has_links]
        if repeats:
            ids = dict(zip((k for k, _ in new), new_ids, strict=False))
            ids.update({k: v[0] for k, v in existing.items()})
            linked += [(ids[k], r) for k, r in repeats if r.has_links]
        if linked:
            # On SQLite the new ids are a range: membership is arithmetic, not a set.
            fresh = new_ids if isinstance(new_ids, range) else set(new_ids)
            outcome.sources_attached = self._link_sources(
                linked, fresh, now, ordered=not old and not repeats
            )
            self._link_topics(linked, fresh, now)
            self._label_stances(linked, fresh, now)
        return outcome

    def _keys_to_look_up(self, firsts: Iterable[Key]) -> list[Key]:
        """The keys whose quote may exist: all but those of this import's new speakers
        that no earlier batch may have written."""
        created = self.created_ids
        if not created:
            return list(firsts)
        ours = [key for key in firsts if key[0] in created]
        maybe = self.seen.maybe(ours)
        if len(ours) == len(maybe):
            return list(firsts)
        return [key for key in firsts if key[0] not in created] + maybe

    # -- speakers ---------------------------------------------------------------

    def _resolve_speakers(self, rows: Sequence[ImportRow], now: datetime) -> None:
        """Find or create the batch's speakers (the new ones join ``created_ids``)."""
        known = self.speaker_ids
        names: dict[str, str] = {}
        for row in rows:
            if row.speaker_key not in known and row.speaker_key not in names:
                names[row.speaker_key] = row.speaker
        if not names:
            return
        for chunk in chunks(list(names)):
            found = self.connection.execute(
                select(ALIASES.c.alias_key, ALIASES.c.speaker_id).where(
                    ALIASES.c.alias_key.in_(chunk)
                )
            )
            self.speaker_ids.update({str(key): int(speaker) for key, speaker in found})
        missing = [(key, name) for key, name in names.items() if key not in self.speaker_ids]
        if not missing:
            return
        created = self.connection.execute(
            insert(SPEAKERS).returning(SPEAKERS.c.id, SPEAKERS.c.name_key),
            [{"name": name, "name_key": key, "created_at": now} for key, name in missing],
        )
        ids = {key: speaker for speaker, key in created}
        self.connection.execute(
            insert(ALIASES),
            [{"speaker_id": ids[key], "alias": name, "alias_key": key} for key, name in missing],
        )
        self.speaker_ids.update(ids)
        self.created_speakers.extend(name for _, name in missing)
        self.created_ids.update(ids.values())

    # -- quotes -------------------------------------------------------------------

    def _existing_quotes(self, keys: Iterable[Key]) -> dict[Key, tuple[int, Any, str | None]]:
        wanted = set(keys)
        found: dict[Key, tuple[int, Any, str | None]] = {}
        for chunk in chunks(list(wanted)):
            result = self._lookup(chunk)
            for quote_id, speaker_id, digest, when, context in result:
                if (speaker_id, digest) in wanted:
                    found[(speaker_id, digest)] = (quote_id, when, context)
        return found

    def _lookup(self, pairs: list[Key]) -> Any:
        """Rows of the quotes whose (speaker_id, text_hash) is one of ``pairs``.

        Each back end needs its own form to use the unique index (measured on
        200k and 1M-row imports): SQLite scans the whole index for a row-value
        IN-list (quadratic over a large import) and probes it once per
        combination for two IN-lists, but probes once per pair when the pairs
        are a VALUES list joined to the table; that statement is written out
        directly, since compiling 5,000 VALUES rows through SQLAlchemy cost
        more than running it. PostgreSQL answers two IN-lists from the index.
        """
        if self.connection.dialect.name == "sqlite":
            rows = ", ".join(["(?, ?)"] * len(pairs))
            flat = [value for pair in pairs for value in pair]
            return self.connection.exec_driver_sql(
                f"WITH wanted(speaker_id, text_hash) AS (VALUES {rows}) "
                "SELECT quotes.id, quotes.speaker_id, quotes.text_hash, quotes.date, "
                "quotes.context FROM wanted JOIN quotes "
                "ON quotes.speaker_id = wanted.speaker_id AND quotes.text_hash = wanted.text_hash",
                tuple(flat),
            )
        return self.connection.execute(
            select(
                QUOTES.c.id,
                QUOTES.c.speaker_id,
                QUOTES.c.text_hash,
                QUOTES.c.date,
                QUOTES.c.context,
            ).where(
                QUOTES.c.speaker_id.in_({s for s, _ in pairs}),
                QUOTES.c.text_hash.in_({d for _, d in pairs}),
            )
        )

    def _insert_quotes(
        self, new: list[tuple[Key, ImportRow]], now: datetime, *, links: bool
    ) -> Sequence[int]:
        """Insert the batch's new quotes; their ids, in order, when ``links`` are to be written."""
        if not new:
            return ()
        columns = ["speaker_id", "text", "text_hash", "date", "date_precision", "kind"]
        columns += ["context", "created_at"]
        dates = driver_values(self.connection, QUOTES, "date")
        stamp = driver_values(self.connection, QUOTES, "created_at")[now]
        values = [
            (
                key[0],
                row.text,
                row.text_hash,
                dates[row.date],
                row.precision,
                row.kind,
                row.context,
                stamp,
            )
            for key, row in new
        ]
        ready = ("date", "created_at")
        if links and self.connection.dialect.name == "postgresql":
            # Take the ids from the table's sequence first, so COPY needs no lookup after.
            ids = self._next_quote_ids(len(new))
            rows = [(quote_id, *value) for quote_id, value in zip(ids, values, strict=True)]
            bulk_insert(self.connection, QUOTES, ["id", *columns], rows, converted=ready)
            return ids
        top = self._top_quote_id() if links else None
        bulk_insert(self.connection, QUOTES, columns, values, converted=ready)
        if not links:
            return ()
        if top is not None and self._top_quote_id() == top + len(new):
            # SQLite gives rows of one executemany consecutive rowids, and this
            # transaction holds the write lock: the ids are known without a lookup.
            return range(top + 1, top + 1 + len(new))
        found = self._existing_quotes(k for k, _ in new)
        return [found[k][0] for k, _ in new]

    def _next_quote_ids(self, count: int) -> list[int]:
        result = self.connection.execute(
            text(
                "SELECT nextval(pg_get_serial_sequence('quotes', 'id')) "
                "FROM generate_series(1, :count)"
            ),
            {"count": count},
        )
        return [int(value) for (value,) in result]

    def _top_quote_id(self) -> int:
        return int(
            self.connection.execute(select(func.coalesce(func.max(QUOTES.c.id), 0))).scalar_one()
        )

    def _fill_missing(
        self,
        old: list[tuple[Key, ImportRow]],
        existing: dict[Key, tuple[int, Any, str | None]],
    ) -> None:
        """A repeat may bring a date or context the first record lacked; never overwrite."""
        dates: dict[int, dict[str, Any]] = {}
        contexts: dict[int, dict[str, Any]] = {}
        for key, row in old:
            quote_id, when, context = existing[key]
            if when is None and row.date is not None and quote_id not in dates:
                dates[quote_id] = {"qid": quote_id, "d": row.date, "p": row.precision}
            if not context and row.context and quote_id not in contexts:
                contexts[quote_id] = {"qid": quote_id, "c": row.context}
        if dates:
            self.connection.execute(
                update(QUOTES)
                .where(QUOTES.c.id == bindparam("qid"))
                .values(date=bindparam("d"), date_precision=bindparam("p")),
                list(dates.values()),
            )
        if contexts:
            self.connection.execute(
                update(QUOTES)
                .where(QUOTES.c.id == bindparam("qid"))
                .values(context=bindparam("c")),
                list(contexts.values()),
            )

    # -- sources, topics, stances -------------------------------------------------

    def _source_ids(self, cells: Iterable[Sources]) -> dict[tuple[str | None, str | None], int]:
        """Find or create the sources of the batch's distinct ``sources`` values.

        A source is found by URL, or by outlet when there is no URL.
        """
        wanted: dict[tuple[str | None, str | None], str | None] = {}
        for cell in cells:
            for url, outlet in cell:
                key = (url, None if url else outlet)
                if key not in self.source_ids and wanted.get(key) is None:
                    wanted[key] = outlet
        urls = [url for url, _ in wanted if url]
        outlets = [outlet for url, outlet in wanted if not url]
        named: list[dict[str, Any]] = []
        for chunk in chunks(urls):
            for source_id, url, outlet in self.connection.execute(
                select(SOURCES.c.id, SOURCES.c.url, SOURCES.c.outlet).where(
                    SOURCES.c.url.in_(chunk)
                )
            ):
                self.source_ids[(url, None)] = source_id
                if outlet is None and wanted[(url, None)]:  # as find_or_create_source does
                    named.append({"sid": source_id, "o": wanted[(url, None)]})
        if named:
            self.connection.execute(
                update(SOURCES)
                .where(SOURCES.c.id == bindparam("sid"))
                .values(outlet=bindparam("o")),
                named,
            )
        for chunk in chunks(outlets):
            for source_id, outlet in self.connection.execute(
                select(SOURCES.c.id, SOURCES.c.outlet)
                .where(SOURCES.c.url.is_(None), SOURCES.c.outlet.in_(chunk))
                .order_by(SOURCES.c.id.desc())
            ):
                self.source_ids[(None, outlet)] = source_id
        missing = [(key, outlet) for key, outlet in wanted.items() if key not in self.source_ids]
        if missing:
            created = self.connection.execute(
                insert(SOURCES).returning(SOURCES.c.id, sort_by_parameter_order=True),
                [{"url": key[0], "outlet": outlet} for key, outlet in missing],
            )
            for (key, _), (source_id,) in zip(missing, created, strict=True):
                self.source_ids[key] = source_id
        return self.source_ids

    def _link_sources(
        self,
        linked: list[tuple[int, ImportRow]],
        fresh: Container[int],
        now: datetime,
        *,
        ordered: bool = False,
    ) -> int:
        """Link each quote to its sources; ``ordered``: ``linked`` is in id order already.

        The pairs keep their first-seen order (a dict, not a set), so a batch of
        only new quotes, inserted in id order, needs no sort of its pairs.
        """
        # Rows share a few ``sources`` values (the validator keeps one tuple per
        # distinct cell), so sources are resolved per distinct value, not per row.
        cells = dict.fromkeys(row.sources for _, row in linked)
        sources = self._source_ids(cells)
        targets = {
            cell: [sources[(url, None if url else outlet)] for url, outlet in cell]
            for cell in cells
        }
        pairs = {
            (quote_id, source_id): None
            for quote_id, row in linked
            for source_id in targets[row.sources]
        }
        present = self._existing_pairs(QUOTE_SOURCES, "source_id", pairs.keys(), fresh)
        stamp = driver_values(self.connection, QUOTE_SOURCES, "created_at")[now]
        values = [(q, s, stamp) for q, s in pairs if (q, s) not in present]
        if not ordered:
            values.sort()
        columns = ("quote_id", "source_id", "created_at")
        bulk_insert(self.connection, QUOTE_SOURCES, columns, values, converted=("created_at",))
        if len(self.source_ids) > _SOURCE_CACHE_LIMIT:
            self.source_ids.clear()
        return len(values)

    def _link_topics(
        self, linked: list[tuple[int, ImportRow]], fresh: Container[int], now: datetime
    ) -> None:
        pairs = {(q, self.topic_ids[t]) for q, row in linked for t in row.topics}
        if not pairs:
            return
        present = self._existing_pairs(QUOTE_TOPICS, "topic_id", pairs, fresh)
        if present:  # a person's link wins over an automatic one
            self.connection.execute(
                update(QUOTE_TOPICS)
                .where(
                    and_(
                        QUOTE_TOPICS.c.quote_id == bindparam("q"),
                        QUOTE_TOPICS.c.topic_id == bindparam("t"),
                        QUOTE_TOPICS.c.origin != Method.MANUAL,
                    )
                )
                .values(origin=Method.MANUAL.value, confidence=None),
                [{"q": q, "t": t} for q, t in sorted(present)],
            )
        pairs -= present
        if pairs:
            self.connection.execute(
                insert(QUOTE_TOPICS),
                [
                    {"quote_id": q, "topic_id": t, "origin": Method.MANUAL.value, "created_at": now}
                    for q, t in sorted(pairs)
                ],
            )

    def _label_stances(
        self, linked: list[tuple[int, ImportRow]], fresh: Container[int], now: datetime
    ) -> None:
        labels: dict[tuple[int, int], str] = {}
        for quote_id, row in linked:
            for topic, label in row.stances:
                labels[(quote_id, self.topic_ids[topic])] = label
        if not labels:
            return
        present = self._existing_pairs(
            STANCES, "topic_id", set(labels), fresh, STANCES.c.method == Method.MANUAL
        )
        if present:
            self.connection.execute(
                update(STANCES)
                .where(
                    and_(
                        STANCES.c.quote_id == bindparam("q"),
                        STANCES.c.topic_id == bindparam("t"),
                        STANCES.c.method == Method.MANUAL,
                    )
                )
                .values(label=bindparam("l"), score=bindparam("s")),
                [
                    {"q": q, "t": t, "l": labels[(q, t)], "s": LABEL_SCORES[labels[(q, t)]]}
                    for q, t in sorted(present)
                ],
            )
        new = sorted(set(labels) - present)
        if new:
            self.connection.execute(
                insert(STANCES),
                [
                    {
                        "quote_id": q,
                        "topic_id": t,
                        "label": labels[(q, t)],
                        "score": LABEL_SCORES[labels[(q, t)]],
                        "method": Method.MANUAL.value,
                        "model": None,
                        "created_at": now,
                    }
                    for q, t in new
                ],
            )

    def _existing_pairs(
        self,
        table: Any,
        column: str,
        pairs: AbstractSet[tuple[int, int]],
        fresh: Container[int],
        *conditions: Any,
    ) -> set[tuple[int, int]]:
        """Which (quote, other) pairs already exist; a quote made in this batch has none."""
        quote_ids = sorted({q for q, _ in pairs if q not in fresh})
        present: set[tuple[int, int]] = set()
        for chunk in chunks(quote_ids):
            result = self.connection.execute(
                select(table.c.quote_id, table.c[column]).where(
                    table.c.quote_id.in_(chunk), *conditions
                )
            )
            present.update((q, other) for q, other in result if (q, other) in pairs)
        return present
