"""Parquet output for exports and timelines, through the optional ``parquet`` extra.

pyarrow is large, so it is not a required dependency: ``pip install
'quotes[parquet]'`` adds it. Without it, asking for parquet is a clear error
(exit 2) raised before anything is read or written. The schemas are fixed
rather than inferred, so an empty export or a column that happens to be all
empty still has the right types, and list columns stay lists (not ``;``-joined
strings as in CSV).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, BinaryIO

from quotes.errors import BadInputError

MISSING = (
    "--format parquet needs pyarrow, which is not installed: "
    "install it with pip install 'quotes[parquet]' (or pip install pyarrow)."
)


def require_pyarrow() -> Any:
    """The pyarrow module, or BadInputError saying how to install it."""
    try:
        import pyarrow
        import pyarrow.parquet  # noqa: F401  (the submodule must import too)
    except ImportError:
        raise BadInputError(MISSING) from None
    return pyarrow


def quote_schema() -> Any:
    """The schema of exported quotes: the JSON quote object, column for column."""
    pa = require_pyarrow()
    source = pa.struct([("url", pa.string()), ("outlet", pa.string()), ("title", pa.string())])
    link = pa.struct(
        [("topic", pa.string()), ("origin", pa.string()), ("confidence", pa.float64())]
    )
    stance = pa.struct(
        [
            ("topic", pa.string()),
            ("label", pa.string()),
            ("score", pa.float64()),
            ("method", pa.string()),
            ("model", pa.string()),
            ("confidence", pa.float64()),
        ]
    )
    return pa.schema(
        [
            ("id", pa.int64()),
            ("text", pa.string()),
            ("speaker", pa.string()),
            ("date", pa.string()),
            ("date_precision", pa.string()),
            ("kind", pa.string()),
            ("context", pa.string()),
            ("language", pa.string()),
            ("sources", pa.list_(source)),
            ("topics", pa.list_(pa.string())),
            ("topic_links", pa.list_(link)),
            ("stances", pa.list_(stance)),
            ("created_at", pa.string()),
        ]
    )


def timeline_schema() -> Any:
    """The schema of timeline rows: speaker, topic, period, score, n, quote_ids."""
    pa = require_pyarrow()
    return pa.schema(
        [
            ("speaker", pa.string()),
            ("topic", pa.string()),
            ("period", pa.string()),
            ("score", pa.float64()),
            ("n", pa.int64()),
            ("quote_ids", pa.list_(pa.int64())),
        ]
    )


def write_parquet(
    rows: Iterable[dict[str, Any]], schema: Any, out: BinaryIO, *, batch: int = 1000
) -> int:
    """Write dict rows (extra keys ignored) to ``out`` in batches; returns the count."""
    pa = require_pyarrow()
    import pyarrow.parquet as pq

    names = schema.names
    count = 0
    with pq.ParquetWriter(out, schema) as writer:
        chunk: list[dict[str, Any]] = []
        for row in rows:
            chunk.append({name: row.get(name) for name in names})
            if len(chunk) >= batch:
                writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
                count += len(chunk)
                chunk = []
        if chunk or count == 0:
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
            count += len(chunk)
    return count
