"""The exception hierarchy: one class per FTP_E_* status.

Every class derives from :class:`Error`, which derives from the standard
library's ``ftplib.Error``, so ``except ftplib.all_errors`` catches them all.
The four reply classes also derive from ftplib's own ``error_reply``,
``error_temp``, ``error_perm`` and ``error_proto``, and the network and
argument errors from the matching built-in classes (``TimeoutError``,
``ConnectionError``, ``OSError``, ``ValueError``, ``MemoryError``).
"""

from __future__ import annotations

import builtins
import ftplib as _stdlib_ftplib

from . import _lowlevel as _ll

__all__ = [
    "Error", "ReplyError", "TempError", "PermError", "ProtoError",
    "ResolveError", "ConnectError", "NetworkError", "TimeoutError", "ClosedError",
    "TLSError", "InvalidArgument", "OutOfMemory", "Aborted", "Cancelled",
    "StateError", "BusyError", "UnsupportedError", "InternalError", "FileError",
]


class Error(_stdlib_ftplib.Error):
    """Any failure ftpc reports.

    Attributes:
        code: the FTP_E_* status (a negative int), as in the C API.
        name: its symbolic name, such as ``"FTP_E_PERM"``.
        message: a sentence naming the command and the cause
            (``ftp_last_error()``), e.g. ``"RETR a.txt: 550 No such file"``.
        reply_code: the three-digit code of the last reply read, or 0.
        reply: the full text of that reply (lines joined by ``"\\n"``), or "".

    ``str(e)`` is the server's reply for the reply classes (as in ftplib) and
    the message for the others.
    """

    code: int = 0
    name: str = "FTP_E_UNKNOWN"

    def __init__(self, message: str, *, code: int | None = None, reply_code: int = 0,
                 reply: str = "") -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
            self.name = _ll.ftp_error_name(code)
        self.message = message
        self.reply_code = reply_code
        self.reply = reply



class ReplyError(Error, _stdlib_ftplib.error_reply):
    """An unexpected 1xx/2xx/3xx reply (FTP_E_REPLY; ftplib's error_reply)."""


class TempError(Error, _stdlib_ftplib.error_temp):
    """A 4xx reply (FTP_E_TEMP; ftplib's error_temp)."""


class PermError(Error, _stdlib_ftplib.error_perm):
    """A 5xx reply (FTP_E_PERM; ftplib's error_perm)."""


class ProtoError(Error, _stdlib_ftplib.error_proto):
    """A malformed reply, or one outside 1xx-5xx (FTP_E_PROTO; ftplib's error_proto)."""


class ResolveError(Error, OSError):
    """The host name did not resolve (FTP_E_RESOLVE)."""


class ConnectError(Error, ConnectionError):
    """No TCP connection could be made, control or data (FTP_E_CONNECT)."""


class NetworkError(Error, OSError):
    """A send or receive failed: reset, broken pipe... (FTP_E_IO)."""


class TimeoutError(Error, builtins.TimeoutError):  # noqa: A001 - mirrors the C name
    """A deadline passed; the session is broken until it reconnects (FTP_E_TIMEOUT)."""


class ClosedError(Error, ConnectionError):
    """The server closed the connection; the session is broken (FTP_E_CLOSED)."""


class TLSError(Error, OSError):
    """Handshake, verification or record-layer failure (FTP_E_TLS)."""


class InvalidArgument(Error, ValueError):
    """A bad argument: out of range, CR/LF/NUL in a command... (FTP_E_INVALID).
    Nothing was sent."""


class OutOfMemory(Error, MemoryError):
    """The library ran out of memory (FTP_E_NOMEM)."""


class Aborted(Error):
    """A callback stopped the transfer (FTP_E_ABORTED).  When the callback
    raised, that exception is raised instead; the session stays usable."""


class Cancelled(Error):
    """:meth:`ftpc.Session.cancel` interrupted the call; the session is broken
    until it reconnects (FTP_E_CANCELLED).  Ctrl-C raises KeyboardInterrupt."""


class StateError(Error):
    """Not connected, or broken after a timeout, cancel or desync (FTP_E_STATE)."""


class BusyError(Error):
    """The session is in use: re-entered from a callback, used by two threads
    at once, or a data stream is open (FTP_E_BUSY)."""


class UnsupportedError(Error):
    """Not built in (TLS), or the server lacks it (FTP_E_UNSUPPORTED)."""


class InternalError(Error):
    """A bug in ftpc; the message says where (FTP_E_INTERNAL)."""


class FileError(Error, OSError):
    """Reading or writing the local file failed; the transfer was stopped and
    the session stays usable (FTP_E_FILE)."""


_BY_CODE: dict[int, type[Error]] = {
    _ll.FTP_E_REPLY: ReplyError,
    _ll.FTP_E_TEMP: TempError,
    _ll.FTP_E_PERM: PermError,
    _ll.FTP_E_PROTO: ProtoError,
    _ll.FTP_E_RESOLVE: ResolveError,
    _ll.FTP_E_CONNECT: ConnectError,
    _ll.FTP_E_IO: NetworkError,
    _ll.FTP_E_TIMEOUT: TimeoutError,
    _ll.FTP_E_CLOSED: ClosedError,
    _ll.FTP_E_TLS: TLSError,
    _ll.FTP_E_INVALID: InvalidArgument,
    _ll.FTP_E_NOMEM: OutOfMemory,
    _ll.FTP_E_ABORTED: Aborted,
    _ll.FTP_E_CANCELLED: Cancelled,
    _ll.FTP_E_STATE: StateError,
    _ll.FTP_E_BUSY: BusyError,
    _ll.FTP_E_UNSUPPORTED: UnsupportedError,
    _ll.FTP_E_INTERNAL: InternalError,
    _ll.FTP_E_FILE: FileError,
}
for _code, _cls in _BY_CODE.items():
    _cls.code = _code
    _cls.name = _ll.ftp_error_name(_code)

_REPLY_CLASSES = (ReplyError, TempError, PermError)


def error_class(code: int) -> type[Error]:
    """The class ftpc raises for the status ``code``."""
    return _BY_CODE.get(code, Error)


def _make(code: int, name: str, message: str, reply_code: int, reply: str) -> Error:
    """Called by the extension for every failed call (see ftpc_python.i)."""
    cls = error_class(code)
    # ftplib's exceptions carry the reply; so do ours when the reply is the
    # failure.  (FTP_E_PROTO's reply may be an earlier, good one.)
    text = reply if cls in _REPLY_CLASSES and reply else message
    exc = cls(text, code=code, reply_code=reply_code, reply=reply)
    exc.message = message
    return exc


_ll.ftpc_set_error_factory(_make)
