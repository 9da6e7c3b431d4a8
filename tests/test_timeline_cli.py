"""``quotes timeline`` and ``quotes shifts`` through the CLI, on both back ends.

Stances are stored directly through the library here (as ``stance assign`` and
``stance label`` store them), so these tests exercise the timeline, not the
embedding model.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from quotes.records.quotes import add_quote
from quotes.records.speakers import add_alias
from quotes.records.topics import install_default_topics
from quotes.store.engine import Database
from quotes.store.models import StanceAssessment, Topic

# (speaker, date, text, stances on sovereignty as (method, label, score))
STATEMENTS: list[tuple[str, str | None, str, list[tuple[str, str, float]]]] = [
    ("Mette Frederiksen", "2025-01-10", "Greenland is not for sale.", [("auto", "favor", 0.8)]),
    (
        "Mette Frederiksen",
        "2025-01-20",
        "Our borders are not negotiable, not now, not ever.",
        [("auto", "favor", 0.6)],
    ),
    (
        "Mette Frederiksen",
        "2025-03",
        'We said "no", and we meant it.',
        [("auto", "against", -0.3), ("manual", "favor", 1.0)],
    ),
    (
        "Mette Frederiksen",
        "2025",
        "Denmark decides about Denmark, and Greenland about Greenland.",
        [("auto", "favor", 0.4)],
    ),
    ("Mette Frederiksen", None, "An undated remark about sovereignty.", [("auto", "favor", 0.5)]),
    (
        "Donald Trump",
        "2025-01-07",
        "We need Greenland for national security.",
        [("auto", "against", -0.7)],
    ),
    (
        "Donald Trump",
        "2025-02-14",
        "Denmark should sell; it is a large real estate deal.",
        [("auto", "against", -0.9)],
    ),
    (
        "Donald Trump",
        "2025-04-02",
        "We fully respect the sovereignty of Denmark, always have.",
        [("auto", "favor", 0.5)],
    ),
    ("Donald Trump", "2025-05-30", "Tariffs will be paid by foreign countries.", []),
]


#: Every automatic stance here is confident enough to count at the default bar.
AUTO_CONFIDENCE = 0.9


def _store(database: Database) -> dict[str, int]:
    ids: dict[str, int] = {}
    with database.session(write=True) as session:
        install_default_topics(session)
        topic = session.scalar(select(Topic).where(Topic.name == "sovereignty"))
        assert topic is not None
        for speaker, when, text, stances in STATEMENTS:
            result = add_quote(
                session,
                text,
                speaker,
                date=when,
                outlet="Reuters",
                source_url=f"https://news.example/{len(ids)}",
                topics=["sovereignty"] if stances else ["tariffs"],
                new_speaker=True,
            )
            ids[text] = result.quote_id
            for method, label, score in stances:
                session.add(
                    StanceAssessment(
                        quote_id=result.quote_id,
                        topic_id=topic.id,
                        label=label,
                        score=score,
                        method=method,
                        model="test" if method == "auto" else None,
                        confidence=AUTO_CONFIDENCE if method == "auto" else None,
                    )
                )
        add_alias(session, "Donald Trump", "President Trump")
    return ids


@pytest.fixture
def stances(db: Database) -> dict[str, int]:
    return _store(db)


def _rows(cli: Any, *args: str) -> list[dict[str, Any]]:
    result = cli.ok("timeline", "--topic", "sovereignty", *args, "--format", "json")
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_json_rows_follow_the_contract(cli: Any, stances: dict[str, int]) -> None:
    rows = _rows(cli, "--speaker", "Mette Frederiksen", "--speaker", "President Trump")
    assert all(list(r) == ["speaker", "topic", "period", "score", "n", "quote_ids"] for r in rows)
    assert [(r["speaker"], r["period"]) for r in rows] == [
        ("Donald Trump", "2025-01"),
        ("Donald Trump", "2025-02"),
        ("Donald Trump", "2025-04"),
        ("Mette Frederiksen", "2025"),
        ("Mette Frederiksen", "2025-01"),
        ("Mette Frederiksen", "2025-03"),
    ]
    by_period = {(r["speaker"], r["period"]): r for r in rows}
    january = by_period[("Mette Frederiksen", "2025-01")]
    assert january["score"] == pytest.approx(0.7)
    assert january["n"] == 2
    assert january["quote_ids"] == [
        stances["Greenland is not for sale."],
        stances["Our borders are not negotiable, not now, not ever."],
    ]
    # The person's favor label replaces the automatic "against" and counts +1.
    assert by_period[("Mette Frederiksen", "2025-03")]["score"] == 1.0
    assert all(r["topic"] == "sovereignty" for r in rows)


def test_date_precision_decides_the_bucket(cli: Any, stances: dict[str, int]) -> None:
    daily = _rows(cli, "--speaker", "Mette Frederiksen", "--by", "day")
    assert [r["period"] for r in daily] == ["2025", "2025-01-10", "2025-01-20", "2025-03"]
    quarterly = _rows(cli, "--speaker", "Mette Frederiksen", "--by", "quarter")
    assert [(r["period"], r["n"]) for r in quarterly] == [("2025", 1), ("2025-Q1", 3)]
    yearly = _rows(cli, "--speaker", "Mette Frederiksen", "--by", "year")
    assert [(r["period"], r["n"]) for r in yearly] == [("2025", 4)]


def test_logodds_score(cli: Any, stances: dict[str, int]) -> None:
    (row,) = _rows(cli, "--speaker", "Mette Frederiksen", "--by", "year", "--score", "logodds")
    favor = 1 + 1 + 2 + 1  # three automatic favor labels and one manual (weight 2)
    assert row["score"] == pytest.approx(round(favor / (favor + 0 + 1), 4))


def test_csv_has_the_same_rows(cli: Any, stances: dict[str, int]) -> None:
    args = ("--speaker", "Donald Trump", "--speaker", "Mette Frederiksen")
    rows = _rows(cli, *args)
    result = cli.ok("timeline", "--topic", "sovereignty", *args, "--format", "csv")
    parsed = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(parsed[0]) == ["speaker", "topic", "period", "score", "n", "quote_ids"]
    assert [
        (
            r["speaker"],
            r["period"],
            float(r["score"]),
            int(r["n"]),
            [int(i) for i in r["quote_ids"].split(";")],
        )
        for r in parsed
    ] == [(r["speaker"], r["period"], r["score"], r["n"], r["quote_ids"]) for r in rows]


def test_table_shows_periods_and_bars(cli: Any, stances: dict[str, int]) -> None:
    out = cli.ok("timeline", "--topic", "sovereignty", "--speaker", "Donald Trump").stdout
    assert "Stance on sovereignty by month" in out
    for period in ("2025-01", "2025-02", "2025-04"):
        assert period in out
    assert "-0.90" in out and "█" in out


def test_png_and_html_files(cli: Any, stances: dict[str, int], tmp_path: Path) -> None:
    png = tmp_path / "t.png"
    result = cli.ok(
        "timeline",
        "--topic",
        "sovereignty",
        "--speaker",
        "Mette Frederiksen",
        "--speaker",
        "Donald Trump",
        "--format",
        "png",
        "--output",
        str(png),
    )
    assert str(png) in result.output
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    html = tmp_path / "t.html"
    cli.ok(
        "timeline",
        "--topic",
        "sovereignty",
        "--speaker",
        "Mette Frederiksen",
        "--speaker",
        "Donald Trump",
        "--format",
        "html",
        "--output",
        str(html),
    )
    page = html.read_text("utf-8")
    for _speaker, when, text, found in STATEMENTS:
        if when and found:
            assert text.replace('"', "&quot;") in page
    assert "<svg" in page and "src=" not in page


def test_chart_formats_default_to_a_file_in_the_current_folder(
    cli: Any, stances: dict[str, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    cli.ok("timeline", "--topic", "sovereignty", "--speaker", "Donald Trump", "--format", "html")
    assert (tmp_path / "timeline.html").stat().st_size > 1000


def test_parquet_file(cli: Any, stances: dict[str, int], tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    target = tmp_path / "t.parquet"
    args = ("--speaker", "Mette Frederiksen", "--speaker", "Donald Trump")
    cli.ok(
        "timeline", "--topic", "sovereignty", *args, "--format", "parquet", "--output", str(target)
    )
    assert pq.read_table(target).to_pylist() == _rows(cli, *args)


def test_speaker_without_quotes_on_the_topic(
    cli: Any, stances: dict[str, int], tmp_path: Path
) -> None:
    cli.ok("speakers", "add", "Mark Rutte")
    out = tmp_path / "out"
    out.mkdir()
    target = out / "empty.png"
    result = cli.ok(
        "timeline",
        "--topic",
        "sovereignty",
        "--speaker",
        "Mark Rutte",
        "--format",
        "png",
        "--output",
        str(target),
    )
    assert "No dated quotes by Mark Rutte" in result.output
    assert not target.exists()
    result = cli.ok(
        "timeline", "--topic", "tariffs", "--speaker", "Donald Trump", "--format", "json"
    )
    assert json.loads(result.stdout) == []
    assert list(out.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--format", "gif"), "unknown format 'gif'"),
        (("--by", "week"), "unknown period 'week'"),
        (("--score", "median"), "unknown score 'median'"),
        (("--topic", "fishing"), "unknown topic 'fishing'"),
        (("--speaker", "Nobody Atall"), "unknown speaker 'Nobody Atall'"),
        (("--since", "2025-13"), "invalid --since date"),
    ],
)
def test_bad_values_exit_2(
    cli: Any, stances: dict[str, int], args: tuple[str, ...], message: str, tmp_path: Path
) -> None:
    base = {"--topic": "sovereignty", "--speaker": "Donald Trump"}
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    flat = [x for pair in base.items() for x in pair]
    target = tmp_path / "out.png"
    fmt = [] if "--format" in base else ["--format", "png"]
    result = cli("timeline", *flat, *fmt, "--output", str(target))
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not target.exists()


def test_unwritable_output_exits_2_and_writes_nothing(
    cli: Any, stances: dict[str, int], tmp_path: Path
) -> None:
    args = ("timeline", "--topic", "sovereignty", "--speaker", "Donald Trump")
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    missing = tmp_path / "no-such-folder" / "t.csv"
    result = cli(*args, "--format", "csv", "--output", str(missing))
    assert result.exit_code == 2 and "does not exist" in result.output
    result = cli(*args, "--format", "png", "--output", str(tmp_path))
    assert result.exit_code == 2 and "is a directory" in result.output
    if os.geteuid() != 0:  # root may write anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        result = cli(*args, "--format", "html", "--output", str(locked / "t.html"))
        assert result.exit_code == 2 and "permission denied" in result.output
    assert not missing.parent.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) in ([], ["locked"])


def test_undated_quotes_are_reported_not_invented(cli: Any, stances: dict[str, int]) -> None:
    result = cli.ok(
        "timeline", "--topic", "sovereignty", "--speaker", "Mette Frederiksen", "--format", "json"
    )
    assert "1 assessed quote without a date is not on the timeline" in result.output
    ids = [i for r in json.loads(result.stdout) for i in r["quote_ids"]]
    assert stances["An undated remark about sovereignty."] not in ids


def _label_trump(cli: Any, stances: dict[str, int]) -> None:
    """A person labels the two Trump quotes a shift may rest on (one automatic
    score per month is too thin for a shift)."""
    for text, label in (
        ("Denmark should sell; it is a large real estate deal.", "against"),
        ("We fully respect the sovereignty of Denmark, always have.", "favor"),
    ):
        cli.ok("stance", "label", str(stances[text]), "--topic", "sovereignty", "--stance", label)


def test_shifts_json_names_the_evidence(cli: Any, stances: dict[str, int]) -> None:
    assert json.loads(cli.ok("shifts", "--json").stdout) == []  # one auto score a month: thin
    _label_trump(cli, stances)
    found = json.loads(cli.ok("shifts", "--json").stdout)
    trump = [s for s in found if s["speaker"] == "Donald Trump"]
    assert [(s["kind"], s["from_period"], s["to_period"]) for s in trump] == [
        ("reversal", "2025-02", "2025-04"),
    ]
    assert (
        trump[0]["before"]["id"] == stances["Denmark should sell; it is a large real estate deal."]
    )
    assert (
        trump[0]["after"]["id"]
        == stances["We fully respect the sovereignty of Denmark, always have."]
    )
    assert trump[0]["after"]["date"] == "2025-04-02"
    assert trump[0]["after"]["source"] == "Reuters, https://news.example/7"
    assert trump[0]["after"]["method"] == "manual" and trump[0]["after"]["kind"] == "quote"
    assert trump[0]["from_basis"] == {
        "labelled": 1,
        "automatic": 0,
        "mean_confidence": None,
        "summary": "1 labelled quote",
    }
    only = json.loads(
        cli.ok("shifts", "--speaker", "President Trump", "--topic", "sovereignty", "--json").stdout
    )
    assert only == trump
    result = cli("shifts", "--speaker", "trump")  # not an alias: bad input, with a hint
    assert result.exit_code == 2 and "Donald Trump" in result.output


def test_shifts_table_and_nothing_found(cli: Any, stances: dict[str, int]) -> None:
    _label_trump(cli, stances)
    out = cli.ok("shifts", "--speaker", "President Trump").stdout
    assert "reversal" in out and "“We fully respect the sovereignty" in out
    assert "rests on 1 labelled quote" in out
    assert "No stance shifts found" in cli.ok("shifts", "--topic", "tariffs").stdout
    assert cli("shifts", "--threshold", "3").exit_code == 2


def test_most_assessed_picks_the_busiest_topic_and_speakers(
    db: Database, stances: dict[str, int]
) -> None:
    from quotes.timelines.query import most_assessed

    with db.session() as session:
        assert most_assessed(session) == ("sovereignty", ["Mette Frederiksen", "Donald Trump"])
        assert most_assessed(session, limit=1) == ("sovereignty", ["Mette Frederiksen"])


def test_most_assessed_on_an_empty_database(db: Database) -> None:
    from quotes.timelines.query import most_assessed

    with db.session() as session:
        assert most_assessed(session) is None


def test_contract_commands_of_this_issue_exist() -> None:
    from typer.main import get_command

    from quotes.cli.main import app

    names = set(get_command(app).commands)  # type: ignore[attr-defined]
    assert {"timeline", "shifts", "export", "demo"} <= names


def test_table_to_a_file(cli: Any, stances: dict[str, int], tmp_path: Path) -> None:
    target = tmp_path / "table.txt"
    cli.ok(
        "timeline",
        "--topic",
        "sovereignty",
        "--speaker",
        "President Trump",
        "--output",
        str(target),
    )
    text = target.read_text("utf-8")
    assert "Stance on sovereignty by month" in text and "2025-04" in text
    bad = cli(
        "timeline",
        "--topic",
        "sovereignty",
        "--speaker",
        "Trump",
        "--output",
        str(tmp_path / "missing" / "t.txt"),
    )
    assert bad.exit_code == 2 and "does not exist" in bad.output
