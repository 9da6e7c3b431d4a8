"""The public data sets through `quotes import`, as they are (slices of the files).

LIAR (PolitiFact) is tab-separated with no header and no quote processing;
ParlEE (UK Commons sentences) is a CSV with dd/mm/yyyy dates, mostly UTF-8
with a few Windows-1252 lines. Both must import with only --map, --encoding
and --date-format. The slices are copied from ../shared/data at test time.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from quotes.store.engine import open_database
from quotes.store.models import Quote, Speaker
from tests.conftest import shared_data_dir


def _slice(name: str, lines: int, tmp_path: Path) -> Path:
    data = shared_data_dir()
    if data is None or not (data / name).exists():
        pytest.skip(f"../shared/data/{name} is not here")
    with (data / name).open("rb") as source:
        head = b"".join(line for _, line in zip(range(lines), source, strict=False))
    target = tmp_path / Path(name).name
    target.write_bytes(head)
    return target


def _import(cli: Any, *args: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(cli.ok("import", *args, "--json").stdout)
    return document


def _quote(url: str, text: str) -> tuple[str, str | None, str | None]:
    with open_database(url).session() as session:
        quote = session.scalars(select(Quote).where(Quote.text == text)).one()
        speaker = session.get(Speaker, quote.speaker_id)
        assert speaker is not None
        date = quote.date.isoformat() if quote.date else None
        return speaker.name, date, quote.context


def test_liar_statements(cli: Any, tmp_path: Path) -> None:
    path = _slice("liar/train.tsv", 300, tmp_path)
    got = _import(cli, str(path), "--no-header", "--map", "text=3,speaker=5,context=14")
    assert (got["rows"], got["rejected"]) == (300, 0)
    assert got["added"] + got["merged"] == 300 and got["added"] > 290
    assert _quote(
        cli.url,
        "Says the Annies List political group supports third-trimester abortions on demand.",
    ) == ("dwayne-bohac", None, "a mailer")
    # A statement with its own quotation marks keeps them (no quote processing in TSV).
    assert (
        _quote(
            cli.url,
            'Hillary Clinton agrees with John McCain "by voting to give George Bush the benefit '
            'of the doubt on Iran."',
        )[0]
        == "barack-obama"
    )
    again = _import(cli, str(path), "--no-header", "--map", "text=3,speaker=5,context=14")
    assert (again["added"], again["merged"]) == (0, 300)


def test_parlee_sentences(cli: Any, tmp_path: Path) -> None:
    path = _slice("parlee/UK_2009_2014_annotated_sample.csv", 300, tmp_path)
    options = ["--date-format", "%d/%m/%Y", "--map", "context=agenda"]
    strict_utf8 = _import(cli, str(path), *options, "--dry-run")
    # Line 46 (and one more in the slice) holds Windows-1252 bytes: reported, not a crash.
    lines = [r["line"] for r in strict_utf8["rejects"]]
    assert 46 in lines and all("not utf-8" in r["reason"] for r in strict_utf8["rejects"])
    got = _import(cli, str(path), *options, "--encoding", "utf-8,cp1252")
    assert (got["rows"], got["rejected"]) == (299, 0)
    assert _quote(
        cli.url, "I suspect that the same would not be true if the Chinooks descended upon my hon."
    ) == ("James Arbuthnot", "2009-01-29", "Armed Forces Personnel")
    assert _quote(cli.url, "Members\u2019 questions.")[:2] == ("David Cameron", "2011-05-03")
    with open_database(cli.url).session() as session:
        assert session.scalar(select(func.count()).select_from(Quote)) == got["added"]
        assert not session.scalar(select(func.count()).where(Quote.text.contains("\u00e2\u0080")))


def test_parlee_as_latin1_reads_every_line(cli: Any, tmp_path: Path) -> None:
    """The data README's advice (latin-1) decodes every byte, but the file's
    Windows-1252 punctuation becomes C1 control characters, which the text
    rules refuse: those rows (and only those) are rejected, and the right
    encoding list reads them all (see the utf-8,cp1252 test)."""
    path = _slice("parlee/UK_2009_2014_annotated_sample.csv", 60, tmp_path)
    got = _import(cli, str(path), "--encoding", "latin-1", "--date-format", "%d/%m/%Y")
    assert (got["rows"], got["rejected"]) == (59, 3)
