"""``quotes export``: every filter, CSV list columns, JSON Lines, Parquet."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from quotes.records.quotes import add_quote
from quotes.records.topics import install_default_topics
from quotes.store.engine import Database
from quotes.store.models import StanceAssessment, Topic

ROWS = [
    # speaker, date, text, topics, stances {topic: (method, label, score)}
    (
        "Mette Frederiksen",
        "2026-01-22",
        "We cannot negotiate on our sovereignty.",
        ["sovereignty"],
        {"sovereignty": [("manual", "favor", 1.0), ("auto", "favor", 0.7)]},
    ),
    (
        "Mette Frederiksen",
        "2025-03",
        "Greenland belongs to its people, full stop.",
        ["sovereignty"],
        {"sovereignty": [("auto", "favor", 0.6)]},
    ),
    (
        "Donald Trump",
        "2025",
        'We need it, "one way or the other", for security.',
        ["sovereignty", "security"],
        {"sovereignty": [("auto", "against", -0.8)], "security": [("auto", "favor", 0.5)]},
    ),
    (
        "Donald Trump",
        "2026-01-21",
        "I won't impose the tariffs on Europe.",
        ["tariffs"],
        {"tariffs": [("auto", "against", -0.6)]},
    ),
    ("Mark Rutte", None, "NATO will keep the Arctic safe; the Russians stay out.", [], {}),
]


@pytest.fixture
def stored(db: Database) -> Database:
    with db.session(write=True) as session:
        install_default_topics(session)
        topics = {t.name: t.id for t in session.scalars(select(Topic))}
        for speaker, when, text, names, stances in ROWS:
            result = add_quote(
                session,
                text,
                speaker,
                date=when,
                topics=names,
                outlet="Wire",
                source_url=f"https://x.example/{len(text)}",
                new_speaker=True,
            )
            for topic, found in stances.items():
                for method, label, score in found:
                    session.add(
                        StanceAssessment(
                            quote_id=result.quote_id,
                            topic_id=topics[topic],
                            label=label,
                            score=score,
                            method=method,
                            model=None,
                            # confident enough to count at the default bar
                            confidence=0.9 if method == "auto" else None,
                        )
                    )
        from quotes.records.speakers import add_alias

        add_alias(session, "Donald Trump", "Trump")
    return db


def _jsonl(cli: Any, *args: str) -> list[dict[str, Any]]:
    out = cli.ok("export", "--format", "jsonl", *args).stdout
    return [json.loads(line) for line in out.splitlines()]


def _texts(cli: Any, *args: str) -> set[str]:
    return {row["text"] for row in _jsonl(cli, *args)}


def test_every_filter(cli: Any, stored: Database) -> None:
    text = [r[2] for r in ROWS]
    assert len(_jsonl(cli)) == 5
    assert _texts(cli, "--speaker", "trump") == {text[2], text[3]}
    assert _texts(cli, "--topic", "sovereignty") == {text[0], text[1], text[2]}
    assert _texts(cli, "--topic", "sovereignty", "--stance", "favor") == {text[0], text[1]}
    assert _texts(cli, "--stance", "against") == {text[2], text[3]}
    # --since/--until take the whole period of a partial date; undated quotes never match.
    assert _texts(cli, "--since", "2026") == {text[0], text[3]}
    assert _texts(cli, "--until", "2025-03") == {text[1], text[2]}
    assert _texts(cli, "--since", "2025-03", "--until", "2025-03") == {text[1]}
    assert _texts(
        cli, "--speaker", "Mette Frederiksen", "--since", "2026-01-22", "--topic", "sovereignty"
    ) == {text[0]}
    assert _jsonl(cli, "--speaker", "Mark Rutte", "--topic", "tariffs") == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--speaker", "Nobody Known"), "unknown speaker"),
        (("--topic", "fishing"), "unknown topic"),
        (("--stance", "maybe"), "unknown stance label"),
        (("--since", "2025-02-30"), "--since"),
        (("--since", "2026", "--until", "2025"), "after --until"),
    ],
)
def test_bad_filters_exit_2(
    cli: Any, stored: Database, args: tuple[str, ...], message: str, tmp_path: Path
) -> None:
    target = tmp_path / "out.jsonl"
    result = cli("export", *args, "--format", "jsonl", "--output", str(target))
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not target.exists()


def test_jsonl_objects_carry_stances_and_dates(cli: Any, stored: Database) -> None:
    rows = {r["text"]: r for r in _jsonl(cli)}
    frederiksen = rows[ROWS[0][2]]
    assert frederiksen["date"] == "2026-01-22"
    assert [(s["method"], s["label"]) for s in frederiksen["stances"]] == [
        ("manual", "favor"),
        ("auto", "favor"),
    ]
    assert rows[ROWS[2][2]]["date"] == "2025"
    assert rows[ROWS[4][2]]["date"] is None


def test_csv_list_columns_and_quoting(cli: Any, stored: Database) -> None:
    parsed = list(csv.DictReader(io.StringIO(cli.ok("export").stdout)))
    rows = {r["text"]: r for r in parsed}
    assert set(rows) == {r[2] for r in ROWS}  # embedded quotes and commas survive
    trump = rows[ROWS[2][2]]
    assert trump["topics"] == "security;sovereignty"
    assert trump["auto_stance"] == "security=favor:+0.500;sovereignty=against:-0.800"
    frederiksen = rows[ROWS[0][2]]
    assert frederiksen["stance"] == "sovereignty=favor"


def test_parquet_matches_jsonl(cli: Any, stored: Database, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    target = tmp_path / "quotes.parquet"
    result = cli.ok(
        "export", "--format", "parquet", "--output", str(target), "--topic", "sovereignty"
    )
    assert "Wrote 3 quotes" in result.output
    table = pq.read_table(target).to_pylist()
    expected = _jsonl(cli, "--topic", "sovereignty")
    assert [r["id"] for r in table] == [r["id"] for r in expected]
    for got, want in zip(table, expected, strict=True):
        for key in ("text", "speaker", "date", "kind", "topics"):
            assert got[key] == want[key]
        assert [(s["topic"], s["label"], s["score"], s["method"]) for s in got["stances"]] == [
            (s["topic"], s["label"], s["score"], s["method"]) for s in want["stances"]
        ]
        assert [s["url"] for s in got["sources"]] == [s["url"] for s in want["sources"]]


def test_parquet_to_stdout(cli: Any, stored: Database) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    result = cli.ok("export", "--format", "parquet", "--speaker", "Mark Rutte")
    table = pq.read_table(io.BytesIO(result.stdout_bytes))
    assert table.column("text").to_pylist() == [ROWS[4][2]]


def test_parquet_without_pyarrow_is_a_clear_error(
    cli: Any, stored: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    target = tmp_path / "out" / "quotes.parquet"
    target.parent.mkdir()
    for command in (
        ("export", "--format", "parquet", "--output", str(target)),
        (
            "timeline",
            "--topic",
            "sovereignty",
            "--speaker",
            "Trump",
            "--format",
            "parquet",
            "--output",
            str(target),
        ),
    ):
        result = cli(*command)
        assert result.exit_code == 2, result.output
        assert "pip install 'quotes[parquet]'" in result.output
        assert "Traceback" not in result.output
    assert list(target.parent.iterdir()) == []


def test_written_files_follow_the_umask_not_private_temp_modes(
    cli: Any, stored: Database, tmp_path: Path
) -> None:
    import os
    import stat

    previous = os.umask(0o022)
    try:
        target = tmp_path / "quotes.csv"
        cli.ok("export", "--output", str(target))
        chart = tmp_path / "t.html"
        cli.ok(
            "timeline",
            "--topic",
            "sovereignty",
            "--speaker",
            "Trump",
            "--format",
            "html",
            "--output",
            str(chart),
        )
    finally:
        os.umask(previous)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert stat.S_IMODE(chart.stat().st_mode) == 0o644
