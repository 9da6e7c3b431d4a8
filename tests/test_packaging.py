"""A normal (non-editable) install works: build the wheel, install it, run it.

An editable install imports straight from the checkout, so it cannot notice a
package missing from the wheel (``quotes import`` and ``quotes extract`` once
failed with ModuleNotFoundError for anyone who ran ``pip install .``). This
test builds the wheel from a clean copy of the checkout, installs it into a
fresh virtual environment and runs the installed ``quotes`` command from a
folder outside the checkout.

The fresh environment reuses this test environment's dependencies instead of
downloading them again: it is created without them and a ``.pth`` file adds
this environment's site-packages *after* its own. (``venv
--system-site-packages`` would not do: made from a virtual environment's
interpreter it exposes the base Python's packages, not this environment's.)
Lines of a ``.pth``-added folder are not themselves processed, so the
editable install's import hook never loads there, and the wheel's own copy
of ``quotes``, earlier on the path, is the one that runs (checked below).
The build uses ``--no-build-isolation`` (setuptools is in the ``dev`` extra),
so it needs no network.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow

CSV = (
    "text,speaker,date,outlet,topics\n"
    '"We cannot negotiate on our sovereignty.",Mette Frederiksen,2026-01-22,DR,\n'
    '"Arctic security is a shared responsibility.",Mark Rutte,2026-01,Reuters,\n'
)
ARTICLE = (
    "COPENHAGEN (Reuters) - Denmark's prime minister answered on Thursday.\n\n"
    '"We cannot negotiate on our sovereignty," Mette Frederiksen said.\n'
)


def _clean_copy(destination: Path) -> Path:
    """The checkout's files as git sees them (tracked and new, nothing ignored)."""
    source = destination / "src"
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    if listed.returncode != 0:  # not a git checkout: copy all but build products
        shutil.copytree(
            ROOT,
            source,
            ignore=shutil.ignore_patterns(
                ".venv", ".git", "build", "dist", "*.egg-info", "__pycache__", "*.db*"
            ),
        )
        return source
    for name in listed.stdout.decode().split("\0"):
        if name and (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    return source


def _run(args: list[str | Path], cwd: Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "QUOTES_DATABASE_URL")}
    env["HF_HUB_OFFLINE"] = "1"
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """(the fresh environment's bin folder, pip wheel's output)."""
    work = tmp_path_factory.mktemp("wheel")
    source = _clean_copy(work)
    wheels = work / "wheels"
    built = _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--verbose",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            wheels,
            source,  # a path: a bare name would be looked up on PyPI
        ],
        cwd=work,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    (wheel,) = wheels.glob("quotes-*.whl")

    env_dir = work / "env"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    purelib = _run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=work
    ).stdout.strip()
    (Path(purelib) / "reuse_test_env.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    install = _run(
        [sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", wheel],
        cwd=work,
    )
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
    return env_dir / "bin", built.stdout + built.stderr


def test_the_wheel_builds_without_warnings_about_metadata(installed: tuple[Path, str]) -> None:
    _, output = installed
    noisy = [
        line
        for line in output.splitlines()
        if ("warn" in line.lower() or "deprecat" in line.lower())
        and any(word in line.lower() for word in ("licen", "classifier", "package", "metadata"))
    ]
    assert noisy == []


def test_the_installed_package_is_the_wheel_not_the_checkout(
    installed: tuple[Path, str], tmp_path: Path
) -> None:
    bin_dir, _ = installed
    probe = _run(
        [
            bin_dir / "python",
            "-c",
            "import quotes, quotes.cli, quotes.migrations, quotes.seeds, "
            "quotes.ingest.importing, quotes.ingest.extraction; "
            "print(quotes.__file__); print(quotes.cli.__file__)",
        ],
        cwd=tmp_path,
    )
    assert probe.returncode == 0, probe.stderr
    for line in probe.stdout.splitlines():
        assert str(bin_dir.parent) in line and str(ROOT) not in line, probe.stdout


def test_installed_quotes_runs_help_import_and_extract(
    installed: tuple[Path, str], tmp_path: Path
) -> None:
    bin_dir, _ = installed
    quotes = bin_dir / "quotes"
    database = tmp_path / "news.db"

    shown = _run([quotes, "--help"], cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "Usage" in shown.stdout and "import" in shown.stdout and "extract" in shown.stdout

    statements = tmp_path / "statements.csv"
    statements.write_text(CSV, encoding="utf-8")
    imported = _run([quotes, "import", statements, "--db", database, "--json"], cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert '"added": 2' in imported.stdout and '"rejected": 0' in imported.stdout

    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    found = _run([quotes, "extract", article, "--db", database, "--json"], cwd=tmp_path)
    assert found.returncode == 0, found.stderr
    assert '"speaker": "Mette Frederiksen"' in found.stdout
    assert '"text": "We cannot negotiate on our sovereignty."' in found.stdout

    bad = _run([quotes, "import", tmp_path / "missing.csv", "--db", database], cwd=tmp_path)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr, bad.stderr
