"""The import's fast paths give what the general rules give.

The batch writer skips the dedup look-up for speakers the import created,
inserts a batch speaker by speaker and links sources per distinct cell; the
validator reads remembered values by the raw cell; the text rules use regular
expressions and skip the whitespace collapse of clean printable ASCII. Each
test here feeds the case a shortcut could get wrong.
"""

from __future__ import annotations

import json
import random
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from quotes.errors import BadInputError
from quotes.store import normalize
from quotes.store.engine import open_database
from quotes.store.models import Quote, QuoteSource, Source, Speaker

HEADER = "text,speaker,date,source_url,outlet,context,topics,kind,stance\n"


def imported(cli: Any, tmp_path: Path, content: str, *args: str) -> dict[str, Any]:
    path = tmp_path / f"rows-{random.random():.12f}.csv"
    path.write_text(content, encoding="utf-8")
    document: dict[str, Any] = json.loads(cli.ok("import", str(path), "--json", *args).stdout)
    return document


def quotes_by_text(url: str) -> dict[str, dict[str, Any]]:
    """Each quote's speaker, date, context and source outlets/URLs, by text."""
    with open_database(url).session() as session:
        found: dict[str, dict[str, Any]] = {}
        for quote, speaker in session.execute(
            select(Quote, Speaker.name).join(Speaker, Speaker.id == Quote.speaker_id)
        ):
            sources = session.execute(
                select(Source.url, Source.outlet)
                .join(QuoteSource, QuoteSource.source_id == Source.id)
                .where(QuoteSource.quote_id == quote.id)
            ).all()
            found[quote.text] = {
                "id": quote.id,
                "speaker": speaker,
                "date": quote.date.isoformat() if quote.date else None,
                "context": quote.context,
                "sources": sorted((url or "", outlet or "") for url, outlet in sources),
            }
        return found


def test_a_repeat_brings_the_only_source_in_the_same_batch(cli: Any, tmp_path: Path) -> None:
    """The first record has no source and no link; its repeat does: the link is written."""
    got = imported(
        cli,
        tmp_path,
        HEADER
        + "We hold the line.,Ann Lee,,,,,,,\n"
        + "We hold the line.,ann lee,2021-05-02,https://example.org/a,Daily,At a rally,,,\n",
    )
    assert (got["added"], got["merged"], got["sources_attached"]) == (1, 1, 1)
    quote = quotes_by_text(cli.url)["We hold the line."]
    assert quote["sources"] == [("https://example.org/a", "Daily")]
    assert (quote["date"], quote["context"]) == ("2021-05-02", "At a rally")


@pytest.mark.parametrize("batch", ["1", "2", "3", "50000"])
def test_duplicates_within_and_across_batches_with_new_speakers(
    cli: Any, tmp_path: Path, batch: str
) -> None:
    """New speakers' keys are looked up only if an earlier batch may have written them."""
    rows = [
        "First words.,New Person,,,Outlet A,,,,",
        "Second words.,New Person,,,Outlet A,,,,",
        "First words.,NEW PERSON,2020,,Outlet B,,,,",  # a repeat: same batch or a later one
        "Other words.,Someone Else,,,Outlet A,,,,",
        "Second words.,New Person,,,Outlet A,,,,",  # same source again: nothing new
    ]
    got = imported(cli, tmp_path, HEADER + "\n".join(rows) + "\n", "--batch-size", batch)
    assert (got["added"], got["merged"], got["rejected"]) == (3, 2, 0)
    assert got["speakers_created"] == 2
    assert got["sources_attached"] == 4
    found = quotes_by_text(cli.url)
    assert sorted(found) == ["First words.", "Other words.", "Second words."]
    assert found["First words."]["sources"] == [("", "Outlet A"), ("", "Outlet B")]
    assert found["First words."]["date"] == "2020-01-01"
    assert found["Second words."]["sources"] == [("", "Outlet A")]
    again = imported(cli, tmp_path, HEADER + "\n".join(rows) + "\n", "--batch-size", batch)
    assert (again["added"], again["merged"], again["sources_attached"]) == (0, 5, 0)


def test_a_batch_is_numbered_speaker_by_speaker_in_file_order(cli: Any, tmp_path: Path) -> None:
    """Within a batch, ids go speaker by speaker; each speaker's quotes keep the file's order,
    and every quote keeps its own row's source."""
    rows = [
        f"Statement {i}.,Speaker {'BAC'[i % 3]},,https://example.org/{i},Outlet {i % 2},,,,"
        for i in range(12)
    ]
    got = imported(cli, tmp_path, HEADER + "\n".join(rows) + "\n")
    assert (got["added"], got["sources_attached"]) == (12, 12)
    found = quotes_by_text(cli.url)
    for speaker in ("Speaker A", "Speaker B", "Speaker C"):
        own = sorted(
            (q["id"], int(t.split()[1].rstrip(".")))
            for t, q in found.items()
            if q["speaker"] == speaker
        )
        assert [n for _, n in own] == sorted(n for _, n in own)  # file order within a speaker
        ids = [i for i, _ in own]
        assert ids == list(range(ids[0], ids[0] + 4))  # one speaker's quotes together
    for text, quote in found.items():
        number = int(text.split()[1].rstrip("."))
        assert quote["sources"] == [(f"https://example.org/{number}", f"Outlet {number % 2}")]


def test_hostile_text_through_the_fast_paths(cli: Any, tmp_path: Path) -> None:
    """Invisible characters, quotation-mark styles, full-width forms, odd spacing and
    control characters: the same keys as the general rules, bad rows rejected."""
    rows = [
        '"sover\u200beignty  matters ",Ann Lee,,,Outlet A,,,,',
        "\u201cSovereignty matters\u201d,Ann Lee,,,Outlet B,,,,",  # same key as above
        "\uff33overeignty matters,Ann Lee,,,Outlet C,,,,",  # full-width S: same key
        " Plain   ASCII ,Bo Chen,,,Outlet A,,,,",
        "Plain ASCII,Bo Chen,,,Outlet A,,,,",  # same words, clean: merged
        "Bad \x01 control,Bo Chen,,,Outlet A,,,,",
        '"Tabs\tand\nbreaks",Bo Chen,,,Outlet A,,,,',
        "Caf\u0065\u0301 talk,Bo Chen,,,Outlet A,,,,",  # decomposed: stored NFC
        "Caf\u00e9 talk,Bo Chen,,,Outlet B,,,,",
    ]
    got = imported(cli, tmp_path, HEADER + "\n".join(rows) + "\n")
    assert (got["added"], got["merged"], got["rejected"]) == (4, 4, 1)
    assert "U+0001" in got["rejects"][0]["reason"]
    found = quotes_by_text(cli.url)
    assert sorted(found) == ["Café talk", "Plain ASCII", "Tabs and breaks", "sovereignty matters"]
    assert len(found["sovereignty matters"]["sources"]) == 3
    with open_database(cli.url).session() as session:
        assert session.scalar(select(func.count()).select_from(Speaker)) == 2


def _translated(text: str) -> str:
    """The comparison form written with str.translate tables: an independent oracle."""
    if not text.isascii():
        text = text.translate(str.maketrans(dict.fromkeys(normalize.INVISIBLE)))
        text = unicodedata.normalize("NFC", text)
        text = text.translate(str.maketrans(normalize._FOLDS))
    return " ".join(text.split()).strip("\"' ").lower()


def test_text_rules_match_a_translate_table_oracle() -> None:
    alphabet = [*"aZ ,.'\"-\t\\]^", *normalize.INVISIBLE, *normalize._FOLDS, "e\u0301", "ß", "²"]
    rng = random.Random(13)
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
        assert normalize.normalize_text(text) == _translated(text), repr(text)
        cleaned = normalize.clean_text(text)
        assert cleaned == " ".join(cleaned.split())  # stored text is collapsed and trimmed
        assert not set(normalize.INVISIBLE) & set(cleaned)


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        ("plain words", "plain words"),
        (" lead", "lead"),
        ("trail ", "trail"),
        ("double  space", "double space"),
        ("", ""),
        (" ", ""),
        ("a", "a"),
        ("tab\there", "tab here"),
        ("line\r\nbreak", "line break"),
    ],
)
def test_clean_ascii_shortcut_equals_the_collapse(text: str, stored: str) -> None:
    assert normalize.clean_text(text) == stored


def test_a_control_character_is_still_refused() -> None:
    with pytest.raises(BadInputError, match="U\\+001F"):
        normalize.clean_text("x\x1fy")


def test_imported_dates_are_stored_as_the_orm_stores_them(cli: Any, tmp_path: Path) -> None:
    """The writer converts each distinct date and the batch's timestamp once (driver_values):
    the stored values read back exactly like those of a quote added one at a time."""
    cli.ok("add", "Added by hand.", "--speaker", "Ann Lee", "--date", "2021-05-02")
    imported(cli, tmp_path, HEADER + "Imported in bulk.,Ann Lee,2021-05-02,,Outlet A,,,,\n")
    database = open_database(cli.url)
    with database.engine.connect() as connection:
        raw = {
            text: (when, type(created).__name__, len(str(created)) if database.is_sqlite else 0)
            for text, when, created in connection.exec_driver_sql(
                "SELECT text, date, created_at FROM quotes"
            )
        }
    assert raw["Imported in bulk."] == raw["Added by hand."]
    with database.session() as session:
        dates = {q.text: q.date for q in session.scalars(select(Quote))}
    assert dates["Imported in bulk."] == dates["Added by hand."]
    assert dates["Imported in bulk."] is not None
