"""Reading import files: lines, CSV/TSV/JSONL records and the column mapping (no database)."""

from __future__ import annotations

import io

import pytest

from quotes.errors import BadInputError
from quotes.ingest.importing.formats import (
    Record,
    Rejected,
    csv_records,
    format_for,
    jsonl_records,
    tsv_records,
)
from quotes.ingest.importing.lines import MAX_LINE_BYTES, read_lines
from quotes.ingest.importing.mapping import parse_map, resolve_columns, resolve_keys


def lines(data: bytes, encoding: str = "utf-8") -> list:  # type: ignore[type-arg]
    return list(read_lines(io.BytesIO(data), encoding))


def parsed(data: str, kind: str = "csv") -> list[Record | Rejected]:
    source = read_lines(io.BytesIO(data.encode("utf-8")), "utf-8")
    reader = {"csv": csv_records, "tsv": tsv_records, "jsonl": jsonl_records}[kind]
    return list(reader(source))


def test_lines_are_numbered_and_a_utf8_bom_is_dropped() -> None:
    got = lines(b"\xef\xbb\xbftext,speaker\r\na,b\n")
    assert [(line.number, line.text, line.error) for line in got] == [
        (1, "text,speaker\r\n", None),
        (2, "a,b\n", None),
    ]


def test_undecodable_bytes_name_their_line_and_the_next_lines_still_read() -> None:
    got = lines("text\nJos\u00e9\n".encode("latin-1") + b"ok\n")
    assert got[0].error is None and got[2].error is None
    assert got[1].error is not None
    assert got[1].error.startswith("line 2 has bytes that are not utf-8 (byte 0xe9")
    assert [line.text for line in lines("Jos\u00e9\n".encode("latin-1"), "latin-1")] == [
        "Jos\u00e9\n"
    ]


def test_a_line_over_the_limit_is_skipped_without_reading_it_whole() -> None:
    huge = b"x" * (10 * 1024 * 1024)
    got = lines(b"first\n" + huge + b"\nlast\n")
    assert [line.text for line in got if line.error is None] == ["first\n", "last\n"]
    assert got[1].error == (
        f"line 2 is {len(huge) + 1:,} bytes long; the limit is {MAX_LINE_BYTES:,} bytes"
    )
    assert len(got[1].text) <= 200


def test_utf16_files_are_read() -> None:
    got = lines("text,speaker\nWir,Merz\n".encode("utf-16"), "utf-16")
    assert [line.text for line in got] == ["text,speaker\n", "Wir,Merz\n"]


def test_unknown_encoding_is_bad_input() -> None:
    with pytest.raises(BadInputError, match="unknown encoding 'klingon'"):
        lines(b"x", "klingon")


def test_csv_fields_may_hold_newlines_and_quotes() -> None:
    got = parsed('text,speaker\n"two\nlines, and ""quotes""",Ann\nplain,Bob\n')
    assert [(r.line, r.values) for r in got if isinstance(r, Record)] == [
        (1, ["text", "speaker"]),
        (2, ['two\nlines, and "quotes"', "Ann"]),
        (4, ["plain", "Bob"]),
    ]


def test_an_unclosed_quote_rejects_its_line_and_the_rows_after_it_still_parse() -> None:
    got = parsed('text,speaker\n"never closed,Ann\ngood one,Bob\n"also good",Cy\n')
    assert isinstance(got[1], Rejected)
    assert got[1].line == 2 and "line 2 opens a quoted field" in got[1].reason
    assert [(r.line, r.values) for r in got[2:]] == [
        (3, ["good one", "Bob"]),
        (4, ["also good", "Cy"]),
    ]


def test_a_quote_closed_in_the_wrong_place_is_rejected() -> None:
    got = parsed('text,speaker\n"bad" quote,Ann\nok,Bob\n')
    assert isinstance(got[1], Rejected) and got[1].line == 2
    assert "not valid CSV" in got[1].reason
    assert isinstance(got[2], Record) and got[2].values == ["ok", "Bob"]


def test_tsv_does_no_quote_processing() -> None:
    got = parsed('1\t"quoted" words\tann\n\n2\tx\n', "tsv")
    assert [(r.line, r.values) for r in got] == [
        (1, ["1", '"quoted" words', "ann"]),
        (3, ["2", "x"]),
    ]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('["a list"]', "line 2 is an array, not a JSON object"),
        ('"text"', "line 2 is a string, not a JSON object"),
        ("42", "line 2 is a number, not a JSON object"),
        ("null", "line 2 is null, not a JSON object"),
        ('{"text": "unterminated', "line 2 is not valid JSON (Unterminated string"),
    ],
)
def test_a_json_line_that_is_not_an_object_is_rejected(line: str, reason: str) -> None:
    got = parsed(
        f'{{"text": "a", "speaker": "b"}}\n{line}\n{{"text": "c", "speaker": "d"}}\n', "jsonl"
    )
    assert isinstance(got[0], Record) and isinstance(got[2], Record)
    assert isinstance(got[1], Rejected) and got[1].reason.startswith(reason)


def test_format_comes_from_the_extension_unless_given() -> None:
    assert format_for("a.CSV", None) == "csv"
    assert format_for("a.tsv", None) == "tsv"
    assert format_for("a.ndjson", None) == "jsonl"
    assert format_for("a.txt", "TSV") == "tsv"
    with pytest.raises(BadInputError, match="cannot tell the format of 'a.txt'"):
        format_for("a.txt", None)
    with pytest.raises(BadInputError, match="unknown --format 'xml'"):
        format_for("a.csv", "xml")


def test_mapping_by_header_name_number_and_map() -> None:
    columns = resolve_columns(["Tweet", "author", "Date"], parse_map(["text=tweet,speaker=2"]))
    assert columns.index == {"date": 2, "text": 0, "speaker": 1}
    assert columns.values(["hello", "Ann", "2020"]) == {
        "date": "2020",
        "text": "hello",
        "speaker": "Ann",
    }


def test_missing_required_columns_are_named_in_one_error() -> None:
    with pytest.raises(BadInputError) as caught:
        resolve_columns(["quote", "who"], {})
    assert str(caught.value) == (
        "the file has no column for text and speaker (its columns are 'quote', 'who'): "
        "rename them or pass --map text=COLUMN,speaker=COLUMN."
    )


@pytest.mark.parametrize(
    ("header", "spec", "message"),
    [
        (["a"], ["txt=a"], "unknown field 'txt' in --map"),
        (["a"], ["text"], "invalid --map entry 'text'"),
        (["a", "b"], ["text=c,speaker=b"], "the file has no column 'c'; its columns are 'a', 'b'"),
        (["a", "b"], ["text=3,speaker=1"], "--map text=3: no column 3 (the header has 2)"),
        (None, ["text=a,speaker=2"], "a file without a header row is read by column number"),
        (None, ["text=1"], "no column given for speaker"),
    ],
)
def test_bad_mappings(header: list[str] | None, spec: list[str], message: str) -> None:
    with pytest.raises(BadInputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        resolve_columns(header, parse_map(spec))


def test_json_keys_follow_the_map_and_refuse_numbers() -> None:
    assert resolve_keys({"text": "body"})["text"] == "body"
    with pytest.raises(BadInputError, match="read by key, not column number"):
        resolve_keys({"text": "3"})


def test_a_list_of_encodings_decodes_each_line_with_the_first_that_fits() -> None:
    data = "\u201cUTF-8\u201d\n".encode() + "Members\u2019 questions\n".encode("cp1252")
    got = lines(data, "utf-8,cp1252")
    assert [(line.text, line.error) for line in got] == [
        ("\u201cUTF-8\u201d\n", None),
        ("Members\u2019 questions\n", None),
    ]
    assert lines(data)[1].error is not None
    with pytest.raises(BadInputError, match="cannot be mixed"):
        lines(data, "utf-16,utf-8")
