"""ftpc.Session: an FTP or FTPS client session, secure by default."""

from __future__ import annotations

import dataclasses
import io
import logging
import os
import threading
import weakref
from typing import IO, Any, Callable, Iterator, Sequence, Union

from . import _errors
from . import _lowlevel as _ll
from ._stream import DataStream
from ._trace import LoggingTrace

PathLike = Union[str, bytes, "os.PathLike[str]", "os.PathLike[bytes]"]

_DATA_MODES = {
    "auto": _ll.FTP_DATA_AUTO,
    "epsv": _ll.FTP_DATA_EPSV,
    "pasv": _ll.FTP_DATA_PASV,
    "active": _ll.FTP_DATA_ACTIVE,
    "eprt": _ll.FTP_DATA_EPRT,
    "port": _ll.FTP_DATA_PORT,
}
_TLS_MODES = {
    "none": _ll.FTP_TLS_NONE,
    "explicit": _ll.FTP_TLS_EXPLICIT,
    "implicit": _ll.FTP_TLS_IMPLICIT,
    "try-insecure": _ll.FTP_TLS_TRY_INSECURE,
}
_TLS_VERSIONS = {None: _ll.FTP_TLS_VERSION_ANY, "1.2": _ll.FTP_TLS_VERSION_1_2,
                 "1.3": _ll.FTP_TLS_VERSION_1_3}
# SWIG exposes the enum's character constants ('A', 'I') as str.
_TYPE_BINARY = ord(_ll.FTP_TYPE_BINARY) if isinstance(_ll.FTP_TYPE_BINARY, str) else _ll.FTP_TYPE_BINARY

# Blocks for callbacks and Python file objects: large enough that the
# per-block Python call costs nothing next to the bytes.
_BULK_BLOCK = 256 * 1024


@dataclasses.dataclass(frozen=True)
class TransferReport:
    """What the last data connection was (``Session.last_transfer``)."""

    #: "EPSV", "PASV", "EPRT" or "PORT"; None before any data connection.
    mode: str | None
    #: The server's end, "127.0.0.1:50123" or "[::1]:50123".
    peer: str | None
    #: Payload bytes moved (after TLS, before ASCII translation).
    bytes: int
    #: "TLSv1.3" etc., or None for a clear-text data connection.
    tls_version: str | None
    #: The TLS cipher, or None for clear text.
    tls_cipher: str | None
    #: True if the data connection's TLS resumed the control session, False
    #: for a full handshake, None for clear text.
    tls_resumed: bool | None


def _seconds_to_ms(name: str, seconds: float) -> int:
    ms = int(round(float(seconds) * 1000))
    if ms < 1 or ms > 86400000:
        raise ValueError("%s must be between 0.001 and 86400 seconds" % name)
    return ms


def _real_fd(fileobj: Any) -> int | None:
    """The descriptor behind a file object, when its bytes can bypass Python."""
    try:
        fd = fileobj.fileno()
    except (AttributeError, OSError, io.UnsupportedOperation):
        return None
    return fd if isinstance(fd, int) and fd >= 0 else None


class Session:
    """An FTP client session: one control connection and its options.

    ``Session(host, user=..., password=...)`` connects and logs in; without
    ``host`` it stays unconnected until :meth:`connect`.  Use it as a context
    manager: leaving the block sends QUIT and closes.

    Security is on unless turned off by name: with ``tls="explicit"``
    (AUTH TLS) or ``"implicit"`` (port 990) certificates and host names are
    verified against the system store (or ``ca_file``/``ca_path``), data
    connections are protected and resume the control connection's TLS
    session, and TLS never falls back to clear text.  ``tls="try-insecure"``
    goes on in clear text when the server refuses AUTH TLS;
    ``insecure_skip_verify=True`` turns verification off, and
    ``insecure_skip_hostname=True`` keeps the chain check but accepts a
    certificate for another name.

    TLS versions are "1.2" or "1.3": ``tls_min_version`` (None: 1.2, the
    floor) and ``tls_max_version`` (None: the highest OpenSSL has).

    Every wait has a deadline: ``timeout`` (seconds) sets all of them; the
    ``*_timeout`` options set one phase each.  Caps on what the server may
    send: ``max_line``, ``max_reply_bytes``, ``max_reply_lines``.

    Threads: the GIL is released while a call waits on the network, so
    sessions in different threads run in parallel.  One thread at a time per
    session (a second one gets :class:`ftpc.BusyError`); :meth:`cancel` is
    the one method that is safe from another thread.  Ctrl-C during a call
    on the main thread cancels it and raises KeyboardInterrupt at once.

    Callbacks run on the calling thread.  An exception raised in one stops
    the transfer cleanly (ABOR, replies read) and is raised unchanged from
    the call; the session stays usable.
    """

    def __init__(self, host: str | None = None, port: int = 0, *,
                 user: str | None = None, password: str | None = None, acct: str | None = None,
                 timeout: float | None = None,
                 connect_timeout: float | None = None, reply_timeout: float | None = None,
                 data_timeout: float | None = None, accept_timeout: float | None = None,
                 close_timeout: float | None = None,
                 data_mode: str = "auto", trust_pasv_address_insecure: bool = False,
                 source_address: tuple[str, int] | None = None,
                 tls: str = "none", ca_file: PathLike | None = None, ca_path: PathLike | None = None,
                 client_cert: PathLike | None = None, client_key: PathLike | None = None,
                 tls_min_version: str | None = None, tls_max_version: str | None = None,
                 tls_ciphers: str | None = None, protect_data: bool = True,
                 insecure_skip_verify: bool = False, insecure_skip_hostname: bool = False,
                 max_line: int | None = None, max_reply_bytes: int | None = None,
                 max_reply_lines: int | None = None,
                 encoding: str = "utf-8", logger: logging.Logger | None = None) -> None:
        handle = _ll.ftp_session_new()
        if handle is None:
            raise MemoryError("ftp_session_new")
        self._handle = handle
        self._finalizer = weakref.finalize(self, _ll.ftp_session_free, handle)
        self._lock = threading.Lock()
        self._stream: DataStream | None = None
        self.encoding = encoding
        self.logger = logger if logger is not None else logging.getLogger("ftpc")
        self._trace: LoggingTrace | None = None

        if timeout is not None:
            _ll.ftp_set_timeout_ms(handle, _seconds_to_ms("timeout", timeout))
        phases = (("connect_timeout", _ll.FTP_TIMEOUT_CONNECT, connect_timeout),
                  ("reply_timeout", _ll.FTP_TIMEOUT_REPLY, reply_timeout),
                  ("data_timeout", _ll.FTP_TIMEOUT_DATA, data_timeout),
                  ("accept_timeout", _ll.FTP_TIMEOUT_ACCEPT, accept_timeout),
                  ("close_timeout", _ll.FTP_TIMEOUT_CLOSE, close_timeout))
        for name, phase, seconds in phases:
            if seconds is not None:
                _ll.ftp_set_phase_timeout_ms(handle, phase, _seconds_to_ms(name, seconds))
        limits = ((_ll.FTP_LIMIT_LINE, max_line), (_ll.FTP_LIMIT_REPLY_BYTES, max_reply_bytes),
                  (_ll.FTP_LIMIT_REPLY_LINES, max_reply_lines))
        for which, value in limits:
            if value is not None:
                _ll.ftp_set_limit(handle, which, int(value))
        self.data_mode = data_mode
        if trust_pasv_address_insecure:
            _ll.ftp_set_trust_pasv_address_insecure(handle, 1)
        if source_address is not None:
            _ll.ftp_set_source_address(handle, source_address[0], int(source_address[1]))
        if tls not in _TLS_MODES:
            raise ValueError("tls must be one of %s" % ", ".join(map(repr, _TLS_MODES)))
        if tls != "none":
            _ll.ftp_set_tls_mode(handle, _TLS_MODES[tls])
        if insecure_skip_verify:
            _ll.ftp_set_tls_insecure_skip_verify(handle, 1)
        if insecure_skip_hostname:
            _ll.ftp_set_tls_insecure_skip_hostname(handle, 1)
        if ca_file is not None:
            _ll.ftp_set_ca_file(handle, os.fsdecode(ca_file))
        if ca_path is not None:
            _ll.ftp_set_ca_path(handle, os.fsdecode(ca_path))
        if client_cert is not None:
            _ll.ftp_set_client_cert(handle, os.fsdecode(client_cert),
                                    None if client_key is None else os.fsdecode(client_key))
        if tls_min_version not in (None, "1.2"):
            _ll.ftp_set_tls_min_version(handle, self._tls_version(tls_min_version))
        if tls_max_version is not None:
            _ll.ftp_set_tls_max_version(handle, self._tls_version(tls_max_version))
        if tls_ciphers is not None:
            _ll.ftp_set_tls_ciphers(handle, tls_ciphers)
        if not protect_data:
            _ll.ftp_set_tls_protect_data(handle, 0)

        if host is not None:
            self.connect(host, port)
            if user is not None or password is not None:
                self.login(user, password, acct)

    @staticmethod
    def _tls_version(version: str | None) -> int:
        try:
            return _TLS_VERSIONS[version]
        except KeyError:
            raise ValueError("TLS versions are '1.2', '1.3' or None, not %r" % (version,)) from None

    # ------------------------------------------------------------ plumbing

    def _call(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Runs one library call, one thread at a time."""
        if not self._lock.acquire(blocking=False):
            raise _errors.BusyError("the session is in use by another call (another thread, "
                                    "or a callback of this one)", code=_ll.FTP_E_BUSY)
        try:
            return fn(self._handle, *args)
        finally:
            self._lock.release()

    def _stream_closed(self) -> None:
        self._stream = None
        self._lock.release()

    def _install_trace(self) -> None:
        if self.logger.isEnabledFor(logging.DEBUG):
            if self._trace is None:
                self._trace = LoggingTrace(self.logger)
                _ll.ftp_set_trace_fn(self._handle, self._trace)
                _ll.ftp_set_debuglevel(self._handle, 2)
        elif self._trace is not None:
            _ll.ftp_set_trace_fn(self._handle, None)
            _ll.ftp_set_debuglevel(self._handle, 0)
            self._trace = None

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        try:
            if self.connected:
                self.quit()
        except _errors.Error:
            pass
        finally:
            self.close()

    def __repr__(self) -> str:
        peer = _ll.ftp_peer_address(self._handle) if self._finalizer.alive else None
        return "<ftpc.Session %s>" % (peer or "unconnected")

    # ------------------------------------------------------------ options

    @property
    def data_mode(self) -> str:
        """How data connections open: "auto" (EPSV, then PASV), "epsv",
        "pasv", "active" (EPRT, then PORT), "eprt" or "port"."""
        return self._data_mode

    @data_mode.setter
    def data_mode(self, mode: str) -> None:
        if mode not in _DATA_MODES:
            raise ValueError("data_mode must be one of %s" % ", ".join(map(repr, _DATA_MODES)))
        _ll.ftp_set_data_mode(self._handle, _DATA_MODES[mode])
        self._data_mode = mode

    def set_pasv(self, passive: bool) -> None:
        """ftplib's set_pasv(): True is data_mode "auto", False "active"."""
        self.data_mode = "auto" if passive else "active"

    def cancel(self) -> None:
        """Stops the call running in another thread: it raises
        :class:`ftpc.Cancelled` and the session is broken until it
        reconnects.  Safe from any thread (and from a signal handler)."""
        _ll.ftp_cancel(self._handle)

    # ------------------------------------------------------------ connection

    def connect(self, host: str, port: int = 0) -> str:
        """Connects (port 0: 21, or 990 for implicit TLS) and returns the
        welcome reply.  With ``tls`` set, the control connection is secured
        before this returns."""
        self._install_trace()
        self._call(_ll.ftp_connect, host, int(port))
        return self.welcome

    @property
    def connected(self) -> bool:
        return _ll.ftp_peer_address(self._handle) is not None

    @property
    def welcome(self) -> str:
        """The welcome reply read at connect (ftplib's getwelcome())."""
        return _ll.ftp_getwelcome(self._handle) or ""

    def getwelcome(self) -> str:
        return self.welcome

    @property
    def peer_address(self) -> tuple[str, int] | None:
        """The server's (host, port) on the control connection, or None."""
        return _split_address(_ll.ftp_peer_address(self._handle))

    @property
    def local_address(self) -> tuple[str, int] | None:
        """Our (host, port) on the control connection, or None."""
        return _split_address(_ll.ftp_local_address(self._handle))

    def login(self, user: str | None = None, password: str | None = None, acct: str | None = None) -> str:
        """USER, PASS, ACCT as needed (no user: anonymous); returns the last reply.
        On a TLS session it then protects data connections (PBSZ 0, PROT P)."""
        self._call(_ll.ftp_login, user, password, acct)
        return self.last_reply

    def quit(self) -> str:
        """QUIT, then close, whatever the answer; returns the reply.  An
        open :class:`DataStream` is closed first, without its reply."""
        self._detach_stream()
        self._call(_ll.ftp_quit)
        return self.last_reply

    def close(self) -> None:
        """Closes the connection without sending anything."""
        self._detach_stream()
        if self._finalizer.alive:
            self._call(_ll.ftp_close)

    def _detach_stream(self) -> None:
        """Marks an open DataStream closed before a call that closes it in
        the library (quit, close, abort), and frees the session for it."""
        stream = self._stream
        if stream is not None:
            stream._data = None
            stream.close()

    # ------------------------------------------------------------ the last call

    @property
    def last_reply(self) -> str:
        """The full text of the last reply read."""
        return _ll.ftp_last_reply(self._handle)

    @property
    def last_reply_code(self) -> int:
        return _ll.ftp_last_reply_code(self._handle)

    @property
    def last_transfer(self) -> TransferReport:
        """What the most recent data connection was."""
        h = self._handle
        resumed = _ll.ftp_last_transfer_tls_resumed(h)
        return TransferReport(
            mode=_ll.ftp_last_transfer_mode(h), peer=_ll.ftp_last_transfer_peer(h),
            bytes=_ll.ftp_last_transfer_bytes(h), tls_version=_ll.ftp_last_transfer_tls_version(h),
            tls_cipher=_ll.ftp_last_transfer_tls_cipher(h),
            tls_resumed=None if resumed < 0 else bool(resumed))

    @property
    def tls_version(self) -> str | None:
        """The control connection's TLS version, or None in clear text."""
        return _ll.ftp_tls_version(self._handle)

    @property
    def tls_cipher(self) -> str | None:
        return _ll.ftp_tls_cipher(self._handle)

    # ------------------------------------------------------------ commands

    def sendcmd(self, cmd: str) -> str:
        """Sends a command and returns the reply (1xx-3xx); 4xx/5xx raise."""
        return self._call(_ll.ftp_sendcmd, cmd)

    def voidcmd(self, cmd: str) -> str:
        """Sends a command that must answer 2xx; returns the reply."""
        self._call(_ll.ftp_voidcmd, cmd)
        return self.last_reply

    def getresp(self) -> str:
        """Reads a reply the server owes (after a 1xx, say)."""
        return self._call(_ll.ftp_getresp)

    def voidresp(self) -> str:
        self._call(_ll.ftp_voidresp)
        return self.last_reply

    def rename(self, fromname: str, toname: str) -> str:
        self._call(_ll.ftp_rename, fromname, toname)
        return self.last_reply

    def delete(self, filename: str) -> str:
        self._call(_ll.ftp_delete, filename)
        return self.last_reply

    def cwd(self, dirname: str) -> str:
        """CWD (".." sends CDUP)."""
        self._call(_ll.ftp_cwd, dirname)
        return self.last_reply

    def mkd(self, dirname: str) -> str:
        """MKD; returns the path the server reports ("" if none)."""
        return self._call(_ll.ftp_mkd, dirname)

    def rmd(self, dirname: str) -> str:
        self._call(_ll.ftp_rmd, dirname)
        return self.last_reply

    def pwd(self) -> str:
        return self._call(_ll.ftp_pwd)

    def size(self, filename: str) -> int:
        """SIZE; the reply must be "213 <digits>"."""
        return self._call(_ll.ftp_size, filename)

    def abort(self) -> str:
        """ABOR, reading every reply it causes; returns the last.  An open
        :class:`DataStream` is closed by it."""
        self._detach_stream()
        self._call(_ll.ftp_abort)
        return self.last_reply

    # ------------------------------------------------------------ FTPS

    def auth(self) -> str:
        """Secures the control connection now (AUTH TLS), verified."""
        self._call(_ll.ftp_auth)
        return self.last_reply

    def prot_p(self) -> str:
        self._call(_ll.ftp_prot_p)
        return self.last_reply

    def prot_c(self) -> str:
        self._call(_ll.ftp_prot_c)
        return self.last_reply

    def ccc(self) -> str:
        self._call(_ll.ftp_ccc)
        return self.last_reply

    # ------------------------------------------------------------ transfers

    def retrbinary(self, cmd: str, callback: Callable[[bytes], Any], blocksize: int = 8192,
                   rest: int | None = None) -> str:
        """Binary download: ``callback(block)`` for each block of at most
        ``blocksize`` bytes; returns the final reply."""
        self._call(_ll.ftp_retrbinary, cmd, int(blocksize), int(rest or 0), callback)
        return self.last_reply

    def retrlines(self, cmd: str, callback: Callable[[str], Any] | None = None) -> str:
        """Text download: ``callback(line)`` per line without its line end
        (default: print it); returns the final reply."""
        if callback is None:
            callback = print
        decode = self._decoder()
        self._call(_ll.ftp_retrlines, cmd, lambda raw: callback(decode(raw)))
        return self.last_reply

    def storbinary(self, cmd: str, fp: IO[bytes], blocksize: int = 8192,
                   callback: Callable[[bytes], Any] | None = None, rest: int | None = None) -> str:
        """Binary upload of what ``fp.read()``/``readinto()`` gives;
        ``callback(block)`` after each block is sent."""
        self._call(_ll.ftp_storbinary, cmd, int(blocksize), int(rest or 0), _source(fp, callback))
        return self.last_reply

    def storlines(self, cmd: str, fp: IO[bytes], callback: Callable[[bytes], Any] | None = None) -> str:
        """Text upload: every LF goes out as CRLF; ``callback(line)`` gets
        each line as sent (with its CRLF), as ftplib's does."""
        self._call(_ll.ftp_storlines, cmd, _source(fp, _per_line(callback) if callback else None))
        return self.last_reply

    def download(self, remote: str, local: PathLike | IO[bytes] | Callable[[bytes], Any], *,
                 rest: int = 0) -> int:
        """Downloads ``remote`` into ``local`` and returns the byte count.

        ``local`` is a path (created or truncated; with ``rest`` opened for
        update and written from that offset), a binary file object, or a
        callable taking each block.  A path, or a file object with a real
        descriptor, goes through ``ftp_retr_fd``: the bytes go from socket
        to file in the kernel (splice) and never enter Python.
        """
        command = "RETR " + remote
        if callable(local) and not hasattr(local, "write"):
            self._call(_ll.ftp_retrbinary, command, _BULK_BLOCK, int(rest), local)
            return _ll.ftp_last_transfer_bytes(self._handle)
        if isinstance(local, (str, bytes, os.PathLike)):
            flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | (0 if rest else os.O_TRUNC)
            fd = os.open(local, flags, 0o666)
            try:
                if rest:
                    os.lseek(fd, rest, os.SEEK_SET)
                self._call(_ll.ftp_retr_fd, command, int(rest), fd)
            finally:
                os.close(fd)
            return _ll.ftp_last_transfer_bytes(self._handle)
        fd = _real_fd(local)
        if fd is None:
            self._call(_ll.ftp_retrbinary, command, _BULK_BLOCK, int(rest), local.write)
            return _ll.ftp_last_transfer_bytes(self._handle)
        local.flush()
        try:
            self._call(_ll.ftp_retr_fd, command, int(rest), fd)
        finally:
            _resync(local, fd)
        return _ll.ftp_last_transfer_bytes(self._handle)

    def upload(self, local: PathLike | IO[bytes], remote: str, *, rest: int = 0,
               append: bool = False) -> int:
        """Uploads ``local`` (a path or a binary file object) as ``remote``
        (STOR, or APPE with ``append``) and returns the byte count.

        With ``rest``, the server's file is restarted at that offset and a
        path is read from the same offset; a file object is sent from its
        current position.  A regular file goes through ``ftp_stor_fd``
        (sendfile): its bytes never enter Python.
        """
        command = ("APPE " if append else "STOR ") + remote
        if isinstance(local, (str, bytes, os.PathLike)):
            fd = os.open(local, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
            try:
                if rest:
                    os.lseek(fd, rest, os.SEEK_SET)
                self._call(_ll.ftp_stor_fd, command, int(rest), fd)
            finally:
                os.close(fd)
            return _ll.ftp_last_transfer_bytes(self._handle)
        fd = _real_fd(local)
        if fd is None:
            self._call(_ll.ftp_storbinary, command, _BULK_BLOCK, int(rest), _source(local, None))
            return _ll.ftp_last_transfer_bytes(self._handle)
        # A buffered reader has read ahead of where the caller stands.
        os.lseek(fd, local.tell(), os.SEEK_SET)
        try:
            self._call(_ll.ftp_stor_fd, command, int(rest), fd)
        finally:
            _resync(local, fd)
        return _ll.ftp_last_transfer_bytes(self._handle)

    def open(self, remote: str, mode: str = "rb", *, rest: int = 0) -> DataStream:
        """Opens ``remote`` as an unbuffered binary stream: "rb" downloads
        (RETR), "wb" uploads (STOR), "ab" appends (APPE).  See
        :class:`ftpc.DataStream`; close it (or use ``with``) to finish."""
        verbs = {"rb": "RETR ", "wb": "STOR ", "ab": "APPE "}
        if mode not in verbs:
            raise ValueError("mode must be 'rb', 'wb' or 'ab'")
        if not self._lock.acquire(blocking=False):
            raise _errors.BusyError("the session is in use by another call", code=_ll.FTP_E_BUSY)
        try:
            _ll.ftp_type(self._handle, _TYPE_BINARY)
            data, size = _ll.ftp_transfercmd(self._handle, verbs[mode] + remote, int(rest))
        except BaseException:
            self._lock.release()
            raise
        # The lock stays taken until the stream closes: the session is busy.
        self._stream = DataStream(self, self._handle, data, mode, size)
        return self._stream

    # ------------------------------------------------------------ listings

    def mlsd(self, path: str = "", facts: Sequence[str] = ()) -> Iterator[tuple[str, dict[str, str]]]:
        """MLSD: ``(name, facts)`` pairs, facts keys lower-cased, as
        ftplib's mlsd().  The listing is read whole before the first item."""
        entries: list[tuple[str, dict[str, str]]] = []
        self._call(_ll.ftp_mlsd, path or None, list(facts) if facts else None,
                   lambda name, entry: entries.append((name, entry)))
        return iter(entries)

    def nlst(self, path: str | None = None) -> list[str]:
        """NLST: the names in a directory."""
        return self._lines(_ll.ftp_nlst, path)

    def dir(self, path: str | None = None) -> list[str]:
        """LIST: the long listing's lines, unparsed."""
        return self._lines(_ll.ftp_dir, path)

    def _lines(self, fn: Callable[..., Any], path: str | None) -> list[str]:
        raw: list[bytes] = []
        self._call(fn, path, raw.append)
        decode = self._decoder()
        return [decode(line) for line in raw]

    def _decoder(self) -> Callable[[bytes], str]:
        encoding = self.encoding
        return lambda raw: raw.decode(encoding, "surrogateescape")


def _split_address(text: str | None) -> tuple[str, int] | None:
    if text is None:
        return None
    host, _, port = text.rpartition(":")
    return host.strip("[]"), int(port)


def _source(fp: Any, callback: Callable[[bytes], Any] | None) -> Callable[[memoryview], int]:
    """An upload source for the extension: fills the library's buffer from
    ``fp`` (readinto when it has one: no copy), then ``callback`` gets the
    block (ftplib calls it after each block is sent: here, once the next is
    asked for, and the last at end of file)."""
    readinto = getattr(fp, "readinto", None)
    pending: list[bytes] = []

    def fill(view: memoryview) -> int:
        if callback is not None and pending:
            callback(pending.pop())
        if readinto is not None:
            n = readinto(view) or 0
        else:
            block = fp.read(len(view))
            if isinstance(block, str):
                raise TypeError("the file must be opened in binary mode")
            n = len(block)
            view[:n] = block
        if callback is not None and n:
            pending.append(bytes(view[:n]))
        elif callback is not None:
            getattr(callback, "flush", lambda: None)()
        return n

    return fill


def _per_line(callback: Callable[[bytes], Any]) -> Callable[[bytes], None]:
    """Turns storlines' blocks into ftplib's callback calls: one per line,
    ending in CRLF as the library sends it (the last one may come without
    a line end, and is given one, as on the wire)."""
    partial = bytearray()

    def blocks(block: bytes) -> None:
        partial.extend(block)
        while True:
            end = partial.find(b"\n")
            if end < 0:
                break
            line = bytes(partial[:end + 1])
            del partial[:end + 1]
            callback(line if line.endswith(b"\r\n") else line[:-1] + b"\r\n")

    def flush() -> None:
        if partial:
            line = bytes(partial[:-1] if partial.endswith(b"\r") else partial)
            partial.clear()
            callback(line + b"\r\n")

    blocks.flush = flush  # type: ignore[attr-defined]
    return blocks


def _resync(fileobj: Any, fd: int) -> None:
    """After the library moved ``fd``, puts the file object where it is."""
    try:
        fileobj.seek(os.lseek(fd, 0, os.SEEK_CUR))
    except (OSError, io.UnsupportedOperation, AttributeError):
        pass
