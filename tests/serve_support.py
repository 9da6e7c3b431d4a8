"""Helpers for the ``quotes serve`` tests: an app over a seeded database, and a client."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient

from quotes.ingest.seeding import load_seed_quotes
from quotes.records.topics import install_default_topics
from quotes.serve.app import create_app
from quotes.serve.settings import ServeSettings
from quotes.store.engine import open_database

LOCAL = "http://127.0.0.1:8000"
TOKEN = "correct-horse-battery-staple"


def seed(db_url: str) -> None:
    """Default topics and the seed article's quotations."""
    with open_database(db_url).session(write=True) as session:
        install_default_topics(session)
        load_seed_quotes(session)


@contextmanager
def client_for(db_url: str, base_url: str = LOCAL, **settings: Any) -> Iterator[TestClient]:
    options: dict[str, Any] = {"db": db_url, "warm_model": False, **settings}
    app = create_app(ServeSettings(**options))
    with TestClient(app, base_url=base_url) as client:
        yield client


def csrf_of(client: TestClient, page: str = "/add") -> str:
    """The CSRF token a page embeds in its forms (the cookie is set on the client)."""
    html = client.get(page).text
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, html
    return found.group(1)


def quote_count(client: TestClient) -> int:
    count: int = client.get("/api/v1/").json()["quotes"]
    return count
