"""``quotes serve``: the web app and JSON API (FastAPI and uvicorn load only here)."""

from __future__ import annotations

import socket
from typing import Annotated

import typer

from quotes.errors import QuotesError

from .common import DbOption, db_target, err_console


def _check_port_free(host: str, port: int) -> None:
    """Say so in one sentence when the address is taken, before loading anything."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise QuotesError(
                f"cannot listen on {host}:{port}: {exc.strerror or exc} "
                "(pick another --port, or stop what uses it)."
            ) from None


def serve(
    host: Annotated[
        str,
        typer.Option(help="Address to listen on; anything but this machine needs --token."),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    read_only: Annotated[
        bool, typer.Option("--read-only", help="Serve reading and searching only; no changes.")
    ] = False,
    token: Annotated[
        str | None,
        typer.Option(
            "--token",
            envvar="QUOTES_SERVE_TOKEN",
            help="Changes need this token (login form or 'Authorization: Bearer'); "
            "also read from $QUOTES_SERVE_TOKEN.",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Serve the web app and the JSON API (/api/v1/) over the database."""
    from quotes.serve.settings import ServeSettings, check_settings

    settings = check_settings(
        ServeSettings(db=db_target(db), host=host, port=port, read_only=read_only, token=token)
    )
    _check_port_free(host, port)
    import uvicorn

    from quotes.serve.app import create_app

    app = create_app(settings)
    shown = f"[{host}]" if ":" in host else host
    database = app.state.quotes.database.url.render_as_string(hide_password=True)
    mode = "read-only" if read_only else ("changes need the token" if token else "local only")
    err_console.print(
        f"Serving quotes at http://{shown}:{port}/ ({mode}; database {database}). "
        "Stop with Ctrl+C.",
        markup=False,
    )
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)


def register(app: typer.Typer) -> None:
    app.command()(serve)
