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
    """tests/servers/pyftpdlib_server.py serving `root`, started on demand."""

    def __init__(self, root, host="127.0.0.1"):
        self.root = root
        self.host = host
        script = os.path.join(required_env("FTPC_TEST_SERVERS"), "pyftpdlib_server.py")
        python = required_env("FTPC_TEST_PYTHON")
        self.proc = subprocess.Popen([python, script, "--root", root, "--host", host],
                                     stdout=subprocess.PIPE)
        self.port = self._read_ready_line()

    def _read_ready_line(self):
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        line = b""
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.proc.stdout], [], [], left)[0]:
                self.stop()
                raise RuntimeError("pyftpdlib_server.py printed no READY line in %d s"
                                   % SERVER_START_TIMEOUT_S)
            chunk = os.read(self.proc.stdout.fileno(), 256)
            if not chunk:
                self.stop()
                raise RuntimeError("pyftpdlib_server.py exited before it was ready")
            line += chunk
        words = line.split()
        if len(words) != 2 or words[0] != b"READY":
            self.stop()
            raise RuntimeError("unexpected first line from the server: %r" % line)
        return int(words[1])

    def url(self, path="", user=USER, password=PASSWORD):
        """ftp://user:password@host:port/path (path given already encoded)."""
        host = "[%s]" % self.host if ":" in self.host else self.host
        auth = ""
        if user is not None:
            auth = user + (":" + password if password is not None else "") + "@"
        return "ftp://%s%s:%d/%s" % (auth, host, self.port, path)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()


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
        proc = subprocess.run([self.program] + list(args), input=stdin, cwd=cwd, env=env,
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
