"""A killed import keeps the batches it committed; running it again completes it."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from quotes.store.engine import close_all, open_database
from quotes.store.models import Quote

ROWS = 30_000
BATCH = 500


def _count(url: str) -> int:
    database = open_database(url)
    with database.session() as session:
        count = session.scalar(select(func.count()).select_from(Quote)) or 0
    close_all()
    return count


def test_kill_then_rerun_completes_without_duplicates(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "speaker", "date"])
        for i in range(ROWS):
            writer.writerow(
                [f"Statement {i} about trade and security.", f"Speaker {i % 50}", "2020"]
            )
    command = [
        sys.executable,
        "-m",
        "quotes.cli",
        "import",
        str(path),
        "--db",
        db_url,
        "--batch-size",
        str(BATCH),
        "--json",
    ]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ}
    )
    try:
        deadline = time.monotonic() + 60
        committed = 0
        while committed < 3 * BATCH and time.monotonic() < deadline:
            assert process.poll() is None, "the import finished before it could be killed"
            time.sleep(0.05)
            committed = _count(db_url)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
        process.stdout.close()  # type: ignore[union-attr]
        process.stderr.close()  # type: ignore[union-attr]
    kept = _count(db_url)
    assert 0 < kept < ROWS
    assert kept % BATCH == 0, "a batch was half written"
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert (summary["added"], summary["merged"], summary["rejected"]) == (ROWS - kept, kept, 0)
    assert _count(db_url) == ROWS
