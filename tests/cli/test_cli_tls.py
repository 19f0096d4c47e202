#!/usr/bin/python3
"""End-to-end tests of ftpc's FTPS: --tls, --tls-try, ftps:// and the
certificate options, against pyftpdlib's TLS handler and (implicit FTPS)
vsftpd, all started here on 127.0.0.1.

Usage: test_cli_tls.py PATH_TO_FTPC PATH_TO_FTPC_1   (meson runs it with
test_env, protocol tap; the second argument is the man page, whose FTPS
text is checked)

The certificates come from tests/servers/make_test_pki.py, made afresh in
this run's directory.  When `ftpc --version` says its libftpc was built
without TLS (-Dtls=disabled), the whole run is reported as skipped.
"""

import os
import re
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from cli_harness import (FTPC_RUN_TIMEOUT_S, Check, Ftpc, Listener, Server, ServerLog,
                         VsftpdServer, expect, expect_exit, ftps_available, make_work_dir,
                         remove_tree, required_env, run_tap, skip_all)

EXIT_OK, EXIT_USAGE, EXIT_NETWORK, EXIT_REFUSED, EXIT_LOCAL, EXIT_TLS = 0, 2, 3, 4, 5, 6

# "* control connection: TLSv1.3, cipher TLS_AES_256_GCM_SHA384, certificate verified"
CONTROL_LINE = re.compile(r"^\* control connection: (TLSv1\.[23]), cipher (\S+), "
                          r"certificate (verified|NOT verified \(--insecure\))$")
# "* data connection: EPSV 127.0.0.1:40001, 1234 bytes, TLSv1.3 TLS_AES_..., resumed: yes"
PROTECTED_DATA_LINE = re.compile(r"^\* data connection: (EPSV|PASV|EPRT|PORT) (\S+), "
                                 r"(\d+) bytes, (TLSv1\.[23]) (\S+), resumed: (yes|no)$")
CLEAR_DATA_LINE = re.compile(r"^\* data connection: (EPSV|PASV|EPRT|PORT) (\S+), "
                             r"(\d+) bytes, clear text \(not encrypted\)$")
INSECURE_WARNING = "ftpc: warning: --insecure:"
DOWNGRADE_WARNING = "ftpc: warning: the server refused AUTH TLS"


def run_script(script, *args):
    import subprocess
    python = required_env("FTPC_TEST_PYTHON")
    path = os.path.join(required_env("FTPC_TEST_SERVERS"), script)
    proc = subprocess.run([python, path] + list(args), stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=FTPC_RUN_TIMEOUT_S)
    if proc.returncode != 0:
        raise RuntimeError("%s failed: %s" % (script, proc.stderr.decode(errors="replace")))


class Context:
    def __init__(self, program, man_page):
        self.man_page = man_page
        self.work = make_work_dir("cli-tls")
        self.pki = os.path.join(self.work, "pki")
        self.root = os.path.join(self.work, "root")    # what the servers serve
        self.local = os.path.join(self.work, "local")  # ftpc's side
        self.home = os.path.join(self.work, "home")    # HOME for ftpc: no .netrc
        for d in (self.root, self.local, self.home):
            os.mkdir(d)
        run_script("make_test_pki.py", self.pki)
        self.ca = self.pem("ca")
        self.ftpc = Ftpc(program, self.home)
        self.servers = []
        # The explicit-FTPS server most cases use: TLS required for the login
        # and for every data connection, its protocol log kept.
        log_path = os.path.join(self.work, "tls-server.log")
        self.server = self.start_server("server", "--log", log_path)
        self.log = ServerLog(log_path)

    def pem(self, name):
        return os.path.join(self.pki, name + ".pem")

    def start_server(self, cert=None, *args):
        """A pyftpdlib server on self.root; with `cert` (a name from the
        PKI), explicit FTPS with that certificate."""
        tls = []
        if cert is not None:
            tls = ["--tls-cert", self.pem(cert), "--tls-key", os.path.join(self.pki, cert + ".key")]
        server = Server(self.root, args=tls + list(args))
        self.servers.append(server)
        return server

    def stop_server(self, server):
        server.stop()
        self.servers.remove(server)

    def case_dir(self, name):
        """A fresh directory for one case: (path on the server, path on disk)."""
        os.mkdir(os.path.join(self.root, name))
        os.mkdir(os.path.join(self.local, name))
        return name, os.path.join(self.root, name)

    def url(self, path="", **kw):
        return self.server.url(path, **kw)

    def run(self, *args, **kw):
        return self.ftpc.run(*args, **kw)

    def verified(self, *args, **kw):
        """ftpc with explicit FTPS required and the test CA trusted."""
        return self.ftpc.run("--tls", "--cacert", self.ca, *args, **kw)


def write_file(path, data):
    with open(path, "wb") as f:
        f.write(data)


def read_file(path):
    with open(path, "rb") as f:
        return f.read()


def trace_lines(result, pattern):
    return [m for m in (pattern.match(l) for l in result.stderr.splitlines()) if m]


def expect_control_tls(result, version=None):
    """The -v line on the control connection's TLS; returns its match."""
    found = trace_lines(result, CONTROL_LINE)
    expect(len(found) == 1, "expected one '* control connection: TLS...' line", result)
    if version is not None:
        expect(found[0].group(1) == version, "control connection not %s" % version, result)
    return found[0]


def expect_protected_transfer(result, nbytes=None, version=None):
    """The -v line on the one data connection: protected, and resumed."""
    found = trace_lines(result, PROTECTED_DATA_LINE)
    expect(len(found) == 1, "expected one protected '* data connection:' line", result)
    line = found[0]
    expect(line.group(6) == "yes", "the data connection did not resume the TLS session",
           result)
    if nbytes is not None:
        expect(int(line.group(3)) == nbytes, "the data line counts %s bytes, not %d"
               % (line.group(3), nbytes), result)
    if version is not None:
        expect(line.group(4) == version, "the data connection is not %s" % version, result)
    return line


def expect_trace_order(result, *commands):
    """Each command appears as '> COMMAND' in the -v trace, in this order."""
    sent = [l[2:] for l in result.stderr.splitlines() if l.startswith("> ")]
    position = 0
    for command in commands:
        matches = [i for i in range(position, len(sent)) if sent[i].startswith(command)]
        expect(matches, "'> %s' missing or out of order in the trace" % command, result)
        position = matches[0] + 1


def expect_one_error_line(result, needle=None):
    expect(result.stderr.startswith("ftpc: ") and result.stderr.count("\n") == 1,
           "the error should be one 'ftpc: ' line", result)
    if needle is not None:
        expect(needle in result.stderr.lower(), "the error does not mention %r" % needle, result)


def expect_no_login_attempt(log_text, result):
    """pyftpdlib logs each command it receives as '<- VERB ...'."""
    expect("<- AUTH TLS" in log_text, "the server never saw AUTH TLS:\n" + log_text, result)
    expect("<- USER" not in log_text and "<- PASS" not in log_text,
           "USER/PASS reached the server:\n" + log_text, result)


# --------------------------------------------------------------------------
# Explicit FTPS (--tls) with verification


def explicit_tls_round_trip_resumes_every_data_connection(ctx):
    remote, disk = ctx.case_dir("roundtrip")
    data = os.urandom(1000003)
    src = os.path.join(ctx.local, "roundtrip", "up.bin")
    write_file(src, data)

    r = ctx.verified("-v", "put", src, ctx.url(remote + "/up.bin"))
    expect_exit(r, EXIT_OK)
    expect(read_file(os.path.join(disk, "up.bin")) == data, "uploaded bytes differ", r)
    expect_trace_order(r, "AUTH TLS", "USER", "PASS", "PBSZ 0", "PROT P", "STOR")
    expect_control_tls(r)
    expect_protected_transfer(r, nbytes=len(data))

    r = ctx.verified("-v", "ls", ctx.url(remote))
    expect_exit(r, EXIT_OK)
    expect(r.stdout.decode().rstrip("\n").endswith(" up.bin"), "LIST output", r)
    expect_protected_transfer(r)
    r = ctx.verified("-v", "-1", "ls", ctx.url(remote))
    expect_exit(r, EXIT_OK)
    expect([os.path.basename(n) for n in r.stdout.decode().splitlines()] == ["up.bin"],
           "NLST output", r)
    expect_protected_transfer(r)

    dest = os.path.join(ctx.local, "roundtrip", "down.bin")
    r = ctx.verified("-v", "get", ctx.url(remote + "/up.bin"), dest)
    expect_exit(r, EXIT_OK)
    expect(read_file(dest) == data, "downloaded bytes differ", r)
    expect_protected_transfer(r, nbytes=len(data))

    # Active mode: the server connects, ftpc still runs the TLS client side.
    r = ctx.verified("-v", "--active", "cat", ctx.url(remote + "/up.bin"))
    expect_exit(r, EXIT_OK)
    expect(r.stdout == data, "active-mode download differs", r)
    line = expect_protected_transfer(r, nbytes=len(data))
    expect(line.group(1) in ("EPRT", "PORT"), "active mode reported as %s" % line.group(1), r)


def tls_versions_can_be_chosen(ctx):
    remote, disk = ctx.case_dir("versions")
    data = os.urandom(70001)
    write_file(os.path.join(disk, "v.bin"), data)
    for version, options in (("TLSv1.2", ["--tls-max", "1.2"]),
                             ("TLSv1.3", ["--tls-min", "1.3"]),
                             ("TLSv1.2", ["--tls-min", "1.2", "--tls-max", "1.2"])):
        r = ctx.verified("-v", *options, "cat", ctx.url(remote + "/v.bin"))
        expect_exit(r, EXIT_OK)
        expect(r.stdout == data, "download with %s differs" % " ".join(options), r)
        expect_control_tls(r, version)
        expect_protected_transfer(r, nbytes=len(data), version=version)


def host_name_is_checked_against_the_certificate(ctx):
    """The server's certificate names localhost, 127.0.0.1 and ::1: each
    works as the URL's host (wrong names: bad_certificates_fail_before_user)."""
    r = ctx.verified("pwd", ctx.url().replace("127.0.0.1", "localhost"))
    expect_exit(r, EXIT_OK)
    expect(r.stdout == b"/\n", "pwd over TLS via localhost", r)
    tls = ["--tls-cert", ctx.pem("server"), "--tls-key", os.path.join(ctx.pki, "server.key")]
    server6 = Server(ctx.root, host="::1", args=tls)
    ctx.servers.append(server6)
    try:
        r = ctx.verified("-v", "ls", server6.url())
    finally:
        ctx.stop_server(server6)
    expect_exit(r, EXIT_OK)
    expect_control_tls(r)
    line = expect_protected_transfer(r)
    expect(line.group(2).startswith("[::1]:"), "the data peer is not [::1]", r)


def untrusted_certificate_fails_before_user(ctx):
    """Without --cacert the test CA is unknown: exit 6, and the password
    never leaves: the server saw AUTH TLS and nothing after it."""
    ctx.log.skip_to_end()
    r = ctx.run("--tls", "ls", ctx.url())
    expect_exit(r, EXIT_TLS)
    expect_one_error_line(r, "certificate")
    expect_no_login_attempt(ctx.log.new_text(), r)
    r = ctx.run("-v", "--tls", "ls", ctx.url())
    expect_exit(r, EXIT_TLS)
    expect("> USER" not in r.stderr, "USER was sent", r)
    expect(not trace_lines(r, CONTROL_LINE), "a TLS session was reported", r)


def bad_certificates_fail_before_user(ctx):
    """Expired, issued for another host, or self-signed: exit 6, no login."""
    for cert in ("expired", "wronghost", "selfsigned"):
        log_path = os.path.join(ctx.work, "%s.log" % cert)
        server = ctx.start_server(cert, "--log", log_path)
        try:
            r = ctx.verified("ls", server.url())
            expect_exit(r, EXIT_TLS)
            expect_one_error_line(r)
            log = ServerLog(log_path)
            expect_no_login_attempt(log.new_text(), r)
        except Check as failure:
            raise Check("with the %s certificate: %s" % (cert, failure))
        finally:
            ctx.stop_server(server)


def insecure_accepts_a_self_signed_certificate(ctx):
    remote, disk = ctx.case_dir("insecure")
    write_file(os.path.join(disk, "i.txt"), b"self-signed\n")
    server = ctx.start_server("selfsigned")
    try:
        r = ctx.run("--tls", "--insecure", "cat", server.url(remote + "/i.txt"))
        expect_exit(r, EXIT_OK)
        expect(r.stdout == b"self-signed\n", "download with --insecure differs", r)
        expect(r.stderr.count(INSECURE_WARNING) == 1 and r.stderr.count("\n") == 1,
               "expected exactly one warning line that verification is off", r)
        r = ctx.run("-v", "--tls", "--insecure", "cat", server.url(remote + "/i.txt"))
        expect_exit(r, EXIT_OK)
        expect(expect_control_tls(r).group(3) == "NOT verified (--insecure)",
               "-v does not say the certificate went unverified", r)
        expect(r.stderr.count(INSECURE_WARNING) == 1, "the warning is not printed once", r)
        expect_protected_transfer(r)
    finally:
        ctx.stop_server(server)


def client_certificate_is_presented(ctx):
    remote, disk = ctx.case_dir("clientcert")
    write_file(os.path.join(disk, "c.txt"), b"for certified clients\n")
    server = ctx.start_server("server", "--tls-client-ca", ctx.ca)
    try:
        key = os.path.join(ctx.pki, "client.key")
        r = ctx.verified("-v", "--cert", ctx.pem("client"), "--key", key, "cat",
                         server.url(remote + "/c.txt"))
        expect_exit(r, EXIT_OK)
        expect(r.stdout == b"for certified clients\n", "download with a client cert", r)
        expect_protected_transfer(r)
        # Without one the server ends the handshake with an alert: during it
        # under TLS 1.2, just after it under TLS 1.3, where the alert may
        # arrive before or after USER leaves: a few tries meet both orders,
        # and each must be a TLS failure.
        for version, tries in (("1.2", 1), ("1.3", 5)):
            for _ in range(tries):
                r = ctx.verified("--tls-min", version, "--tls-max", version, "cat",
                                 server.url(remote + "/c.txt"))
                expect_exit(r, EXIT_TLS)
                expect_one_error_line(r)
    finally:
        ctx.stop_server(server)


def no_prot_keeps_data_connections_in_clear(ctx):
    remote, disk = ctx.case_dir("noprot")
    data = os.urandom(30000)
    write_file(os.path.join(disk, "n.bin"), data)
    server = ctx.start_server("server", "--tls-data-optional")
    try:
        r = ctx.verified("-v", "--no-prot", "cat", server.url(remote + "/n.bin"))
    finally:
        ctx.stop_server(server)
    expect_exit(r, EXIT_OK)
    expect(r.stdout == data, "--no-prot download differs", r)
    expect_control_tls(r)
    expect("> PROT P" not in r.stderr and "> PBSZ" not in r.stderr,
           "PBSZ/PROT sent despite --no-prot", r)
    expect(len(trace_lines(r, CLEAR_DATA_LINE)) == 1, "no clear-text data line", r)
    # A server that insists on protected data refuses the data connection.
    r = ctx.verified("--no-prot", "cat", ctx.url(remote + "/n.bin"))
    expect_exit(r, EXIT_REFUSED)


# --------------------------------------------------------------------------
# --tls-try, and --tls against a server without TLS


def tls_try_goes_on_in_clear_against_a_plain_server(ctx):
    remote, disk = ctx.case_dir("try")
    write_file(os.path.join(disk, "t.txt"), b"in the clear\n")
    log_path = os.path.join(ctx.work, "plain.log")
    plain = ctx.start_server(None, "--log", log_path)
    try:
        r = ctx.run("-v", "--tls-try", "cat", plain.url(remote + "/t.txt"))
        expect_exit(r, EXIT_OK)
        expect(r.stdout == b"in the clear\n", "--tls-try download differs", r)
        expect(r.stderr.count(DOWNGRADE_WARNING) == 1, "no warning that TLS was refused", r)
        expect_trace_order(r, "AUTH TLS", "USER", "PASS", "RETR")
        expect("> PBSZ" not in r.stderr and "> PROT" not in r.stderr,
               "PBSZ/PROT sent on a clear-text session", r)
        expect(not trace_lines(r, CONTROL_LINE), "a TLS session was reported", r)
        expect(len(trace_lines(r, CLEAR_DATA_LINE)) == 1, "no clear-text data line", r)

        # --tls refuses to go on: exit 6, and the password never leaves.
        log = ServerLog(log_path)
        log.skip_to_end()
        r = ctx.run("--tls", "cat", plain.url(remote + "/t.txt"))
        expect_exit(r, EXIT_TLS)
        expect_one_error_line(r)
        expect_no_login_attempt(log.new_text(), r)
    finally:
        ctx.stop_server(plain)


def tls_try_uses_tls_when_offered(ctx):
    r = ctx.run("-v", "--tls-try", "--cacert", ctx.ca, "ls", ctx.url())
    expect_exit(r, EXIT_OK)
    expect(DOWNGRADE_WARNING not in r.stderr, "a downgrade warning without a downgrade", r)
    expect_control_tls(r)
    expect_protected_transfer(r)


# --------------------------------------------------------------------------
# Implicit FTPS (ftps://): pyftpdlib has none, vsftpd does


def implicit_ftps_url_round_trip(ctx):
    root = os.path.join(ctx.work, "vsftpd-root")
    os.mkdir(root)
    server = VsftpdServer(root, ctx.work, scheme="ftps",
                          args=["--tls-cert", ctx.pem("server"),
                                "--tls-key", os.path.join(ctx.pki, "server.key"),
                                "--implicit"])
    ctx.servers.append(server)
    try:
        data = os.urandom(500001)
        src = os.path.join(ctx.local, "implicit.bin")
        write_file(src, data)
        r = ctx.run("-v", "--cacert", ctx.ca, "put", src, server.url("implicit.bin"))
        expect_exit(r, EXIT_OK)
        expect("> AUTH" not in r.stderr, "AUTH sent on an implicit FTPS connection", r)
        expect_control_tls(r)
        expect_protected_transfer(r, nbytes=len(data))
        expect_trace_order(r, "USER", "PASS", "PBSZ 0", "PROT P", "STOR")
        expect(read_file(os.path.join(root, "implicit.bin")) == data, "uploaded bytes differ", r)

        r = ctx.run("-v", "--cacert", ctx.ca, "ls", server.url())
        expect_exit(r, EXIT_OK)
        expect(b"implicit.bin" in r.stdout, "LIST over implicit FTPS", r)
        expect_protected_transfer(r)

        r = ctx.run("-v", "--cacert", ctx.ca, "cat", server.url("implicit.bin"))
        expect_exit(r, EXIT_OK)
        expect(r.stdout == data, "implicit FTPS download differs", r)
        expect_protected_transfer(r, nbytes=len(data))

        # --tls is redundant with ftps:// (still implicit); no CA: exit 6.
        r = ctx.run("--tls", "--cacert", ctx.ca, "pwd", server.url())
        expect_exit(r, EXIT_OK)
        r = ctx.run("pwd", server.url())
        expect_exit(r, EXIT_TLS)
        expect_one_error_line(r)
    finally:
        ctx.stop_server(server)


# --------------------------------------------------------------------------
# Usage


def tls_usage_errors_exit_before_contact(ctx):
    listener = Listener()
    try:
        plain = "ftp://127.0.0.1:%d/" % listener.port
        ftps = "ftps://127.0.0.1:%d/" % listener.port
        missing = os.path.join(ctx.work, "no-such.pem")
        usage = (["--tls", "--tls-try", "ls", plain],
                 ["--tls-try", "ls", ftps],
                 ["--cacert", ctx.ca, "ls", plain],
                 ["--insecure", "ls", plain],
                 ["--no-prot", "ls", plain],
                 ["--tls-min", "1.3", "ls", plain],
                 ["--tls", "--tls-min", "1.1", "ls", plain],
                 ["--tls", "--tls-max", "1.4", "ls", plain],
                 ["--tls", "--tls-min", "1.3", "--tls-max", "1.2", "ls", plain],
                 ["--tls", "--key", ctx.ca, "ls", plain],
                 ["--tls", "--insecure", "--cacert", ctx.ca, "ls", plain],
                 ["--tls", "--cacert"],
                 ["ls", "ftpx://127.0.0.1:%d/" % listener.port])
        for args in usage:
            r = ctx.run(*args)
            expect_exit(r, EXIT_USAGE)
            expect_one_error_line(r)
        local = (["--tls", "--cacert", missing, "ls", plain],
                 ["--cacert", missing, "ls", ftps],
                 ["--tls", "--capath", ctx.ca, "ls", plain],
                 ["--tls", "--cacert", ctx.pki, "ls", plain],
                 ["--tls", "--cert", missing, "ls", plain],
                 ["--tls", "--cert", ctx.pem("client"), "--key", missing, "ls", plain])
        for args in local:
            r = ctx.run(*args)
            expect_exit(r, EXIT_LOCAL)
            expect_one_error_line(r)
        expect(not listener.was_contacted(), "a refused command line contacted the server")
    finally:
        listener.close()


def help_and_man_page_describe_ftps(ctx):
    r = ctx.run("--help")
    expect_exit(r, EXIT_OK)
    text = r.stdout.decode()
    for needle in ("ftps://", "--tls ", "--tls-try", "DOWNGRADE", "CLEAR TEXT", "--cacert",
                   "--capath", "--cert", "--key", "--insecure", "--tls-min", "--tls-max",
                   "--no-prot", "resumed", "\n  6  TLS"):
        expect(needle in text, "--help lacks %r" % needle, r)
    r = ctx.run("--version")
    expect(r.rc == 0 and b"\nFTPS: available\n" in r.stdout, "--version on FTPS", r)
    with open(ctx.man_page) as f:
        man = f.read()
    for needle in ("ftps://", "\\-\\-tls\\-try", "downgrade", "\\-\\-insecure", "\\-\\-cacert",
                   "resumed", ".B 6\n"):
        expect(needle in man, "the man page lacks %r" % needle)


CASES = [
    explicit_tls_round_trip_resumes_every_data_connection,
    tls_versions_can_be_chosen,
    host_name_is_checked_against_the_certificate,
    untrusted_certificate_fails_before_user,
    bad_certificates_fail_before_user,
    insecure_accepts_a_self_signed_certificate,
    client_certificate_is_presented,
    no_prot_keeps_data_connections_in_clear,
    tls_try_goes_on_in_clear_against_a_plain_server,
    tls_try_uses_tls_when_offered,
    implicit_ftps_url_round_trip,
    tls_usage_errors_exit_before_contact,
    help_and_man_page_describe_ftps,
]


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: test_cli_tls.py PATH_TO_FTPC PATH_TO_FTPC_1")
    program = os.path.abspath(argv[1])
    man_page = os.path.abspath(argv[2])
    if not ftps_available(program):
        return skip_all("libftpc was built without TLS (-Dtls=disabled)")

    def setup():
        return Context(program, man_page)

    def teardown(ctx, passed):
        for server in list(ctx.servers):
            ctx.stop_server(server)
        if passed:  # keep the evidence when something failed
            remove_tree(ctx.work)
        else:
            print("# files kept in %s" % ctx.work)

    return run_tap(CASES, setup, teardown)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
