"""One-line notices from the library to whoever runs it.

The library never prints. When it does something a user should know about
but that is not an error (an index rebuilt because it was stale, a model
exported to ONNX once, a fallback to a slower runtime), it logs one line on
the ``quotes.notice`` logger at WARNING level. The CLI shows those lines on
stderr; a program using the library sees them through ``logging`` as usual.
"""

from __future__ import annotations

import logging

LOGGER_NAME = "quotes.notice"
_LOGGER = logging.getLogger(LOGGER_NAME)


def notice(message: str) -> None:
    """Tell the user ``message`` (one sentence, no trailing newline)."""
    _LOGGER.warning(message)
