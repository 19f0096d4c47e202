"""The clients compared, and the command line each runs for a Job.

Every client is a separate process per run, doing its own login.  The
benchmark programs (ftpc_bench, curl_bench, ftplib_bench.py and the Python
clients python_*.py) share one command line and print a JSON line; the
command-line tools (ftpc CLI, curl, lftp) are run the way a user would run
them for the same work.

The Python clients run under Debian's /usr/bin/python3.  The two that use
ftpc's binding (ftpc.Session and the ftpc.ftplib drop-in) import it from
the build directory: their command line is
`/usr/bin/env PYTHONPATH=BUILD/bindings/python /usr/bin/python3 SCRIPT ...`.
"""

import importlib.util
import json
import os
import shlex
from dataclasses import dataclass

PYTHON = "/usr/bin/python3"
ENV = "/usr/bin/env"

# Row keys of the Python clients, and of those among them that are ftpc's.
PYTHON_ROWS = ["py-ftpc", "py-ftpc-ftplib", "ftplib", "ftplib-reuse", "pycurl", "aioftp"]
FTPC_PYTHON_ROWS = {"py-ftpc", "py-ftpc-ftplib"}


@dataclass(frozen=True)
class Target:
    """Where a client connects and how."""
    host: str
    port: int
    user: str
    password: str
    tls: bool
    cacert: str


@dataclass
class Invocation:
    argv: list
    stdout: str                   # file the client's stdout goes to
    parse: object = None          # stdout path -> {"bytes": ..} or None


class NotApplicable(Exception):
    """This client cannot do this job at all (the reason is reported)."""


def parse_json_line(path):
    with open(path, errors="replace") as f:
        lines = [line for line in f if line.strip()]
    if not lines:
        return None
    return json.loads(lines[-1])


def parse_byte_count(path):
    """curl -w '%{size_download}'."""
    with open(path) as f:
        return {"bytes": int(f.read().strip())}


def count_lines(path):
    with open(path, "rb") as f:
        return {"entries": sum(1 for line in f if line.strip())}


# Failures of other clients that are results, not harness faults: recorded
# in the tables, tolerated by the CI check.  (client keys, server, scenario
# op or None for every op) -> substrings of the failure message.
KNOWN_FAILURES = [
    # Stock ftplib opens every data connection with a fresh TLS session;
    # vsftpd's require_ssl_reuse=YES refuses that with 522.
    ({"ftplib"}, "vsftpd-tls", None, ("522",)),
    # curl 7.88 over TLS 1.3 uploading several files in one session: after a
    # few files a data connection offers a session vsftpd does not accept
    # (522); the CLI goes on and leaves an empty file.  TLS 1.2 works.
    ({"libcurl-16k", "libcurl-256k", "curl-cli"}, "vsftpd-tls", "put-many",
     ("522", "has 0 bytes")),
    # Debian's pycurl runs on libcurl-gnutls 7.88: over TLS 1.3 its data
    # connections do not resume the control connection's session, vsftpd
    # drops them (522) and libcurl reports the transfer closed early (or
    # the 522).  With TLS 1.2 it works, at about 0.7 s per file.
    ({"pycurl"}, "vsftpd-tls", None, ("522", "transfer closed with")),
]


class Client:
    tls_only = False  # a row only in the FTPS scenarios

    def __init__(self, key, label):
        self.key = key
        self.label = label

    def absent(self):
        """Why this client cannot run on this machine, or None."""
        return None

    def known_failure(self, scenario, message):
        """True if @message is a known failure of this client in
        @scenario (see KNOWN_FAILURES)."""
        for keys, server, op, patterns in KNOWN_FAILURES:
            if (self.key in keys and scenario.server == server
                    and op in (None, scenario.op) and any(p in message for p in patterns)):
                return True
        return False

    def invocation(self, job, target, capture, null):
        raise NotImplementedError


class BenchProgram(Client):
    """ftpc_bench, curl_bench or ftplib_bench.py: the shared command line
    PROG [--tls] [--cacert FILE] [--blocksize N] HOST PORT USER PASS SCENARIO ARGS..."""

    def __init__(self, key, label, argv, program, tls_only=False, missing_hint=""):
        super().__init__(key, label)
        self.argv = argv
        self.program = program
        self.tls_only = tls_only
        self.missing_hint = missing_hint

    def absent(self):
        if not os.access(self.program, os.X_OK):
            return "%s is not built%s" % (self.program, self.missing_hint)
        return None

    def invocation(self, job, target, capture, null):
        argv = list(self.argv)
        if target.tls:
            argv += ["--tls", "--cacert", target.cacert]
        argv += [target.host, str(target.port), target.user, target.password, job.op]
        argv += job.bench_args()
        return Invocation(argv, capture, parse_json_line)


class PythonProgram(BenchProgram):
    """A Python benchmark client (bench/clients/*.py) under /usr/bin/python3:
    the shared command line.  @pythonpath: a directory put on PYTHONPATH
    (the build's bindings/python for ftpc's binding); @modules: what the
    script imports that may be missing (absent() says so); @no_tls: why the
    client has no FTPS that the benchmark's server accepts, for a client
    that has none (its FTPS rows are n/a)."""

    def __init__(self, key, label, script, extra=(), pythonpath=None, modules=(),
                 tls_only=False, no_tls=None):
        argv = [PYTHON, script] + list(extra)
        if pythonpath:
            argv = [ENV, "PYTHONPATH=" + pythonpath] + argv
        super().__init__(key, label, argv, script, tls_only=tls_only)
        self.pythonpath = pythonpath
        self.modules = modules
        self.no_tls = no_tls

    def absent(self):
        if not os.path.isfile(self.program):
            return "%s is missing" % self.program
        for module in self.modules:
            if self.pythonpath:
                init = os.path.join(self.pythonpath, module, "__init__.py")
                if not os.path.isfile(init):
                    return ("%s is not built (meson -Dpython=enabled)" %
                            os.path.join(self.pythonpath, module))
            elif importlib.util.find_spec(module) is None:
                return "Python module %s is not installed" % module
        return None

    def invocation(self, job, target, capture, null):
        if target.tls and self.no_tls:
            raise NotApplicable(self.no_tls)
        return super().invocation(job, target, capture, null)


class CurlCli(Client):
    """The curl command-line tool (-q: no ~/.curlrc)."""

    def base(self, target):
        argv = ["curl", "-q", "-sS", "--user", "%s:%s" % (target.user, target.password)]
        if target.tls:
            argv += ["--ssl-reqd", "--tlsv1.3", "--cacert", target.cacert]
        return argv

    @staticmethod
    def url(target, path):
        return "ftp://%s:%d/%s" % (target.host, target.port, path)

    @staticmethod
    def glob(job):
        # curl's URL globbing: one invocation, one connection reused.
        return "f[0000-%04d].bin" % (job.count - 1)

    def invocation(self, job, target, capture, null):
        base, url = self.base(target), lambda path: self.url(target, path)
        if job.op == "get-discard":
            return Invocation(base + [url(job.remote), "-o", null, "-w", "%{size_download}"],
                              capture, parse_byte_count)
        if job.op == "get-file":
            return Invocation(base + [url(job.remote), "-o", job.local], capture)
        if job.op == "put-mem":
            raise NotApplicable("a command-line tool uploads files, not memory")
        if job.op == "put-file":
            return Invocation(base + ["-T", job.local, url(job.remote)], capture)
        if job.op == "get-many":
            return Invocation(base + [url("%s/%s" % (job.remote_dir, self.glob(job))),
                                      "-o", os.path.join(job.local_dir, "f#1.bin")], capture)
        if job.op == "put-many":
            return Invocation(base + ["-T", os.path.join(job.local_dir, self.glob(job)),
                                      url(job.remote_dir + "/")], capture)
        if job.op == "mlsd":
            return Invocation(base + ["-X", "MLSD", url(job.remote_dir + "/")], capture,
                              count_lines)
        if job.op == "list":
            return Invocation(base + [url(job.remote_dir + "/")], capture, count_lines)
        raise ValueError(job.op)


class Lftp(Client):
    """lftp -c SCRIPT, with the settings that make it fail instead of
    retrying forever, and explicit FTPS with verification when asked."""

    def script(self, target, command):
        settings = ["set cmd:fail-exit yes", "set cmd:interactive no", "set net:max-retries 1",
                    "set net:timeout 60", "set xfer:clobber yes"]
        if target.tls:
            settings += ["set ftp:ssl-force yes", "set ftp:ssl-protect-data yes",
                         "set ftp:ssl-protect-list yes",
                         "set ssl:ca-file %s" % shlex.quote(target.cacert),
                         "set ssl:verify-certificate yes",
                         'set ssl:priority "NORMAL:-VERS-ALL:+VERS-TLS1.3"']
        else:
            settings += ["set ftp:ssl-allow no"]
        settings.append("open -u %s,%s -p %d %s" % (target.user, target.password, target.port,
                                                    target.host))
        return "; ".join(settings + [command])

    def invocation(self, job, target, capture, null):
        def run(command, parse=None, stdout=capture):
            return Invocation(["lftp", "-c", self.script(target, command)], stdout, parse)

        if job.op == "get-discard":
            return run("get %s -o %s" % (job.remote, null))
        if job.op == "get-file":
            return run("get %s -o %s" % (job.remote, job.local))
        if job.op == "put-mem":
            raise NotApplicable("a command-line tool uploads files, not memory")
        if job.op == "put-file":
            return run("put %s -o %s" % (job.local, job.remote))
        if job.op == "get-many":
            names = " ".join("%s/%s" % (job.remote_dir, n) for n in job.names())
            return run("get -O %s %s" % (job.local_dir, names))
        if job.op == "put-many":
            names = " ".join(os.path.join(job.local_dir, n) for n in job.names())
            return run("mput -O %s/ %s" % (job.remote_dir, names))
        if job.op == "mlsd":
            # cls lists through MLSD when the server has it (checked with
            # lftp's debug output) and parses the entries.
            return run("cls %s/" % job.remote_dir, count_lines)
        if job.op == "list":
            return run("ls %s/" % job.remote_dir, count_lines)
        raise ValueError(job.op)


class FtpcCli(Client):
    """The ftpc command-line client (tools/ftpc): one file per invocation."""

    def __init__(self, key, label, program):
        super().__init__(key, label)
        self.program = program

    def absent(self):
        if not os.access(self.program, os.X_OK):
            return "%s is not built" % self.program
        return None

    def invocation(self, job, target, capture, null):
        argv = [self.program]
        if target.tls:
            argv += ["--tls", "--cacert", target.cacert, "--tls-min", "1.3"]

        def url(path):
            return "ftp://%s:%s@%s:%d/%s" % (target.user, target.password, target.host,
                                            target.port, path)

        if job.op == "get-discard":
            # Not "get URL /dev/null": get writes LOCAL.part and renames it
            # over LOCAL, which would replace /dev/null.
            return Invocation(argv + ["cat", url(job.remote)], null)
        if job.op == "get-file":
            return Invocation(argv + ["get", url(job.remote), job.local], capture)
        if job.op == "put-file":
            return Invocation(argv + ["put", job.local, url(job.remote)], capture)
        if job.op == "list":
            return Invocation(argv + ["ls", url(job.remote_dir + "/")], capture, count_lines)
        if job.op == "put-mem":
            raise NotApplicable("a command-line tool uploads files, not memory")
        if job.op in ("get-many", "put-many"):
            raise NotApplicable("one file per session")
        if job.op == "mlsd":
            raise NotApplicable("the CLI lists with LIST or NLST, not MLSD")
        raise ValueError(job.op)


def all_clients(source_dir, build_dir, ftpc_bench=None):
    """Every client, in the order of the tables (ftpc first: the ratios'
    numerator).  @ftpc_bench overrides the ftpc_bench program's path."""
    bench_dir = os.path.join(build_dir, "bench")
    ftpc_bench = ftpc_bench or os.path.join(bench_dir, "ftpc_bench")
    curl_bench = os.path.join(bench_dir, "curl_bench")
    clients_dir = os.path.join(source_dir, "bench/clients")
    ftplib_bench = os.path.join(clients_dir, "ftplib_bench.py")
    binding = os.path.join(build_dir, "bindings/python")
    return [
        BenchProgram("ftpc", "ftpc C API", [ftpc_bench], ftpc_bench,
                     missing_hint=" (is bench/clients/ftpc_bench.c there?)"),
        FtpcCli("ftpc-cli", "ftpc CLI", os.path.join(build_dir, "tools/ftpc/ftpc")),
        BenchProgram("libcurl-16k", "libcurl C (16 KiB)", [curl_bench], curl_bench),
        BenchProgram("libcurl-256k", "libcurl C (256 KiB)", [curl_bench, "--blocksize", "262144"],
                     curl_bench),
        CurlCli("curl-cli", "curl CLI"),
        PythonProgram("py-ftpc", "Python ftpc.Session",
                      os.path.join(clients_dir, "python_ftpc_bench.py"),
                      pythonpath=binding, modules=["ftpc"]),
        PythonProgram("py-ftpc-ftplib", "Python ftpc.ftplib (drop-in)",
                      os.path.join(clients_dir, "python_ftpc_ftplib_bench.py"),
                      pythonpath=binding, modules=["ftpc"]),
        PythonProgram("ftplib", "Python ftplib", ftplib_bench),
        PythonProgram("ftplib-reuse", "Python ftplib (session reuse)", ftplib_bench,
                      extra=["--reuse"], tls_only=True),
        PythonProgram("pycurl", "Python pycurl", os.path.join(clients_dir, "python_pycurl_bench.py"),
                      modules=["pycurl"]),
        PythonProgram("aioftp", "Python aioftp", os.path.join(clients_dir, "python_aioftp_bench.py"),
                      modules=["aioftp"],
                      no_tls="aioftp 0.21 has implicit TLS only (no AUTH TLS) and asyncio "
                             "cannot resume a TLS session on data connections"),
        Lftp("lftp", "lftp"),
    ]


def clients_for(scenario, clients):
    return [c for c in clients if scenario.tls or not c.tls_only]
