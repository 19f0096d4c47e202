"""A drop-in for the standard library's ftplib, on libftpc.

Change ``import ftplib`` to ``from ftpc import ftplib`` and nothing else: the
classes, methods, arguments, defaults, return values, exceptions (the
standard library's own classes) and the commands on the wire are ftplib's.
Each method follows ftplib's own steps, over libftpc's primitives.

Where it is deliberately better, it says so in the docstring of the method
concerned; in short:

* Every data connection of FTP_TLS resumes the control connection's TLS
  session, so it works against vsftpd (``require_ssl_reuse=YES``), ProFTPD
  and FileZilla Server, which refuse ftplib's fresh handshakes.
* Every wait has a deadline: the ``timeout`` argument, or libftpc's defaults
  (connect 30 s, replies and data 60 s) when it is None.
* Replies are capped (lines by ``maxline``, whole replies at 1 MiB and
  10000 lines); CR, LF and NUL in arguments are refused with ValueError
  before anything is sent.
* ``abort()`` during a transfer, and an exception raised in a transfer
  callback, read the replies the server owes, so the next command gets its
  own reply instead of a stale 226.
* ``rest=0`` sends no ``REST 0``: restarting at 0 changes nothing.
* A line that is no reply at all (no three-digit code) raises error_proto,
  as in ftplib, and leaves the session broken until it reconnects: ftpc
  never guesses its way back into step.

What is not there: the internals ``sock`` and ``file``; ``ntransfercmd()``
opens its data connection inside libftpc (``makeport()``, ``makepasv()``,
``sendport()`` and ``sendeprt()`` are there for programs that open their
own, as ``ftpcp()`` does); it returns a socket-like object
(``recv``, ``recv_into``, ``send``, ``sendall``, ``makefile``,
``settimeout``, ``close``, ``unwrap``, context manager), not a socket.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import socket
import ssl
import sys
import tempfile
import warnings
import weakref
from ftplib import (B_CRLF, CRLF, FTP_PORT, MAXLINE, MSG_OOB, Error, all_errors,  # noqa: F401
                    error_perm, error_proto, error_reply, error_temp, parse150, parse227, parse229,
                    parse257, print_line)
from typing import Any, Callable

from . import _lowlevel as _ll

__all__ = ["FTP", "error_reply", "error_temp", "error_perm", "error_proto", "all_errors",
           "FTP_TLS"]

_GLOBAL_DEFAULT_TIMEOUT = socket._GLOBAL_DEFAULT_TIMEOUT  # type: ignore[attr-defined]
_READ_AHEAD = 256 * 1024

_REPLY_CLASSES = {
    _ll.FTP_E_REPLY: error_reply,
    _ll.FTP_E_TEMP: error_temp,
    _ll.FTP_E_PERM: error_perm,
}


def _reply_class(code: int) -> type[Error]:
    first = str(code)[:1]
    return {"1": error_reply, "2": error_reply, "3": error_reply, "4": error_temp,
            "5": error_perm}.get(first, error_proto)


class _Trace:
    """Turns libftpc's trace into ftplib's debug prints (``*cmd*``,
    ``*put*``, ``*get*``, ``*resp*``), and remembers the replies an abort
    reads."""

    __slots__ = ("ftp", "quiet", "replies")

    def __init__(self, ftp: "FTP") -> None:
        # Weak: libftpc holds the trace, and the trace must not hold the
        # FTP object that frees libftpc's session.
        self.ftp = weakref.ref(ftp)
        self.quiet = False
        self.replies: list[str] | None = None

    def __call__(self, kind: int, text: str) -> None:
        ftp = self.ftp()
        if ftp is None:
            return
        if kind == _ll.FTP_TRACE_CMD:
            if ftp._secret_line is not None and text[:5] == ftp._secret_line[:5]:
                text = ftp._secret_line
            if self.quiet or not ftp.debugging:
                return
            print('*cmd*', ftp.sanitize(text))
            if ftp.debugging > 1:
                print('*put*', ftp.sanitize(text + CRLF))
        elif kind == _ll.FTP_TRACE_REPLY:
            text = ftp._decode(text)
            if self.replies is not None:
                self.replies.append(text)
                if len(self.replies) > 1:
                    return
            if not ftp.debugging:
                return
            if ftp.debugging > 1:
                for line in text.split('\n'):
                    print('*get*', ftp.sanitize(line + '\n'))
            if not self.quiet:
                print('*resp*', ftp.sanitize(text))


class _DataConnection:
    """What ntransfercmd() returns in place of a socket: the data connection
    as libftpc holds it.

    ``close()`` ends it for the caller; the final reply stays the server's
    to send and ``voidresp()`` (or ``getresp()``) reads it, as with ftplib.
    """

    def __init__(self, ftp: "FTP", data: Any) -> None:
        self._ftp = ftp
        self._data = data
        self._closed = False
        self._eof = False
        # Small receives are served from one large read: a system call per
        # 256 KiB instead of one per block (ftplib's 8 KiB).
        self._ahead = memoryview(bytearray(_READ_AHEAD))
        self._pos = self._end = 0

    def _fill(self) -> int:
        """Reads ahead; the count, 0 at end of data."""
        if self._closed or self._data is None:
            raise OSError(9, "Bad file descriptor")
        if self._eof:
            return 0
        n = self._ftp._checked(_ll.ftp_data_read, self._data, self._ahead)
        self._pos, self._end = 0, n
        if n == 0:
            self._eof = True
        return n

    # -- socket-like
    def recv(self, bufsize: int, flags: int = 0) -> bytes:
        if self._pos == self._end:
            if bufsize >= _READ_AHEAD and not self._eof and self._data is not None and not self._closed:
                block = self._ftp._checked(_ll.ftpc_data_recv, self._data, bufsize)
                self._eof = not block
                return block
            if bufsize <= 0 or not self._fill():
                return b""
        end = min(self._end, self._pos + bufsize)
        block = self._ahead[self._pos:end].tobytes()
        self._pos = end
        return block

    def recv_into(self, buffer: Any, nbytes: int = 0, flags: int = 0) -> int:
        view = memoryview(buffer).cast("B")
        if nbytes:
            view = view[:nbytes]
        if self._pos == self._end:
            if len(view) >= _READ_AHEAD and not self._eof and self._data is not None and not self._closed:
                n = self._ftp._checked(_ll.ftp_data_read, self._data, view)
                self._eof = n == 0
                return n
            if len(view) == 0 or not self._fill():
                return 0
        n = min(len(view), self._end - self._pos)
        view[:n] = self._ahead[self._pos:self._pos + n]
        self._pos += n
        return n

    def sendall(self, data: Any, flags: int = 0) -> None:
        if self._closed or self._data is None:
            raise OSError(9, "Bad file descriptor")
        self._ftp._checked(_ll.ftp_data_write, self._data, memoryview(data).cast("B"))

    def send(self, data: Any, flags: int = 0) -> int:
        view = memoryview(data).cast("B")
        self.sendall(view)
        return len(view)

    def makefile(self, mode: str = "r", buffering: int | None = None, *, encoding: str | None = None,
                 errors: str | None = None, newline: str | None = None) -> Any:
        raw = _RawData(self)
        binary = "b" in mode
        writing = "w" in mode
        if buffering == 0 and binary:
            return raw
        size = io.DEFAULT_BUFFER_SIZE if not buffering or buffering < 0 else buffering
        buffered = io.BufferedWriter(raw, size) if writing else io.BufferedReader(raw, size)
        if binary:
            return buffered
        return io.TextIOWrapper(buffered, encoding=encoding, errors=errors, newline=newline)

    def settimeout(self, value: float | None) -> None:
        if value is not None and value > 0:
            _ll.ftp_set_phase_timeout_ms(self._ftp._handle, _ll.FTP_TIMEOUT_DATA,
                                         max(1, int(value * 1000)))

    def gettimeout(self) -> float | None:
        return self._ftp.timeout if isinstance(self._ftp.timeout, (int, float)) else None

    def setblocking(self, flag: bool) -> None:
        if not flag:
            raise ValueError("ftpc data connections are blocking (with a deadline)")

    def unwrap(self) -> "_DataConnection":
        """TLS close_notify is libftpc's business; nothing to do here."""
        return self

    def shutdown(self, how: int) -> None:
        pass

    def close(self) -> None:
        self._closed = True

    def __enter__(self) -> "_DataConnection":
        return self

    def __exit__(self, *args: Any) -> None:
        self.close()

    @property
    def closed(self) -> bool:
        return self._closed


class _RawData(io.RawIOBase):
    """conn.makefile(): the data connection as a raw stream."""

    def __init__(self, conn: _DataConnection) -> None:
        super().__init__()
        self._conn = conn

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        return self._conn.recv_into(buffer)

    def write(self, data: Any) -> int:
        return self._conn.send(data)


class FTP:
    """An FTP client, as ftplib.FTP (see the module's docstring for what
    differs).  Arguments: host, user, passwd, acct, timeout,
    source_address, encoding; ``connect()`` and ``login()`` run when host
    (and user) are given."""

    debugging = 0
    host = ''
    port = FTP_PORT
    maxline = MAXLINE
    welcome = None
    passiveserver = True
    # Disables https://bugs.python.org/issue43285 security if set to True.
    trust_server_pasv_ipv4_address = False
    _abort_style = _ll.FTP_ABORT_URGENT_LINE
    #: Not in ftplib: the deadline (seconds) of every wait when ``timeout``
    #: is None, where ftplib would wait forever.  None keeps libftpc's
    #: defaults: 30 s to connect, 60 s for each reply and for data to move.
    timeout_when_none: float | None = None

    def __init__(self, host: str = '', user: str = '', passwd: str = '', acct: str = '',
                 timeout: Any = _GLOBAL_DEFAULT_TIMEOUT, source_address: Any = None, *,
                 encoding: str = 'utf-8') -> None:
        self.encoding = encoding
        self.source_address = source_address
        self.timeout = timeout
        self._handle = _ll.ftp_session_new()
        if self._handle is None:
            raise MemoryError("ftp_session_new")
        self._free = _Finalizer(self._handle)
        self._trace = _Trace(self)
        self._secret_line: str | None = None
        self._conn: _DataConnection | None = None
        self._connected = False
        self._maxline_set = 0
        self._trace_level = 0
        _ll.ftp_set_trace_fn(self._handle, self._trace)
        _ll.ftp_set_abort_style(self._handle, self._abort_style)
        if host:
            self.connect(host)
            if user:
                self.login(user, passwd, acct)

    def __enter__(self) -> "FTP":
        return self

    def __exit__(self, *args: Any) -> None:
        if self._connected:
            try:
                self.quit()
            except (OSError, EOFError):
                pass
            finally:
                if self._connected:
                    self.close()

    # ---------------------------------------------------------- plumbing

    def _checked(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Calls libftpc, raising what ftplib raises for the same failure."""
        try:
            return fn(*args)
        except _StatusErrors as exc:
            raise self._translate(exc) from None

    def _call(self, fn: Callable[..., Any], *args: Any) -> Any:
        if self.maxline != self._maxline_set:
            # libftpc counts a line without its CRLF; ftplib's readline()
            # counts the newline.  Its cap cannot go below 512.
            _ll.ftp_set_limit(self._handle, _ll.FTP_LIMIT_LINE, max(512, self.maxline - 1))
            self._maxline_set = self.maxline
        # The trace costs two Python calls a command: only while something
        # reads it (debug prints, or abort() collecting its replies).
        level = 1 if self.debugging or self._trace.replies is not None else 0
        if level != self._trace_level:
            _ll.ftp_set_debuglevel(self._handle, level)
            self._trace_level = level
        return self._checked(fn, self._handle, *args)

    def _translate(self, exc: Any) -> BaseException:
        code = exc.code
        reply = self._decode(exc.reply)
        if code in _REPLY_CLASSES:
            return _REPLY_CLASSES[code](reply)
        if code == _ll.FTP_E_PROTO:
            if "exceeds the limit of" in exc.message:
                return Error("got more than %d bytes" % self.maxline)
            if exc.reply and exc.message.endswith(exc.reply):
                return error_proto(reply)  # a framed reply outside 1xx-5xx
            return error_proto(exc.message)
        if code == _ll.FTP_E_CLOSED:
            self._connected = False
            return EOFError()
        if code == _ll.FTP_E_TLS:
            # PBSZ/PROT refused: the reply is the error, as in ftplib.
            if 400 <= exc.reply_code < 600 and exc.message.endswith(exc.reply):
                return _reply_class(exc.reply_code)(reply)
            untrusted = exc.message.partition(" is not trusted: ")[2]
            if untrusted:
                # What the ssl module raises for the same failure.
                failure = ssl.SSLCertVerificationError(
                    1, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: " + untrusted)
                failure.verify_message = untrusted
                return failure
            return ssl.SSLError(exc.message)
        if code == _ll.FTP_E_INVALID:
            return ValueError(exc.message)
        if code == _ll.FTP_E_RESOLVE:
            return socket.gaierror(socket.EAI_NONAME, exc.message)
        if code == _ll.FTP_E_CONNECT and "refused" in exc.message:
            return ConnectionRefusedError(errno.ECONNREFUSED, os.strerror(errno.ECONNREFUSED))
        return exc

    def _decode(self, text: str) -> str:
        """libftpc hands over UTF-8 (surrogateescape): re-read the bytes in
        this object's encoding."""
        if self.encoding.replace('_', '-').lower() in ('utf-8', 'utf8'):
            return text
        return text.encode('utf-8', 'surrogateescape').decode(self.encoding)

    def _encode(self, line: str) -> bytes:
        if '\r' in line or '\n' in line:
            raise ValueError('an illegal newline character should not be contained')
        sys.audit("ftplib.sendcmd", self, line)
        # Encoded with its CRLF, as ftplib does (an encoding error shows it).
        return (line + CRLF).encode(self.encoding)[:-2]

    def _putcmd(self, cmd: str) -> bytes:
        """ftplib's putcmd() up to the wire: its checks, in its order."""
        if not self._connected:
            # What ftplib raises once close() has dropped its socket.
            raise AttributeError("'NoneType' object has no attribute 'sendall'")
        if self.debugging and ('\r' in cmd or '\n' in cmd):
            print('*cmd*', self.sanitize(cmd))
        return self._encode(cmd)

    def _apply_timeout(self) -> None:
        timeout = self.timeout
        if timeout is _GLOBAL_DEFAULT_TIMEOUT:
            timeout = socket.getdefaulttimeout()
        if timeout is None:
            timeout = self.timeout_when_none
        if timeout is not None:
            # socket semantics: the whole wait, every phase.
            _ll.ftp_set_timeout_ms(self._handle, max(1, min(86400000, int(timeout * 1000))))

    def _check_lines(self, resp: str) -> None:
        # libftpc's cap cannot go below 512 bytes; ftplib's maxline can.
        if self.maxline < 513 and any(len(line) + 1 > self.maxline for line in resp.split('\n')):
            raise Error("got more than %d bytes" % self.maxline)

    def _data_mode(self) -> None:
        ipv6 = (_ll.ftp_peer_address(self._handle) or '').startswith('[')
        if self.passiveserver:
            mode = _ll.FTP_DATA_EPSV if ipv6 else _ll.FTP_DATA_PASV
        else:
            mode = _ll.FTP_DATA_EPRT if ipv6 else _ll.FTP_DATA_PORT
        _ll.ftp_set_data_mode(self._handle, mode)
        _ll.ftp_set_trust_pasv_address_insecure(self._handle, int(bool(self.trust_server_pasv_ipv4_address)))

    def _finish_data(self) -> str | None:
        """Closes an open data connection and reads its final reply."""
        conn, self._conn = self._conn, None
        if conn is None:
            return None
        conn._closed = True
        data, conn._data = conn._data, None
        self._checked(_ll.ftp_data_close, data)
        return self._decode(_ll.ftp_last_reply(self._handle))

    @contextlib.contextmanager
    def _transfer(self, cmd: str, rest: Any = None) -> Any:
        """transfercmd() for ftplib's transfer loops: an exception inside
        (a callback's) propagates after the transfer's final reply has
        been read, where ftplib would leave it unread."""
        with self.transfercmd(cmd, rest) as conn:
            try:
                yield conn
            except BaseException:
                self._discard_transfer()
                raise

    def _discard_transfer(self) -> None:
        """After a callback's exception: read what the server owes, so the
        session stays in step (ftplib would leave the reply unread)."""
        try:
            self._finish_data()
        except all_errors:
            pass

    # ---------------------------------------------------------- connection

    def connect(self, host: str = '', port: int = 0, timeout: Any = -999,
                source_address: Any = None) -> str:
        """Connect to host (ftplib's connect()).  With timeout None, libftpc's
        deadlines apply instead of waiting forever."""
        if host != '':
            self.host = host
        if port > 0:
            self.port = port
        if timeout != -999:
            self.timeout = timeout
        if self.timeout is not None and not self.timeout:
            raise ValueError('Non-blocking socket (timeout=0) is not supported')
        if source_address is not None:
            self.source_address = source_address
        sys.audit("ftplib.connect", self, self.host, self.port)
        self._apply_timeout()
        if self.source_address is not None:
            src_host, src_port = self.source_address
            _ll.ftp_set_source_address(self._handle, src_host or None, int(src_port))
            if not src_host:
                _ll.ftp_set_source_address(self._handle, None, 0)
        self._call(_ll.ftp_connect, self.host, int(self.port))
        self._connected = True
        self.welcome = self._decode(_ll.ftp_getwelcome(self._handle) or '')
        self.lastresp = self.welcome[:3]
        self._check_lines(self.welcome)
        return self.welcome

    def getwelcome(self) -> str | None:
        if self.debugging:
            print('*welcome*', self.sanitize(self.welcome))
        return self.welcome

    def set_debuglevel(self, level: int) -> None:
        self.debugging = level
    debug = set_debuglevel

    def set_pasv(self, val: Any) -> None:
        self.passiveserver = val

    def sanitize(self, s: str) -> str:
        if s[:5] in {'pass ', 'PASS '}:
            i = len(s.rstrip('\r\n'))
            s = s[:5] + '*' * (i - 5) + s[i:]
        return repr(s)

    # ---------------------------------------------------------- commands

    def getresp(self) -> str:
        """Reads a reply (1xx-3xx returned, 4xx/5xx raised).  After
        ntransfercmd() it ends the data connection and reads its final reply."""
        if self._conn is not None:
            try:
                resp = self._finish_data()
            except error_reply as exc:
                resp = exc.args[0]
        elif not self._connected:
            raise AttributeError("'NoneType' object has no attribute 'readline'")
        else:
            resp = self._decode(self._call(_ll.ftp_getresp))
        self._check_lines(resp)
        self.lastresp = resp[:3]
        return resp  # type: ignore[return-value]

    def voidresp(self) -> str:
        """Expect a response beginning with '2'."""
        resp = self.getresp()
        if resp[:1] != '2':
            raise error_reply(resp)
        return resp

    def sendcmd(self, cmd: str) -> str:
        """Send a command and return the response."""
        line = self._putcmd(cmd)
        if cmd[:5].upper() in ('PASS ', 'ACCT '):
            self._secret_line = cmd
        try:
            resp = self._decode(self._call(_ll.ftp_sendcmd, line))
        finally:
            self._secret_line = None
        self._check_lines(resp)
        self.lastresp = resp[:3]
        return resp

    def voidcmd(self, cmd: str) -> str:
        """Send a command and expect a response beginning with '2'."""
        resp = self.sendcmd(cmd)
        if resp[:1] != '2':
            raise error_reply(resp)
        return resp

    def abort(self) -> str:
        """Abort a file transfer: ABOR as urgent data, as ftplib sends it.
        Returns the first reply, as ftplib does; unlike ftplib, the replies
        that follow it (the 226 after a 426) are read too, so the next
        command gets its own reply."""
        if self.debugging > 1 and self._abort_style == _ll.FTP_ABORT_URGENT_LINE:
            print('*put urgent*', self.sanitize(b'ABOR' + B_CRLF))  # type: ignore[arg-type]
        if self._conn is not None:
            self._conn._closed = True
            self._conn._data = None
            self._conn = None
        self._trace.quiet = True
        self._trace.replies = []
        try:
            self._call(_ll.ftp_abort)
        except (error_reply, error_temp, error_perm, error_proto):
            pass  # judged below, as ftplib judges the first reply
        finally:
            replies, self._trace.replies = self._trace.replies, None
            self._trace.quiet = False
        resp = replies[0] if replies else ''
        self.lastresp = resp[:3]
        if resp[:3] not in {'426', '225', '226'}:
            raise error_proto(resp)
        return resp

    @property
    def af(self) -> int:
        """The control connection's address family (ftplib's af)."""
        peer = _ll.ftp_peer_address(self._handle) or ''
        return socket.AF_INET6 if peer.startswith('[') else socket.AF_INET

    def _sockname(self, text: str | None) -> tuple[str, int]:
        if text is None:
            raise AttributeError("'NoneType' object has no attribute 'getsockname'")
        host, _, port = text.rpartition(':')
        return host.strip('[]'), int(port)

    def sendport(self, host: str, port: int) -> str:
        """Send a PORT command with the given host and port."""
        hbytes = host.split('.')
        pbytes = [repr(port // 256), repr(port % 256)]
        return self.voidcmd('PORT ' + ','.join(hbytes + pbytes))

    def sendeprt(self, host: str, port: int) -> str:
        """Send an EPRT command with the given host and port."""
        af = {socket.AF_INET: 1, socket.AF_INET6: 2}.get(self.af, 0)
        if af == 0:
            raise error_proto('unsupported address family')
        return self.voidcmd('EPRT ' + '|'.join(['', repr(af), host, repr(port), '']))

    def makeport(self) -> socket.socket:
        """Create a listening socket and send PORT (EPRT on IPv6) for it; the
        caller accepts the server's connection on it (as with ftplib)."""
        sock = socket.create_server(("", 0), family=self.af, backlog=1)
        port = sock.getsockname()[1]
        host = self._sockname(_ll.ftp_local_address(self._handle))[0]
        if self.af == socket.AF_INET:
            self.sendport(host, port)
        else:
            self.sendeprt(host, port)
        if self.timeout is not _GLOBAL_DEFAULT_TIMEOUT:
            sock.settimeout(self.timeout)
        return sock

    def makepasv(self) -> tuple[str, int]:
        """PASV (EPSV on IPv6) -> (host, port); the host is the control
        connection's peer unless trust_server_pasv_ipv4_address."""
        peer = self._sockname(_ll.ftp_peer_address(self._handle))
        if self.af == socket.AF_INET:
            untrusted_host, port = parse227(self.sendcmd('PASV'))
            host = untrusted_host if self.trust_server_pasv_ipv4_address else peer[0]
        else:
            host, port = parse229(self.sendcmd('EPSV'), peer)
        return host, port

    def ntransfercmd(self, cmd: str, rest: Any = None) -> tuple[_DataConnection, int | None]:
        """Initiate a transfer over the data connection (PASV on IPv4 and
        EPSV on IPv6 when passive, PORT/EPRT when not, then REST and the
        command); returns the data connection and the size from a 150
        reply (or None)."""
        if self._conn is not None:
            self._discard_transfer()
        line = self._putcmd(cmd)
        self._data_mode()
        data, size = self._call(_ll.ftp_transfercmd, line, int(rest or 0))
        resp = self._decode(_ll.ftp_last_reply(self._handle))
        self.lastresp = resp[:3]
        self._conn = _DataConnection(self, data)
        if resp[:3] == '150':
            size = parse150(resp)
        else:
            size = None
        return self._conn, size

    def transfercmd(self, cmd: str, rest: Any = None) -> _DataConnection:
        """Like ntransfercmd() but returns only the data connection."""
        return self.ntransfercmd(cmd, rest)[0]

    def login(self, user: str = '', passwd: str = '', acct: str = '') -> str:
        """Login, default anonymous."""
        if not user:
            user = 'anonymous'
        if not passwd:
            passwd = ''
        if not acct:
            acct = ''
        if user == 'anonymous' and passwd in {'', '-'}:
            passwd = passwd + 'anonymous@'
        resp = self.sendcmd('USER ' + user)
        if resp[0] == '3':
            resp = self.sendcmd('PASS ' + passwd)
        if resp[0] == '3':
            resp = self.sendcmd('ACCT ' + acct)
        if resp[0] != '2':
            raise error_reply(resp)
        return resp

    def retrbinary(self, cmd: str, callback: Callable[[bytes], Any], blocksize: int = 8192,
                   rest: Any = None) -> str:
        """Retrieve data in binary mode (ftplib's retrbinary()).  An exception
        from ``callback`` propagates as in ftplib, after the transfer's final
        reply has been read (ftplib leaves it unread)."""
        self.voidcmd('TYPE I')
        with self._transfer(cmd, rest) as conn:
            while 1:
                data = conn.recv(blocksize)
                if not data:
                    break
                callback(data)
        return self.voidresp()

    def retrlines(self, cmd: str, callback: Callable[[str], Any] | None = None) -> str:
        """Retrieve data in line mode (ftplib's retrlines())."""
        if callback is None:
            callback = print_line
        self.sendcmd('TYPE A')
        with self._transfer(cmd) as conn, conn.makefile('r', encoding=self.encoding) as fp:
            while 1:
                line = fp.readline(self.maxline + 1)
                if len(line) > self.maxline:
                    raise Error("got more than %d bytes" % self.maxline)
                if self.debugging > 2:
                    print('*retr*', repr(line))
                if not line:
                    break
                if line[-2:] == CRLF:
                    line = line[:-2]
                elif line[-1:] == '\n':
                    line = line[:-1]
                callback(line)
        return self.voidresp()

    def storbinary(self, cmd: str, fp: Any, blocksize: int = 8192,
                   callback: Callable[[bytes], Any] | None = None, rest: Any = None) -> str:
        """Store a file in binary mode (ftplib's storbinary())."""
        self.voidcmd('TYPE I')
        with self._transfer(cmd, rest) as conn:
            while 1:
                buf = fp.read(blocksize)
                if not buf:
                    break
                conn.sendall(buf)
                if callback:
                    callback(buf)
        return self.voidresp()

    def storlines(self, cmd: str, fp: Any, callback: Callable[[bytes], Any] | None = None) -> str:
        """Store a file in line mode (ftplib's storlines())."""
        self.voidcmd('TYPE A')
        with self._transfer(cmd) as conn:
            while 1:
                buf = fp.readline(self.maxline + 1)
                if len(buf) > self.maxline:
                    raise Error("got more than %d bytes" % self.maxline)
                if not buf:
                    break
                if buf[-2:] != b'\r\n':
                    if buf[-1] in b'\r\n':
                        buf = buf[:-1]
                    buf = buf + b'\r\n'
                conn.sendall(buf)
                if callback:
                    callback(buf)
        return self.voidresp()

    def acct(self, password: str) -> str:
        """Send new account name."""
        return self.voidcmd('ACCT ' + password)

    def nlst(self, *args: str) -> list[str]:
        """Return a list of files in a given directory (default the current)."""
        cmd = 'NLST'
        for arg in args:
            cmd = cmd + (' ' + arg)
        files: list[str] = []
        self.retrlines(cmd, files.append)
        return files

    def dir(self, *args: Any) -> None:
        """List a directory in long form (to stdout, or to a callback given
        as the last argument)."""
        cmd = 'LIST'
        func = None
        if args[-1:] and type(args[-1]) != type(''):  # noqa: E721 - ftplib's own test
            args, func = args[:-1], args[-1]
        for arg in args:
            if arg:
                cmd = cmd + (' ' + arg)
        self.retrlines(cmd, func)

    def mlsd(self, path: str = "", facts: Any = []):  # noqa: B006 - ftplib's signature
        """MLSD: a generator of (name, facts) pairs.  As in ftplib, nothing is
        sent until the first item is asked for, and the whole listing is read
        before it is given."""
        if facts:
            self.sendcmd("OPTS MLST " + ";".join(facts) + ";")
        if path:
            cmd = "MLSD %s" % path
        else:
            cmd = "MLSD"
        lines: list[str] = []
        self.retrlines(cmd, lines.append)
        for line in lines:
            facts_found, _, name = line.rstrip(CRLF).partition(' ')
            entry = {}
            for fact in facts_found[:-1].split(";"):
                key, _, value = fact.partition("=")
                entry[key.lower()] = value
            yield (name, entry)

    def rename(self, fromname: str, toname: str) -> str:
        """Rename a file."""
        resp = self.sendcmd('RNFR ' + fromname)
        if resp[0] != '3':
            raise error_reply(resp)
        return self.voidcmd('RNTO ' + toname)

    def delete(self, filename: str) -> str:
        """Delete a file."""
        resp = self.sendcmd('DELE ' + filename)
        if resp[:3] in {'250', '200'}:
            return resp
        raise error_reply(resp)

    def cwd(self, dirname: str) -> str:
        """Change to a directory."""
        if dirname == '..':
            try:
                return self.voidcmd('CDUP')
            except error_perm as msg:
                if msg.args[0][:3] != '500':
                    raise
        elif dirname == '':
            dirname = '.'
        return self.voidcmd('CWD ' + dirname)

    def size(self, filename: str) -> int | None:
        """Retrieve the size of a file (None unless the reply is 213)."""
        resp = self.sendcmd('SIZE ' + filename)
        if resp[:3] == '213':
            return int(resp[3:].strip())
        return None

    def mkd(self, dirname: str) -> str:
        """Make a directory, return its full pathname."""
        resp = self.voidcmd('MKD ' + dirname)
        if not resp.startswith('257'):
            return ''
        return parse257(resp)

    def rmd(self, dirname: str) -> str:
        """Remove a directory."""
        return self.voidcmd('RMD ' + dirname)

    def pwd(self) -> str:
        """Return current working directory."""
        resp = self.voidcmd('PWD')
        if not resp.startswith('257'):
            return ''
        return parse257(resp)

    def quit(self) -> str:
        """Quit, and close the connection."""
        resp = self.voidcmd('QUIT')
        self.close()
        return resp

    def close(self) -> None:
        """Close the connection without assuming anything about it."""
        self._conn = None
        self._connected = False
        _ll.ftp_close(self._handle)


def ftpcp(source: FTP, sourcename: str, target: FTP, targetname: str = '', type: str = 'I') -> None:
    """Copy a file from one FTP instance to another (server to server, as
    ftplib's ftpcp())."""
    if not targetname:
        targetname = sourcename
    type = 'TYPE ' + type
    source.voidcmd(type)
    target.voidcmd(type)
    sourcehost, sourceport = parse227(source.sendcmd('PASV'))
    target.sendport(sourcehost, sourceport)
    # RFC 959: the user must "listen" [...] BEFORE sending the
    # transfer request.
    # So: STOR before RETR, because here the target is a "user".
    treply = target.sendcmd('STOR ' + targetname)
    if treply[:3] not in {'125', '150'}:
        raise error_proto  # RFC 959
    sreply = source.sendcmd('RETR ' + sourcename)
    if sreply[:3] not in {'125', '150'}:
        raise error_proto  # RFC 959
    source.voidresp()
    target.voidresp()


class _Finalizer:
    """Frees the libftpc session when the FTP object goes away."""

    __slots__ = ("_handle",)

    def __init__(self, handle: Any) -> None:
        self._handle = handle

    def __del__(self) -> None:
        _ll.ftp_session_free(self._handle)


class FTP_TLS(FTP):
    """ftplib.FTP_TLS: AUTH TLS at login(), data protected after prot_p().

    With ``context=None`` it verifies nothing, as ftplib does.  A given
    ``context`` is read when the connection is secured: its
    ``verify_mode``, ``check_hostname``, the CA certificates loaded into it
    (``get_ca_certs()``; none loaded means the system store), and its
    minimum and maximum versions (never below TLS 1.2).  ``keyfile`` and
    ``certfile`` present a client certificate.

    Deliberately better: every protected data connection resumes the control
    connection's TLS session (TLS 1.2 and 1.3), which vsftpd
    (``require_ssl_reuse=YES``), ProFTPD and FileZilla Server require and
    ftplib cannot do.
    """

    ssl_version = ssl.PROTOCOL_TLS_CLIENT
    _abort_style = _ll.FTP_ABORT_PLAIN

    def __init__(self, host: str = '', user: str = '', passwd: str = '', acct: str = '',
                 keyfile: str | None = None, certfile: str | None = None,
                 context: ssl.SSLContext | None = None,
                 timeout: Any = _GLOBAL_DEFAULT_TIMEOUT, source_address: Any = None, *,
                 encoding: str = 'utf-8') -> None:
        if context is not None and keyfile is not None:
            raise ValueError("context and keyfile arguments are mutually exclusive")
        if context is not None and certfile is not None:
            raise ValueError("context and certfile arguments are mutually exclusive")
        if keyfile is not None or certfile is not None:
            warnings.warn("keyfile and certfile are deprecated, use a "
                          "custom context instead", DeprecationWarning, 2)
        self.keyfile = keyfile
        self.certfile = certfile
        if context is None:
            context = ssl._create_stdlib_context(self.ssl_version,  # type: ignore[attr-defined]
                                                 certfile=certfile, keyfile=keyfile)
        self.context = context
        self._prot_p = False
        self._wrapped = False
        self._ca_file: Any = None
        super().__init__(host, user, passwd, acct, timeout, source_address, encoding=encoding)
        _ll.ftp_set_tls_protect_data(self._handle, 0)

    def _secured(self) -> bool:
        """Whether ftplib would hold an SSLSocket: from AUTH on, CCC
        included (its unwrap() returns the same SSLSocket object)."""
        return self._wrapped

    def connect(self, host: str = '', port: int = 0, timeout: Any = -999,
                source_address: Any = None) -> str:
        self._wrapped = False
        return super().connect(host, port, timeout, source_address)

    def _apply_context(self) -> None:
        ctx, h = self.context, self._handle
        _ll.ftp_set_tls_insecure_skip_verify(h, int(ctx.verify_mode == ssl.CERT_NONE))
        _ll.ftp_set_tls_insecure_skip_hostname(h, int(not ctx.check_hostname))
        cas = ctx.get_ca_certs(binary_form=True) if ctx.verify_mode != ssl.CERT_NONE else []
        if cas:
            if self._ca_file is None:
                self._ca_file = tempfile.NamedTemporaryFile(prefix="ftpc-ca-", suffix=".pem")
            self._ca_file.seek(0)
            self._ca_file.truncate()
            for der in cas:
                self._ca_file.write(ssl.DER_cert_to_PEM_cert(der).encode("ascii"))
            self._ca_file.flush()
            _ll.ftp_set_ca_file(h, self._ca_file.name)
        else:
            _ll.ftp_set_ca_file(h, None)
        versions = {ssl.TLSVersion.TLSv1_3: _ll.FTP_TLS_VERSION_1_3}
        _ll.ftp_set_tls_min_version(h, versions.get(ctx.minimum_version, _ll.FTP_TLS_VERSION_1_2))
        maximum = ctx.maximum_version
        _ll.ftp_set_tls_max_version(h, _ll.FTP_TLS_VERSION_1_2 if maximum == ssl.TLSVersion.TLSv1_2
                                    else _ll.FTP_TLS_VERSION_ANY)
        if self.certfile is not None:
            _ll.ftp_set_client_cert(h, self.certfile, self.keyfile)

    def login(self, user: str = '', passwd: str = '', acct: str = '', secure: bool = True) -> str:
        if secure and not self._secured():
            self.auth()
        return super().login(user, passwd, acct)

    def auth(self) -> str:
        """Set up secure control connection by using TLS (AUTH TLS)."""
        if self._secured():
            raise ValueError("Already using TLS")
        self._apply_context()
        self._call(_ll.ftp_auth)
        self._wrapped = True
        resp = self._decode(_ll.ftp_last_reply(self._handle))
        self.lastresp = resp[:3]
        return resp

    def ccc(self) -> str:
        """Switch back to a clear-text control connection."""
        if not self._secured():
            raise ValueError("not using TLS")
        if _ll.ftp_tls_version(self._handle) is None:
            # Cleared already: ftplib asks again, and so do we.
            return self.voidcmd('CCC')
        self._call(_ll.ftp_ccc)
        return self._decode(_ll.ftp_last_reply(self._handle))

    def prot_p(self) -> str:
        """Set up secure data connection (PBSZ 0, PROT P)."""
        self._call(_ll.ftp_prot_p)
        self._prot_p = True
        return self._decode(_ll.ftp_last_reply(self._handle))

    def prot_c(self) -> str:
        """Set up clear text data connection."""
        self._call(_ll.ftp_prot_c)
        self._prot_p = False
        return self._decode(_ll.ftp_last_reply(self._handle))

    def close(self) -> None:
        super().close()
        self._wrapped = False
        ca_file, self._ca_file = self._ca_file, None
        if ca_file is not None:
            ca_file.close()


from ._errors import Error as _FtpcError  # noqa: E402

_StatusErrors = _FtpcError
