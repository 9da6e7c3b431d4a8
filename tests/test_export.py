"""Export: every matching quote with speaker, sources, topics and stances."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path


def test_jsonl_has_one_contract_object_per_line(seeded) -> None:
    lines = seeded.ok("export", "--format", "jsonl").stdout.splitlines()
    assert len(lines) == 8
    first = json.loads(lines[0])
    assert set(first) >= {"id", "text", "speaker", "date", "kind", "sources", "topics", "stances"}
    speakers = [json.loads(line)["speaker"] for line in lines]
    assert speakers == sorted(speakers)


def test_csv_quotes_commas_quotes_and_newlines(cli) -> None:
    cli.ok("init")
    text = 'He said "no", then, after a pause, "never".'
    cli.ok(
        "add",
        text,
        "--speaker",
        "A Person",
        "--date",
        "2025-05",
        "--topic",
        "tariffs",
        "--topic",
        "security",
        "--source",
        "https://x.example/a",
        "--outlet",
        "Wire",
    )
    cli.ok("add", text, "--speaker", "A Person", "--source", "https://y.example/b")
    rows = list(csv.DictReader(io.StringIO(cli.ok("export").stdout)))
    assert len(rows) == 1
    row = rows[0]
    assert row["text"] == text
    assert row["date"] == "2025-05"
    assert row["topics"] == "security;tariffs"
    assert row["source_url"] == "https://x.example/a;https://y.example/b"
    assert row["outlet"] == "Wire"


def test_filters_and_output_file(seeded, tmp_path: Path) -> None:
    target = tmp_path / "rutte.jsonl"
    result = seeded.ok("export", "--speaker", "Rutte", "--format", "jsonl", "--output", str(target))
    assert "Wrote 5 quotes" in result.output
    rows = [json.loads(line) for line in target.read_text().splitlines()]
    assert {r["speaker"] for r in rows} == {"Mark Rutte"}
    assert seeded.ok("export", "--since", "2027").stdout.strip().count("\n") == 0  # header only


def test_bad_format_or_output_writes_nothing(seeded, tmp_path: Path) -> None:
    bad = seeded("export", "--format", "xlsx", "--output", str(tmp_path / "x.xlsx"))
    assert bad.exit_code == 2 and "'xlsx'" in bad.output
    assert not (tmp_path / "x.xlsx").exists()
    missing_dir = seeded("export", "--output", str(tmp_path / "no" / "such" / "x.csv"))
    assert missing_dir.exit_code == 2 and "does not exist" in missing_dir.output
    to_dir = seeded("export", "--output", str(tmp_path))
    assert to_dir.exit_code == 2 and "directory" in to_dir.output
    bad_filter = seeded("export", "--topic", "nope", "--output", str(tmp_path / "y.csv"))
    assert bad_filter.exit_code == 2
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix in {".csv", ".xlsx"}) == []
    assert not any(p.name.startswith(".") for p in tmp_path.iterdir())
