"""Starting and stopping ftpc's test servers (tests/servers/*.py) from Python.

Every launcher in tests/servers prints "READY <port>" on stdout once it
listens; the classes here start one, wait for that line (or fail with what
the launcher wrote on stderr), and stop it again.  They also read what the
server saw, as a list of "transcript rows" that differential tests compare:

  PyftpdlibServer   tests/servers/pyftpdlib_server.py (plain FTP, or explicit
                    FTPS with tls=True).  One server is meant to be shared by
                    many sessions: mark() before a session, then
                    transcript_since(mark) parses pyftpdlib's protocol log
                    (its "<- COMMAND" lines) written after the mark.
  VsftpdServer      tests/servers/vsftpd_server.py (needs root).  The same
                    mark()/transcript_since() on vsftpd's log_ftp_protocol
                    lines ("FTP command: Client ..., "COMMAND"").
  HostileServer     tests/servers/hostile_server.py with a script (a string,
                    see that file's docstring for the language).  Its
                    transcript is exact (every byte of every command line)
                    and counts over the server's lifetime, so a test starts
                    a fresh one for each client run.
  make_test_pki()   tests/servers/make_test_pki.py: a test CA and server
                    certificates (returns a TestPki with the paths).

Tree helpers: populate_tree() lays down a directory tree with fixed
modification times (so LIST/MLSD output is the same for every run), and
snapshot_tree() reads one back for comparison.

The environment variables meson passes to tests are honoured, with
defaults so that a plain `/usr/bin/python3 -m pytest` from the repository
works too:
  FTPC_TEST_PYTHON   interpreter for the launchers   (default /usr/bin/python3)
  FTPC_TEST_SERVERS  the launchers' directory        (default <repo>/tests/servers)
  FTPC_TEST_VSFTPD   the vsftpd binary               (default: vsftpd on PATH,
                                                      else /usr/sbin/vsftpd)
  FTPC_TEST_TMP      scratch space                   (default: a fresh directory
                                                      under the system temp dir)

A server that cannot start raises ServerError: tests that need it FAIL,
they never skip.  Only 127.0.0.1 and ::1 are ever used.
"""

import hashlib
import os
import re
import select
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]   # bindings/python/tests -> repo

START_TIMEOUT_S = 30.0      # a launcher must print READY within this
STOP_TIMEOUT_S = 10.0       # after SIGTERM, before SIGKILL
IDLE_TIMEOUT_S = 10.0       # how long transcript readers wait for the server
QUIET_S = 0.06              # "nothing new for this long" = the server is done

# pyftpdlib_server.py's account (the launcher hard-codes it).
PYFTPDLIB_USER = "alice"
PYFTPDLIB_PASSWORD = "s3cret"

# A fixed modification time for every file and directory of a test tree
# (2021-02-03 04:05:06 UTC): LIST and MLSD show it, so it must not vary.
FIXED_MTIME = 1612325106


class ServerError(RuntimeError):
    """A test server could not be started (or misbehaved while we waited)."""


# --------------------------------------------------------------------------
# Environment


def test_python():
    return os.environ.get("FTPC_TEST_PYTHON") or "/usr/bin/python3"


def servers_dir():
    return Path(os.environ.get("FTPC_TEST_SERVERS") or REPO_ROOT / "tests" / "servers")


def vsftpd_binary():
    return (os.environ.get("FTPC_TEST_VSFTPD") or shutil.which("vsftpd")
            or "/usr/sbin/vsftpd")


def launcher(name):
    path = servers_dir() / name
    if not path.is_file():
        raise ServerError("no launcher %s (FTPC_TEST_SERVERS=%s)" % (path, servers_dir()))
    return str(path)


def child_env(scratch):
    """The environment for a launcher: ours, plus FTPC_TEST_TMP=scratch (the
    vsftpd launcher keeps its work files there and may open up directories
    inside it so that vsftpd's user reaches the served root)."""
    env = dict(os.environ)
    env["FTPC_TEST_TMP"] = str(scratch)
    env.setdefault("FTPC_TEST_VSFTPD", vsftpd_binary())
    return env


# --------------------------------------------------------------------------
# A launcher process


class LauncherProcess:
    """A tests/servers launcher run as a child process: started, READY line
    read, stopped with SIGTERM.  `workdir` receives its stderr."""

    def __init__(self, argv, workdir, name, env):
        self.name = name
        self.argv = argv
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.stderr_path = self.workdir / ("%s.stderr" % name)
        self._stderr = open(self.stderr_path, "wb")
        try:
            self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                         stderr=self._stderr, env=env)
        except OSError as e:
            self._stderr.close()
            raise ServerError("cannot run %s: %s" % (" ".join(argv), e))
        self.port = self._read_ready()

    def stderr_text(self):
        try:
            return self.stderr_path.read_text(errors="replace").strip()
        except OSError:
            return ""

    def _fail(self, why):
        self.stop()
        raise ServerError("%s: %s\n  command: %s\n  stderr: %s"
                          % (self.name, why, " ".join(self.argv), self.stderr_text() or "(empty)"))

    def _read_ready(self):
        deadline = time.monotonic() + START_TIMEOUT_S
        line = b""
        fd = self.proc.stdout.fileno()
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                self._fail("no READY line within %d s" % START_TIMEOUT_S)
            chunk = os.read(fd, 1)   # byte by byte: what follows READY is not ours
            if not chunk:
                self._fail("exited (status %s) before it was ready" % self.proc.wait())
            line += chunk
        words = line.split()
        if len(words) != 2 or words[0] != b"READY" or not words[1].isdigit():
            self._fail("unexpected first line %r" % line)
        return int(words[1])

    def running(self):
        return self.proc.poll() is None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self._stderr.close()


# --------------------------------------------------------------------------
# Log readers shared by pyftpdlib and vsftpd


def _read_from(path, offset):
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            return f.read().decode("utf-8", "replace")
    except FileNotFoundError:
        return ""


def _file_size(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


class LoggingServer:
    """Common part of the servers whose protocol log we parse."""

    name = "server"
    log_path = None
    proc = None

    def mark(self):
        """The log position now; transcript_since(mark) reads what follows."""
        return _file_size(self.log_path)

    def _settled(self, text):
        """True when @text (the log since a mark) shows no session still
        running.  Subclasses that can tell refine this."""
        return True

    def wait_idle(self, mark, timeout=IDLE_TIMEOUT_S):
        """Waits until every session begun after @mark has ended and the log
        has been quiet for a moment; returns the log text since @mark.
        Raises ServerError if the server died."""
        deadline = time.monotonic() + timeout
        last_size, quiet_since = -1, time.monotonic()
        while True:
            if not self.proc.running():
                raise ServerError("%s exited: %s" % (self.name, self.proc.stderr_text()))
            size = _file_size(self.log_path)
            now = time.monotonic()
            if size != last_size:
                last_size, quiet_since = size, now
            text = _read_from(self.log_path, mark)
            if self._settled(text) and now - quiet_since >= QUIET_S:
                return text
            if now > deadline:
                return text   # the caller compares what there is
            time.sleep(0.01)

    def transcript_since(self, mark):
        """The commands the server received since @mark, one row each, with
        a "<connect>" row where a control connection began."""
        return self.parse_log(self.wait_idle(mark))

    def stop(self):
        if self.proc is not None:
            self.proc.stop()

    def __repr__(self):
        return "<%s %s port %s>" % (type(self).__name__, getattr(self, "host", "?"),
                                    getattr(self, "port", "?"))


# --------------------------------------------------------------------------
# pyftpdlib


# "2024-01-02 03:04:05,678 127.0.0.1:40000-[alice] <- USER alice"
_PYFTPDLIB_LINE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (?P<peer>\S+)-\[(?P<user>[^\]]*)\] "
    r"(?P<what><- |-> |FTP session opened|FTP session closed)(?P<text>.*)$")


class PyftpdlibServer(LoggingServer):
    """tests/servers/pyftpdlib_server.py serving @root on @host (127.0.0.1
    or ::1), logging its protocol to a file.

    Accounts: user/password (alice/s3cret) with every permission; with
    @anonymous also "anonymous" (any password).  With @tls: explicit FTPS
    with @cert/@key (AUTH TLS required before login; PROT P required for
    data unless @tls_data_optional).

    What the log shows: every command line as received (pyftpdlib writes
    PASS's argument as "******"), one "FTP session opened"/"closed" per
    control connection; of a multi-line reply only the last line (replies
    are not used by the transcript)."""

    name = "pyftpdlib"

    def __init__(self, root, workdir, scratch, host="127.0.0.1", anonymous=True, tls=False,
                 cert=None, key=None, tls_data_optional=False, extra_args=(), lifetime=900):
        self.root = str(root)
        self.host = host
        self.family = 6 if ":" in host else 4
        self.user, self.password = PYFTPDLIB_USER, PYFTPDLIB_PASSWORD
        self.tls = tls
        workdir = Path(workdir)
        workdir.mkdir(parents=True, exist_ok=True)
        self.log_path = str(workdir / "pyftpdlib.log")
        argv = [test_python(), launcher("pyftpdlib_server.py"), "--root", self.root,
                "--host", host, "--log", self.log_path, "--lifetime", str(lifetime)]
        if anonymous:
            argv.append("--anonymous")
        if tls:
            if cert is None:
                raise ServerError("pyftpdlib with tls=True needs a certificate")
            argv += ["--tls-cert", str(cert), "--tls-key", str(key or cert)]
            if tls_data_optional:
                argv.append("--tls-data-optional")
        argv += list(extra_args)
        self.proc = LauncherProcess(argv, workdir, "pyftpdlib", child_env(scratch))
        self.port = self.proc.port

    def _settled(self, text):
        return text.count("FTP session opened") == text.count("FTP session closed")

    @staticmethod
    def parse_log(text):
        rows = []
        for line in text.splitlines():
            m = _PYFTPDLIB_LINE.match(line)
            if not m:
                continue
            what = m.group("what")
            if what == "FTP session opened":
                rows.append("<connect>")
            elif what == "<- ":
                rows.append(m.group("text"))
        return rows


# --------------------------------------------------------------------------
# vsftpd


# 'Thu Dec  3 16:42:00 2026 [pid 6484] [ftpc-test] FTP command: Client "127.0.0.1", "USER x"'
_VSFTPD_COMMAND = re.compile(r'\] FTP command: Client "[^"]*", "(?P<text>.*)"$')
_VSFTPD_CONNECT = re.compile(r'\] CONNECT: Client "[^"]*"$')


class VsftpdServer(LoggingServer):
    """tests/servers/vsftpd_server.py (run as root) serving @root on @host.

    The named account is a system user with a random password: .user and
    .password hold them (read from the launcher's --credentials file).
    "anonymous" may log in read-only.  With @tls (cert/key): explicit FTPS
    with require_ssl_reuse=YES, TLS forced for the named account's login
    and data; @tls_data_optional allows PROT C.

    The launcher chowns @root to vsftpd's user (and may replace it by a
    symlink to a directory in /tmp, see its docstring): use .root, a real
    path, and populate_tree(), which keeps the owner.

    What the log shows: every command line (vsftpd writes PASS's argument
    as "<password>") and a CONNECT line per control connection.  vsftpd
    does not log a session's end, so wait_idle() waits for a quiet log."""

    name = "vsftpd"

    def __init__(self, root, workdir, scratch, host="127.0.0.1", tls=False, cert=None, key=None,
                 tls_data_optional=False, extra_args=(), lifetime=900):
        self.host = host
        self.family = 6 if ":" in host else 4
        self.tls = tls
        workdir = Path(workdir)
        workdir.mkdir(parents=True, exist_ok=True)
        self.log_path = str(workdir / "vsftpd.log")
        credentials = workdir / "credentials"
        argv = [test_python(), launcher("vsftpd_server.py"), "--root", str(root), "--host", host,
                "--log", self.log_path, "--credentials", str(credentials),
                "--lifetime", str(lifetime)]
        if tls:
            if cert is None or key is None:
                raise ServerError("vsftpd with tls=True needs a certificate and a key")
            argv += ["--tls-cert", str(cert), "--tls-key", str(key)]
            if tls_data_optional:
                argv.append("--tls-data-optional")
        argv += list(extra_args)
        self.proc = LauncherProcess(argv, workdir, "vsftpd", child_env(scratch))
        self.port = self.proc.port
        self.root = os.path.realpath(str(root))
        try:
            self.user, self.password = credentials.read_text().split("\n")[:2]
        except (OSError, ValueError) as e:
            self.stop()
            raise ServerError("vsftpd launcher wrote no credentials: %s" % e)

    @staticmethod
    def parse_log(text):
        rows = []
        for line in text.splitlines():
            m = _VSFTPD_COMMAND.search(line)
            if m:
                rows.append(m.group("text"))
            elif _VSFTPD_CONNECT.search(line):
                rows.append("<connect>")
        return rows


# --------------------------------------------------------------------------
# hostile_server.py


class HostileServer:
    """tests/servers/hostile_server.py with @script (the text of a script,
    see the launcher's docstring) on 127.0.0.1 (@family 4) or ::1 (6);
    @pki: a make_test_pki.py directory, needed for the TLS actions.

    transcript() waits until every control connection the server accepted
    is closed (its OPEN/CLOSED lines) and the transcript has been quiet for
    a moment, then returns the transcript's rows: every command line exactly
    as received (see the escapes in the launcher's docstring), "# ..." notes
    of the server, and a last row counting the control connections."""

    name = "hostile"

    def __init__(self, script, workdir, scratch, family=4, pki=None, lifetime=60):
        self.host = "::1" if family == 6 else "127.0.0.1"
        self.family = family
        workdir = Path(workdir)
        workdir.mkdir(parents=True, exist_ok=True)
        self.script_path = workdir / "script.txt"
        self.script_path.write_text(script, encoding="latin-1")
        self.transcript_path = workdir / "transcript.txt"
        self.user, self.password = "user", "password"   # anything is accepted
        argv = [test_python(), launcher("hostile_server.py"), "--script", str(self.script_path),
                "--transcript", str(self.transcript_path), "--family", str(family),
                "--lifetime", str(lifetime)]
        if pki is not None:
            argv += ["--pki", str(pki)]
        self.proc = LauncherProcess(argv, workdir, "hostile", child_env(scratch))
        self.port = self.proc.port
        self._events = []             # "OPEN"/"CLOSED" in order
        self._changed = time.monotonic()
        self._lock = threading.Condition()
        self._reader = threading.Thread(target=self._read_status, daemon=True)
        self._reader.start()

    def _read_status(self):
        stream = self.proc.proc.stdout
        try:
            for raw in iter(stream.readline, b""):
                word = raw.strip().decode("ascii", "replace")
                with self._lock:
                    self._events.append(word)
                    self._changed = time.monotonic()
                    self._lock.notify_all()
        except (OSError, ValueError):
            pass

    def connections(self):
        with self._lock:
            return self._events.count("OPEN")

    def wait_idle(self, timeout=IDLE_TIMEOUT_S):
        deadline = time.monotonic() + timeout
        last_size, quiet_since = -1, time.monotonic()
        while time.monotonic() < deadline:
            with self._lock:
                opened = self._events.count("OPEN")
                closed = self._events.count("CLOSED")
                changed = self._changed
            size = _file_size(self.transcript_path)
            now = time.monotonic()
            if size != last_size:
                last_size, quiet_since = size, now
            quiet_since = max(quiet_since, changed)
            if opened == closed and now - quiet_since >= QUIET_S:
                return True
            if not self.proc.running() and opened != closed:
                return False
            time.sleep(0.01)
        return False

    def transcript(self):
        """The transcript's rows, then one row "<N control connections>"
        (the launcher's transcript has no connection markers of its own)."""
        self.wait_idle()
        rows = _read_from(self.transcript_path, 0).splitlines()
        rows.append("<%d control connections>" % self.connections())
        return rows

    def stop(self):
        self.proc.stop()
        self._reader.join(timeout=2)

    def __repr__(self):
        return "<HostileServer %s port %s>" % (self.host, self.port)


# --------------------------------------------------------------------------
# Test PKI


class TestPki:
    """The files make_test_pki.py writes into @directory."""

    __test__ = False   # not a pytest test class

    def __init__(self, directory):
        self.dir = Path(directory)
        self.ca = self.dir / "ca.pem"

    def cert(self, name):
        return self.dir / ("%s.pem" % name)

    def key(self, name):
        return self.dir / ("%s.key" % name)


def make_test_pki(directory):
    """Runs tests/servers/make_test_pki.py into @directory; returns a TestPki.
    Raises ServerError if the tool fails."""
    argv = [test_python(), launcher("make_test_pki.py"), str(directory)]
    try:
        result = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                                text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise ServerError("make_test_pki.py failed: %s" % e)
    if result.returncode != 0:
        raise ServerError("make_test_pki.py failed (%d): %s"
                          % (result.returncode, result.stderr.strip()))
    pki = TestPki(directory)
    if not pki.ca.is_file() or not pki.cert("server").is_file():
        raise ServerError("make_test_pki.py did not write %s" % pki.dir)
    return pki


# --------------------------------------------------------------------------
# Directory trees


def pseudo_random_bytes(size, seed=b"ftpc"):
    """@size deterministic, incompressible-looking bytes."""
    out = bytearray()
    counter = 0
    while len(out) < size:
        out += hashlib.sha256(seed + counter.to_bytes(8, "big")).digest()
        counter += 1
    return bytes(out[:size])


def populate_tree(root, tree):
    """Empties directory @root and fills it from @tree, a dict of relative
    path -> bytes (a file) or None (a directory), created in dict order.
    Every entry gets FIXED_MTIME and the owner of @root (vsftpd serves as
    its own user)."""
    root = os.path.realpath(str(root))
    for entry in os.listdir(root):
        path = os.path.join(root, entry)
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        else:
            os.unlink(path)
    st = os.stat(root)
    for rel, content in tree.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if content is None:
            os.makedirs(path, exist_ok=True)
        else:
            with open(path, "wb") as f:
                f.write(content)
    # Owners and times last, deepest first, so that creating an entry does
    # not bump its directory's time again.
    paths = []
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            paths.append(os.path.join(dirpath, name))
    for path in sorted(paths, key=lambda p: -p.count(os.sep)):
        os.chown(path, st.st_uid, st.st_gid)
        os.utime(path, (FIXED_MTIME, FIXED_MTIME))


def snapshot_tree(root):
    """{relative path: bytes or None (a directory)} of everything under
    @root, sorted by path."""
    root = os.path.realpath(str(root))
    result = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames:
            result[os.path.relpath(os.path.join(dirpath, name), root)] = None
        for name in filenames:
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                result[os.path.relpath(path, root)] = f.read()
    return dict(sorted(result.items()))


# The tree every shared server starts with (and differential runs reset to):
# relative path -> bytes (a file) or None (a directory), created in this
# order.  Content chosen for the scenarios: a small text file, an empty
# one, line endings of every kind, a file large enough for many blocks,
# names with a space and a non-ASCII letter, nested directories.
STANDARD_TREE = {
    "a.txt": b"hello\n",
    "empty.txt": b"",
    "lines.txt": b"first line\nsecond line\r\n\nfourth\tline\r\nlast line without newline",
    "big.bin": pseudo_random_bytes(200000),
    "spaced name.txt": b"spaces\n",
    "caf\u00e9.txt": b"a UTF-8 name\n",
    "sub": None,
    "sub/inner.txt": b"inner\n",
    "sub/deeper": None,
    "emptydir": None,
}
