"""Alembic environment: the URL comes from quotes.store.settings, like the CLI's.

When called from :mod:`quotes.store.migrate`, the engine the CLI opened (with its
SQLite pragmas) is reused; run from the ``alembic`` command line, the URL is
``-x db=TARGET``, then ``sqlalchemy.url``, then ``QUOTES_DATABASE_URL`` and the
default data directory.
"""

from __future__ import annotations

from typing import Any

from alembic import context

from quotes.store.engine import build_engine, resolve_url
from quotes.store.migrate import include_name
from quotes.store.models import Base

config = context.config
target_metadata = Base.metadata


def _engine() -> Any:
    engine = config.attributes.get("engine")
    if engine is not None:
        return engine
    target = context.get_x_argument(as_dictionary=True).get("db") or config.get_main_option(
        "sqlalchemy.url"
    )
    return build_engine(resolve_url(target))


def run_migrations() -> None:
    engine = _engine()
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            include_name=include_name,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    raise SystemExit("quotes migrations run online only: pass a database with -x db=TARGET")
run_migrations()
