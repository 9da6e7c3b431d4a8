"""Every command and group documents itself."""

from __future__ import annotations

from typing import Any

import pytest
from typer.main import get_command

from quotes.cli.main import app


def _walk(command: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    found = [(path, command)]
    for name, sub in getattr(command, "commands", {}).items():
        found += _walk(sub, (*path, name))
    return found


COMMANDS = _walk(get_command(app))


@pytest.mark.parametrize(
    ("path", "command"), COMMANDS, ids=[" ".join(p) or "quotes" for p, _ in COMMANDS]
)
def test_every_command_has_help(run_cli, path: tuple[str, ...], command: Any) -> None:
    assert (command.help or "").strip(), f"{' '.join(path)} has no help text"
    result = run_cli(*path, "--help")
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output
    for param in command.params:
        if param.param_type_name == "option" and param.name not in ("help",):
            assert (param.help or "").strip(), f"{' '.join(path)} {param.opts} has no help"


def test_contract_commands_exist() -> None:
    names = {" ".join(p) for p, _ in COMMANDS}
    for expected in (
        "init",
        "add",
        "show",
        "search",
        "export",
        "db upgrade",
        "db downgrade",
        "db current",
        "speakers list",
        "speakers add",
        "speakers alias",
        "speakers merge",
        "topics list",
        "topics add",
    ):
        assert expected in names
