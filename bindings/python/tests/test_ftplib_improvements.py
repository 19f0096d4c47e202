"""ftpc.ftplib where it deliberately differs from the standard library, and
where the difference can only be seen on the wire: each test runs the
standard library's ftplib and ftpc.ftplib against the same scripted server
and asserts what each does.

(The differences test_ftplib_differential.py asserts: TLS session reuse on
vsftpd, NUL refused, abort() and a callback's exception leaving the session
in step.  Here: deadlines without a timeout, capped replies, REST 0, and
ABOR's bytes, which are the same.)
"""

import ftplib as stdlib_ftplib
import io
import socket
import threading
import time

import pytest

from ftpc import ftplib as drop_in

LOGIN = "USER user\nPASS password\n"


def connect(module, server, timeout=10):
    ftp = module.FTP(timeout=timeout)
    ftp.connect(server.host, server.port)
    ftp.login("user", "password")
    return ftp


def commands(server):
    """The transcript without the connection count."""
    return "\n".join(server.transcript()[:-1]) + "\n"


# ---------------------------------------------------------- deadlines


def connect_without_timeout(server):
    """ftpc.ftplib with timeout=None, its deadlines shortened from libftpc's
    60 s defaults to half a second (FTP.timeout_when_none) for the test."""
    ftp = drop_in.FTP(timeout=None)
    ftp.timeout_when_none = 0.5
    ftp.connect(server.host, server.port)
    ftp.login("user", "password")
    return ftp


def test_timeout_none_still_has_a_deadline(hostile_server):
    """ftplib with timeout=None waits forever for a reply that never comes;
    ftpc.ftplib gives up at its deadline with TimeoutError."""
    server = hostile_server("on STAT noreply\n")
    ftp = connect_without_timeout(server)
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        ftp.sendcmd("STAT")
    assert time.monotonic() - started < 5
    ftp.close()

    # The standard library is still waiting when we stop looking.
    server = hostile_server("on STAT noreply\n")
    std = stdlib_ftplib.FTP(timeout=None)
    std.connect(server.host, server.port)
    std.login("user", "password")
    outcome = []
    waiter = threading.Thread(target=lambda: outcome.append(_try(std.sendcmd, "STAT")), daemon=True)
    waiter.start()
    waiter.join(1.5)
    assert waiter.is_alive() and not outcome
    std.sock.shutdown(socket.SHUT_RDWR)  # lets the stdlib thread end
    waiter.join(5)


def test_timeout_none_bounds_a_stalled_download(hostile_server):
    """A data connection that stops moving: the data deadline ends it."""
    server = hostile_server("on RETR reply 150 here it comes\n  data abc\n  delay 30\n")
    ftp = connect_without_timeout(server)
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        ftp.retrbinary("RETR big", lambda block: None)
    assert time.monotonic() - started < 5
    ftp.close()


def _try(fn, *args):
    try:
        return fn(*args)
    except BaseException as exc:  # noqa: BLE001 - reported to the test
        return exc


# ---------------------------------------------------------- caps


def test_replies_are_capped(hostile_server):
    """A reply of 20000 lines: ftplib reads it all; ftpc.ftplib stops at
    10000 lines with error_proto and reads no further."""
    script = "on HELP reply 214-start\\r\\n%repeat[19999 x  help line\\r\\n]%214 end\n"
    std = connect(stdlib_ftplib, hostile_server(script))
    assert std.sendcmd("HELP").count("\n") == 20000
    std.close()

    ftp = connect(drop_in, hostile_server(script))
    with pytest.raises(stdlib_ftplib.error_proto):
        ftp.sendcmd("HELP")
    ftp.close()


def test_long_lines_raise_what_ftplib_raises(hostile_server):
    """Lines over maxline raise ftplib.Error('got more than N bytes') in
    both, the cap being ftpc's own as well."""
    script = "on HELP reply 214 %repeat[9000 x a]%\n"
    for module in (stdlib_ftplib, drop_in):
        ftp = connect(module, hostile_server(script))
        with pytest.raises(stdlib_ftplib.Error) as info:
            ftp.sendcmd("HELP")
        assert type(info.value) is stdlib_ftplib.Error
        assert str(info.value) == "got more than 8192 bytes"
        ftp.close()


# ---------------------------------------------------------- REST 0


def test_rest_zero_is_not_sent(hostile_server):
    """retrbinary(..., rest=0): ftplib sends "REST 0", which restarts at the
    start, i.e. changes nothing; ftpc.ftplib leaves it out.  Any other rest
    goes out the same in both."""
    script = "on RETR serve abc\non REST reply 350 restarting\n"
    transcripts = {}
    for module in (stdlib_ftplib, drop_in):
        server = hostile_server(script)
        ftp = connect(module, server)
        ftp.retrbinary("RETR f", lambda block: None, rest=0)
        ftp.retrbinary("RETR f", lambda block: None, rest=2)
        ftp.quit()
        transcripts[module] = commands(server)
    assert transcripts[stdlib_ftplib] == (LOGIN + "TYPE I\nPASV\nREST 0\nRETR f\n"
                                          "TYPE I\nPASV\nREST 2\nRETR f\nQUIT\n")
    assert transcripts[drop_in] == (LOGIN + "TYPE I\nPASV\nRETR f\n"
                                    "TYPE I\nPASV\nREST 2\nRETR f\nQUIT\n")


# ---------------------------------------------------------- ABOR


def test_abort_sends_ftplibs_bytes(hostile_server):
    """abort() puts the same bytes on the wire as ftplib: "ABOR\\r\\n" sent
    with MSG_OOB, so its last byte is the urgent one, and no Telnet IP or
    Synch (libftpc's own default)."""
    script = "note urgent\non ABOR reply 225 nothing to abort\n"
    transcripts = {}
    for module in (stdlib_ftplib, drop_in):
        server = hostile_server(script)
        ftp = connect(module, server)
        assert ftp.abort() == "225 nothing to abort"
        ftp.quit()
        transcripts[module] = commands(server)
    assert transcripts[drop_in] == transcripts[stdlib_ftplib]
    assert transcripts[drop_in] == LOGIN + "# urgent byte \\n\nABOR\nQUIT\n"


def test_tls_abort_is_in_band_as_in_ftplib(hostile_server):
    """FTP_TLS.abort() sends a plain in-band ABOR, as ftplib's FTP_TLS does,
    even before AUTH."""
    script = "note urgent\non ABOR reply 225 nothing to abort\n"
    transcripts = {}
    for module in (stdlib_ftplib, drop_in):
        server = hostile_server(script)
        ftp = module.FTP_TLS(timeout=10)
        ftp.connect(server.host, server.port)
        ftp.login("user", "password", secure=False)
        assert ftp.abort() == "225 nothing to abort"
        ftp.quit()
        transcripts[module] = commands(server)
    assert transcripts[drop_in] == transcripts[stdlib_ftplib] == LOGIN + "ABOR\nQUIT\n"


def test_upload_payload_is_the_same(hostile_server):
    """storlines: LF and CRLF both end as CRLF on the wire, as in ftplib
    (the server notes the upload's size and SHA-256)."""
    script = "on STOR store\n"
    transcripts = {}
    for module in (stdlib_ftplib, drop_in):
        server = hostile_server(script)
        ftp = connect(module, server)
        ftp.storlines("STOR f", io.BytesIO(b"one\ntwo\r\nthree"))
        ftp.quit()
        transcripts[module] = commands(server)
    assert transcripts[drop_in] == transcripts[stdlib_ftplib]
