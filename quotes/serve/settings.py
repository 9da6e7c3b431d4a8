"""What a server was started with, and the rule about where it may listen.

A server bound to the loopback interface is reachable only from this
machine; bound to anything else, anyone on the network could change the
database, so it refuses to start unless writes need a token (``--token``) or
there are no writes at all (``--read-only``).
"""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass, field

from quotes.errors import BadInputError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
#: Largest request body accepted (an import upload is the big one).
MAX_UPLOAD_BYTES = 64 * 1024 * 1024
#: A token shorter than this is too easy to guess on a network.
MIN_TOKEN_LENGTH = 12
LOCAL_NAMES = ("localhost",)


def is_local_host(host: str) -> bool:
    """True for a loopback address or ``localhost``: only this machine can connect."""
    name = host.strip().strip("[]").lower()
    if name in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class ServeSettings:
    """How one server runs: its database, where it listens and who may write."""

    db: str | None = None
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    read_only: bool = False
    token: str | None = None
    max_upload_bytes: int = MAX_UPLOAD_BYTES
    #: Load the embedding model at start-up (in the background) so searching
    #: by meaning never waits for it; tests turn it off.
    warm_model: bool = True
    #: Host names accepted besides loopback ones on a local bind (a reverse
    #: proxy's name, a test client's).
    extra_hosts: tuple[str, ...] = ()
    #: Signs the CSRF and session cookies; new each start unless given.
    secret: str = field(default_factory=lambda: secrets.token_hex(32), repr=False)

    @property
    def local(self) -> bool:
        return is_local_host(self.host)

    @property
    def writes_need_token(self) -> bool:
        return self.token is not None


def check_settings(settings: ServeSettings) -> ServeSettings:
    """Refuse settings that would expose writes; the message says what to pass."""
    if not 1 <= settings.port <= 65535:
        raise BadInputError(f"invalid --port {settings.port}: use a number from 1 to 65535.")
    if settings.token is not None and len(settings.token) < MIN_TOKEN_LENGTH:
        raise BadInputError(
            f"the --token is {len(settings.token)} characters long: use at least "
            f"{MIN_TOKEN_LENGTH}, e.g. `python -c 'import secrets; print(secrets.token_hex())'`."
        )
    if not settings.local and settings.token is None and not settings.read_only:
        raise BadInputError(
            f"refusing to listen on {settings.host!r} without --token: anyone on the network "
            "could change the database; pass --token T (writes then need it) or --read-only."
        )
    return settings
