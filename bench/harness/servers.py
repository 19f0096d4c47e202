"""The servers the clients talk to, started by the harness on 127.0.0.1
with the test suite's launchers (tests/servers/), and their CPU time.

Server CPU per run is read from /proc/<pid>/stat of the server's main
process: utime + stime + cutime + cstime (clock ticks).  vsftpd forks a
process pair per session and reaps it when it ends, so the sessions' CPU
arrives in the listener's cutime/cstime once they are reaped; wait_idle()
waits for that before the reading.  pyftpdlib is one process: its own
utime/stime.
"""

import ctypes
import os
import signal
import subprocess
import sys
import time

PYTHON = "/usr/bin/python3"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
LIFETIME_S = 10800  # the launchers stop by themselves after this


def process_cpu_s(pid):
    """utime + stime + cutime + cstime of @pid in seconds."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # fields[0] is field 3 (state); utime..cstime are fields 14..17
    return sum(int(x) for x in fields[11:15]) / CLOCK_TICKS


def child_pids(pid):
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(x) for x in f.read().split()]
    except FileNotFoundError:
        pass
    children = []  # kernels without /proc/.../children: scan every process
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open("/proc/%s/stat" % name) as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        children.append(int(name))
            except (OSError, ValueError, IndexError):
                pass
    return children


def die_with_parent():
    """Runs in the launcher before exec: SIGTERM (a clean stop) when the
    harness dies, even by SIGKILL."""
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


class Server:
    """One launcher process and the server it runs."""

    def __init__(self, key, title, launcher_argv, log_path):
        self.key = key
        self.title = title
        self.argv = launcher_argv
        self.log_path = log_path
        self.launcher = None
        self.port = None
        self.user = None
        self.password = None
        self.pid = None  # the process whose CPU is the server's

    def start(self, timeout_s=60):
        log = open(self.log_path, "ab")
        self.launcher = subprocess.Popen(self.argv, stdout=subprocess.PIPE, stderr=log,
                                         stdin=subprocess.DEVNULL, preexec_fn=die_with_parent)
        log.close()
        deadline = time.monotonic() + timeout_s
        line = self.launcher.stdout.readline().decode(errors="replace").strip()
        if not line.startswith("READY "):
            self.stop()
            raise RuntimeError("%s did not start (see %s): %r" % (self.title, self.log_path, line))
        self.port = int(line.split()[1])
        while self.pid is None and time.monotonic() < deadline:
            self.pid = self.find_server_pid()
            if self.pid is None:
                time.sleep(0.05)
        if self.pid is None:
            self.stop()
            raise RuntimeError("%s: cannot find the server process" % self.title)

    def find_server_pid(self):
        return self.launcher.pid

    def cpu_s(self):
        return process_cpu_s(self.pid)

    def wait_idle(self, timeout_s=10.0):
        """Returns once the previous session is over and accounted for."""
        return True

    def stop(self):
        if self.launcher is not None and self.launcher.poll() is None:
            self.launcher.terminate()
            try:
                self.launcher.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.launcher.kill()
                self.launcher.wait()
        if self.launcher is not None:
            self.launcher.stdout.close()

    def describe(self):
        return {"key": self.key, "title": self.title, "port": self.port}


class Vsftpd(Server):
    def __init__(self, source_dir, root, workdir, tls_cert=None, tls_key=None):
        tls = tls_cert is not None
        key = "vsftpd-tls" if tls else "vsftpd"
        title = ("vsftpd, explicit FTPS (require_ssl_reuse=YES)" if tls else "vsftpd, plain FTP")
        self.credentials = os.path.join(workdir, key + ".credentials")
        argv = [PYTHON, os.path.join(source_dir, "tests/servers/vsftpd_server.py"),
                "--root", root, "--credentials", self.credentials,
                "--lifetime", str(LIFETIME_S)]
        if tls:
            argv += ["--tls-cert", tls_cert, "--tls-key", tls_key]
        super().__init__(key, title, argv, os.path.join(workdir, key + ".log"))
        self.tls = tls

    def start(self, timeout_s=60):
        super().start(timeout_s)
        with open(self.credentials) as f:
            self.user, self.password = f.read().split("\n")[:2]

    def find_server_pid(self):
        # The listener: the launcher's vsftpd child.
        for pid in child_pids(self.launcher.pid):
            try:
                with open("/proc/%d/comm" % pid) as f:
                    if f.read().strip() == "vsftpd":
                        return pid
            except OSError:
                pass
        return None

    def wait_idle(self, timeout_s=10.0):
        # Every session process reaped: none left among the listener's
        # children (a zombie stays listed until the listener reaps it).
        deadline = time.monotonic() + timeout_s
        while child_pids(self.pid):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.002)
        return True


class Pyftpdlib(Server):
    USER = "alice"       # tests/servers/pyftpdlib_server.py's account
    PASSWORD = "s3cret"

    def __init__(self, source_dir, root, workdir):
        argv = [PYTHON, os.path.join(source_dir, "tests/servers/pyftpdlib_server.py"),
                "--root", root, "--lifetime", str(LIFETIME_S)]
        super().__init__("pyftpdlib", "pyftpdlib, plain FTP", argv,
                         os.path.join(workdir, "pyftpdlib.log"))
        self.tls = False

    def start(self, timeout_s=60):
        super().start(timeout_s)
        self.user, self.password = self.USER, self.PASSWORD


def make_test_pki(source_dir, pki_dir):
    """The test suite's PKI (CA, server certificate for 127.0.0.1)."""
    result = subprocess.run([PYTHON, os.path.join(source_dir, "tests/servers/make_test_pki.py"),
                             pki_dir], capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stderr)
        raise RuntimeError("make_test_pki.py failed")
    return {"ca": os.path.join(pki_dir, "ca.pem"),
            "cert": os.path.join(pki_dir, "server.pem"),
            "key": os.path.join(pki_dir, "server.key")}
