"""Print the totals of a fuzz run from the JSON Lines report ``tests/test_fuzz.py`` writes."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path


def main(path: str) -> None:
    cases = 0
    exits: Counter[str] = Counter()
    for line in Path(path).read_text("utf-8").splitlines():
        record = json.loads(line)
        cases += record["cases"]
        exits.update(record["exits"])
        print(f"{record['test']:45} {record['cases']:6,} cases  exits {dict(record['exits'])}")
    shown = ", ".join(f"{code}: {count:,}" for code, count in sorted(exits.items()))
    print(f"total: {cases:,} cases (exit codes {shown})")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "fuzz-report.jsonl")
