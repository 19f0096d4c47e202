"""The library's trace, sent to the :mod:`logging` module.

Commands and replies are logged at DEBUG on the ``ftpc`` logger (or the
logger a Session is given), as ``"> USER alice"`` and ``"< 331 Password
required"``; connection narration (data channel mode and peer, TLS) also at
DEBUG, as ``"* ..."``.  The library masks PASS and ACCT before they reach
Python: a password never appears in a log.
"""

from __future__ import annotations

import logging

from . import _lowlevel as _ll

_PREFIX = {_ll.FTP_TRACE_CMD: "> ", _ll.FTP_TRACE_REPLY: "< ", _ll.FTP_TRACE_INFO: "* "}


class LoggingTrace:
    """A trace callable for ``ftp_set_trace_fn`` that logs each event."""

    __slots__ = ("_logger",)

    def __init__(self, logger: logging.Logger) -> None:
        self._logger = logger

    def __call__(self, kind: int, text: str) -> None:
        self._logger.debug("%s%s", _PREFIX.get(kind, "? "), text)
