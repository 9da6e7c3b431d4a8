"""Speakers an import creates: their quotes skip the dedup look-up, and nothing is lost.

The batch writer looks up no key of a speaker this import created unless an
earlier batch may have written it (a bit set of keys). Two things can still
put such a key in the table: a key the bit set forgot, and another program
giving that speaker a quote between two batches. Both must end as a merge,
exactly as if every key had been looked up.
"""

from __future__ import annotations

import io
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

import quotes
from quotes.ingest.importing import seen
from quotes.ingest.importing.run import ImportOptions, import_file
from quotes.store.engine import open_database
from quotes.store.models import Quote, QuoteSource, Source

HEADER = "text,speaker,date,outlet,context\n"


def _sources_of(url: str, text: str) -> list[str]:
    with open_database(url).session() as session:
        return sorted(
            str(outlet)
            for (outlet,) in session.execute(
                select(Source.outlet)
                .join(QuoteSource, QuoteSource.source_id == Source.id)
                .join(Quote, Quote.id == QuoteSource.quote_id)
                .where(Quote.text == text)
            )
        )


def test_seen_keys_never_forget_an_added_key() -> None:
    rng = random.Random(5)
    keys = [(rng.randint(1, 50), f"{rng.getrandbits(256):064x}") for _ in range(5_000)]
    small = seen.SeenKeys(bits=1 << 10)  # crowded: many false "maybe", never a false "no"
    small.add(keys[:2_500])
    assert set(small.maybe(keys[:2_500])) == set(keys[:2_500])
    roomy = seen.SeenKeys()
    roomy.add(keys[:2_500])
    assert len(roomy.maybe(keys[2_500:])) < 25  # about none of the others
    with pytest.raises(ValueError, match="power of two"):
        seen.SeenKeys(bits=1000)


def test_a_key_the_bit_set_forgot_is_merged_through_the_savepoint(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the bit set answering "no" for everything, a repeat in a later batch of a
    new speaker's quote hits the unique rule: the batch looks it up and merges it."""
    monkeypatch.setattr(seen.SeenKeys, "maybe", lambda self, keys: [])
    path = tmp_path / "rows.csv"
    path.write_text(
        HEADER
        + "We hold the line.,New Person,,Outlet A,\n"
        + "Other words.,New Person,,Outlet A,\n"
        + "We hold the line.,new person,2021-05-02,Outlet B,At a rally\n"
        + "Third words.,New Person,,Outlet A,\n",
        encoding="utf-8",
    )
    got = json.loads(cli.ok("import", str(path), "--json", "--batch-size", "2").stdout)
    assert (got["added"], got["merged"], got["rejected"]) == (3, 1, 0)
    assert got["sources_attached"] == 4
    assert _sources_of(cli.url, "We hold the line.") == ["Outlet A", "Outlet B"]
    with open_database(cli.url).session() as session:
        quote = session.execute(select(Quote).where(Quote.text == "We hold the line.")).scalar_one()
        assert (quote.date.isoformat() if quote.date else None, quote.context) == (
            "2021-05-02",
            "At a rally",
        )
        assert session.scalar(select(func.count()).select_from(Quote)) == 3


class _AddsBeforeLine(io.RawIOBase):
    """A file that, when the import reads line ``number``, lets another program add a quote."""

    def __init__(self, content: bytes, number: int, add: Any) -> None:
        self.lines: Iterator[bytes] = iter(content.splitlines(keepends=True))
        self.number = number
        self.read_so_far = 0
        self.add = add

    def readable(self) -> bool:
        return True

    def readline(self, size: int | None = -1) -> bytes:
        line = next(self.lines, b"")
        if line:
            self.read_so_far += 1
            if self.read_so_far == self.number:
                self.add()
        return line


def test_another_program_gives_a_new_speaker_a_quote_between_batches(db_url: str) -> None:
    """Batch 1 creates New Person; before batch 2, another program adds one of the
    statements batch 2 brings: batch 2's insert is refused, looked up and merged."""
    content = (
        HEADER
        + "First words.,New Person,,Outlet A,\n"
        + "Second words.,New Person,,Outlet A,\n"
        + "Added meanwhile.,New Person,2021-05-02,Outlet B,\n"
        + "Fourth words.,New Person,,Outlet A,\n"
    ).encode()

    def add() -> None:  # on another connection of the pool, in its own transaction
        quotes.open(db_url).add("Added meanwhile.", speaker="New Person", context="Said elsewhere")

    stream = _AddsBeforeLine(content, 4, add)  # line 4: the first row of batch 2
    database = open_database(db_url)
    summary = import_file(database, stream, ImportOptions(batch_size=2), name="rows.csv")
    assert (summary.added, summary.merged, summary.rejected) == (3, 1, 0)
    assert summary.speakers_created == 1
    with database.session() as session:
        texts = sorted(session.scalars(select(Quote.text)))
        merged = session.execute(select(Quote).where(Quote.text == "Added meanwhile.")).scalar_one()
        assert texts == ["Added meanwhile.", "First words.", "Fourth words.", "Second words."]
        assert merged.context == "Said elsewhere"  # never overwritten
        assert merged.date is not None and merged.date.isoformat() == "2021-05-02"  # filled
    assert _sources_of(db_url, "Added meanwhile.") == ["Outlet B"]
