"""ftpc's exceptions: one class per FTP_E_* status (the C header is the
spec), the ftplib and built-in bases, and each failure provoked for real:
state, argument injection (nothing sent: the hostile server's transcript
shows it), deadlines, hang-ups, scripted bad replies and the caps on what a
server may send.
"""

import builtins
import ftplib
import io
import re
import socket
import time

import pytest

import ftpc
import servers
from session_support import HANG_S

_ll = ftpc._lowlevel

HEADER = servers.REPO_ROOT / "include" / "ftpc" / "ftpc_error.h"


def header_statuses():
    """{name: value} of every FTP_E_* in ftpc_error.h."""
    found = dict((name, int(value)) for name, value in
                 re.findall(r"\b(FTP_E_[A-Z_]+)\s*=\s*(-\d+)", HEADER.read_text()))
    assert len(found) >= 19, found
    return found


# The class for each status and the bases it must have.
EXPECTED = {
    "FTP_E_REPLY": (ftpc.ReplyError, (ftplib.error_reply,)),
    "FTP_E_TEMP": (ftpc.TempError, (ftplib.error_temp,)),
    "FTP_E_PERM": (ftpc.PermError, (ftplib.error_perm,)),
    "FTP_E_PROTO": (ftpc.ProtoError, (ftplib.error_proto,)),
    "FTP_E_RESOLVE": (ftpc.ResolveError, (OSError,)),
    "FTP_E_CONNECT": (ftpc.ConnectError, (ConnectionError, OSError)),
    "FTP_E_IO": (ftpc.NetworkError, (OSError,)),
    "FTP_E_TIMEOUT": (ftpc.TimeoutError, (builtins.TimeoutError, OSError)),
    "FTP_E_CLOSED": (ftpc.ClosedError, (ConnectionError, OSError)),
    "FTP_E_TLS": (ftpc.TLSError, (OSError,)),
    "FTP_E_INVALID": (ftpc.InvalidArgument, (ValueError,)),
    "FTP_E_NOMEM": (ftpc.OutOfMemory, (MemoryError,)),
    "FTP_E_ABORTED": (ftpc.Aborted, ()),
    "FTP_E_CANCELLED": (ftpc.Cancelled, ()),
    "FTP_E_STATE": (ftpc.StateError, ()),
    "FTP_E_BUSY": (ftpc.BusyError, ()),
    "FTP_E_UNSUPPORTED": (ftpc.UnsupportedError, ()),
    "FTP_E_INTERNAL": (ftpc.InternalError, ()),
    "FTP_E_FILE": (ftpc.FileError, (OSError,)),
}


# --------------------------------------------------------------------------
# The hierarchy


def test_every_status_has_its_own_class():
    statuses = header_statuses()
    assert set(statuses) == set(EXPECTED)
    classes = set()
    for name, value in statuses.items():
        assert getattr(_ll, name) == value, name
        assert _ll.ftp_error_name(value) == name
        cls = ftpc.error_class(value)
        assert cls is EXPECTED[name][0], name
        assert cls is not ftpc.Error
        assert cls.code == value and cls.name == name
        assert getattr(ftpc, cls.__name__) is cls and cls.__name__ in ftpc.__all__
        classes.add(cls)
    assert len(classes) == len(statuses)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bases(name):
    cls, bases = EXPECTED[name]
    assert issubclass(cls, ftpc.Error)
    assert issubclass(cls, ftplib.Error)
    assert issubclass(cls, Exception)
    for base in bases:
        assert issubclass(cls, base), (cls, base)
    # The reply classes are caught by ftplib.all_errors through ftplib.Error.
    assert issubclass(cls, ftplib.all_errors)
    # An instance carries the attributes.
    e = cls("a message", code=getattr(_ll, name), reply_code=0, reply="")
    assert e.code == getattr(_ll, name) and e.name == name
    assert e.message == "a message" and e.reply_code == 0 and e.reply == ""


def test_base_classes_are_not_mixed_up():
    assert not issubclass(ftpc.PermError, ftplib.error_temp)
    assert not issubclass(ftpc.TempError, ftplib.error_perm)
    assert not issubclass(ftpc.ProtoError, ValueError)
    assert not issubclass(ftpc.StateError, OSError)
    assert not issubclass(ftpc.InvalidArgument, OSError)
    assert not issubclass(ftpc.TimeoutError, ConnectionError)
    assert ftpc.TimeoutError is not builtins.TimeoutError


def test_error_class_of_unknown_codes():
    for code in (0, 1, -5, -999, 12345):
        assert ftpc.error_class(code) is ftpc.Error
    assert _ll.ftp_error_name(-999) == "FTP_E_UNKNOWN"


# --------------------------------------------------------------------------
# State


def test_unconnected_session_raises_state_error(tmp_path):
    s = ftpc.Session(timeout=HANG_S)
    calls = {
        "login": lambda: s.login("u", "p"),
        "pwd": s.pwd,
        "cwd": lambda: s.cwd("x"),
        "sendcmd": lambda: s.sendcmd("NOOP"),
        "voidcmd": lambda: s.voidcmd("NOOP"),
        "getresp": s.getresp,
        "size": lambda: s.size("x"),
        "mkd": lambda: s.mkd("x"),
        "retrbinary": lambda: s.retrbinary("RETR x", lambda b: None),
        "retrlines": lambda: s.retrlines("RETR x", lambda b: None),
        "storbinary": lambda: s.storbinary("STOR x", io.BytesIO(b"x")),
        "download": lambda: s.download("x", tmp_path / "x"),
        "upload": lambda: s.upload(io.BytesIO(b"x"), "x"),
        "open": lambda: s.open("x"),
        "mlsd": lambda: list(s.mlsd()),
        "nlst": s.nlst,
        "dir": s.dir,
        "quit": s.quit,
        "abort": s.abort,
    }
    for what, call in calls.items():
        with pytest.raises(ftpc.StateError) as info:
            call()
        e = info.value
        assert e.code == _ll.FTP_E_STATE, what
        assert e.reply_code == 0 and e.reply == "", what
        assert str(e) == e.message and e.message, what
    s.close()                       # harmless
    s.close()
    assert not s.connected


# --------------------------------------------------------------------------
# Argument injection: refused, nothing sent


def test_cr_lf_nul_refused_and_nothing_sent(hostile_server, tmp_path):
    server = hostile_server("")
    s = ftpc.Session(timeout=HANG_S)
    s.connect(server.host, server.port)
    for args in (("bob\r\nDELE x", "pw"), ("bob", "pw\nDELE x"), ("bob", "pw", "acct\rDELE x")):
        with pytest.raises(ftpc.InvalidArgument) as info:
            s.login(*args)
        assert isinstance(info.value, ValueError)
        assert info.value.code == _ll.FTP_E_INVALID
    s.login("u", "p")
    injected = [
        lambda: s.sendcmd("NOOP\r\nDELE x"),
        lambda: s.sendcmd("NOOP\nDELE x"),
        lambda: s.sendcmd(b"NOOP\rDELE x"),
        lambda: s.voidcmd("NOOP\r\n"),
        lambda: s.cwd("dir\r\nDELE x"),
        lambda: s.cwd("..\n"),
        lambda: s.mkd("a\nDELE x"),
        lambda: s.rmd("a\nDELE x"),
        lambda: s.delete("a\r\nDELE x"),
        lambda: s.rename("a\nDELE x", "b"),
        lambda: s.rename("a", "b\nDELE x"),
        lambda: s.size("a\rDELE x"),
        lambda: s.retrbinary("RETR a\r\nDELE x", lambda b: None),
        lambda: s.retrlines("LIST\r\nDELE x", lambda line: None),
        lambda: s.storbinary("STOR a\nDELE x", io.BytesIO(b"x")),
        lambda: s.download("a\nDELE x", tmp_path / "x"),
        lambda: s.download("a\nDELE x", io.BytesIO()),
        lambda: s.upload(io.BytesIO(b"x"), "a\nDELE x"),
        lambda: list(s.mlsd("a\nDELE x")),
        lambda: list(s.mlsd(facts=["type\r\nDELE x"])),
        lambda: s.nlst("a\nDELE x"),
        lambda: s.dir("a\rDELE x"),
    ]
    for number, call in enumerate(injected):
        with pytest.raises(ftpc.InvalidArgument) as info:
            call()
        assert isinstance(info.value, ValueError), number
        assert "CR or LF" in str(info.value), number
    # NUL: a ValueError before the library is reached (str and bytes alike).
    nul = [
        lambda: s.sendcmd("NOOP\0DELE x"),
        lambda: s.sendcmd(b"NOOP\0DELE x"),
        lambda: s.cwd("a\0b"),
        lambda: s.retrbinary("RETR a\0b", lambda b: None),
        lambda: s.login("u\0x", "p"),
        lambda: list(s.mlsd(facts=["ty\0pe"])),
    ]
    for number, call in enumerate(nul):
        with pytest.raises(ValueError):
            call()
    assert s.sendcmd("NOOP") == "200 ok"
    s.quit()
    assert server.transcript() == ["USER u", "PASS p", "NOOP", "QUIT", "<1 control connections>"]


def test_open_with_cr_lf_sends_no_transfer_command(hostile_server):
    server = hostile_server("")
    with ftpc.Session(server.host, server.port, user="u", password="p", timeout=HANG_S) as s:
        with pytest.raises(ftpc.InvalidArgument):
            s.open("a\r\nDELE x")
        assert s.sendcmd("NOOP") == "200 ok"      # and the session is free again
    rows = server.transcript()
    assert not [row for row in rows if "DELE" in row or row.startswith(("RETR", "EPSV", "PASV"))]


def test_bad_options_and_arguments():
    with pytest.raises(ftpc.InvalidArgument):
        ftpc.Session(max_line=100)                  # the minimum is 512
    with pytest.raises(ftpc.InvalidArgument):
        ftpc.Session(max_reply_lines=0)
    for bad in (0, -1, 86401):
        with pytest.raises(ValueError):
            ftpc.Session(timeout=bad)
        with pytest.raises(ValueError):
            ftpc.Session(reply_timeout=bad)
    with pytest.raises(ValueError):
        ftpc.Session(tls="sometimes")
    with pytest.raises(ValueError):
        ftpc.Session(tls_min_version="1.1")
    with pytest.raises(ValueError):
        ftpc.Session(data_mode="sideways")
    s = ftpc.Session(timeout=HANG_S)
    with pytest.raises(ftpc.InvalidArgument):
        s.connect("127.0.0.1", 70000)
    with pytest.raises(ftpc.InvalidArgument):
        s.connect("127.0.0.1\r\nUSER x", 21)
    with pytest.raises(ftpc.InvalidArgument):
        s.connect("", 21)
    assert not s.connected


# --------------------------------------------------------------------------
# Deadlines, hang-ups, network failures


def elapsed_call(call):
    start = time.monotonic()
    try:
        call()
    except BaseException as e:  # noqa: B902 - handed back
        return time.monotonic() - start, e
    pytest.fail("the call did not fail")


def test_reply_timeout_then_broken(hostile_server):
    server = hostile_server("on NOOP #1 noreply\n")
    s = ftpc.Session(server.host, server.port, user="u", password="p", reply_timeout=1.0,
                     timeout=HANG_S)
    took, e = elapsed_call(lambda: s.sendcmd("NOOP"))
    assert isinstance(e, ftpc.TimeoutError) and isinstance(e, builtins.TimeoutError)
    assert e.code == _ll.FTP_E_TIMEOUT
    assert str(e) == e.message and "NOOP" in e.message
    assert 0.9 <= took < 1.0 + 10          # the configured deadline, not the 30 s one
    # Broken until it reconnects.
    for call in (s.pwd, lambda: s.sendcmd("NOOP"), lambda: s.retrbinary("RETR x", print)):
        with pytest.raises(ftpc.StateError):
            call()
    s.connect(server.host, server.port)
    s.login("u", "p")
    assert s.sendcmd("NOOP") == "200 ok"
    s.quit()


def test_banner_timeout(hostile_server):
    server = hostile_server("on CONNECT noreply\n")
    s = ftpc.Session(reply_timeout=1.0, timeout=HANG_S)
    took, e = elapsed_call(lambda: s.connect(server.host, server.port))
    assert isinstance(e, ftpc.TimeoutError)
    assert 0.9 <= took < 1.0 + 10
    assert not s.connected


def test_data_timeout(hostile_server):
    server = hostile_server("on RETR reply 150 here it comes\n"
                            "  data first bytes\n"
                            "  delay 8\n")
    s = ftpc.Session(server.host, server.port, user="u", password="p", data_timeout=1.0,
                     timeout=HANG_S)
    blocks = []
    took, e = elapsed_call(lambda: s.retrbinary("RETR slow", blocks.append))
    assert isinstance(e, ftpc.TimeoutError)
    assert b"".join(blocks) == b"first bytes"
    assert 0.9 <= took < 1.0 + 10
    with pytest.raises(ftpc.StateError):
        s.pwd()
    s.close()


def test_server_hangs_up(hostile_server):
    server = hostile_server("on NOOP close\n")
    s = ftpc.Session(server.host, server.port, user="u", password="p", timeout=HANG_S)
    with pytest.raises(ftpc.ClosedError) as info:
        s.sendcmd("NOOP")
    assert isinstance(info.value, ConnectionError)
    assert info.value.code == _ll.FTP_E_CLOSED
    with pytest.raises(ftpc.StateError):
        s.sendcmd("NOOP")
    s.close()


def test_server_hangs_up_instead_of_banner(hostile_server):
    server = hostile_server("on CONNECT close\n")
    with pytest.raises(ftpc.ClosedError):
        ftpc.Session(server.host, server.port, timeout=HANG_S)


def test_server_resets(hostile_server):
    server = hostile_server("on NOOP rst\n")
    s = ftpc.Session(server.host, server.port, user="u", password="p", timeout=HANG_S)
    with pytest.raises(ftpc.NetworkError) as info:
        s.sendcmd("NOOP")
    assert isinstance(info.value, OSError)
    with pytest.raises(ftpc.StateError):
        s.sendcmd("NOOP")
    s.close()


def test_connection_refused():
    # A bound socket that does not listen: connecting to it is refused.
    holder = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    holder.bind(("127.0.0.1", 0))
    port = holder.getsockname()[1]
    try:
        s = ftpc.Session(timeout=HANG_S)
        with pytest.raises(ftpc.ConnectError) as info:
            s.connect("127.0.0.1", port)
        assert isinstance(info.value, ConnectionError)
        assert info.value.code == _ll.FTP_E_CONNECT
        assert not s.connected
    finally:
        holder.close()


# --------------------------------------------------------------------------
# Scripted replies


def test_scripted_reply_errors(hostile_server):
    server = hostile_server("on NOOP #1 reply 400\n"
                            "on NOOP #2 reply 999 x\n"
                            "on NOOP #3 reply 331 more please\n"
                            "on NOOP #4 reply 550 no way\n"
                            "on NOOP #5 reply 200 fine again\n")
    with ftpc.Session(server.host, server.port, user="u", password="p", timeout=HANG_S) as s:
        # A bare 400: ftplib's error_temp, the reply as its text.
        with pytest.raises(ftplib.error_temp) as info:
            s.sendcmd("NOOP")
        e = info.value
        assert type(e) is ftpc.TempError
        assert str(e) == "400" and e.reply == "400" and e.reply_code == 400
        assert e.code == _ll.FTP_E_TEMP
        # A code outside 1xx-5xx: error_proto; the reply was framed, so the
        # session stays in step.
        with pytest.raises(ftplib.error_proto) as info:
            s.sendcmd("NOOP")
        e = info.value
        assert type(e) is ftpc.ProtoError
        assert e.reply == "999 x" and e.reply_code == 999
        assert e.code == _ll.FTP_E_PROTO
        # voidcmd wants 2xx: a 3xx is error_reply.
        with pytest.raises(ftplib.error_reply) as info:
            s.voidcmd("NOOP")
        e = info.value
        assert type(e) is ftpc.ReplyError
        assert str(e) == "331 more please" and e.reply_code == 331
        # A 5xx.
        with pytest.raises(ftplib.error_perm) as info:
            s.sendcmd("NOOP")
        assert type(info.value) is ftpc.PermError and str(info.value) == "550 no way"
        assert s.sendcmd("NOOP") == "200 fine again"


def test_421_breaks_the_session(hostile_server):
    server = hostile_server("on NOOP reply 421 shutting down\n")
    s = ftpc.Session(server.host, server.port, user="u", password="p", timeout=HANG_S)
    with pytest.raises(ftpc.TempError) as info:
        s.sendcmd("NOOP")
    assert str(info.value) == "421 shutting down"
    with pytest.raises(ftpc.StateError):
        s.pwd()
    s.close()


def test_login_refused(hostile_server):
    server = hostile_server("on PASS reply 530 Login incorrect.\n")
    s = ftpc.Session(server.host, server.port, timeout=HANG_S)
    with pytest.raises(ftplib.error_perm) as info:
        s.login("u", "wrong")
    assert str(info.value) == "530 Login incorrect."
    assert info.value.message.startswith("PASS")
    s.close()


def test_not_an_ftp_server(hostile_server):
    server = hostile_server("banner HTTP/1.1 400 Bad Request\n")
    with pytest.raises(ftpc.ProtoError):
        ftpc.Session(server.host, server.port, timeout=HANG_S)


# --------------------------------------------------------------------------
# Caps on what the server sends


def test_reply_line_over_max_line(hostile_server):
    server = hostile_server("on NOOP reply 200 %repeat[600 x a]%\n")
    s = ftpc.Session(server.host, server.port, user="u", password="p", max_line=512,
                     timeout=HANG_S)
    with pytest.raises(ftpc.ProtoError) as info:
        s.sendcmd("NOOP")
    assert isinstance(info.value, ftplib.error_proto)
    assert "512" in info.value.message
    with pytest.raises(ftpc.StateError):        # a reply over a cap breaks the session
        s.pwd()
    s.close()


def test_reply_line_under_max_line_is_fine(hostile_server):
    server = hostile_server("on NOOP reply 200 %repeat[400 x a]%\n")
    with ftpc.Session(server.host, server.port, user="u", password="p", max_line=512,
                      timeout=HANG_S) as s:
        assert s.sendcmd("NOOP") == "200 " + "a" * 400


def test_reply_over_max_reply_lines(hostile_server):
    lines = "\\r\\n".join("200-line %d" % i for i in range(10))
    server = hostile_server("on NOOP reply %s\\r\\n200 end\n" % lines)
    s = ftpc.Session(server.host, server.port, user="u", password="p", max_reply_lines=5,
                     timeout=HANG_S)
    with pytest.raises(ftpc.ProtoError):
        s.sendcmd("NOOP")
    with pytest.raises(ftpc.StateError):
        s.pwd()
    s.close()


def test_reply_over_max_reply_bytes(hostile_server):
    lines = "\\r\\n".join("200-%s" % ("b" * 100) for i in range(20))
    server = hostile_server("on NOOP reply %s\\r\\n200 end\n" % lines)
    s = ftpc.Session(server.host, server.port, user="u", password="p", max_reply_bytes=1024,
                     timeout=HANG_S)
    with pytest.raises(ftpc.ProtoError):
        s.sendcmd("NOOP")
    s.close()


def test_listing_line_over_max_line_keeps_the_session(hostile_server):
    server = hostile_server("on LIST serve %repeat[700 x b]%\\r\\nshort\\r\\n\n")
    with ftpc.Session(server.host, server.port, user="u", password="p", max_line=512,
                      timeout=HANG_S) as s:
        with pytest.raises(ftpc.ProtoError) as info:
            s.dir()
        assert "512" in info.value.message
        assert s.sendcmd("NOOP") == "200 ok"


# --------------------------------------------------------------------------
# Local files, features the connection cannot have


def test_file_error_on_download_and_upload(pyftpdlib_server, tmp_path):
    server = pyftpdlib_server
    servers.populate_tree(server.root, servers.STANDARD_TREE)
    readonly = tmp_path / "readonly"
    readonly.write_bytes(b"")
    with ftpc.Session(server.host, server.port, user=server.user, password=server.password,
                      timeout=HANG_S) as s:
        # A file object whose descriptor cannot be written (opened for
        # reading): ftp_retr_fd fails to write it.
        with open(readonly, "rb") as f:
            with pytest.raises(ftpc.FileError) as info:
                s.download("big.bin", f)
        assert isinstance(info.value, OSError)
        assert info.value.code == _ll.FTP_E_FILE
        assert s.pwd() == "/"                    # stopped cleanly, still usable
        # A directory cannot be read as a file: ftp_stor_fd fails (EISDIR).
        with pytest.raises(ftpc.FileError):
            s.upload(tmp_path, "from-a-directory")
        assert s.pwd() == "/"
        sink = io.BytesIO()
        s.download("big.bin", sink)
        assert sink.getvalue() == servers.STANDARD_TREE["big.bin"]


@pytest.mark.parametrize("data_mode", ["pasv", "port"])
def test_ipv4_only_data_modes_on_ipv6(pyftpdlib_server_ipv6, data_mode):
    server = pyftpdlib_server_ipv6
    with ftpc.Session(server.host, server.port, user=server.user, password=server.password,
                      data_mode=data_mode, timeout=HANG_S) as s:
        with pytest.raises(ftpc.UnsupportedError) as info:
            s.nlst()
        assert info.value.code == _ll.FTP_E_UNSUPPORTED
        assert s.pwd() == "/"
        s.data_mode = "auto"
        assert "a.txt" in s.nlst()
