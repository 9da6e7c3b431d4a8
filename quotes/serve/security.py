"""Who may write, cross-site request forgery, and the headers every response carries.

- Reads are open (a server on a non-local address without a token is
  read-only, see :mod:`quotes.serve.settings`).
- With ``--token``, a write needs it: ``Authorization: Bearer TOKEN``, or the
  session cookie the login form sets (an HMAC of the token, never the token).
- A write that does not carry the bearer header must also prove it comes
  from this app's own page: a form's hidden ``csrf_token`` (or an
  ``X-CSRF-Token`` header) equal to the signed ``quotes_csrf`` cookie. A JSON
  body (``Content-Type: application/json``) from a script passes too: a
  browser cannot send one cross-site without a CORS preflight, which this
  server never grants.
- Every response carries a Content-Security-Policy that allows scripts and
  styles from this server only (no inline script, nothing from elsewhere).
- Request bodies larger than the upload limit are refused before they are read.
- On a loopback bind, requests must name a loopback host, so a web page on
  another site cannot reach the server through DNS rebinding.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from quotes.errors import QuotesError
from quotes.serve.settings import ServeSettings, is_local_host

SESSION_COOKIE = "quotes_session"
CSRF_COOKIE = "quotes_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]


class HttpError(QuotesError):
    """An error that is about the request itself, with its HTTP status."""

    status = 400


class Unauthorized(HttpError):
    status = 401


class Forbidden(HttpError):
    status = 403


class TooLarge(HttpError):
    status = 413


def _sign(secret: str, value: str) -> str:
    return hmac.new(secret.encode(), value.encode(), hashlib.sha256).hexdigest()


class Gate:
    """Decides whether a request may write, and makes the cookies that prove it."""

    def __init__(self, settings: ServeSettings) -> None:
        self.settings = settings

    # --- the session (login) ---------------------------------------------------

    def session_value(self) -> str:
        assert self.settings.token is not None
        return _sign(self.settings.secret, "session:" + self.settings.token)

    def token_matches(self, given: str) -> bool:
        token = self.settings.token
        return token is not None and hmac.compare_digest(given.encode(), token.encode())

    def bearer_ok(self, headers: Any) -> bool:
        value = headers.get("authorization", "")
        scheme, _, given = value.partition(" ")
        return scheme.lower() == "bearer" and self.token_matches(given.strip())

    def logged_in(self, cookies: Any) -> bool:
        if self.settings.token is None:
            return False
        return hmac.compare_digest(cookies.get(SESSION_COOKIE, ""), self.session_value())

    def may_write(self, headers: Any, cookies: Any) -> bool:
        """True when a write from this client would be accepted (pages hide buttons otherwise)."""
        if self.settings.read_only:
            return False
        if self.settings.token is None:
            return True
        return self.bearer_ok(headers) or self.logged_in(cookies)

    # --- CSRF ----------------------------------------------------------------------

    def new_csrf(self) -> str:
        nonce = secrets.token_urlsafe(24)
        return f"{nonce}.{_sign(self.settings.secret, 'csrf:' + nonce)}"

    def csrf_valid(self, cookie: str | None, given: str | None) -> bool:
        if not cookie or not given or not hmac.compare_digest(cookie, given):
            return False
        nonce, _, signature = cookie.partition(".")
        return hmac.compare_digest(signature, _sign(self.settings.secret, "csrf:" + nonce))

    # --- the one check every write goes through ----------------------------------------

    def check_write(
        self, headers: Any, cookies: Any, *, form_csrf: str | None = None, json_body: bool = False
    ) -> None:
        """Raise Forbidden or Unauthorized unless this request may change the database."""
        if self.settings.read_only:
            raise Forbidden("this server is read-only (started with --read-only): nothing changed.")
        bearer = self.bearer_ok(headers)
        if self.settings.token is not None and not (bearer or self.logged_in(cookies)):
            raise Unauthorized(
                "changes need this server's token: log in at /login or send "
                "'Authorization: Bearer TOKEN'; nothing changed."
            )
        if bearer:
            return
        given = form_csrf if form_csrf is not None else headers.get(CSRF_HEADER)
        if self.csrf_valid(cookies.get(CSRF_COOKIE), given):
            return
        if json_body and _same_origin_or_none(headers):
            return
        raise Forbidden(
            "the form's security check failed (an expired page or another site's form): "
            "reload the page and try again; nothing changed."
        )


def _same_origin_or_none(headers: Any) -> bool:
    origin = headers.get("origin")
    if origin is None:
        return True
    host = headers.get("host", "")
    return bool(origin.split("://", 1)[-1] == host)


def is_json(headers: Any) -> bool:
    return bool(headers.get("content-type", "").split(";")[0].strip().lower() == "application/json")


# --- ASGI middleware -------------------------------------------------------------------

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class GuardMiddleware:
    """Security headers on every response, the body size limit and the Host check."""

    def __init__(self, app: ASGIApp, settings: ServeSettings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                present = {k.lower() for k, _ in message["headers"]}
                message["headers"] = list(message["headers"]) + [
                    (k, v) for k, v in SECURITY_HEADERS if k not in present
                ]
            await send(message)

        host = headers.get("host", "")
        if self.settings.local and not _local_host_header(host, self.settings.extra_hosts):
            await _refuse(
                send_with_headers,
                421,
                "this server answers only requests addressed to this machine "
                "(127.0.0.1 or localhost).",
            )
            return
        limit = self.settings.max_upload_bytes
        length = headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            await _refuse(send_with_headers, 413, _too_large(limit))
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise TooLarge(_too_large(limit))
            return message

        await self.app(scope, limited_receive, send_with_headers)


def _too_large(limit: int) -> str:
    return f"the upload is larger than the limit of {limit // (1024 * 1024)} MiB: nothing changed."


def _local_host_header(host: str, extra: tuple[str, ...] = ()) -> bool:
    if not host:
        return True  # HTTP/1.0 clients; the socket is loopback anyway
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    if host.startswith("["):
        name = host[1:].split("]", 1)[0]
    return is_local_host(name) or name.lower() in extra


async def _refuse(send: Send, status: int, message: str) -> None:
    import json

    body = json.dumps({"error": message, "status": status}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
