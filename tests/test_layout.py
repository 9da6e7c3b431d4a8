"""The shape of the code: no import cycles, and a library that never talks to the terminal.

Both are read from the source with :mod:`ast`, so they hold for every line,
including imports made lazily inside functions (an import cycle that only
closes at run time is still a cycle a reader has to untangle). Imports under
``if TYPE_CHECKING:`` are left out: they never run.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: installed package -> folder in the repository (as setup.py mounts them)
MOUNTS = {"quotes": ROOT / "quotes", "quotes.cli": ROOT / "cli"}


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package, folder in MOUNTS.items():
        for path in sorted(folder.rglob("*.py")):
            parts = list(path.relative_to(folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join([package, *parts])] = path
    return found


MODULES = _modules()


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _walk(node: ast.AST) -> Iterator[ast.AST]:
    """Every node below ``node`` except the bodies of ``if TYPE_CHECKING:``."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child):
            for other in child.orelse:
                yield other
                yield from _walk(other)
            continue
        yield child
        yield from _walk(child)


def _package_of(module: str) -> str:
    return module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]


def imports_of(module: str) -> set[str]:
    """The quotes modules ``module`` imports, at the top or inside functions."""
    tree = ast.parse(MODULES[module].read_text("utf-8"))
    targets: set[str] = set()
    for node in _walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                targets.add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = _package_of(module)
                for _ in range(node.level - 1):
                    package = package.rpartition(".")[0]
                base = f"{package}.{base}" if base else package
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                targets.add(submodule if submodule in MODULES else base)
    return {t for t in targets if t in MODULES and t != module}


def import_graph() -> dict[str, set[str]]:
    return {module: imports_of(module) for module in MODULES}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_lazy_imports_count() -> None:
    """The engine imports the migrations runner inside a function: it is an edge."""
    assert "quotes.store.migrate" in imports_of("quotes.store.engine")
    assert "quotes.cli.common" in imports_of("quotes.cli.quote_commands")  # relative import


def test_no_import_cycles_among_quotes_modules() -> None:
    found = cycles(import_graph())
    assert found == [], "import cycles: " + "; ".join(" <-> ".join(c) for c in found)


LIBRARY = [name for name in MODULES if not name.startswith("quotes.cli")]


def _terminal_uses(path: Path) -> list[str]:
    """print(), sys.stdout/stderr/stdin, exit() and typer/click/rich in one module."""
    tree = ast.parse(path.read_text("utf-8"))
    found = []
    for node in ast.walk(tree):
        where = f"{path.name}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in ("print", "exit", "quit", "input"):
                found.append(f"{where} calls {node.func.id}()")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id == "sys" and node.attr in ("stdout", "stderr", "stdin", "exit"):
                found.append(f"{where} uses sys.{node.attr}")
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module]
            for name in names:
                if name and name.split(".")[0] in ("typer", "click", "rich"):
                    found.append(f"{where} imports {name}")
    return found


@pytest.mark.parametrize("module", LIBRARY)
def test_the_library_never_talks_to_the_terminal(module: str) -> None:
    """Outputs take a stream or return bytes or rows; the CLI decides where they go."""
    assert _terminal_uses(MODULES[module]) == []


def test_the_terminal_check_catches_a_print(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("import sys\nprint('x')\nsys.stdout.write('y')\nimport typer\n")
    assert len(_terminal_uses(probe)) == 3
