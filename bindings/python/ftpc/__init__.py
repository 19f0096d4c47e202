"""ftpc: an FTP and FTPS client, secure by default, over the libftpc C library.

Two ways in:

* :class:`ftpc.Session`, the Pythonic API: keyword options, verified TLS,
  deadlines on every wait, exceptions per failure, ``download``/``upload``
  that keep the bytes out of Python, ``open()`` streams, ``mlsd()``, and a
  report per transfer.  The trace goes to the ``ftpc`` logger.
* :mod:`ftpc.ftplib`, a drop-in for the standard library's ``ftplib``:
  ``from ftpc import ftplib`` and nothing else changes, except that FTP_TLS
  works against servers that require TLS session reuse, every wait has a
  deadline, replies are capped and CR/LF/NUL injection is refused.

Example::

    import ftpc

    with ftpc.Session("ftp.example.org", tls="explicit",
                      user="alice", password="secret", timeout=30) as ftp:
        ftp.download("report.pdf", "report.pdf")
        for name, facts in ftp.mlsd("/pub"):
            print(name, facts.get("size"))
"""

from ._errors import (Aborted, BusyError, Cancelled, ClosedError, ConnectError, Error, FileError,
                      InternalError, InvalidArgument, NetworkError, OutOfMemory, PermError,
                      ProtoError, ReplyError, ResolveError, StateError, TempError, TimeoutError,
                      TLSError, UnsupportedError, error_class)
from ._session import Session, TransferReport
from ._stream import DataStream
from . import _lowlevel

__version__: str = _lowlevel.ftp_version_string()

__all__ = [
    "Session", "TransferReport", "DataStream", "error_class",
    "Error", "ReplyError", "TempError", "PermError", "ProtoError", "ResolveError",
    "ConnectError", "NetworkError", "TimeoutError", "ClosedError", "TLSError",
    "InvalidArgument", "OutOfMemory", "Aborted", "Cancelled", "StateError", "BusyError",
    "UnsupportedError", "InternalError", "FileError",
]
