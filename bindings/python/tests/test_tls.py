"""FTPS through ftpc.Session: vsftpd with require_ssl_reuse=YES (every data
connection must resume the control connection's TLS session, and uploads
must end with close_notify: strict_ssl_read_eof=YES), explicit and implicit;
verification on by default; TLS versions; and the hostile server's bad
certificates and refusals, where the transcript shows that no credentials
were sent.
"""

import io
import os

import pytest

import ftpc
import servers
from session_support import HANG_S, LowlevelSpy, payload, sha256
from session_support import vsftpd_implicit_server  # noqa: F401 - a fixture

BIG = servers.STANDARD_TREE["big.bin"]


@pytest.fixture
def vsftpd(vsftpd_tls_server):
    servers.populate_tree(vsftpd_tls_server.root, servers.STANDARD_TREE)
    return vsftpd_tls_server


def tls_session(server, **options):
    options.setdefault("tls", "explicit")
    options.setdefault("ca_file", server.ca_file)
    options.setdefault("timeout", HANG_S)
    return ftpc.Session(server.host, server.port, user=server.user, password=server.password,
                        **options)


def assert_protected(report, nbytes, version=None):
    """A data connection that ran TLS and resumed the control session."""
    assert report.bytes == nbytes
    assert report.mode == "EPSV"
    assert report.tls_version is not None and report.tls_version.startswith("TLSv1.")
    assert report.tls_cipher
    assert report.tls_resumed is True
    if version is not None:
        assert report.tls_version == version


def read_root(server, name):
    with open(os.path.join(server.root, name), "rb") as f:
        return f.read()


# --------------------------------------------------------------------------
# vsftpd, explicit FTPS


def test_explicit_login_download_upload(vsftpd, tmp_path, monkeypatch):
    spy = LowlevelSpy(monkeypatch, "ftp_retr_fd", "ftp_stor_fd", "ftp_retrbinary", "ftp_storbinary")
    with tls_session(vsftpd) as s:
        assert s.welcome.startswith("220 ")
        assert s.tls_version in ("TLSv1.2", "TLSv1.3")
        assert s.tls_cipher
        # Downloads: the Python path and the fd path (through one buffer
        # under TLS).
        sink = io.BytesIO()
        assert s.download("big.bin", sink) == len(BIG)
        assert sink.getvalue() == BIG
        assert_protected(s.last_transfer, len(BIG))
        target = tmp_path / "big.bin"
        assert s.download("big.bin", target) == len(BIG)
        assert sha256(target.read_bytes()) == sha256(BIG)
        assert_protected(s.last_transfer, len(BIG))
        # Uploads: the Python path and the fd path; vsftpd insists on
        # close_notify at the end of each (strict_ssl_read_eof).
        data = payload(300000, b"tls-upload")
        assert s.upload(io.BytesIO(data), "up1.bin") == len(data)
        assert_protected(s.last_transfer, len(data))
        source = tmp_path / "source.bin"
        source.write_bytes(data)
        assert s.upload(source, "up2.bin") == len(data)
        assert_protected(s.last_transfer, len(data))
        # Listings and ftplib's methods.
        assert sorted(s.nlst()) == sorted(["a.txt", "big.bin", "café.txt", "empty.txt", "emptydir",
                                           "lines.txt", "spaced name.txt", "sub", "up1.bin",
                                           "up2.bin"])
        assert s.last_transfer.tls_resumed is True
        lines = []
        s.retrlines("RETR lines.txt", lines.append)
        assert lines == ["first line", "second line", "", "fourth\tline", "last line without newline"]
        assert s.last_transfer.tls_resumed is True
    assert spy.calls == ["ftp_retrbinary", "ftp_retr_fd", "ftp_storbinary", "ftp_stor_fd"]
    assert read_root(vsftpd, "up1.bin") == data
    assert read_root(vsftpd, "up2.bin") == data


def test_explicit_streams(vsftpd):
    with tls_session(vsftpd) as s:
        with s.open("big.bin") as stream:
            assert stream.size == len(BIG)          # vsftpd announces it in its 150
            buffer = bytearray(len(BIG))
            view = memoryview(buffer)
            got = 0
            while got < len(buffer):
                n = stream.readinto(view[got:])
                assert n > 0
                got += n
            assert stream.readinto(bytearray(10)) == 0
        assert buffer == BIG
        assert_protected(s.last_transfer, len(BIG))
        data = payload(100000, b"tls-stream")
        with s.open("streamed.bin", "wb") as stream:
            stream.write(data[:5000])
            stream.write(data[5000:])
        assert s.last_reply.startswith("226 ")
        assert s.last_transfer.tls_resumed is True
        # Closing a download early: ABOR in-band under TLS, session in step.
        stream = s.open("big.bin")
        stream.read(100)
        stream.close()
        assert s.pwd() == "/"
        sink = io.BytesIO()
        s.download("a.txt", sink)
        assert sink.getvalue() == b"hello\n"
    assert read_root(vsftpd, "streamed.bin") == data


def test_verification_is_on_by_default(vsftpd):
    mark = vsftpd.mark()
    s = ftpc.Session(tls="explicit", timeout=HANG_S)
    with pytest.raises(ftpc.TLSError) as info:
        s.connect(vsftpd.host, vsftpd.port)      # the test CA is in no system store
    assert isinstance(info.value, OSError)
    assert info.value.code == ftpc._lowlevel.FTP_E_TLS
    assert "not trusted" in info.value.message
    assert not s.connected
    # A CA that did not sign the server's certificate is no better.
    other_ca = os.path.join(os.path.dirname(vsftpd.ca_file), "selfsigned.pem")
    with pytest.raises(ftpc.TLSError):
        ftpc.Session(vsftpd.host, vsftpd.port, tls="explicit", ca_file=other_ca, timeout=HANG_S)
    rows = vsftpd.transcript_since(mark)
    assert rows.count("AUTH TLS") == 2
    assert not [row for row in rows if row.startswith(("USER", "PASS"))]


def test_insecure_skip_verify_connects(vsftpd):
    with tls_session(vsftpd, ca_file=None, insecure_skip_verify=True) as s:
        assert s.tls_version is not None
        sink = io.BytesIO()
        s.download("big.bin", sink)
        assert sink.getvalue() == BIG
        assert_protected(s.last_transfer, len(BIG))


def test_host_name_verified_by_dns_name(vsftpd):
    """The certificate names DNS:localhost too: connecting by that name
    verifies as well (and resolves to the server's loopback address)."""
    s = ftpc.Session("localhost", vsftpd.port, tls="explicit", ca_file=vsftpd.ca_file,
                     user=vsftpd.user, password=vsftpd.password, timeout=HANG_S)
    with s:
        assert s.peer_address == ("127.0.0.1", vsftpd.port)
        assert "a.txt" in s.nlst()
        assert s.last_transfer.tls_resumed is True


@pytest.mark.parametrize("options, version", [
    ({"tls_min_version": "1.3"}, "TLSv1.3"),
    ({"tls_max_version": "1.2"}, "TLSv1.2"),
    ({"tls_min_version": "1.2", "tls_max_version": "1.2"}, "TLSv1.2"),
])
def test_tls_versions(vsftpd, options, version):
    with tls_session(vsftpd, **options) as s:
        assert s.tls_version == version
        sink = io.BytesIO()
        s.download("big.bin", sink)
        assert sink.getvalue() == BIG
        assert_protected(s.last_transfer, len(BIG), version)
        data = payload(50000, version.encode())
        s.upload(io.BytesIO(data), "v.bin")
        assert_protected(s.last_transfer, len(data), version)
    assert read_root(vsftpd, "v.bin") == data


def test_protect_data_off_then_prot_p(vsftpd):
    with tls_session(vsftpd, protect_data=False) as s:
        # vsftpd forces TLS on data connections: a clear one is refused.
        with pytest.raises(ftpc.PermError) as info:
            s.download("a.txt", io.BytesIO())
        assert info.value.reply_code == 522
        assert s.prot_p().startswith("200 ")
        sink = io.BytesIO()
        s.download("a.txt", sink)
        assert sink.getvalue() == b"hello\n"
        assert s.last_transfer.tls_resumed is True


# --------------------------------------------------------------------------
# vsftpd, implicit FTPS


def test_implicit_ftps(vsftpd_implicit_server, tmp_path):
    server = vsftpd_implicit_server
    with tls_session(server, tls="implicit") as s:
        assert s.welcome.startswith("220 ")
        assert s.tls_version in ("TLSv1.2", "TLSv1.3")
        target = tmp_path / "big.bin"
        s.download("big.bin", target)
        assert sha256(target.read_bytes()) == sha256(BIG)
        assert_protected(s.last_transfer, len(BIG))
        data = payload(120000, b"implicit")
        s.upload(io.BytesIO(data), "implicit.bin")
        assert_protected(s.last_transfer, len(data))
    assert read_root(server, "implicit.bin") == data
    # Explicit FTPS against an implicit port: the server waits for a
    # ClientHello, the client for a banner; the deadline ends it.
    with pytest.raises(ftpc.TimeoutError):
        ftpc.Session(server.host, server.port, tls="explicit", ca_file=server.ca_file,
                     timeout=1)


# --------------------------------------------------------------------------
# The hostile server: bad certificates, refusals


@pytest.mark.parametrize("cert", ["wronghost", "expired", "selfsigned"])
def test_bad_certificate_refused_before_credentials(hostile_server, cert):
    server = hostile_server("tls cert %s\n" % cert, tls=True)
    s = ftpc.Session(tls="explicit", ca_file=server.ca_file, timeout=HANG_S)
    with pytest.raises(ftpc.TLSError):
        s.connect(server.host, server.port)
    assert not s.connected
    s.close()
    rows = server.transcript()
    assert rows[0] == "AUTH TLS"
    assert [row for row in rows if row.startswith("# tls handshake failed")], rows
    assert not [row for row in rows if row.startswith(("USER", "PASS"))]


def test_good_certificate_on_the_hostile_server(hostile_server):
    server = hostile_server("on RETR serve secret bytes\n", tls=True)
    with ftpc.Session(server.host, server.port, tls="explicit", ca_file=server.ca_file,
                      user="u", password="p", timeout=HANG_S) as s:
        blocks = []
        s.retrbinary("RETR x", blocks.append)
        assert b"".join(blocks) == b"secret bytes"
        assert s.last_transfer.tls_resumed is True
    rows = server.transcript()
    assert rows[:2] == ["AUTH TLS", "# tls handshake ok %s" % rows[1].split()[-1]]
    assert "PBSZ 0" in rows and "PROT P" in rows
    assert [row for row in rows if row.startswith("# data tls handshake ok") and row.endswith("resumed")]


def test_min_version_enforced(hostile_server):
    server = hostile_server("tls version 1.2\n", tls=True)
    with pytest.raises(ftpc.TLSError):
        ftpc.Session(server.host, server.port, tls="explicit", ca_file=server.ca_file,
                     tls_min_version="1.3", timeout=HANG_S)
    rows = server.transcript()
    assert not [row for row in rows if row.startswith(("USER", "PASS"))]


def test_auth_refused_explicit_fails_try_insecure_goes_on(hostile_server):
    server = hostile_server("on AUTH reply 502 no TLS here\n", tls=True)
    with pytest.raises(ftpc.TLSError):
        ftpc.Session(server.host, server.port, tls="explicit", ca_file=server.ca_file,
                     user="u", password="p", timeout=HANG_S)
    with ftpc.Session(server.host, server.port, tls="try-insecure", ca_file=server.ca_file,
                      user="u", password="p", timeout=HANG_S) as s:
        assert s.tls_version is None
        assert s.sendcmd("NOOP") == "200 ok"
    rows = server.transcript()
    # The explicit session sent no credentials; the try-insecure one did,
    # in clear text, as asked.
    assert rows == ["AUTH TLS", "AUTH TLS", "USER u", "PASS p", "NOOP", "QUIT",
                    "<2 control connections>"]
