"""The CLI reads as people expect: help, completion, counts, add's answer, default timeline."""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import sys
import threading
from typing import Any

import pytest
from typer.main import get_command

from quotes.cli.help_text import EXAMPLES
from quotes.cli.main import app
from quotes.cli.wording import counted, plural


def _walk(command: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    found = [(path, command)]
    for name, sub in getattr(command, "commands", {}).items():
        found += _walk(sub, (*path, name))
    return found


COMMANDS = _walk(get_command(app))
IDS = [" ".join(p) or "quotes" for p, _ in COMMANDS]
#: what Typer prints for a value's Python type, and click's type names
TYPE_NAMES = re.compile(
    r"<(str|int|float|bool|path|list\[[^]]*\]|[a-z]+ range)>|\b(INTEGER|FLOAT|BOOLEAN)\b|\{[A-Z]+\}"
)


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=IDS)
def test_help_names_what_to_type_and_shows_an_example(run_cli, path, command) -> None:
    result = run_cli(*path, "--help")
    assert result.exit_code == 0, result.output
    assert not TYPE_NAMES.search(result.output), TYPE_NAMES.search(result.output)
    assert "Example: quotes" in result.output
    assert EXAMPLES[" ".join(path)].startswith(" ".join(["quotes", *path[:1]]))


def test_every_example_names_a_real_command() -> None:
    names = {" ".join(p) for p, _ in COMMANDS}
    assert set(EXAMPLES) == names


def test_options_show_their_placeholders(run_cli) -> None:
    output = run_cli("search", "--help").output
    for option, placeholder in [("--speaker", "NAME"), ("--since", "DATE"), ("--limit", "N")]:
        assert re.search(rf"{option}\s+{placeholder}\b", output), option
    assert re.search(r"--json\s+Print", output)  # a flag shows no placeholder


def test_shell_completion_is_offered(run_cli) -> None:
    output = run_cli("--help").output
    assert "--install-completion" in output and "--show-completion" in output
    script = subprocess.run(
        [sys.executable, "-m", "quotes.cli", "--show-completion", "bash"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"},
    )
    assert script.returncode == 0, script.stderr
    assert "complete" in script.stdout and "quotes" in script.stdout


def test_counts_agree_with_their_nouns() -> None:
    assert counted(1, "result") == "1 result"
    assert counted(0, "result") == "0 results"
    assert counted(1_204, "quote", separators=True) == "1,204 quotes"
    assert plural(1, "has", "have") == "has" and plural(3, "has", "have") == "have"


def test_one_search_result_is_one_result(cli) -> None:
    cli.ok("add", "Sovereignty is not negotiable.", "--speaker", "Ann Example")
    assert "1 result for sovereignty" in cli.ok("search", "sovereignty").output


def _on_a_terminal(args: list[str], env: dict[str, str]) -> str:
    """Run ``quotes ARGS`` with stdout on a pseudo-terminal; return what it showed."""
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "quotes.cli", *args],
            stdout=follower,
            stderr=subprocess.PIPE,
            env=env,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        os.close(follower)
        follower = -1
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return b"".join(chunks).decode()
    finally:
        os.close(leader)
        if follower != -1:
            os.close(follower)


def test_add_says_added_on_a_terminal_and_prints_the_id_when_piped(db_url: str) -> None:
    env = {**os.environ, "QUOTES_DATABASE_URL": db_url, "COLUMNS": "120"}
    shown = _on_a_terminal(["add", "Terminal words.", "--speaker", "Ann Example"], env)
    assert shown.strip() == "Added quote 1."
    again = _on_a_terminal(["add", "Terminal words.", "--speaker", "Ann Example"], env)
    assert again.strip() == "Already recorded as quote 1."
    piped = subprocess.run(
        [sys.executable, "-m", "quotes.cli", "add", "Piped words.", "--speaker", "Ann Example"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert piped.returncode == 0 and piped.stdout == "2\n", piped.stderr


def test_timeline_without_speaker_shows_the_five_most_assessed(cli) -> None:
    cli.ok("init")
    counts = {"Ann A": 2, "Ben B": 1, "Cy C": 3, "Di D": 4, "Ed E": 5, "Fi F": 6}
    for name, n in counts.items():
        for i in range(n):
            qid = cli.ok(
                "add", f"{name} on tariffs {i}.", "--speaker", name, "--date", f"2025-0{i + 1}"
            ).stdout.strip()
            cli.ok("stance", "label", qid, "--topic", "tariffs", "--stance", "favor")
    result = cli.ok("timeline", "--topic", "tariffs", "--format", "csv")
    speakers = {line.split(",")[0] for line in result.stdout.splitlines()[1:]}
    assert speakers == {"Ann A", "Cy C", "Di D", "Ed E", "Fi F"}
    empty = cli("timeline", "--topic", "security")
    assert empty.exit_code == 0 and "No dated quotes with a stance on 'security'" in empty.output


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("updates", [0, 2])
def test_search_shows_an_embedding_bar_only_once_it_embeds(
    monkeypatch: pytest.MonkeyPatch, updates: int
) -> None:
    """Nothing to embed (almost every search): no bar flashing by, no display thread."""
    from quotes.cli.meaning_commands import embedding_progress

    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    before = threading.active_count()
    with embedding_progress(enabled=True, until_needed=True) as progress:
        assert progress is not None
        for done in range(updates):
            progress(done, updates)
        displaying = threading.active_count() > before
    assert displaying == bool(updates)
    assert ("Embedding" in terminal.getvalue()) == bool(updates), terminal.getvalue()
