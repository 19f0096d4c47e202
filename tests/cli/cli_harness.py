"""What the ftpc command-line tests stand on: a pyftpdlib server, a way to
run the ftpc program, a listener that proves nothing was contacted, and a
minimal TAP reporter (meson runs the tests with protocol: 'tap').

Standard library only: it runs under Debian's /usr/bin/python3.
"""

import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
from urllib.parse import quote

SERVER_START_TIMEOUT_S = 20
FTPC_RUN_TIMEOUT_S = 60

USER = "alice"         # the account tests/servers/pyftpdlib_server.py creates
PASSWORD = "s3cret"


def required_env(name):
    """meson's test_env provides these; running without it is a usage error."""
    value = os.environ.get(name)
    if not value:
        sys.exit("cli tests: %s is not set; run them with `meson test --suite cli`" % name)
    return value


class Server:
    """A server launcher from tests/servers (pyftpdlib_server.py unless told
    otherwise) serving `root`, started on demand; `args` are the launcher's
    extra options (--tls-cert, --log, ...)."""

    def __init__(self, root, host="127.0.0.1", args=(), script="pyftpdlib_server.py",
                 scheme="ftp"):
        self.root = root
        self.host = host
        self.scheme = scheme
        self.user, self.password = USER, PASSWORD
        path = os.path.join(required_env("FTPC_TEST_SERVERS"), script)
        python = required_env("FTPC_TEST_PYTHON")
        self.name = script
        self.proc = subprocess.Popen([python, path, "--root", root, "--host", host] + list(args),
                                     stdout=subprocess.PIPE)
        self.port = self._read_ready_line()

    def _read_ready_line(self):
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        line = b""
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.proc.stdout], [], [], left)[0]:
                self.stop()
                raise RuntimeError("%s printed no READY line in %d s"
                                   % (self.name, SERVER_START_TIMEOUT_S))
            chunk = os.read(self.proc.stdout.fileno(), 256)
            if not chunk:
                self.stop()
                raise RuntimeError("%s exited before it was ready" % self.name)
            line += chunk
        words = line.split()
        if len(words) != 2 or words[0] != b"READY":
            self.stop()
            raise RuntimeError("unexpected first line from %s: %r" % (self.name, line))
        return int(words[1])

    def url(self, path="", user=USER, password=PASSWORD):
        """SCHEME://user:password@host:port/path (path given already encoded).
        USER/PASSWORD stand for this server's own account."""
        if user == USER:
            user = quote(self.user, safe="")
        if password == PASSWORD:
            password = quote(self.password, safe="")
        host = "[%s]" % self.host if ":" in self.host else self.host
        auth = ""
        if user is not None:
            auth = user + (":" + password if password is not None else "") + "@"
        return "%s://%s%s:%d/%s" % (self.scheme, auth, host, self.port, path)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()


class VsftpdServer(Server):
    """tests/servers/vsftpd_server.py (needs root): its account is a system
    user with a random password, which the launcher writes to a file."""

    def __init__(self, root, work, args=(), scheme="ftp"):
        credentials = os.path.join(work, "vsftpd-credentials-%d" % os.getpid())
        super().__init__(root, args=["--credentials", credentials] + list(args),
                         script="vsftpd_server.py", scheme=scheme)
        with open(credentials) as f:
            self.user, self.password = f.read().split("\n")[:2]
        os.remove(credentials)


class ServerLog:
    """A server's --log file, read from where the last look stopped: what
    the server logged while one ftpc command ran."""

    def __init__(self, path):
        self.path = path
        self.offset = 0

    def skip_to_end(self):
        self.offset = os.path.getsize(self.path) if os.path.exists(self.path) else 0

    def new_text(self):
        with open(self.path, "rb") as f:
            f.seek(self.offset)
            data = f.read()
        self.offset += len(data)
        return data.decode("utf-8", "replace")


class Result:
    def __init__(self, args, proc):
        self.args = args
        self.rc = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr.decode("utf-8", "replace")

    def describe(self):
        return "ftpc %s\n  exit %d\n  stdout %r\n  stderr %r" % (
            " ".join(self.args), self.rc, self.stdout[:300], self.stderr[-600:])


class Ftpc:
    """Runs the ftpc program with a controlled HOME and no NETRC, so the
    user's own ~/.netrc never takes part unless a test puts one there."""

    def __init__(self, program, home):
        self.program = program
        self.home = home

    def run(self, *args, stdin=None, cwd=None, env_extra=None):
        env = dict(os.environ)
        env.pop("NETRC", None)
        env["HOME"] = self.home
        env.update(env_extra or {})
        # Under `meson test --setup=valgrind` the program runs under memcheck.
        wrapper = [os.environ["FTPC_TEST_WRAPPER"]] if os.environ.get("FTPC_TEST_WRAPPER") else []
        proc = subprocess.run(wrapper + [self.program] + list(args), input=stdin, cwd=cwd, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=FTPC_RUN_TIMEOUT_S)
        return Result(list(args), proc)


class Listener:
    """A listening socket on 127.0.0.1 that nobody should connect to: after
    ftpc exits, a pending connection would show that it contacted it."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]

    def was_contacted(self):
        self.sock.setblocking(False)
        try:
            conn, _ = self.sock.accept()
        except BlockingIOError:
            return False
        conn.close()
        return True

    def close(self):
        self.sock.close()


class ClosedPort:
    """A port bound on 127.0.0.1 but not listening: connecting is refused,
    and since the socket stays bound no other test can take the port."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]

    def close(self):
        self.sock.close()


class Check(Exception):
    pass


def expect(condition, message, result=None):
    if not condition:
        if result is not None:
            message += "\n" + result.describe()
        raise Check(message)


def expect_exit(result, code):
    expect(result.rc == code, "expected exit status %d" % code, result)


def make_work_dir(tag):
    base = required_env("FTPC_TEST_TMP")
    os.makedirs(base, exist_ok=True)
    return tempfile.mkdtemp(prefix="%s-%d-" % (tag, os.getpid()), dir=base)


def run_tap(cases, setup, teardown):
    """Runs every case(context) and prints TAP; returns the exit status."""
    print("1..%d" % len(cases), flush=True)
    try:
        context = setup()
    except Exception:  # the server could not start: every case fails
        for number, case in enumerate(cases, 1):
            print("not ok %d - %s # setup failed" % (number, case.__name__))
        for line in traceback.format_exc().splitlines():
            print("# " + line)
        return 1
    failures = 0
    try:
        for number, case in enumerate(cases, 1):
            try:
                case(context)
                print("ok %d - %s" % (number, case.__name__), flush=True)
            except Exception as exc:
                failures += 1
                print("not ok %d - %s" % (number, case.__name__))
                detail = str(exc) if isinstance(exc, Check) else traceback.format_exc()
                for line in detail.splitlines():
                    print("# " + line)
                sys.stdout.flush()
    finally:
        teardown(context, failures == 0)
    return 1 if failures else 0


def remove_tree(path):
    shutil.rmtree(path, ignore_errors=True)


def skip_all(reason):
    """TAP for a run that cannot apply here (meson reports it as SKIP)."""
    print("1..0 # SKIP %s" % reason, flush=True)
    return 0


def ftps_available(program):
    """What `ftpc --version` says: whether its libftpc was built with TLS.
    ftpc asks the library itself (ftp_set_tls_mode() answering
    FTP_E_UNSUPPORTED), so this is the build's own answer."""
    proc = subprocess.run([program, "--version"], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, timeout=FTPC_RUN_TIMEOUT_S)
    lines = proc.stdout.decode("utf-8", "replace").splitlines()
    if proc.returncode != 0 or "FTPS: available" not in lines and not any(
            l.startswith("FTPS: not available") for l in lines):
        raise RuntimeError("ftpc --version does not say whether FTPS is available: %r"
                           % proc.stdout)
    return "FTPS: available" in lines
