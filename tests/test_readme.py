"""The README's examples run as written: the usage block and the Python API example.

Both are read out of README.md itself, so an example that stops working (or an
edit that breaks one) fails here rather than in a reader's terminal.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"


def code_block(heading: str, language: str) -> str:
    """The first ``language`` fenced block after the ``## heading`` line."""
    text = README.read_text("utf-8")
    start = text.index(f"\n## {heading}\n")
    match = re.compile(rf"^```{language}\n(.*?)^```$", re.M | re.S).search(text, start)
    assert match, f"no {language} block under '## {heading}'"
    return match.group(1)


def shell_commands(block: str) -> list[str]:
    """One string per command: continuation lines joined, comments and blanks dropped."""
    commands: list[str] = []
    pending = ""
    for line in block.splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        commands.append(pending + line)
        pending = ""
    assert not pending, "the block ends with a continued line"
    return commands


def test_shell_commands_splits_like_a_shell() -> None:
    block = "# note\nquotes a \\\n    --b c   # says\n\nquotes d\n"
    assert shell_commands(block) == ["quotes a      --b c   # says", "quotes d"]


def test_the_usage_block_runs_top_to_bottom(fresh_target: str, tmp_path: Path) -> None:
    commands = shell_commands(code_block("Usage", "sh"))
    assert len(commands) >= 15 and all("quotes " in c for c in commands)
    bin_dir = str(Path(sys.executable).parent)  # the `quotes` script of this install
    env = {
        **os.environ,
        "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
        "QUOTES_DATABASE_URL": fresh_target,
        "HF_HUB_OFFLINE": "1",
    }
    outputs: dict[str, str] = {}
    for command in commands:
        result = subprocess.run(
            ["bash", "-o", "pipefail", "-c", command],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
        assert "Traceback" not in result.stderr, command
        outputs[command] = result.stdout
    piped = next(c for c in commands if c.startswith("echo"))
    assert outputs[piped].strip().isdigit()  # piped: the bare id
    shown = json.loads(next(out for c, out in outputs.items() if c.startswith("quotes show")))
    assert shown["id"] == 5
    exported = (tmp_path / "rutte.jsonl").read_text("utf-8").splitlines()
    assert exported and all(json.loads(line)["speaker"] == "Mark Rutte" for line in exported)
    listed = next(out for c, out in outputs.items() if c.startswith("quotes speakers list"))
    assert "Lars Løkke Rasmussen" in listed and "L. Rasmussen" in listed  # merged: an alias


def test_the_python_api_example_runs(
    fresh_target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    code = code_block("Python API", "python")
    assert 'quotes.open("news.db")' in code
    monkeypatch.chdir(tmp_path)
    exec(compile(code.replace('"news.db"', repr(fresh_target)), "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "quote 1, new: True"
    assert printed[1].startswith("1 2026-01-22 We cannot negotiate on our sovereignty.")
    assert "'label': 'favor'" in printed[2] and "'method': 'manual'" in printed[2]
    assert printed[3] == "[('Mark Rutte', 'The Arctic must stay safe.', 2)]"
    assert printed[4] == "2 quotes exported"
    assert printed[5].startswith("no quote with id 999")
    assert len((tmp_path / "all.jsonl").read_text("utf-8").splitlines()) == 2
