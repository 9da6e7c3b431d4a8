"""Shared fixtures: a fresh migrated database per test on SQLite and PostgreSQL.

Alembic builds every database. To keep hundreds of tests fast, each back end is
migrated once per session into a template (a file for SQLite, a template
database for PostgreSQL) and every test gets its own copy of it. Tests that
need a database Alembic has not touched yet use ``fresh_target``.

PostgreSQL runs on 127.0.0.1:5432 (user postgres). When it is unreachable the
PostgreSQL half of the suite is skipped with the reason, except under CI=true,
where it fails: CI must really test both back ends.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from quotes.store.engine import Database, close_all, open_database

PG_HOST = os.environ.get("QUOTES_TEST_PG_HOST", "127.0.0.1")
PG_ADMIN = f"postgresql+psycopg://postgres@{PG_HOST}:5432/postgres"
BACKENDS = ["sqlite", "postgresql"]
SHARED_MODEL_CACHE = Path(__file__).resolve().parent.parent / ".pytest_cache" / "quotes-models"
REPO_ROOT = Path(__file__).resolve().parent.parent


def shared_data_dir() -> Path | None:
    """The shared public data sets (../shared/data), or None when absent."""
    for candidate in (REPO_ROOT.parent / "shared" / "data", Path("/work/shared/data")):
        if candidate.is_dir():
            return candidate
    return None


def _pg_admin_connection() -> Any:
    import psycopg

    return psycopg.connect(
        f"host={PG_HOST} port=5432 user=postgres dbname=postgres",
        autocommit=True,
        connect_timeout=3,
    )


_PG_STATE: dict[str, Any] = {}


def _postgres_available() -> str | None:
    """None when PostgreSQL answers, else the reason it does not."""
    if "reason" not in _PG_STATE:
        try:
            _pg_admin_connection().close()
            _PG_STATE["reason"] = None
        except Exception as exc:  # any failure to connect means "not available"
            _PG_STATE["reason"] = f"PostgreSQL at {PG_HOST}:5432 is not reachable: {exc}"
    return _PG_STATE["reason"]  # type: ignore[no-any-return]


def require_postgres() -> None:
    reason = _postgres_available()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the PostgreSQL tests must run)")
    pytest.skip(reason)


def create_pg_database(template: str | None = None) -> str:
    name = f"quotes_test_{uuid.uuid4().hex[:12]}"
    with _pg_admin_connection() as conn:
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return name


def drop_pg_database(name: str) -> None:
    with _pg_admin_connection() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg_url(name: str) -> str:
    return f"postgresql+psycopg://postgres@{PG_HOST}:5432/{name}"


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test touches the user's real data directory or configured database."""
    monkeypatch.setenv("QUOTES_DATA_DIR", str(tmp_path / "user-data"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    # The default model's ONNX export (~20 s) is made once and shared by every
    # test and run; tests of the export itself point this elsewhere.
    monkeypatch.setenv("QUOTES_MODEL_CACHE", str(SHARED_MODEL_CACHE))
    for name in ("QUOTES_DATABASE_URL", "QUOTES_EMBEDDING_MODEL", "QUOTES_DEBUG"):
        monkeypatch.delenv(name, raising=False)
    yield
    close_all()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    database = open_database(str(path))  # Alembic migrates the new file to head
    database.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    close_all()
    return path


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[str]:
    require_postgres()
    name = create_pg_database()
    database = open_database(pg_url(name))
    database.dispose()
    close_all()
    yield name
    drop_pg_database(name)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql":
        require_postgres()
    return str(request.param)


@pytest.fixture
def db_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database at the newest revision, for this test only."""
    if backend == "sqlite":
        path = tmp_path / "quotes.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield str(path)
        return
    name = create_pg_database(template=request.getfixturevalue("postgres_template"))
    yield pg_url(name)
    close_all()
    drop_pg_database(name)


@pytest.fixture
def fresh_target(backend: str, tmp_path: Path) -> Iterator[str]:
    """A database target Alembic has not touched: a new path, or an empty database."""
    if backend == "sqlite":
        yield str(tmp_path / "new" / "fresh.db")
        return
    name = create_pg_database()
    yield pg_url(name)
    close_all()
    drop_pg_database(name)


@pytest.fixture
def db(db_url: str) -> Database:
    return open_database(db_url)


@dataclass
class Cli:
    """Runs the ``quotes`` app in-process against one database."""

    url: str
    runner: CliRunner

    def __call__(self, *args: str, input: str | None = None, db: bool = True) -> Result:
        from quotes.cli.main import app

        full = [*args, "--db", self.url] if db else list(args)
        return self.runner.invoke(app, full, input=input, catch_exceptions=False)

    def ok(self, *args: str, input: str | None = None) -> Result:
        result = self(*args, input=input)
        assert result.exit_code == 0, result.output
        return result


@pytest.fixture
def cli(db_url: str) -> Cli:
    return Cli(db_url, CliRunner(env={"COLUMNS": "200"}))


@pytest.fixture
def seeded(cli: Cli) -> Cli:
    """A database with the default topics and the seed article's quotations."""
    cli.ok("init", "--seed")
    return cli


@pytest.fixture
def run_cli() -> Callable[..., Result]:
    """Invoke the app with exactly these arguments (no --db added)."""
    from quotes.cli.main import app

    runner = CliRunner(env={"COLUMNS": "200"})

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return invoke
