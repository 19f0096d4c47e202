"""Helpers for the ftpc.Session suites (test_session.py, test_errors.py,
test_threads.py, test_interrupt.py, test_tls.py).

The servers themselves come from conftest.py / servers.py (pyftpdlib,
vsftpd, the hostile scripted server, the test PKI); this module only adds
what those suites need on top:

  logged_in(server, **options)   an ftpc.Session connected and logged in
  sha256(data)                   hex digest
  payload(size, seed)            deterministic incompressible bytes
  LowlevelSpy                    records which ftpc._lowlevel functions a
                                 Session method called (the fd path
                                 ftp_retr_fd/ftp_stor_fd versus the Python
                                 path ftp_retrbinary/ftp_storbinary)
  wait_for_row(hostile, row)     waits until the hostile server's transcript
                                 holds a row (the command reached it)
  CallInThread                   runs one call in a thread, keeps its result
                                 or exception
  GilProbeServer                 a tiny FTP server running in a *Python
                                 thread* of the test process: it can only
                                 answer while the GIL is free, so a call
                                 that gets its reply proves the GIL was
                                 released while the call waited
  ChildProcess                   a child /usr/bin/python3 whose stdout lines
                                 are read with deadlines
  vsftpd_implicit_server         fixture: vsftpd with implicit FTPS
"""

import hashlib
import os
import select
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

import ftpc
import servers

# A deadline for everything a test waits on that "should be instant": far
# above any normal latency, so only a real hang trips it.
HANG_S = 30.0


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def payload(size, seed=b"session"):
    return servers.pseudo_random_bytes(size, seed)


def logged_in(server, **options):
    """A Session connected to @server and logged in with its account."""
    options.setdefault("timeout", HANG_S)
    return ftpc.Session(server.host, server.port, user=server.user, password=server.password,
                        **options)


# --------------------------------------------------------------------------
# Which low-level function ran


class LowlevelSpy:
    """Wraps functions of ftpc._lowlevel (which ftpc.Session looks up at
    call time) to record the names called, in order."""

    def __init__(self, monkeypatch, *names):
        self.calls = []
        low = ftpc._lowlevel
        for name in names:
            original = getattr(low, name)

            def wrapper(*args, _name=name, _original=original):
                self.calls.append(_name)
                return _original(*args)

            monkeypatch.setattr(low, name, wrapper)

    def clear(self):
        del self.calls[:]


# --------------------------------------------------------------------------
# The hostile server's transcript, while a client is still connected


def transcript_rows(hostile):
    try:
        return Path(hostile.transcript_path).read_text(errors="replace").splitlines()
    except FileNotFoundError:
        return []


def wait_for_row(hostile, row, timeout=HANG_S):
    """Waits until @row is in the hostile server's transcript (the server
    received that command); fails the test after @timeout."""
    deadline = time.monotonic() + timeout
    while row not in transcript_rows(hostile):
        if time.monotonic() > deadline:
            pytest.fail("the hostile server never received %r; transcript: %r"
                        % (row, transcript_rows(hostile)))
        if not hostile.proc.running():
            pytest.fail("the hostile server exited: %s" % hostile.proc.stderr_text())
        time.sleep(0.01)


def wait_for_connections(hostile, count, timeout=HANG_S):
    deadline = time.monotonic() + timeout
    while hostile.connections() < count:
        if time.monotonic() > deadline:
            pytest.fail("the hostile server saw %d control connections, not %d"
                        % (hostile.connections(), count))
        time.sleep(0.01)


# --------------------------------------------------------------------------
# Threads


class CallInThread:
    """Runs fn(*args) in a new thread; .join() returns its result or raises
    its exception."""

    def __init__(self, fn, *args):
        self.result = None
        self.error = None
        self.started_at = None
        self.ended_at = None
        self.thread = threading.Thread(target=self._run, args=(fn, args), daemon=True)
        self.thread.start()

    def _run(self, fn, args):
        self.started_at = time.monotonic()
        try:
            self.result = fn(*args)
        except BaseException as e:  # noqa: B902 - handed to the test
            self.error = e
        finally:
            self.ended_at = time.monotonic()

    def join(self, timeout=HANG_S):
        self.thread.join(timeout)
        if self.thread.is_alive():
            pytest.fail("the call in the other thread did not return within %s s" % timeout)
        if self.error is not None:
            raise self.error
        return self.result


class GilProbeServer:
    """An FTP server that runs in a Python thread of this process, on
    127.0.0.1.  It sends a banner, answers USER/PASS, and answers NOOP only
    after counting to @work in pure Python ("200 counted N").  It needs the
    GIL for every step, so a client call blocked in C that holds the GIL
    would never get an answer (and would end with a timeout)."""

    def __init__(self, work=200000):
        self.work = work
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(4)
        self.listener.settimeout(HANG_S)
        self.host, self.port = "127.0.0.1", self.listener.getsockname()[1]
        self.user, self.password = "probe", "probe"
        self.served = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        try:
            conn, _ = self.listener.accept()
        except OSError:
            return
        with conn:
            conn.settimeout(HANG_S)
            conn.sendall(b"220 probe ready\r\n")
            buffer = b""
            while True:
                while b"\n" not in buffer:
                    try:
                        piece = conn.recv(4096)
                    except OSError:
                        return
                    if not piece:
                        return
                    buffer += piece
                line, buffer = buffer.split(b"\n", 1)
                verb = line.strip().split(b" ")[0].upper()
                self.served.append(verb.decode("ascii", "replace"))
                if verb == b"USER":
                    reply = b"331 password"
                elif verb == b"PASS":
                    reply = b"230 in"
                elif verb == b"NOOP":
                    count = 0
                    while count < self.work:
                        count += 1
                    reply = b"200 counted %d" % count
                elif verb == b"QUIT":
                    conn.sendall(b"221 bye\r\n")
                    return
                else:
                    reply = b"502 no"
                try:
                    conn.sendall(reply + b"\r\n")
                except OSError:
                    return

    def stop(self):
        self.listener.close()
        self.thread.join(timeout=5)


# --------------------------------------------------------------------------
# Child processes


def child_env():
    """The environment for a child interpreter that must import the same
    ftpc package (and find the same servers) as this process."""
    env = dict(os.environ)
    package_parent = str(Path(ftpc.__file__).resolve().parents[1])
    tests_dir = str(Path(__file__).resolve().parent)
    parts = [package_parent, tests_dir] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join(parts)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONUNBUFFERED"] = "1"
    return env


class ChildProcess:
    """A child Python (Debian's /usr/bin/python3, as the launchers use)
    running @code with @args; .expect(prefix) reads stdout lines until one
    starts with @prefix, within a deadline."""

    def __init__(self, code, *args, workdir):
        self.script = Path(workdir) / "child.py"
        self.script.write_text(code)
        self.stderr_path = Path(workdir) / "child.stderr"
        self._stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen([servers.test_python(), str(self.script)] + [str(a) for a in args],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=self._stderr, env=child_env())
        self.lines = []
        self._pending = b""

    def stderr_text(self):
        try:
            return self.stderr_path.read_text(errors="replace")
        except OSError:
            return ""

    def _fail(self, why):
        self.kill()
        pytest.fail("%s\n  child stdout so far: %r\n  child stderr: %s"
                    % (why, self.lines, self.stderr_text()), pytrace=False)

    def readline(self, timeout=HANG_S):
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._pending:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                self._fail("no line from the child within %s s" % timeout)
            piece = os.read(fd, 4096)
            if not piece:
                self._fail("the child exited (status %s) early" % self.proc.wait())
            self._pending += piece
        line, self._pending = self._pending.split(b"\n", 1)
        text = line.decode("utf-8", "replace")
        self.lines.append(text)
        return text

    def expect(self, prefix, timeout=HANG_S):
        """The next line that starts with @prefix (earlier ones are kept in
        .lines); its words after the prefix."""
        while True:
            line = self.readline(timeout)
            if line.startswith(prefix):
                return line[len(prefix):].split()

    def signal(self, signum=signal.SIGINT):
        self.proc.send_signal(signum)

    def wait(self, timeout=HANG_S):
        try:
            status = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self._fail("the child did not exit within %s s" % timeout)
        rest = self.proc.stdout.read()
        self._pending += rest
        for line in self._pending.decode("utf-8", "replace").splitlines():
            self.lines.append(line)
        self._pending = b""
        return status

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()

    def close(self):
        self.kill()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self._stderr.close()


# --------------------------------------------------------------------------
# vsftpd with implicit FTPS


_dirs = iter(range(1, 1 << 30))


def _new_dir(scratch, tag):
    path = Path(scratch) / ("session-%s-%d-%d" % (tag, os.getpid(), next(_dirs)))
    path.mkdir(parents=True)
    return path


@pytest.fixture(scope="module")
def vsftpd_implicit_server(request, ftpc_scratch, test_pki):
    """vsftpd with implicit FTPS (TLS from the first byte, --implicit), the
    test certificate, require_ssl_reuse=YES; .ca_file is the test CA."""
    root = _new_dir(ftpc_scratch, "vsftpd-implicit-root")
    server = servers.VsftpdServer(root, _new_dir(ftpc_scratch, "vsftpd-implicit"), ftpc_scratch,
                                  tls=True, cert=test_pki.cert("server"), key=test_pki.key("server"),
                                  extra_args=["--implicit"])
    request.addfinalizer(server.stop)
    servers.populate_tree(server.root, servers.STANDARD_TREE)
    server.ca_file = str(test_pki.ca)
    return server


__all__ = [
    "HANG_S", "sha256", "payload", "logged_in", "LowlevelSpy", "transcript_rows",
    "wait_for_row", "wait_for_connections", "CallInThread", "GilProbeServer", "child_env",
    "ChildProcess", "vsftpd_implicit_server",
]
