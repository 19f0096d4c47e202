"""ftpc.Session against real servers (pyftpdlib on 127.0.0.1 and ::1), and
the hostile scripted server where exact bytes matter.

What is proved here: the command methods; retrbinary/retrlines/storbinary/
storlines with ftplib's arguments and results (compared with the standard
library's ftplib on the same server); download/upload through the fd path
(ftp_retr_fd/ftp_stor_fd) or the Python path, told apart by which low-level
function ran and checked through Session.last_transfer; resume both ways;
DataStream (open) with io.BufferedReader and readinto into the caller's
buffer; MLSD/NLST/LIST; every data mode and IPv6; the context manager; the
logging trace without passwords; callback exceptions propagating unchanged;
the reply exceptions' attributes.
"""

import ftplib
import io
import logging
import os
import re
import socket

import pytest

import ftpc
import servers
from session_support import HANG_S, LowlevelSpy, logged_in, payload, sha256

STANDARD = servers.STANDARD_TREE
BIG = STANDARD["big.bin"]
USER, PASSWORD = servers.PYFTPDLIB_USER, servers.PYFTPDLIB_PASSWORD

FD_CALLS = ("ftp_retr_fd", "ftp_stor_fd", "ftp_retrbinary", "ftp_storbinary")


@pytest.fixture
def server(pyftpdlib_server):
    """The module's pyftpdlib with its tree reset to STANDARD_TREE."""
    servers.populate_tree(pyftpdlib_server.root, STANDARD)
    return pyftpdlib_server


@pytest.fixture
def ftp(server):
    session = logged_in(server)
    yield session
    session.close()


@pytest.fixture
def stdlib_ftp(server):
    """The standard library's ftplib on the same server, for comparisons."""
    std = ftplib.FTP()
    std.connect(server.host, server.port, timeout=HANG_S)
    std.login(server.user, server.password)
    yield std
    std.close()


def root_file(server, name):
    return os.path.join(server.root, name)


def read_root(server, name):
    with open(root_file(server, name), "rb") as f:
        return f.read()


def write_root(server, name, data):
    with open(root_file(server, name), "wb") as f:
        f.write(data)


def assert_clear_report(report, server, nbytes, mode="EPSV"):
    """A TransferReport for a clear-text data connection to @server."""
    assert isinstance(report, ftpc.TransferReport)
    assert report.mode == mode
    assert report.bytes == nbytes
    host, _, port = report.peer.rpartition(":")
    assert host.strip("[]") == server.host
    assert int(port) != server.port          # the data port, not the control port
    assert report.tls_version is None and report.tls_cipher is None and report.tls_resumed is None


# --------------------------------------------------------------------------
# Connection, login, simple commands


def test_connect_login_welcome_as_ftplib(server):
    mark = server.mark()
    stdlib_ftp = ftplib.FTP()
    stdlib_ftp.connect(server.host, server.port, timeout=HANG_S)
    s = ftpc.Session(timeout=HANG_S)
    try:
        assert not s.connected
        assert s.welcome == "" and s.peer_address is None and s.local_address is None
        welcome = s.connect(server.host, server.port)
        assert welcome == s.welcome == s.getwelcome() == stdlib_ftp.getwelcome()
        assert welcome.startswith("220 ")
        assert s.connected
        reply = s.login(server.user, server.password)
        assert reply.startswith("230 ")
        assert s.last_reply == reply and s.last_reply_code == 230
        assert s.quit().startswith("221 ")
        assert not s.connected and s.peer_address is None
    finally:
        s.close()
    stdlib_ftp.close()
    rows = server.transcript_since(mark)
    assert rows == ["<connect>", "<connect>", "USER alice", "PASS ******", "QUIT"]


def test_constructor_connects_and_logs_in(server):
    with ftpc.Session(server.host, server.port, user=USER, password=PASSWORD, timeout=HANG_S) as s:
        assert s.connected
        assert s.last_reply_code == 230
        assert s.pwd() == "/"


def test_anonymous_login(server):
    mark = server.mark()
    with ftpc.Session(server.host, server.port, timeout=HANG_S) as s:
        assert s.login().startswith("230 ")
        assert sorted(s.nlst("sub")) == ["deeper", "inner.txt"]
    rows = server.transcript_since(mark)
    assert "USER anonymous" in rows


def test_pwd_cwd_and_cdup(server):
    mark = server.mark()
    with logged_in(server) as s:
        assert s.pwd() == "/"
        assert s.cwd("sub").startswith("250 ")
        assert s.pwd() == "/sub"
        s.cwd("deeper")
        assert s.pwd() == "/sub/deeper"
        assert s.cwd("..").startswith("250 ")
        assert s.pwd() == "/sub"
        s.cwd("")                       # an empty path means "."
        assert s.pwd() == "/sub"
        s.cwd("..")
        assert s.pwd() == "/"
    rows = server.transcript_since(mark)
    assert rows.count("CDUP") == 2      # ".." is CDUP, as ftplib sends it
    assert "CWD ." in rows
    assert "CWD .." not in rows


def test_mkd_rmd_rename_delete(server, ftp):
    assert ftp.mkd("newdir") == "/newdir"
    assert os.path.isdir(root_file(server, "newdir"))
    assert ftp.mkd("newdir/inner") == "/newdir/inner"
    assert ftp.rename("a.txt", "newdir/moved.txt").startswith("250 ")
    assert not os.path.exists(root_file(server, "a.txt"))
    assert read_root(server, "newdir/moved.txt") == b"hello\n"
    assert ftp.delete("newdir/moved.txt").startswith("250 ")
    assert not os.path.exists(root_file(server, "newdir/moved.txt"))
    assert ftp.rmd("newdir/inner").startswith("250 ")
    assert ftp.rmd("newdir").startswith("250 ")
    assert not os.path.exists(root_file(server, "newdir"))
    with pytest.raises(ftpc.PermError):
        ftp.delete("no-such-file")
    with pytest.raises(ftpc.PermError):
        ftp.rename("no-such-file", "x")
    assert ftp.pwd() == "/"


def test_size(ftp):
    ftp.voidcmd("TYPE I")           # pyftpdlib refuses SIZE in ASCII mode, as ftplib leaves it
    assert ftp.size("big.bin") == len(BIG)
    assert ftp.size("empty.txt") == 0
    assert ftp.size("café.txt") == len(STANDARD["café.txt"])
    with pytest.raises(ftpc.PermError):
        ftp.size("no-such-file")


def test_sendcmd_voidcmd_getresp(server, ftp):
    reply = ftp.sendcmd("NOOP")
    assert reply.startswith("200 ") and reply == ftp.last_reply
    assert ftp.voidcmd("NOOP") == reply
    # voidcmd wants 2xx: a 350 is ReplyError, and the session stays in step.
    with pytest.raises(ftpc.ReplyError) as info:
        ftp.voidcmd("RNFR a.txt")
    assert str(info.value).startswith("350 ")
    assert isinstance(info.value, ftplib.error_reply)
    assert ftp.sendcmd("NOOP") == reply

    # A data transfer driven by hand, as with ftplib: EPSV, connect, RETR
    # (1xx), read the data, then getresp() reads the 226 the server owes.
    ftp.voidcmd("TYPE I")
    epsv = ftp.sendcmd("EPSV")
    port = int(re.search(r"\(\|\|\|(\d+)\|\)", epsv).group(1))
    with socket.create_connection((server.host, port), timeout=HANG_S) as data:
        preliminary = ftp.sendcmd("RETR a.txt")
        assert preliminary[:1] == "1"
        received = b""
        while True:
            piece = data.recv(65536)
            if not piece:
                break
            received += piece
    assert received == b"hello\n"
    final = ftp.getresp()
    assert final.startswith("226 ") and ftp.last_reply_code == 226
    assert ftp.pwd() == "/"


def test_getresp_and_voidresp_after_1xx(hostile_server):
    server = hostile_server("on SITE #1 raw 150 working\\r\\n226 done\\r\\n\n"
                            "on SITE #2 raw 150 again\\r\\n350 not two\\r\\n\n")
    with ftpc.Session(server.host, server.port, user="u", password="p", timeout=HANG_S) as s:
        assert s.sendcmd("SITE one") == "150 working"
        assert s.getresp() == "226 done"
        assert s.sendcmd("SITE two") == "150 again"
        with pytest.raises(ftpc.ReplyError) as info:
            s.voidresp()
        assert str(info.value) == "350 not two"
        assert s.voidcmd("NOOP") == "200 ok"


# --------------------------------------------------------------------------
# ftplib's transfer methods


def test_retrbinary_as_ftplib(ftp, stdlib_ftp):
    blocks = []
    reply = ftp.retrbinary("RETR big.bin", blocks.append, 1000)   # ftplib's positional order
    std_blocks = []
    std_reply = stdlib_ftp.retrbinary("RETR big.bin", std_blocks.append, 1000)
    assert reply == std_reply == ftp.last_reply
    assert b"".join(blocks) == b"".join(std_blocks) == BIG
    assert all(isinstance(b, bytes) and 0 < len(b) <= 1000 for b in blocks)
    # The default block size and keyword arguments.
    blocks = []
    ftp.retrbinary(cmd="RETR big.bin", callback=blocks.append)
    assert b"".join(blocks) == BIG and max(map(len, blocks)) <= 8192


def test_retrlines_default_prints_as_ftplib(ftp, stdlib_ftp, capsys):
    capsys.readouterr()
    reply = ftp.retrlines("RETR lines.txt")
    ours = capsys.readouterr().out
    std_reply = stdlib_ftp.retrlines("RETR lines.txt")
    theirs = capsys.readouterr().out
    assert ours == theirs
    assert ours == "first line\nsecond line\n\nfourth\tline\nlast line without newline\n"
    assert reply == std_reply


def test_retrlines_callback_as_ftplib(ftp, stdlib_ftp):
    for command in ("RETR lines.txt", "LIST", "NLST", "LIST sub", "RETR café.txt"):
        ours, theirs = [], []
        reply = ftp.retrlines(command, ours.append)
        std_reply = stdlib_ftp.retrlines(command, theirs.append)
        assert ours == theirs, command
        assert reply == std_reply, command
        assert all(isinstance(line, str) for line in ours)


def test_storbinary_as_ftplib(server, ftp, stdlib_ftp):
    data = payload(50000, b"storbinary")
    ours, theirs = [], []
    reply = ftp.storbinary("STOR ours.bin", io.BytesIO(data), 4096, ours.append)
    std_reply = stdlib_ftp.storbinary("STOR theirs.bin", io.BytesIO(data), 4096, theirs.append)
    assert reply == std_reply
    assert read_root(server, "ours.bin") == read_root(server, "theirs.bin") == data
    # The callback sees every block after it is sent, as with ftplib.
    assert b"".join(ours) == b"".join(theirs) == data
    assert all(0 < len(b) <= 4096 for b in ours)
    # A file object without readinto (read only) works too.

    class ReadOnly:
        def __init__(self, data):
            self._f = io.BytesIO(data)

        def read(self, n):
            return self._f.read(n)

    ftp.storbinary("STOR readonly.bin", ReadOnly(data), blocksize=1000)
    assert read_root(server, "readonly.bin") == data


def test_storlines_as_ftplib(server, ftp, stdlib_ftp):
    text = b"one\ntwo\r\nthree\n\nfive\n"
    ours, theirs = [], []
    reply = ftp.storlines("STOR ours.txt", io.BytesIO(text), ours.append)
    std_reply = stdlib_ftp.storlines("STOR theirs.txt", io.BytesIO(text), theirs.append)
    assert reply == std_reply
    assert read_root(server, "ours.txt") == read_root(server, "theirs.txt")
    # ftplib calls the callback once per line, after it is sent, with the
    # line as sent (CRLF).
    assert ours == theirs


def test_storlines_sends_crlf(hostile_server):
    server = hostile_server("on STOR store\n")
    text = b"one\ntwo\r\nthree\n"
    with ftpc.Session(server.host, server.port, user="u", password="p", timeout=HANG_S) as s:
        s.storlines("STOR x.txt", io.BytesIO(text))
    wire = b"one\r\ntwo\r\nthree\r\n"
    rows = server.transcript()
    assert "TYPE A" in rows
    assert "# received %d bytes sha256 %s" % (len(wire), sha256(wire)) in rows


# --------------------------------------------------------------------------
# download() and upload(): the fd path and the Python path


def test_last_transfer_before_any_transfer(ftp):
    assert ftp.last_transfer == ftpc.TransferReport(mode=None, peer=None, bytes=0, tls_version=None,
                                                    tls_cipher=None, tls_resumed=None)


def test_download_to_path_uses_fd(server, ftp, tmp_path, monkeypatch):
    spy = LowlevelSpy(monkeypatch, *FD_CALLS)
    target = tmp_path / "big.bin"
    target.write_bytes(b"x" * (len(BIG) + 12345))      # longer: must be truncated
    assert ftp.download("big.bin", target) == len(BIG)
    assert spy.calls == ["ftp_retr_fd"]
    assert sha256(target.read_bytes()) == sha256(BIG)
    assert_clear_report(ftp.last_transfer, server, len(BIG))
    # str and bytes paths, names with a space and a non-ASCII letter.
    ftp.download("spaced name.txt", str(tmp_path / "spaced"))
    ftp.download("café.txt", os.fsencode(tmp_path / "cafe"))
    assert (tmp_path / "spaced").read_bytes() == STANDARD["spaced name.txt"]
    assert (tmp_path / "cafe").read_bytes() == STANDARD["café.txt"]
    assert ftp.download("empty.txt", tmp_path / "empty") == 0
    assert (tmp_path / "empty").read_bytes() == b""


def test_download_into_real_file_uses_fd(server, ftp, tmp_path, monkeypatch):
    spy = LowlevelSpy(monkeypatch, *FD_CALLS)
    path = tmp_path / "into-file"
    with open(path, "wb") as f:
        f.write(b"prefix:")                 # still in the BufferedWriter's buffer
        assert ftp.download("big.bin", f) == len(BIG)
        assert f.tell() == len(b"prefix:") + len(BIG)     # the object follows the descriptor
        f.write(b":suffix")
    assert spy.calls == ["ftp_retr_fd"]
    assert path.read_bytes() == b"prefix:" + BIG + b":suffix"
    assert_clear_report(ftp.last_transfer, server, len(BIG))


def test_download_into_bytesio_and_callable_use_python(server, ftp, monkeypatch):
    spy = LowlevelSpy(monkeypatch, *FD_CALLS)
    sink = io.BytesIO()
    assert ftp.download("big.bin", sink) == len(BIG)
    assert spy.calls == ["ftp_retrbinary"]
    assert sink.getvalue() == BIG
    assert_clear_report(ftp.last_transfer, server, len(BIG))

    spy.clear()
    blocks = []
    assert ftp.download("big.bin", blocks.append) == len(BIG)
    assert spy.calls == ["ftp_retrbinary"]
    assert b"".join(blocks) == BIG
    assert all(isinstance(b, bytes) for b in blocks)
    assert_clear_report(ftp.last_transfer, server, len(BIG))


def test_upload_from_path_uses_fd(server, ftp, tmp_path, monkeypatch):
    spy = LowlevelSpy(monkeypatch, *FD_CALLS)
    data = payload(300000, b"upload-path")
    source = tmp_path / "source.bin"
    source.write_bytes(data)
    assert ftp.upload(source, "up.bin") == len(data)
    assert spy.calls == ["ftp_stor_fd"]
    assert read_root(server, "up.bin") == data
    assert_clear_report(ftp.last_transfer, server, len(data))
    ftp.upload(str(source), "up2.bin")
    assert read_root(server, "up2.bin") == data


def test_upload_from_real_file_uses_fd(server, ftp, tmp_path, monkeypatch):
    spy = LowlevelSpy(monkeypatch, *FD_CALLS)
    data = payload(100000, b"upload-file")
    source = tmp_path / "source.bin"
    source.write_bytes(data)
    with open(source, "rb") as f:
        assert f.read(10) == data[:10]      # the BufferedReader has read ahead
        assert ftp.upload(f, "from-file.bin") == len(data) - 10
        assert f.tell() == len(data)        # left at end of file, as the descriptor
    assert spy.calls == ["ftp_stor_fd"]
    assert read_root(server, "from-file.bin") == data[10:]
    assert_clear_report(ftp.last_transfer, server, len(data) - 10)


def test_upload_from_bytesio_uses_python(server, ftp, monkeypatch):
    spy = LowlevelSpy(monkeypatch, *FD_CALLS)
    data = payload(100000, b"upload-bytesio")
    assert ftp.upload(io.BytesIO(data), "from-bytesio.bin") == len(data)
    assert spy.calls == ["ftp_storbinary"]
    assert read_root(server, "from-bytesio.bin") == data
    assert_clear_report(ftp.last_transfer, server, len(data))


def test_upload_append(server, tmp_path):
    mark = server.mark()
    extra = payload(5000, b"append")
    source = tmp_path / "extra"
    source.write_bytes(extra)
    with logged_in(server) as s:
        assert s.upload(source, "a.txt", append=True) == len(extra)
        assert s.upload(io.BytesIO(b"tail"), "a.txt", append=True) == 4
    assert read_root(server, "a.txt") == b"hello\n" + extra + b"tail"
    assert server.transcript_since(mark).count("APPE a.txt") == 2


# --------------------------------------------------------------------------
# Resume (REST), both ways, checked by SHA-256


REST_AT = 123457


def test_download_resume(server, tmp_path):
    mark = server.mark()
    with logged_in(server) as s:
        # A path: opened for update and written from the offset.
        partial = tmp_path / "partial.bin"
        partial.write_bytes(BIG[:REST_AT])
        assert s.download("big.bin", partial, rest=REST_AT) == len(BIG) - REST_AT
        assert sha256(partial.read_bytes()) == sha256(BIG)
        # A real file object positioned at the offset.
        other = tmp_path / "other.bin"
        other.write_bytes(BIG[:REST_AT])
        with open(other, "r+b") as f:
            f.seek(REST_AT)
            s.download("big.bin", f, rest=REST_AT)
        assert sha256(other.read_bytes()) == sha256(BIG)
        # A callable and a BytesIO get the rest only.
        blocks = []
        s.download("big.bin", blocks.append, rest=REST_AT)
        assert sha256(BIG[:REST_AT] + b"".join(blocks)) == sha256(BIG)
        # ftplib's retrbinary(rest=) too.
        blocks = []
        s.retrbinary("RETR big.bin", blocks.append, 8192, REST_AT)
        assert b"".join(blocks) == BIG[REST_AT:]
    assert server.transcript_since(mark).count("REST %d" % REST_AT) == 4


def test_upload_resume(server, tmp_path):
    data = payload(400000, b"resume-up")
    source = tmp_path / "whole.bin"
    source.write_bytes(data)
    mark = server.mark()
    with logged_in(server) as s:
        # A path: read from the same offset.
        write_root(server, "r1.bin", data[:REST_AT])
        assert s.upload(source, "r1.bin", rest=REST_AT) == len(data) - REST_AT
        # A BytesIO: sent from where it stands.
        write_root(server, "r2.bin", data[:REST_AT])
        bio = io.BytesIO(data)
        bio.seek(REST_AT)
        s.upload(bio, "r2.bin", rest=REST_AT)
        # A real file object.
        write_root(server, "r3.bin", data[:REST_AT])
        with open(source, "rb") as f:
            f.seek(REST_AT)
            s.upload(f, "r3.bin", rest=REST_AT)
        # ftplib's storbinary(rest=).
        write_root(server, "r4.bin", data[:REST_AT])
        s.storbinary("STOR r4.bin", io.BytesIO(data[REST_AT:]), 8192, None, REST_AT)
    for name in ("r1.bin", "r2.bin", "r3.bin", "r4.bin"):
        assert sha256(read_root(server, name)) == sha256(data), name
    assert server.transcript_since(mark).count("REST %d" % REST_AT) == 4


# --------------------------------------------------------------------------
# open(): DataStream


def test_open_rb_with_buffered_reader(server, ftp):
    raw = ftp.open("big.bin", "rb")
    assert isinstance(raw, io.RawIOBase) and isinstance(raw, ftpc.DataStream)
    assert raw.readable() and not raw.writable() and not raw.seekable()
    with io.BufferedReader(raw, buffer_size=16384) as reader:
        first = reader.read(100)
        line = reader.readline()
        rest = reader.read()
    assert first + line + rest == BIG
    assert raw.closed
    assert ftp.last_reply.startswith("226 ")
    assert ftp.pwd() == "/"
    assert_clear_report(ftp.last_transfer, server, len(BIG))


def test_open_readinto_fills_the_callers_buffer(ftp):
    stream = ftp.open("big.bin")
    buffer = bytearray(65536)
    view = memoryview(buffer)           # a view made before: proves the data lands in place
    n = stream.readinto(buffer)
    assert 0 < n <= len(buffer)
    assert bytes(view[:n]) == BIG[:n]
    assert len(buffer) == 65536
    # Fill one big caller buffer through slices of a memoryview.
    whole = bytearray(len(BIG))
    whole[:n] = buffer[:n]
    position = n
    target = memoryview(whole)
    while True:
        got = stream.readinto(target[position:position + 7000])
        if got == 0:
            break
        position += got
    assert position == len(BIG)
    assert whole == BIG
    assert stream.readinto(buffer) == 0
    assert stream.read() == b""
    view.release()
    stream.close()
    assert ftp.last_reply.startswith("226 ")
    assert ftp.pwd() == "/"


def test_open_rb_rest(ftp):
    with ftp.open("big.bin", "rb", rest=REST_AT) as stream:
        assert stream.read() == BIG[REST_AT:]


def test_open_wb_and_ab(server, ftp):
    data = payload(70000, b"stream-wb")
    with ftp.open("streamed.bin", "wb") as stream:
        assert stream.writable() and not stream.readable()
        assert stream.write(data[:1000]) == 1000
        assert stream.write(bytearray(data[1000:30000])) == 29000
        assert stream.write(memoryview(data)[30000:]) == len(data) - 30000
        with pytest.raises(io.UnsupportedOperation):
            stream.read(1)
    assert ftp.last_reply.startswith("226 ")
    assert read_root(server, "streamed.bin") == data
    with ftp.open("streamed.bin", "ab") as stream:
        stream.write(b"appended")
    assert read_root(server, "streamed.bin") == data + b"appended"
    assert ftp.pwd() == "/"


def test_closing_a_read_stream_early_aborts_cleanly(server):
    big = (BIG * 42)[:8 * 1024 * 1024]        # more than the socket buffers hold
    write_root(server, "huge.bin", big)
    mark = server.mark()
    with logged_in(server) as s:
        stream = s.open("huge.bin")
        assert stream.read(1000) == big[:1000]
        stream.close()                   # no exception for the abandoned rest
        assert stream.closed
        with pytest.raises(ValueError):
            stream.read(1)
        # The session is in step: commands and a full transfer work.
        assert s.pwd() == "/"
        assert s.sendcmd("NOOP").startswith("200 ")
        assert s.download("a.txt", io.BytesIO()) == 6
        sink = io.BytesIO()
        s.download("big.bin", sink)
        assert sink.getvalue() == BIG
    # ABOR went out after Telnet IP and Synch (pyftpdlib logs those bytes too).
    rows = server.transcript_since(mark)
    assert [row for row in rows if row.endswith("ABOR")], rows


def test_commands_while_a_stream_is_open_are_busy(server, ftp, tmp_path):
    stream = ftp.open("big.bin")
    calls = [
        lambda: ftp.pwd(),
        lambda: ftp.sendcmd("NOOP"),
        lambda: ftp.retrbinary("RETR a.txt", lambda b: None),
        lambda: ftp.download("a.txt", tmp_path / "x"),
        lambda: ftp.upload(io.BytesIO(b"x"), "x"),
        lambda: ftp.open("a.txt"),
        lambda: list(ftp.mlsd()),
        lambda: ftp.nlst(),
    ]
    for call in calls:
        with pytest.raises(ftpc.BusyError) as info:
            call()
        assert info.value.code == ftpc.BusyError.code == ftpc._lowlevel.FTP_E_BUSY
    assert stream.read() == BIG
    stream.close()
    assert ftp.pwd() == "/"


def test_quit_closes_an_open_stream(hostile_server):
    """quit() with a download stream still open: the stream is closed and
    quit() returns QUIT's own reply, not the transfer's 226 that the server
    sent before it (the server here finishes the transfer at once, so that
    226 is always waiting when QUIT is sent)."""
    server = hostile_server("on RETR serve %repeat[1000 x z]%\n")
    s = ftpc.Session(server.host, server.port, user="u", password="p", timeout=HANG_S)
    stream = s.open("x")
    assert stream.read(10) == b"z" * 10
    assert s.quit() == "221 bye"
    assert stream.closed
    assert not s.connected
    rows = server.transcript()
    assert rows[-2:] == ["QUIT", "<1 control connections>"]


def test_open_failures(ftp):
    with pytest.raises(ValueError):
        ftp.open("a.txt", "r")
    with pytest.raises(ftpc.PermError):
        ftp.open("no-such-file")
    assert ftp.pwd() == "/"             # the failed open left the session free


# --------------------------------------------------------------------------
# Listings


def test_mlsd_as_ftplib(server, ftp, stdlib_ftp):
    ours = list(ftp.mlsd())
    theirs = list(stdlib_ftp.mlsd())
    assert ours == theirs
    names = {name for name, _ in ours}
    assert names == {"a.txt", "empty.txt", "lines.txt", "big.bin", "spaced name.txt", "café.txt",
                     "sub", "emptydir"}
    facts = dict(ours)
    assert facts["a.txt"]["type"] == "file" and facts["a.txt"]["size"] == "6"
    assert facts["sub"]["type"] == "dir"
    assert all(key == key.lower() for _, f in ours for key in f)
    assert list(ftp.mlsd("sub")) == list(stdlib_ftp.mlsd("sub"))


def test_mlsd_facts(server):
    mark = server.mark()
    with logged_in(server) as s:
        entries = list(s.mlsd(facts=["type", "size"]))
    assert entries
    for name, facts in entries:
        assert set(facts) <= {"type", "size"} and "type" in facts
    assert dict(entries)["big.bin"] == {"type": "file", "size": str(len(BIG))}
    assert "OPTS MLST type;size;" in server.transcript_since(mark)


def test_mlsd_lower_cases_fact_names(hostile_server):
    server = hostile_server(
        "on MLSD serve Type=file;Size=6;UNIX.Mode=0644; a.txt\\r\\n"
        "TYPE=dir;Modify=20200101000000; Sub Dir\\r\\n\n")
    with ftpc.Session(server.host, server.port, user="u", password="p", timeout=HANG_S) as s:
        entries = list(s.mlsd())
    assert entries == [("a.txt", {"type": "file", "size": "6", "unix.mode": "0644"}),
                       ("Sub Dir", {"type": "dir", "modify": "20200101000000"})]


def test_nlst_and_dir_as_ftplib(ftp, stdlib_ftp):
    assert ftp.nlst() == stdlib_ftp.nlst()
    assert sorted(ftp.nlst()) == sorted(["a.txt", "empty.txt", "lines.txt", "big.bin", "spaced name.txt",
                                         "café.txt", "sub", "emptydir"])
    assert ftp.nlst("sub") == stdlib_ftp.nlst("sub")
    theirs = []
    stdlib_ftp.dir(theirs.append)
    ours = ftp.dir()
    assert ours == theirs and len(ours) == 8
    assert any(line.endswith(" café.txt") for line in ours)
    theirs = []
    stdlib_ftp.dir("sub", theirs.append)
    assert ftp.dir("sub") == theirs
    assert ftp.nlst("emptydir") == []


# --------------------------------------------------------------------------
# Data modes, IPv6


@pytest.mark.parametrize("data_mode, command", [
    ("auto", "EPSV"), ("epsv", "EPSV"), ("pasv", "PASV"),
    ("active", "EPRT"), ("eprt", "EPRT"), ("port", "PORT"),
])
def test_data_modes(server, data_mode, command):
    mark = server.mark()
    with logged_in(server, data_mode=data_mode) as s:
        assert s.data_mode == data_mode
        sink = io.BytesIO()
        s.download("big.bin", sink)
        assert sink.getvalue() == BIG
        report = s.last_transfer
        assert report.mode == command
        assert report.bytes == len(BIG)
        assert report.peer.rpartition(":")[0] == "127.0.0.1"
        assert s.nlst("sub") and s.last_transfer.mode == command
        source = payload(20000, data_mode.encode())
        s.upload(io.BytesIO(source), "mode-%s.bin" % data_mode)
    assert read_root(server, "mode-%s.bin" % data_mode) == source
    verbs = [row.split(" ")[0] for row in server.transcript_since(mark)]
    assert verbs.count(command) == 3
    others = {"EPSV", "PASV", "EPRT", "PORT"} - {command}
    assert not others & set(verbs)


def test_set_pasv_and_bad_mode(ftp):
    ftp.set_pasv(False)
    assert ftp.data_mode == "active"
    ftp.set_pasv(True)
    assert ftp.data_mode == "auto"
    with pytest.raises(ValueError):
        ftp.data_mode = "sideways"
    assert ftp.data_mode == "auto"


@pytest.mark.parametrize("data_mode, command", [("auto", "EPSV"), ("active", "EPRT")])
def test_ipv6(pyftpdlib_server_ipv6, data_mode, command):
    server = pyftpdlib_server_ipv6
    mark = server.mark()
    with logged_in(server, data_mode=data_mode) as s:
        assert s.peer_address == ("::1", server.port)
        assert s.local_address[0] == "::1"
        blocks = []
        s.retrbinary("RETR big.bin", blocks.append)
        assert b"".join(blocks) == BIG
        report = s.last_transfer
        assert report.mode == command
        assert report.peer.startswith("[::1]:")
        assert report.bytes == len(BIG)
    rows = server.transcript_since(mark)
    assert any(row.startswith(command) for row in rows)
    if command == "EPRT":
        assert any(row.startswith("EPRT |2|::1|") for row in rows)


# --------------------------------------------------------------------------
# Context manager, addresses, logging


def test_context_manager_sends_quit(server):
    mark = server.mark()
    with logged_in(server) as s:
        assert s.pwd() == "/"
    assert not s.connected
    assert server.transcript_since(mark)[-1] == "QUIT"

    class Oops(Exception):
        pass

    mark = server.mark()
    with pytest.raises(Oops):
        with logged_in(server) as s:
            raise Oops()
    assert not s.connected
    assert server.transcript_since(mark)[-1] == "QUIT"


def test_context_manager_exact_transcript(hostile_server):
    server = hostile_server("")
    with ftpc.Session(server.host, server.port, user="u", password="p", timeout=HANG_S) as s:
        s.sendcmd("NOOP")
    assert server.transcript() == ["USER u", "PASS p", "NOOP", "QUIT", "<1 control connections>"]


def test_peer_and_local_address(server):
    with logged_in(server) as s:
        peer, local = s.peer_address, s.local_address
        assert peer == (server.host, server.port)
        assert local[0] == "127.0.0.1" and local[1] not in (0, server.port)
        assert repr(s) == "<ftpc.Session 127.0.0.1:%d>" % server.port
    assert s.peer_address is None and s.local_address is None
    # pyftpdlib logs each line with the client's address: it saw ours.
    with open(server.log_path, encoding="utf-8", errors="replace") as f:
        log = f.read()
    assert " 127.0.0.1:%d-" % local[1] in log


def test_logging_trace_masks_secrets(hostile_server, caplog):
    server = hostile_server("on PASS reply 332 account please\n"
                            "on ACCT reply 230 logged in with account\n")
    secret, account = "pw-Secret-4711", "acct-Secret-0815"
    caplog.set_level(logging.DEBUG, logger="ftpc")
    with ftpc.Session(server.host, server.port, timeout=HANG_S) as s:
        s.login("bob", secret, account)
        s.sendcmd("NOOP")
    records = [r for r in caplog.records if r.name == "ftpc"]
    messages = [r.getMessage() for r in records]
    assert all(r.levelno == logging.DEBUG for r in records)
    assert "> USER bob" in messages
    assert "< 331 password please" in messages
    assert "< 332 account please" in messages
    assert "> NOOP" in messages and "< 200 ok" in messages
    assert "> QUIT" in messages
    assert any(m.startswith("> PASS") for m in messages)
    assert any(m.startswith("> ACCT") for m in messages)
    for record in records:
        text = record.getMessage() + repr(record.args) + repr(vars(record))
        assert secret not in text and account not in text
    assert secret not in caplog.text and account not in caplog.text
    # They were sent all the same.
    rows = server.transcript()
    assert "PASS " + secret in rows and "ACCT " + account in rows


def test_logging_trace_real_server_and_custom_logger(server, caplog):
    caplog.set_level(logging.DEBUG, logger="ftpc.custom")
    mine = logging.getLogger("ftpc.custom")
    with ftpc.Session(server.host, server.port, user=USER, password=PASSWORD, timeout=HANG_S,
                      logger=mine) as s:
        s.download("a.txt", io.BytesIO())
    messages = [r.getMessage() for r in caplog.records if r.name == "ftpc.custom"]
    assert "> USER alice" in messages
    assert any(m.startswith("< 230") for m in messages)
    assert any(m.startswith("> RETR a.txt") for m in messages)
    assert any(m.startswith("* ") for m in messages)     # narration at DEBUG
    assert PASSWORD not in caplog.text


def test_no_trace_without_debug(server, caplog):
    caplog.set_level(logging.INFO, logger="ftpc")
    with logged_in(server) as s:
        s.pwd()
    assert not [r for r in caplog.records if r.name.startswith("ftpc")]


# --------------------------------------------------------------------------
# Exceptions from callbacks, reply errors


class Boom(Exception):
    pass


def raise_on_call(n, what):
    """A callback that raises @what on its @n-th call."""
    calls = []

    def callback(*args):
        calls.append(args)
        if len(calls) == n:
            raise what
    return callback


def assert_usable(s):
    assert s.pwd() == "/"
    assert s.sendcmd("NOOP").startswith("200 ")
    blocks = []
    s.retrbinary("RETR big.bin", blocks.append)
    assert b"".join(blocks) == BIG
    assert s.retrlines("RETR a.txt", lambda line: None).startswith("226 ")


@pytest.mark.parametrize("kind", ["retrbinary", "retrlines", "storbinary-callback", "storbinary-read",
                                  "storlines", "download-callable", "download-write",
                                  "upload-read", "mlsd-lowlevel"])
def test_callback_exception_propagates_unchanged(server, kind):
    boom = Boom("from the callback")
    data = payload(100000, b"cb")
    with logged_in(server) as s:
        with pytest.raises(Boom) as info:
            if kind == "retrbinary":
                s.retrbinary("RETR big.bin", raise_on_call(2, boom), 1024)
            elif kind == "retrlines":
                s.retrlines("RETR lines.txt", raise_on_call(2, boom))
            elif kind == "storbinary-callback":
                s.storbinary("STOR cb.bin", io.BytesIO(data), 1024, raise_on_call(2, boom))
            elif kind == "storbinary-read":
                class Failing(io.BytesIO):
                    def readinto(self, b):
                        raise boom
                s.storbinary("STOR cb.bin", Failing(data))
            elif kind == "storlines":
                s.storlines("STOR cb.txt", io.BytesIO(b"a\nb\n" * 10000), raise_on_call(1, boom))
            elif kind == "download-callable":
                s.download("big.bin", raise_on_call(1, boom))
            elif kind == "download-write":
                class Sink(io.BytesIO):
                    write = raise_on_call(1, boom)
                s.download("big.bin", Sink())
            elif kind == "upload-read":
                class Source(io.BytesIO):
                    def readinto(self, b):
                        raise boom
                s.upload(Source(data), "cb.bin")
            elif kind == "mlsd-lowlevel":
                # Session.mlsd collects the listing itself; the extension's
                # MLSD trampoline is reached through ftpc._lowlevel.
                ftpc._lowlevel.ftp_mlsd(s._handle, None, None, raise_on_call(2, boom))
        assert info.value is boom
        # The traceback still shows where it was raised.
        frames = []
        tb = info.value.__traceback__
        while tb is not None:
            frames.append(tb.tb_frame.f_code.co_name)
            tb = tb.tb_next
        assert frames[-1] in ("callback", "readinto"), frames
        assert_usable(s)


def test_perm_error_is_ftplib_error_perm(ftp):
    with pytest.raises(ftplib.error_perm) as info:
        ftp.download("missing.txt", io.BytesIO())
    e = info.value
    assert isinstance(e, ftpc.PermError) and isinstance(e, ftpc.Error) and isinstance(e, ftplib.Error)
    assert e.reply_code == 550
    assert e.reply.startswith("550 ") and "\r" not in e.reply and "\n" not in e.reply
    assert str(e) == e.reply == e.args[0]
    assert e.code == ftpc._lowlevel.FTP_E_PERM == -3
    assert e.name == "FTP_E_PERM"
    assert e.message == "RETR missing.txt: " + e.reply
    assert ftp.last_reply == e.reply
    assert ftp.pwd() == "/"


def test_multiline_error_reply_text(hostile_server):
    server = hostile_server("on DELE reply 550-first line\\r\\n550 last line\n")
    with ftpc.Session(server.host, server.port, user="u", password="p", timeout=HANG_S) as s:
        with pytest.raises(ftpc.PermError) as info:
            s.delete("x")
        assert str(info.value) == "550-first line\n550 last line"
        assert info.value.reply_code == 550
        assert s.sendcmd("NOOP") == "200 ok"


def test_abort_closes_an_open_stream(server):
    big = (b"abort" + BIG * 42)[:8 * 1024 * 1024]
    write_root(server, "huge.bin", big)
    with logged_in(server) as s:
        stream = s.open("huge.bin")
        assert stream.read(500) == big[:500]
        reply = s.abort()
        assert reply[:3] in ("225", "226")
        assert stream.closed
        assert s.pwd() == "/"
        sink = io.BytesIO()
        s.download("a.txt", sink)
        assert sink.getvalue() == b"hello\n"
