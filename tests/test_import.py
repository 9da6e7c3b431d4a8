"""`quotes import`: CSV, TSV and JSON Lines through the CLI, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from quotes.store.engine import open_database
from quotes.store.models import Quote, QuoteSource, QuoteTopic, Source, Speaker, StanceAssessment

HEADER = "text,speaker,date,source_url,outlet,context,topics,kind,stance\n"


def counts(url: str) -> dict[str, int]:
    with open_database(url).session() as session:
        return {
            model.__name__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Quote, Speaker, Source, QuoteSource, QuoteTopic, StanceAssessment)
        }


def write(tmp_path: Path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return str(path)


def summary(cli: Any, *args: str) -> dict[str, Any]:
    result = cli.ok("import", *args, "--json")
    document: dict[str, Any] = json.loads(result.stdout)
    return document


def show(cli: Any, quote_id: int) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(cli.ok("show", str(quote_id), "--json").stdout)
    return document


def quote_ids(url: str) -> list[int]:
    with open_database(url).session() as session:
        return list(session.scalars(select(Quote.id).order_by(Quote.id)))


def test_csv_with_every_column(seeded: Any, tmp_path: Path) -> None:
    before = counts(seeded.url)
    path = write(
        tmp_path,
        "quotes.csv",
        HEADER + '"We will defend every metre, ""whatever it takes"".",Lena Varga,2025-03-02,'
        "https://example.org/a,Example News,At the summit,sovereignty;security,quote,"
        "sovereignty=favor\n"
        "Tariffs hurt our farmers.,Tomas Brandt,2024-11,,Farm Weekly,,tariffs,paraphrase,\n",
    )
    got = summary(seeded, path)
    assert (got["rows"], got["added"], got["merged"], got["rejected"]) == (2, 2, 0, 0)
    assert got["speakers_created"] == 2 and got["format"] == "csv"
    assert got["seconds"] > 0
    after = counts(seeded.url)
    assert after["Quote"] == before["Quote"] + 2
    first, second = quote_ids(seeded.url)[-2:]
    one = show(seeded, first)
    assert one["text"] == 'We will defend every metre, "whatever it takes".'
    assert (one["speaker"], one["date"], one["kind"]) == ("Lena Varga", "2025-03-02", "quote")
    assert one["sources"] == [
        {"url": "https://example.org/a", "outlet": "Example News", "title": None}
    ]
    assert one["context"] == "At the summit"
    assert one["topics"] == ["security", "sovereignty"]
    assert [(s["topic"], s["label"], s["method"]) for s in one["stances"]] == [
        ("sovereignty", "favor", "manual")
    ]
    two = show(seeded, second)
    assert (two["date"], two["date_precision"], two["kind"]) == ("2024-11", "month", "paraphrase")
    assert two["sources"] == [{"url": None, "outlet": "Farm Weekly", "title": None}]


def test_importing_twice_adds_nothing_and_variants_merge(cli: Any, tmp_path: Path) -> None:
    cli.ok("init")
    rows = "".join(f"Statement number {i} on trade.,Speaker {i % 3},2020,,,,,,\n" for i in range(9))
    path = write(tmp_path, "a.csv", HEADER + rows)
    assert summary(cli, path)["added"] == 9
    again = summary(cli, path)
    assert (again["added"], again["merged"], again["rejected"]) == (0, 9, 0)
    assert counts(cli.url)["Quote"] == 9
    # The same words with other quotation marks, spacing and case are the same quote;
    # the repeat brings a new source, which is attached.
    variant = write(
        tmp_path,
        "b.csv",
        HEADER + "STATEMENT   number 0 on trade.,speaker 0,,https://example.org/x,,,,,\n",
    )
    got = summary(cli, variant)
    assert (got["added"], got["merged"], got["sources_attached"]) == (0, 1, 1)
    assert counts(cli.url)["Quote"] == 9
    assert show(cli, quote_ids(cli.url)[0])["sources"][0]["url"] == "https://example.org/x"


def test_a_statement_seen_twice_in_one_file_is_one_quote(cli: Any, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "dup.csv",
        HEADER
        + "\u201cWe stand firm.\u201d,Ann Lee,,,Outlet A,,,,\n"
        + '"""We stand  firm.""",ann lee,2021,,Outlet B,,,,\n',
    )
    got = summary(cli, path)
    assert (got["added"], got["merged"]) == (1, 1)
    shown = show(cli, quote_ids(cli.url)[0])
    assert shown["date"] == "2021"  # the repeat filled the missing date
    assert sorted(s["outlet"] for s in shown["sources"]) == ["Outlet A", "Outlet B"]


def test_map_by_name_and_number_tsv_and_no_header(cli: Any, tmp_path: Path) -> None:
    path = write(tmp_path, "t.csv", "Tweet,author,created\nHello world.,Ann Lee,2020-01-02\n")
    got = summary(cli, path, "--map", "text=Tweet,speaker=2", "--map", "date=created")
    assert got["added"] == 1
    tsv = write(tmp_path, "liar.tsv", '1.json\ttrue\tHe said "no" twice.\tx\tann-lee\n')
    got = summary(cli, tsv, "--no-header", "--map", "text=3,speaker=5")
    assert got["added"] == 1
    texts = [show(cli, i)["text"] for i in quote_ids(cli.url)]
    assert texts == ["Hello world.", 'He said "no" twice.']


def test_jsonl_with_lists_and_objects(seeded: Any, tmp_path: Path) -> None:
    lines = [
        {
            "text": "Greenland is not for sale.",
            "speaker": "Ann Lee",
            "date": 2019,
            "topics": ["sovereignty"],
            "stance": {"sovereignty": "favor"},
        },
        {"body": "Trade must be free.", "who": "Bo Chen", "kind": "paraphrase"},
    ]
    path = write(tmp_path, "q.jsonl", "\n".join(json.dumps(line) for line in lines) + "\n")
    got = summary(seeded, path, "--map", "text=body,speaker=who")
    # --map points text/speaker at other keys, so the first line has no 'body' or 'who'.
    assert (got["added"], got["rejected"]) == (1, 1)
    assert "line 1" in got["rejects"][0]["reason"]
    got = summary(seeded, path)
    assert (got["added"], got["rejected"]) == (1, 1)
    ids = quote_ids(seeded.url)
    assert show(seeded, ids[-1])["stances"][0]["label"] == "favor"
    assert show(seeded, ids[-1])["date"] == "2019"


def test_date_format_encoding_and_bom(cli: Any, tmp_path: Path) -> None:
    latin = "speaker,date,text\nJos\u00e9 Garc\u00eda,29/01/2009,Se\u00f1or speaker.\n"
    path = write(tmp_path, "l.csv", latin.encode("latin-1"))
    got = summary(cli, path, "--encoding", "latin-1", "--date-format", "%d/%m/%Y")
    assert got["added"] == 1
    shown = show(cli, quote_ids(cli.url)[0])
    assert (shown["speaker"], shown["date"], shown["text"]) == (
        "Jos\u00e9 Garc\u00eda",
        "2009-01-29",
        "Se\u00f1or speaker.",
    )
    bom = write(tmp_path, "bom.csv", b"\xef\xbb\xbftext,speaker\nWith a BOM.,Ann Lee\n")
    assert summary(cli, bom)["added"] == 1


def test_bad_rows_are_reported_with_their_line_and_good_rows_land(
    seeded: Any, tmp_path: Path
) -> None:
    before = counts(seeded.url)
    content = (
        HEADER
        + "Good one.,Ann Lee,2020-01-01,,,,,,\n"  # line 2
        + "Bad date.,Ann Lee,2020-02-30,,,,,,\n"  # line 3
        + ",Ann Lee,,,,,,,\n"  # line 4: empty text
        + "No speaker.,,,,,,,,\n"  # line 5
        + "Bad url.,Ann Lee,,not-a-url,,,,,\n"  # line 6
        + "Bad topic.,Ann Lee,,,,,weather,,\n"  # line 7
        + "Bad kind.,Ann Lee,,,,,,rumour,\n"  # line 8
        + "Bad stance.,Ann Lee,,,,,,,sovereignty=pro\n"  # line 9
        + f"{'x' * 20_001},Ann Lee,,,,,,,\n"  # line 10: too long
        + "Short row\n"  # line 11: one field
        + "Good two.,Bo Chen,2021,,,,,,\n"  # line 12
    )
    rejects = tmp_path / "rejects.csv"
    got = summary(seeded, write(tmp_path, "bad.csv", content), "--rejects", str(rejects))
    assert (got["rows"], got["added"], got["rejected"]) == (11, 2, 9)
    reasons = {r["line"]: r["reason"] for r in got["rejects"]}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9, 10, 11]
    assert "'2020-02-30'" in reasons[3]
    assert "text is empty" in reasons[4]
    assert "speaker name is empty" in reasons[5]
    assert "'not-a-url'" in reasons[6]
    assert "'weather'" in reasons[7] and "sovereignty" in reasons[7]
    assert "'rumour'" in reasons[8]
    assert "'pro'" in reasons[9]
    assert "20,001" in reasons[10]
    assert reasons[11] == "line 11 has 1 field; speaker is in column 2"
    assert all(reason.startswith(f"line {line}") for line, reason in reasons.items())
    with rejects.open(encoding="utf-8", newline="") as handle:
        written = list(csv.DictReader(handle))
    assert [int(r["line"]) for r in written] == sorted(reasons)
    assert written[0]["record"] == "Bad date.,Ann Lee,2020-02-30,,,,,,"
    assert counts(seeded.url)["Quote"] == before["Quote"] + 2
    human = seeded.ok("import", write(tmp_path, "bad2.csv", content))
    assert "0 added" in human.stdout and "9 rejected" in human.stdout
    assert "Rejected line 3: invalid date '2020-02-30'" in human.output


def test_strict_writes_nothing_when_a_row_is_rejected(cli: Any, tmp_path: Path) -> None:
    cli.ok("init")
    before = counts(cli.url)
    content = HEADER + "Good.,Ann Lee,,,,,,,\n" * 3 + "Bad.,Ann Lee,1999-13,,,,,,\n"
    result = cli("import", write(tmp_path, "s.csv", content), "--strict", "--batch-size", "1")
    assert result.exit_code == 2, result.output
    assert (
        "1 of 4 rows were rejected" in result.output and "--strict wrote nothing" in result.output
    )
    assert "Traceback" not in result.output
    assert counts(cli.url) == before
    good = write(tmp_path, "good.csv", HEADER + "Good.,Ann Lee,,,,,,,\n")
    assert summary(cli, good, "--strict")["added"] == 1


def test_dry_run_reports_and_writes_nothing(cli: Any, tmp_path: Path) -> None:
    cli.ok("init")
    before = counts(cli.url)
    content = HEADER + "One.,Ann Lee,,,,,,,\nTwo.,Bo Chen,,,,,,,\nOne.,Ann Lee,,,,,,,\nx,,,,,,,,\n"
    got = summary(cli, write(tmp_path, "d.csv", content), "--dry-run")
    assert (got["added"], got["merged"], got["rejected"], got["dry_run"]) == (2, 1, 1, True)
    assert got["speakers_created"] == 2
    assert counts(cli.url) == before


def test_near_duplicate_speaker_names_are_listed(seeded: Any, tmp_path: Path) -> None:
    content = "text,speaker\nWe decide.,Mette Fredriksen\nWe also decide.,Rutte\n"
    got = summary(seeded, write(tmp_path, "n.csv", content))
    assert got["speakers_created"] == 1
    assert got["similar_speakers"] == [
        {"name": "Mette Fredriksen", "similar": ["Mette Frederiksen"]},
    ]
    # 'Rutte' is an alias of Mark Rutte in the seed, so it resolved, not created.
    with open_database(seeded.url).session() as session:
        names = set(session.scalars(select(Speaker.name)))
    assert "Rutte" not in names and "Mette Fredriksen" in names


def test_file_level_errors_exit_2_and_write_nothing(cli: Any, tmp_path: Path) -> None:
    cli.ok("init")
    before = counts(cli.url)
    cases = [
        (write(tmp_path, "empty.csv", ""), [], "is empty"),
        (
            write(tmp_path, "cols.csv", "quote,who\nx,y\n"),
            [],
            "the file has no column for text and speaker (its columns are 'quote', 'who')",
        ),
        (write(tmp_path, "m.csv", "a,b\nx,y\n"), ["--map", "text=a,speaker=c"], "no column 'c'"),
        (str(tmp_path / "missing.csv"), [], "cannot read"),
        (str(tmp_path), ["--format", "csv"], "is a directory"),
        (write(tmp_path, "x.txt", "text,speaker\n"), [], "cannot tell the format"),
        (write(tmp_path, "e.csv", "text,speaker\n"), ["--encoding", "nope"], "unknown encoding"),
        (write(tmp_path, "f.csv", "text,speaker\n"), ["--map", "colour=1"], "unknown field"),
    ]
    for path, extra, needle in cases:
        result = cli("import", path, *extra)
        assert result.exit_code == 2, (path, result.output)
        assert needle in result.output, (needle, result.output)
        assert result.output.strip().count("\n") == 0 and "Traceback" not in result.output
    assert counts(cli.url) == before


def test_header_only_is_zero_rows_not_an_error(cli: Any, tmp_path: Path) -> None:
    path = write(tmp_path, "h.csv", "text,speaker\n")
    got = summary(cli, path)
    assert (got["rows"], got["added"], got["rejected"]) == (0, 0, 0)
    assert "no data rows" in cli.ok("import", path).stdout


def test_undecodable_bytes_unclosed_quotes_and_huge_lines(cli: Any, tmp_path: Path) -> None:
    content = (
        b"text,speaker\n"
        b"First good.,Ann Lee\n"  # line 2
        + "Caf\u00e9 latin-1.,Ann Lee\n".encode("latin-1")  # line 3: not UTF-8
        + b'"Never closed,Ann Lee\n'  # line 4
        + b"Second good.,Bo Chen\n"  # line 5
        + b"y" * (10 * 1024 * 1024)  # line 6: a 10 MB line
        + b",Ann Lee\n"
        + b"Third good.,Cy Diaz\n"  # line 7
    )
    got = summary(cli, write(tmp_path, "mixed.csv", content))
    assert (got["added"], got["rejected"]) == (3, 3)
    reasons = {r["line"]: r["reason"] for r in got["rejects"]}
    assert reasons[3].startswith("line 3 has bytes that are not utf-8 (byte 0xe9")
    assert reasons[4].startswith("line 4 opens a quoted field")
    assert reasons[6].startswith("line 6 is 10,485,769 bytes long")
    texts = sorted(show(cli, i)["text"] for i in quote_ids(cli.url))
    assert texts == ["First good.", "Second good.", "Third good."]


def test_json_lines_that_are_not_objects(cli: Any, tmp_path: Path) -> None:
    content = (
        '{"text": "Fine.", "speaker": "Ann Lee"}\n[1, 2]\n\n'
        '{"text": ["a", "list"], "speaker": "B C"}\n{oops\n'
    )
    got = summary(cli, write(tmp_path, "j.jsonl", content))
    assert (got["added"], got["rejected"]) == (1, 3)
    reasons = [r["reason"] for r in got["rejects"]]
    assert reasons[0] == "line 2 is an array, not a JSON object with text and speaker"
    assert reasons[1] == "line 4: text must be text, not list"
    assert reasons[2].startswith("line 5 is not valid JSON")


def test_stdin_import(cli: Any) -> None:
    result = cli.ok(
        "import",
        "-",
        "--format",
        "jsonl",
        "--json",
        input='{"text": "From a pipe.", "speaker": "Ann Lee"}\n',
    )
    assert json.loads(result.stdout)["added"] == 1


def test_progress_bar_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    from quotes.cli import ingest_commands
    from quotes.ingest.importing.run import Progress

    out = io.StringIO()
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    with ingest_commands._ProgressBar(enabled=True, file=out) as bar:
        bar.update(Progress(bytes_read=500, total_bytes=1000, rows=2_000, elapsed=2.0))
        bar._progress.refresh()
    shown = out.getvalue()
    assert "2,000 rows" in shown and "1,000 rows/s" in shown and "50%" in shown


def test_each_quote_gets_its_own_rows_source_across_batches(cli: Any, tmp_path: Path) -> None:
    rows = "".join(
        f"Statement {i}.,Speaker {i % 4},,https://example.org/{i},Outlet {i % 3},,,,\n"
        for i in range(25)
    )
    got = summary(cli, write(tmp_path, "s.csv", HEADER + rows), "--batch-size", "7")
    assert (got["added"], got["sources_attached"]) == (25, 25)
    for quote_id in quote_ids(cli.url):
        shown = show(cli, quote_id)
        number = int(shown["text"].split()[1].rstrip("."))
        assert shown["sources"] == [
            {
                "url": f"https://example.org/{number}",
                "outlet": f"Outlet {number % 3}",
                "title": None,
            }
        ]
        assert shown["speaker"] == f"Speaker {number % 4}"


def test_imported_labels_score_like_stance_label() -> None:
    from quotes.ingest.importing import writer
    from quotes.meaning import stance
    from quotes.vocabulary import LABEL_SCORES

    assert writer.LABEL_SCORES is stance.LABEL_SCORES is LABEL_SCORES
    assert LABEL_SCORES == {"favor": 1.0, "against": -1.0, "neutral": 0.0}
