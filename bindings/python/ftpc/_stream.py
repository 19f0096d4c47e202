"""A data connection as a Python stream (Session.open)."""

from __future__ import annotations

import io
from typing import Any

from . import _lowlevel as _ll


class DataStream(io.RawIOBase):
    """One file being downloaded or uploaded, as an unbuffered binary stream.

    Made by :meth:`ftpc.Session.open`.  While it is open the session runs no
    other command (:class:`ftpc.BusyError`).  ``readinto`` receives straight
    into the caller's buffer: no copy in Python.

    ``close()`` ends the transfer and reads the server's final reply, raising
    its error (a refused upload shows here).  Closing a download before its
    end aborts it (ABOR, both replies read): the session stays usable and no
    error is raised for the abandoned rest.
    """

    def __init__(self, session: Any, handle: Any, data: Any, mode: str, size: int | None) -> None:
        super().__init__()
        self._session = session
        self._handle = handle
        self._data = data
        self._mode = mode
        self._eof = False
        #: The size the server announced in its 150 reply, or None.
        self.size = size
        self.name = None

    @property
    def mode(self) -> str:  # type: ignore[override]
        return self._mode

    def readable(self) -> bool:
        return self._mode == "rb"

    def writable(self) -> bool:
        return self._mode != "rb"

    def seekable(self) -> bool:
        return False

    def readinto(self, buffer: Any) -> int:
        self._check("rb")
        if self._eof:
            return 0
        view = memoryview(buffer).cast("B")
        if len(view) == 0:
            return 0
        n = _ll.ftp_data_read(self._data, view)
        if n == 0:
            self._eof = True
        return n

    def readall(self) -> bytes:
        self._check("rb")
        chunks = []
        buf = bytearray(256 * 1024)
        while True:
            n = self.readinto(buf)
            if n == 0:
                return b"".join(chunks)
            chunks.append(bytes(buf[:n]))

    def write(self, data: Any) -> int:
        self._check("wb")
        view = memoryview(data).cast("B")
        _ll.ftp_data_write(self._data, view)
        return len(view)

    def close(self) -> None:
        if self.closed:
            return
        data, self._data = self._data, None
        try:
            if data is not None:
                if self._mode == "rb" and not self._eof:
                    _ll.ftp_abort(self._handle)
                else:
                    _ll.ftp_data_close(data)
        finally:
            self._session._stream_closed()
            super().close()

    def _check(self, mode: str) -> None:
        if self.closed or self._data is None:
            raise ValueError("I/O operation on closed file.")
        if (mode == "rb") != (self._mode == "rb"):
            raise io.UnsupportedOperation("not readable" if mode == "rb" else "not writable")

    def __repr__(self) -> str:
        return "<ftpc.DataStream mode=%r size=%r%s>" % (self._mode, self.size, " closed" if self.closed else "")
