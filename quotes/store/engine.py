"""The one module that builds engines and sessions.

``open_database(target)`` turns ``--db`` (a URL or a plain path) into a ready
:class:`Database`: a new database is created and migrated to the newest
revision by Alembic; an existing one at an older revision is refused with a
hint to run ``quotes db upgrade`` (writing to an old schema would corrupt it).

SQLite gets WAL, foreign keys and a busy timeout, and write transactions start
with ``BEGIN IMMEDIATE`` so two processes writing at once queue up instead of
failing with "database is locked" when a read lock cannot be upgraded.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session

from quotes.errors import DatabaseError, SchemaOutOfDateError
from quotes.store.normalize import FORBIDDEN
from quotes.store.settings import default_database_target

SQLITE_BUSY_TIMEOUT_S = 60


def resolve_url(target: str | None) -> URL:
    """Turn ``--db`` (or the configured default) into a SQLAlchemy URL.

    A value with ``://`` is a URL (``postgresql://`` means psycopg 3); anything
    else is a SQLite file path. A directory or an unparseable URL is an error.
    """
    value = target if target else default_database_target()
    if FORBIDDEN.search(value):
        raise DatabaseError(
            "the database target is not valid text (undecodable bytes or control "
            "characters): give a file path or a URL in UTF-8."
        )
    if "://" in value:
        try:
            url = make_url(value)
        except (ArgumentError, ValueError):
            raise DatabaseError(
                f"cannot parse database URL {value!r}: use {ACCEPTED_TARGETS}."
            ) from None
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        backend = url.get_backend_name()
        if backend not in ("sqlite", "postgresql") or url.drivername not in SUPPORTED_DRIVERS:
            raise DatabaseError(
                f"unsupported database URL scheme {url.drivername!r} in "
                f"{url.render_as_string(hide_password=True)!r}: use {ACCEPTED_TARGETS}."
            )
        if backend == "sqlite":
            if url.database in (None, "", ":memory:") or "mode=memory" in value:
                raise _in_memory(value)
            _check_sqlite_path(Path(url.database), value)
        return url
    if value.strip() == ":memory:":
        raise _in_memory(value)
    path = Path(value).expanduser()
    _check_sqlite_path(path, value)
    return URL.create("sqlite", database=str(path.resolve()))


ACCEPTED_TARGETS = "sqlite:///FILE, postgresql+psycopg://USER@HOST/DB or a file path"
SUPPORTED_DRIVERS = ("sqlite", "sqlite+pysqlite", "postgresql+psycopg")
#: The first 16 bytes of every SQLite database file.
SQLITE_HEADER = b"SQLite format 3\x00"


def _in_memory(shown: str) -> DatabaseError:
    return DatabaseError(
        f"database {shown!r} is in memory and would keep nothing after the command: "
        "give a file path or a URL."
    )


def _check_sqlite_path(path: Path, shown: str) -> None:
    """A directory, or an existing file that is not a SQLite database, is refused."""
    if path.is_dir():
        raise DatabaseError(f"database path {shown!r} is a directory: give a file path or a URL.")
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return
    except OSError as exc:
        raise DatabaseError(f"cannot open database {shown!r}: {exc.strerror or exc}.") from None
    if header and header != SQLITE_HEADER:
        raise DatabaseError(
            f"{shown!r} is not a SQLite database (it exists and holds something else): "
            "give another path, or a URL."
        )


@dataclass
class Database:
    """An engine plus the sessions built from it; one per process and target."""

    url: URL
    engine: Engine
    _writer: Engine | None = field(default=None, repr=False)

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def dialect(self) -> str:
        return self.url.get_backend_name()

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """One transaction: commit when the block ends, roll back on any error."""
        bind = self.engine.execution_options(sqlite_immediate=True) if write else self.engine
        session = Session(bind=bind, expire_on_commit=False, autoflush=True)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


def build_engine(url: URL, **kwargs: Any) -> Engine:
    """Create an engine with the back-end settings this project relies on."""
    try:
        if url.get_backend_name() == "sqlite":
            engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S}, **kwargs)
            _configure_sqlite(engine)
        else:
            engine = create_engine(url, pool_pre_ping=True, **kwargs)
    except (NoSuchModuleError, ArgumentError) as exc:
        raise DatabaseError(
            f"unsupported database URL {url.render_as_string(hide_password=True)!r}: "
            "use sqlite:///FILE or postgresql+psycopg://USER@HOST/DB."
        ) from exc
    return engine


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get("sqlite_immediate")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


_OPEN: dict[str, Database] = {}


def open_database(
    target: str | None = None, *, migrate: bool = True, create: bool = True
) -> Database:
    """Open (and if new, create and migrate) the database ``target`` names.

    With ``migrate=False`` the schema is neither created nor checked: that is
    what the ``db`` commands need to inspect or move between revisions. With
    ``create=False`` (read-only commands) a missing SQLite file, or a database
    without the schema, is an error and nothing is created: not the file, not
    its folders, not the tables.
    """
    url = resolve_url(target)
    key = url.render_as_string(hide_password=False)
    database = _OPEN.get(key)
    if database is None:
        if url.get_backend_name() == "sqlite" and url.database:
            path = Path(url.database)
            if not create and not path.exists():
                raise DatabaseError(
                    f"there is no database at {str(path)!r}: check --db, or create one "
                    "with `quotes init`."
                )
            path.parent.mkdir(parents=True, exist_ok=True)
        database = Database(url=url, engine=build_engine(url))
        _OPEN[key] = database
    if migrate:
        ensure_schema(database, create=create)
    return database


def database_exists(target: str | None) -> bool:
    """False only for a SQLite target whose file does not exist yet (nothing is created)."""
    url = resolve_url(target)
    return url.get_backend_name() != "sqlite" or Path(url.database or "").exists()


def open_sqlite_files() -> list[Path]:
    """The files of the SQLite databases this process has open (no output may be one)."""
    return [
        Path(database.url.database)
        for database in _OPEN.values()
        if database.is_sqlite and database.url.database
    ]


def checkpoint_all() -> None:
    """Move every open SQLite database's WAL into the main file and empty the WAL.

    Called when a command ends, so the database file alone is the whole
    database: copying ``q.db`` (what people do to back up or send one) copies
    everything. Another process still reading keeps its part of the WAL; the
    checkpoint then does what it can without waiting long.
    """
    for database in list(_OPEN.values()):
        if database.is_sqlite and database.url.database:
            checkpoint(database)


def checkpoint(database: Database) -> None:
    wal = Path(f"{database.url.database}-wal")
    if not wal.exists() or wal.stat().st_size == 0:
        return
    try:
        with database.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA busy_timeout=200")
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            connection.exec_driver_sql(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}")
    except OperationalError:
        pass  # busy with other writers: their own command end will checkpoint


def close_database(database: Database) -> None:
    """Dispose ``database``'s engine and forget it (the next open builds a new one)."""
    database.dispose()
    for key, known in list(_OPEN.items()):
        if known is database:
            del _OPEN[key]


def close_all() -> None:
    """Dispose every engine opened by :func:`open_database` (tests use this)."""
    for database in _OPEN.values():
        database.dispose()
    _OPEN.clear()


def current_revision(database: Database) -> str | None:
    """The Alembic revision the database is at (None for an empty database)."""
    try:
        with database.engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return None
            row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
    except OperationalError as exc:
        raise _connection_error(database, exc) from exc
    return None if row is None else str(row[0])


def _connection_error(database: Database, exc: Exception) -> DatabaseError:
    shown = database.url.render_as_string(hide_password=True)
    reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc) else "unknown"
    return DatabaseError(f"cannot open database {shown!r}: {reason}.")


def shipped_head_revision() -> str:
    """The newest revision in ``migrations/versions``, read without importing Alembic.

    Every command checks the schema before it runs; importing Alembic for that
    would cost a fifth of a second, so the revision files are read as text.
    A test checks that this agrees with Alembic's own answer.
    """
    import re

    import quotes.migrations.versions as versions

    folder = Path(versions.__file__).parent
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in folder.glob("*.py"):
        source = path.read_text("utf-8")
        found = re.search(r"^revision(?:: str)? = ['\"]([^'\"]+)['\"]", source, re.M)
        parent = re.search(r"^down_revision(?:: [^=]+)? = ['\"]([^'\"]+)['\"]", source, re.M)
        if found:
            revisions.add(found.group(1))
        if parent:
            parents.add(parent.group(1))
    heads = revisions - parents
    if len(heads) != 1:
        raise DatabaseError(f"the installed migrations have {len(heads)} heads: {sorted(heads)}.")
    return heads.pop()


def ensure_schema(database: Database, *, create: bool = True) -> None:
    """Create a new database at head; refuse one at an older revision."""
    revision = current_revision(database)
    head = shipped_head_revision()
    if revision == head:
        return
    if revision is None and not create:
        shown = database.url.render_as_string(hide_password=True)
        raise DatabaseError(
            f"the database {shown!r} is empty (no quotes schema): create it with `quotes init`."
        )
    if revision is None:
        from quotes.store import migrate  # Alembic is imported only when it is needed.

        migrate.upgrade(database, "head")
        return
    raise SchemaOutOfDateError(
        f"the database is at schema revision {revision!r} but this version of quotes "
        f"needs {head!r}: run `quotes db upgrade` first."
    )
