"""Parquet output through the optional extra, and the message without it."""

from __future__ import annotations

import io
import sys

import pytest

from quotes.errors import BadInputError
from quotes.exports.parquet import quote_schema, require_pyarrow, timeline_schema, write_parquet


def test_timeline_rows_round_trip_with_list_columns() -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    rows = [
        {
            "speaker": "Mark Rutte",
            "topic": "security",
            "period": "2026-01",
            "score": 0.5,
            "n": 2,
            "quote_ids": [3, 4],
        },
        {
            "speaker": "Mette Frederiksen",
            "topic": "security",
            "period": "2026",
            "score": -0.25,
            "n": 1,
            "quote_ids": [7],
        },
    ]
    buffer = io.BytesIO()
    assert write_parquet(rows, timeline_schema(), buffer, batch=1) == 2
    buffer.seek(0)
    assert pq.read_table(buffer).to_pylist() == rows


def test_empty_export_keeps_the_typed_schema() -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    buffer = io.BytesIO()
    assert write_parquet([], quote_schema(), buffer) == 0
    buffer.seek(0)
    table = pq.read_table(buffer)
    assert table.num_rows == 0
    assert str(table.schema.field("topics").type) == "list<element: string>"
    assert table.schema.field("stances").type.value_type.names == [
        "topic",
        "label",
        "score",
        "method",
        "model",
        "confidence",
    ]


def test_without_pyarrow_the_message_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # makes `import pyarrow` fail
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(BadInputError, match=r"pip install 'quotes\[parquet\]'"):
        require_pyarrow()
    with pytest.raises(BadInputError, match="pyarrow"):
        timeline_schema()
