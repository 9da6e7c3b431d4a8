"""Imported quotes are searchable: the full-text index filled per batch stays exact.

On SQLite the import drops the FTS insert trigger inside each batch's
transaction and indexes the batch in one statement (quotes.ingest.importing.
fulltext_batch); these tests hold it to what the trigger guaranteed, on both
back ends: every imported quote is found by its words, a later edit or add
is indexed as before, and an import that fails mid-batch leaves the index
and the table in agreement.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from quotes.ingest.importing import writer as writer_module
from quotes.ingest.importing.run import ImportOptions, import_file
from quotes.store.engine import close_all, open_database


class Interrupted(Exception):
    """Stands for anything that stops an import mid-batch (a crash, a lost connection)."""


WORDS = ["harbour", "glacier", "tariff", "pension", "satellite", "orchard", "turbine"]


def _write_csv(path: Path, rows: int, start: int = 0) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["text", "speaker", "date"])
        for i in range(start, start + rows):
            word = WORDS[i % len(WORDS)]
            out.writerow(
                [f"Statement {i} on the {word} question, item{i}.", f"MP {i % 13}", "2021"]
            )


def _search_ids(cli: Any, query: str) -> list[int]:
    result = cli.ok("search", query, "--mode", "text", "--limit", "500", "--json")
    return [hit["id"] for hit in json.loads(result.stdout)]


def _fts_agrees(url: str) -> None:
    """SQLite: FTS5's own integrity check against its content table; the trigger is back."""
    database = open_database(url)
    if not database.is_sqlite:
        return
    with database.engine.connect() as connection:
        connection.exec_driver_sql(
            "INSERT INTO quotes_fts(quotes_fts, rank) VALUES ('integrity-check', 1)"
        )
        triggers = set(
            connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'quotes'"
            ).scalars()
        )
    assert "quotes_fts_after_insert" in triggers


def test_every_quote_imported_in_batches_is_found(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    _write_csv(path, 700)
    cli.ok("import", str(path), "--batch-size", "100")
    found = _search_ids(cli, "glacier")
    assert len(found) == 100  # every 7th of 700 rows
    assert len(_search_ids(cli, '"tariff question"')) == 100
    assert len(_search_ids(cli, "item345")) == 1
    _fts_agrees(cli.url)


def test_an_edit_after_a_bulk_import_is_found_by_its_new_words_only(
    cli: Any, tmp_path: Path
) -> None:
    path = tmp_path / "rows.csv"
    _write_csv(path, 50)
    cli.ok("import", str(path), "--batch-size", "20")
    (quote_id,) = _search_ids(cli, "item7")
    cli.ok("edit", str(quote_id), "--text", "A wholly rewritten remark about lighthouses.")
    assert _search_ids(cli, "lighthouses") == [quote_id]
    assert _search_ids(cli, "item7") == []
    added = json.loads(
        cli.ok("add", "Another remark on lighthouses.", "--speaker", "MP 1", "--json").stdout
    )
    assert set(_search_ids(cli, "lighthouses")) == {quote_id, added["id"]}
    _fts_agrees(cli.url)


def test_an_import_that_fails_mid_batch_leaves_the_index_exact(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "rows.csv"
    _write_csv(path, 300)
    calls = {"n": 0}
    original = writer_module.Writer._insert_quotes

    def failing(self: Any, new: Any, now: Any, **options: Any) -> Any:
        calls["n"] += 1
        result = original(self, new, now, **options)
        if calls["n"] == 2:  # the second batch's rows are in, its index rows not yet
            raise Interrupted
        return result

    monkeypatch.setattr(writer_module.Writer, "_insert_quotes", failing)
    database = open_database(cli.url)
    with pytest.raises(Interrupted):
        import_file(database, str(path), ImportOptions(batch_size=100))
    close_all()
    assert len(_search_ids(cli, "statement")) == 100  # the first batch, committed
    _fts_agrees(cli.url)
    monkeypatch.setattr(writer_module.Writer, "_insert_quotes", original)
    again = json.loads(cli.ok("import", str(path), "--batch-size", "100", "--json").stdout)
    assert again["added"] == 200 and again["merged"] == 100
    assert len(_search_ids(cli, "statement")) == 300
    _fts_agrees(cli.url)


def test_a_dry_run_indexes_nothing(cli: Any, tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    _write_csv(path, 120)
    cli.ok("import", str(path), "--batch-size", "50", "--dry-run")
    assert _search_ids(cli, "statement") == []
    database = open_database(cli.url)
    if database.is_sqlite:
        with database.engine.connect() as connection:
            rows = connection.execute(text("SELECT count(*) FROM quotes_fts")).scalar_one()
        assert rows == 0
    _fts_agrees(cli.url)


def _completion_spy(
    monkeypatch: pytest.MonkeyPatch, fail_on: int | None = None
) -> list[tuple[str, int]]:
    """Record which thread completes each batch; optionally fail the completion of batch N."""
    import threading
    from contextlib import contextmanager

    from quotes.ingest.importing import fulltext_batch

    original = fulltext_batch.fulltext_per_batch
    seen: list[tuple[str, int]] = []

    @contextmanager
    def spied(connection: Any, defer: Any = None) -> Any:
        with original(connection, defer):
            yield

        def record() -> None:
            seen.append((threading.current_thread().name, len(seen) + 1))
            if fail_on is not None and len(seen) == fail_on:
                raise Interrupted  # the index fill or the commit failing, after the rows

        if defer is None:
            record()
        else:
            defer(record)  # completes the batch with its index fill and commit

    monkeypatch.setattr(writer_module, "fulltext_per_batch", spied)
    return seen


def test_batches_complete_on_a_second_thread_while_the_next_is_read(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "rows.csv"
    _write_csv(path, 350)
    seen = _completion_spy(monkeypatch)
    summary = import_file(open_database(cli.url), str(path), ImportOptions(batch_size=100))
    close_all()
    assert summary.added == 350
    assert [n for _, n in seen] == [1, 2, 3, 4]
    assert all(name.startswith("quotes-import") for name, _ in seen), seen
    assert len(_search_ids(cli, "statement")) == 350
    _fts_agrees(cli.url)
    seen.clear()
    dry = import_file(open_database(cli.url), str(path), ImportOptions(dry_run=True))
    close_all()
    assert dry.merged == 350 and [name for name, _ in seen] == ["MainThread"]  # one transaction


def test_a_batch_whose_completion_fails_is_not_kept_and_the_error_reaches_the_caller(
    cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "rows.csv"
    _write_csv(path, 350)
    _completion_spy(monkeypatch, fail_on=2)
    with pytest.raises(Interrupted):
        import_file(open_database(cli.url), str(path), ImportOptions(batch_size=100))
    close_all()
    # Batch 1 committed; batch 2 rolled back with its rows and index entries;
    # batch 3 never wrote (it waits for batch 2's commit before writing).
    assert len(_search_ids(cli, "statement")) == 100
    _fts_agrees(cli.url)
    monkeypatch.undo()
    again = json.loads(cli.ok("import", str(path), "--batch-size", "100", "--json").stdout)
    assert again["added"] == 250 and again["merged"] == 100
    _fts_agrees(cli.url)
