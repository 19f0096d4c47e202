"""Differential tests: the candidate module against Python 3.11's ftplib.

The candidate is importlib.import_module($FTPC_DIFF_CANDIDATE), by default
"ftpc.ftplib", which promises to be a drop-in replacement for ftplib: a
program that changes only `import ftplib` into `from ftpc import ftplib`
must behave the same.  If the candidate cannot be imported, every test here
FAILS.  FTPC_DIFF_CANDIDATE=ftplib runs the standard library against itself
(the harness self-check): every comparison must then be equal, and the
tests of deliberate differences (marked ftpc_deliberate) become strict
xfails -- they must fail, which shows they can tell the two apart.

How a differential test works
-----------------------------
A scenario is a function scenario(mod, srv, r): `mod` is the module under
test (stdlib ftplib or the candidate), `srv` the server endpoint (host,
port, user, password, root, ...), `r` a Recorder.  run_both() runs it twice,
first with ftplib, then with the candidate, each against a fresh server
(hostile_server.py: a new process per run) or a shared server whose
directory is reset to servers.STANDARD_TREE before each run (pyftpdlib,
vsftpd), and compares five aspects, in this order:

  1. calls     every r.call(label, fn, ...): the return value, described
               with its exact type (str vs. a subclass, int vs. bool, a
               generator...), or the exception: its class by IDENTITY (the
               candidate must raise ftplib's own error classes), its args
               and str(e); and every r.note(label, value).
  2. stdout    what was printed to sys.stdout (debug traces, retrlines' and
               dir()'s default printing), line by line, each line tagged
               with the call during which it was printed.
  3. fd 1      what was written to file descriptor 1 behind sys.stdout's
               back (by C code, say): must be nothing, as with ftplib.
  4. transcript the commands the server received: hostile_server.py's
               exact transcript (every byte of every line, plus its notes
               and the number of control connections); pyftpdlib's and
               vsftpd's protocol logs ("<- CMD" / "FTP command:" lines;
               both hide PASS's argument, so scenarios that check PASS use
               hostile_server.py).
  5. files     the server's directory tree after the run (paths and bytes).

The first difference of each aspect is reported side by side (stdlib |
candidate) with a few rows of context and the full values.

Normalised before comparing (normalise()): data-connection port numbers
(the last two numbers of PORT arguments and 227 replies, EPRT's port, the
port in 229 replies), pyftpdlib's MLSD "unique=" fact (an inode number),
pyftpdlib's timing-dependent choice between "125 Data connection already
open" and "150 File status okay" (it depends on whether it accepted the
passive data connection before the RETR arrived), and the " (_ssl.c:NNN)"
suffix of ssl error messages.  retrbinary's block boundaries may differ:
Blocks compares the concatenated bytes, that no block exceeds blocksize and
that none is empty (retrlines' lines are compared exactly).

FTPC_DIFF_VERBOSE=1 (with pytest -s) prints everything the stdlib run
observed, scenario by scenario.

Hang guards: during a run socket.setdefaulttimeout(HANG_GUARD_S) is in
force (ftplib then uses it for sockets opened with the default timeout),
every hostile server exits by itself after its lifetime, and a faulthandler
watchdog aborts the process with a traceback if a run takes longer than
RUN_WATCHDOG_S.

Deliberate differences of ftpc.ftplib and how the scenarios avoid them
---------------------------------------------------------------------
 1. Data connections resume the control connection's TLS session (stdlib
    does not, and fails on vsftpd with require_ssl_reuse=YES).  Ordinary
    FTPS scenarios use pyftpdlib, which does not insist on resumption and
    does not log it; the one hostile TLS scenario (test_tls_ccc) opens no
    protected data connection, because hostile_server.py notes "resumed" /
    "full handshake" in its transcript.  Asserted by
    test_deliberate_1_tls_session_reuse_on_vsftpd.
 2. Every wait has a deadline even with timeout=None: not observable here
    (every server answers promptly).  Asserted by
    test_ftplib_improvements.py (test_timeout_none_*).
 3. Replies are capped: not observable here (the longest reply line, in
    test_maxline, is about 9000 bytes, and ftplib's own maxline check
    fires first).  Asserted by test_ftplib_improvements.py
    (test_replies_are_capped).
 4. CR, LF and NUL in arguments raise ValueError before anything is sent.
    No scenario sends NUL.  test_crlf_refused only uses single-command
    methods (sendcmd, voidcmd, cwd, mkd, delete, size, acct), so "before
    anything is sent" and ftplib's putline check coincide; multi-command
    methods (login, rename, retr*/stor*) never get CR/LF.  Asserted by
    test_deliberate_4_nul_refused.
 5. abort() during a transfer reads both replies (426 and 226); ftplib
    reads one.  test_abort_during_transfer compares abort()'s own result and
    then only closes the session.  Asserted by
    test_deliberate_5_abort_keeps_session_in_step.
 6. After an exception in a retrbinary/retrlines callback the candidate
    reads the transfer's final reply.  test_callback_exception compares the
    exception and then only closes the session.  Asserted by
    test_deliberate_6_callback_exception_keeps_session_usable.
 7. rest=0 may be omitted by the candidate: scenarios pass rest=None or a
    nonzero rest, never 0.  Asserted by test_ftplib_improvements.py
    (test_rest_zero_is_not_sent).
 8. A line that is no reply at all (no three-digit code: "abc", "", "2") is
    error_proto in both, but the candidate's session is broken afterwards
    (libftpc never guesses its way back into step; ftplib reads on) and
    the message names the malformed line rather than being it.
    test_reply_parsing uses codes ftplib and ftpc both frame ("000",
    "600", "999").  Asserted by test_deliberate_8_malformed_reply_breaks.
"""

import contextlib
import ctypes
import faulthandler
import ftplib
import hashlib
import importlib
import inspect
import io
import os
import re
import socket
import ssl
import sys
import tempfile
import traceback

import pytest

import servers

CANDIDATE_NAME = os.environ.get("FTPC_DIFF_CANDIDATE") or "ftpc.ftplib"
SELF_CHECK = CANDIDATE_NAME == "ftplib"

HANG_GUARD_S = 30        # socket default timeout during a run
RUN_WATCHDOG_S = 150     # a run that takes longer aborts the whole process


def candidate_module():
    """The candidate; an import failure FAILS the calling test."""
    try:
        return importlib.import_module(CANDIDATE_NAME)
    except Exception:
        details = traceback.format_exc()
    pytest.fail("cannot import the candidate module %r (FTPC_DIFF_CANDIDATE; "
                "PYTHONPATH=<build>/bindings/python for the built ftpc):\n%s"
                % (CANDIDATE_NAME, details), pytrace=False)


# ==========================================================================
# Normalisation and description of observed values


_NORMALISERS = [
    # PORT h1,h2,h3,h4,p1,p2 and "227 ... (h1,h2,h3,h4,p1,p2)": the port varies
    (re.compile(r"\b(\d{1,3},\d{1,3},\d{1,3},\d{1,3}),\d{1,3},\d{1,3}\b"), r"\1,<p1>,<p2>"),
    # EPRT |af|addr|port|
    (re.compile(r"(EPRT \|[0-9]\|[^|]*\|)\d+\|"), r"\1<port>|"),
    # 229 Entering Extended Passive Mode (|||port|)
    (re.compile(r"\(\|\|\|\d+\|\)"), "(|||<port>|)"),
    # pyftpdlib's MLSD/MLST "unique" fact is device+inode: new for every tree
    (re.compile(r"\bunique=[0-9a-zA-Z]+;"), "unique=<varies>;"),
    # pyftpdlib answers 125 or 150 depending on whether it accepted the
    # passive data connection before the transfer command arrived
    (re.compile(r"125 Data connection already open\. Transfer starting\.|"
                r"150 File status okay\. About to open data connection\."),
     "1xx <pyftpdlib: 125 or 150, timing-dependent>"),
    # OpenSSL's source line in ssl error messages
    (re.compile(r" \(_ssl\.c:\d+\)"), ""),
]


def normalise(text):
    for pattern, replacement in _NORMALISERS:
        text = pattern.sub(replacement, text)
    return text


def qualified(cls):
    return "%s.%s" % (cls.__module__, cls.__qualname__)


def describe(value):
    """A comparable stand-in for @value that keeps its exact type."""
    if value is socket._GLOBAL_DEFAULT_TIMEOUT:
        return ("socket._GLOBAL_DEFAULT_TIMEOUT",)
    if value is None or isinstance(value, (bool, int, float)):
        return (type(value).__name__, value)
    if isinstance(value, str):
        return (type(value).__name__, normalise(value))
    if isinstance(value, (bytes, bytearray, memoryview)):
        return (type(value).__name__, bytes(value))
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, tuple(describe(v) for v in value))
    if isinstance(value, dict):
        return (type(value).__name__, tuple((describe(k), describe(v)) for k, v in value.items()))
    if isinstance(value, type):
        return ("class", value)            # compared by identity
    if inspect.isgenerator(value):
        return ("generator",)
    if isinstance(value, BaseException):
        return ("exception", type(value), describe(value.args), normalise(str(value)))
    return ("object", type(value).__qualname__)


def show(value, limit=300):
    """A short readable rendering of @value for reports."""
    if value is socket._GLOBAL_DEFAULT_TIMEOUT:
        return "socket._GLOBAL_DEFAULT_TIMEOUT"
    if isinstance(value, (bytes, bytearray, memoryview)):
        data = bytes(value)
        if len(data) > 60:
            return "<%s of %d bytes, sha256 %s, starts %r>" % (
                type(value).__name__, len(data), hashlib.sha256(data).hexdigest()[:12], data[:16])
        return repr(value)
    if isinstance(value, str):
        text = repr(normalise(value))
        return text if len(text) <= limit else "<str of %d chars: %s...>" % (len(value), text[:80])
    if isinstance(value, list):
        return "[%s]" % ", ".join(show(v, limit) for v in value)
    if isinstance(value, tuple):
        return "(%s%s)" % (", ".join(show(v, limit) for v in value), "," if len(value) == 1 else "")
    if isinstance(value, dict):
        return "{%s}" % ", ".join("%s: %s" % (show(k), show(v, limit)) for k, v in value.items())
    if isinstance(value, type):
        return qualified(value)
    if inspect.isgenerator(value):
        return "<generator>"
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    return "<%s object>" % type(value).__qualname__


# ==========================================================================
# Recording what a scenario observes


class Recorder:
    """What one run observed.  Scenarios use:

        r.call(label, fn, *args, **kwargs)  calls fn; records its return value
                                            or its exception; returns the
                                            value (None after an exception)
        r.note(label, value)                records a value (an attribute...)
    """

    def __init__(self):
        self.rows = []              # [(key, text)]
        self.stdout = io.StringIO() # sys.stdout during the run
        self.printed = []           # [(key, text)]
        self._printed_upto = 0
        self.crash = None           # traceback text of an uncaught exception

    def _collect_printed(self, label):
        text = self.stdout.getvalue()[self._printed_upto:]
        self._printed_upto += len(text)
        if not text:
            return
        lines = text.split("\n")
        tail = lines.pop()          # after the last newline
        for line in lines:
            line = normalise(line)
            self.printed.append((line, "[%s] %s" % (label, line)))
        if tail:
            tail = normalise(tail)
            self.printed.append((tail + "<no newline>", "[%s] %s<no newline>" % (label, tail)))

    def call(self, label, fn, *args, **kwargs):
        return self.call_as(label, None, fn, *args, **kwargs)

    def call_as(self, label, transform, fn, *args, **kwargs):
        """Like call(), but records transform(value) instead of the value
        (for values that may legitimately differ in type, such as the data
        connection transfercmd returns).  Returns the value itself."""
        self._collect_printed("between calls")
        try:
            value = fn(*args, **kwargs)
        except Exception as exc:
            self._collect_printed(label)
            self.rows.append((("raised", label) + describe(exc)[1:],
                              "%s  !!  %s: %s" % (label, qualified(type(exc)), show(str(exc)))))
            return None
        self._collect_printed(label)
        recorded = value if transform is None else transform(value)
        self.rows.append((("returned", label, describe(recorded)),
                          "%s  ->  %s" % (label, show(recorded))))
        return value

    def note(self, label, value):
        self._collect_printed("between calls")
        self.rows.append((("note", label, describe(value)), "%s  =  %s" % (label, show(value))))

    def crashed(self, exc):
        self._collect_printed("when the scenario stopped")
        self.crash = traceback.format_exc()
        self.rows.append((("scenario stopped",) + describe(exc)[1:],
                          "scenario stopped by an uncaught %s: %s"
                          % (qualified(type(exc)), show(str(exc)))))

    def finish(self):
        self._collect_printed("after the scenario")


class Blocks:
    """A retrbinary callback.  Block boundaries may differ between
    implementations, so summary() holds the concatenated data, whether every
    block is within blocksize and non-empty, and the blocks' types."""

    def __init__(self, blocksize=8192):
        self.blocksize = blocksize
        self.blocks = []

    def __call__(self, block):
        self.blocks.append(block)

    def summary(self):
        return {
            "data": b"".join(bytes(b) for b in self.blocks),
            "every block <= blocksize": all(len(b) <= self.blocksize for b in self.blocks),
            "no empty block": all(len(b) > 0 for b in self.blocks),
            "block types": sorted({type(b).__name__ for b in self.blocks}),
        }


class Calls:
    """A callback that records the arguments of every call, in order."""

    def __init__(self):
        self.calls = []

    def __call__(self, *args):
        self.calls.append(args[0] if len(args) == 1 else args)


class ReadOnlyFile:
    """An upload source with nothing but read(): storbinary must need no
    more.  .calls records every read (arguments, bytes returned)."""

    def __init__(self, data):
        self._io = io.BytesIO(data)
        self.calls = []

    def read(self, *args):
        data = self._io.read(*args)
        self.calls.append(("read", args, len(data)))
        return data


class ReadlineOnlyFile:
    """An upload source with nothing but readline(), for storlines."""

    def __init__(self, data):
        self._io = io.BytesIO(data)
        self.calls = []

    def readline(self, *args):
        data = self._io.readline(*args)
        self.calls.append(("readline", args, len(data)))
        return data


def a_connection(conn):
    """How transfercmd()'s result is recorded: not its type (ftplib returns
    a socket.socket or ssl.SSLSocket; any object with the socket methods the
    scenarios use will do), only that there is one."""
    return "a data connection" if conn is not None else None


def conn_and_size(result):
    """How ntransfercmd()'s result is recorded: a 2-tuple (conn, size)."""
    if isinstance(result, tuple) and len(result) == 2:
        return ("tuple (conn, size)", a_connection(result[0]), result[1])
    return result


def stable_mlsd(entries):
    """mlsd() entries with pyftpdlib's per-tree 'unique' fact blanked."""
    return [(name, {k: ("<varies>" if k == "unique" else v) for k, v in facts.items()})
            for name, facts in entries]


def caught_by_all_errors(mod, fn, *args):
    """What `except mod.all_errors` makes of fn(*args)."""
    try:
        fn(*args)
    except mod.all_errors as exc:
        return "caught by all_errors: %s" % qualified(type(exc))
    return "no exception"


def read_all(conn, size=65536):
    """Everything a data connection delivers, with recv()."""
    chunks = []
    while True:
        chunk = conn.recv(size)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


# ==========================================================================
# Where a run connects to (backends)


class Endpoint:
    """What a scenario gets as `srv`: host, port, user, password, family,
    root (served directory, shared servers only), ca_file (TLS servers),
    server (the server object)."""

    def __init__(self, server, root=None):
        self.server = server
        self.host = server.host
        self.port = server.port
        self.user = server.user
        self.password = server.password
        self.family = server.family
        self.root = root
        self.ca_file = getattr(server, "ca_file", None)


class SharedServer:
    """A long-running pyftpdlib/vsftpd server: before each run its root is
    reset to @tree; after it, the protocol log written during the run is the
    transcript and the root's content the files."""

    def __init__(self, server, tree=None):
        self.server = server
        self.tree = servers.STANDARD_TREE if tree is None else tree

    def begin(self):
        servers.populate_tree(self.server.root, self.tree)
        self.mark = self.server.mark()
        return Endpoint(self.server, self.server.root)

    def end(self, endpoint):
        transcript = self.server.transcript_since(self.mark)
        files = servers.snapshot_tree(self.server.root)
        return transcript, files


class FreshHostile:
    """A new hostile_server.py with @script for every run (its rules count
    commands over the server's lifetime, and its transcript is per server)."""

    def __init__(self, start, script, family=4, tls=False):
        self.start = start          # the hostile_server fixture
        self.script = script
        self.family = family
        self.tls = tls

    def begin(self):
        self.server = self.start(self.script, family=self.family, tls=self.tls)
        return Endpoint(self.server)

    def end(self, endpoint):
        transcript = self.server.transcript()
        self.server.stop()
        return transcript, {}


class NoServer:
    """For scenarios that need no server."""

    def begin(self):
        return None

    def end(self, endpoint):
        return [], {}


# ==========================================================================
# Running a scenario and comparing


def _libc_fflush():
    try:
        ctypes.CDLL(None).fflush(None)
    except (OSError, AttributeError):
        pass


@contextlib.contextmanager
def capture_fd1():
    """Captures what is written to file descriptor 1 itself."""
    box = {}
    for stream in (sys.stdout, sys.__stdout__):
        try:
            stream.flush()
        except (AttributeError, ValueError, OSError):
            pass
    saved = os.dup(1)
    with tempfile.TemporaryFile() as tmp:
        os.dup2(tmp.fileno(), 1)
        try:
            yield box
        finally:
            _libc_fflush()
            try:
                sys.__stdout__.flush()
            except (AttributeError, ValueError, OSError):
                pass
            os.dup2(saved, 1)
            os.close(saved)
            tmp.seek(0)
            box["data"] = tmp.read()


@contextlib.contextmanager
def hang_guards():
    old_timeout = socket.getdefaulttimeout()
    socket.setdefaulttimeout(HANG_GUARD_S)
    faulthandler.dump_traceback_later(RUN_WATCHDOG_S, exit=True)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()
        socket.setdefaulttimeout(old_timeout)


ASPECTS = ["calls", "stdout", "fd 1", "transcript", "files"]

ASPECT_TITLES = {
    "calls": "calls and their results (return values, exceptions, notes)",
    "stdout": "printed to sys.stdout",
    "fd 1": "written to file descriptor 1 directly",
    "transcript": "commands the server received (transcript)",
    "files": "files on the server after the run",
}


class RunResult:
    def __init__(self, side, recorder, fd1, transcript, files):
        self.side = side
        self.crash = recorder.crash
        self.aspects = {
            "calls": recorder.rows,
            "stdout": recorder.printed,
            "fd 1": [(line, line) for line in fd1.decode("utf-8", "replace").splitlines()],
            "transcript": [(normalise(row), normalise(row)) for row in transcript],
            "files": [((path, content), "%s/ (directory)" % path if content is None
                       else "%s: %s" % (path, show(content)))
                      for path, content in files.items()],
        }


def run_side(side, mod, scenario, backend):
    endpoint = backend.begin()
    recorder = Recorder()
    try:
        with capture_fd1() as fd1, contextlib.redirect_stdout(recorder.stdout), hang_guards():
            try:
                scenario(mod, endpoint, recorder)
            except Exception as exc:
                recorder.crashed(exc)
        recorder.finish()
    finally:
        transcript, files = backend.end(endpoint)
    return RunResult(side, recorder, fd1.get("data", b""), transcript, files)


def _first_difference(left, right):
    for i in range(max(len(left), len(right))):
        if i >= len(left) or i >= len(right) or left[i][0] != right[i][0]:
            return i
    return None


def _clip(text, width):
    return text if len(text) <= width else text[:width - 3] + "..."


def side_by_side(aspect, left, right, index, context=4, width=62):
    """The first difference of one aspect: rows around it, both sides."""
    lines = ["--- %s: first difference at row %d" % (ASPECT_TITLES[aspect], index),
             "       %-*s | %s" % (width, "stdlib ftplib", "candidate %s" % CANDIDATE_NAME)]
    start = max(0, index - context)
    stop = min(max(len(left), len(right)), index + context + 1)
    for i in range(start, stop):
        l_text = left[i][1] if i < len(left) else "<nothing>"
        r_text = right[i][1] if i < len(right) else "<nothing>"
        lines.append("%s %4d %-*s | %s" % (">" if i == index else " ", i, width,
                                          _clip(l_text, width), _clip(r_text, 200)))
    if index < len(left) and index < len(right) and left[index][1] == right[index][1]:
        lines.append("  (the rows read alike: they differ in a type, an exception's args, "
                     "or the like -- see 'compared as')")
    lines.append("  in full, row %d:" % index)
    for name, rows in (("stdlib   ", left), ("candidate", right)):
        if index < len(rows):
            lines.append("    %s %s" % (name, rows[index][1]))
            lines.append("    %s compared as %r" % (" " * len(name), rows[index][0]))
        else:
            lines.append("    %s <nothing: %d rows in all>" % (name, len(rows)))
    return "\n".join(lines)


def compare_runs(name, ref, cand, ignore=()):
    """Fails the test with a report of every aspect that differs."""
    problems = []
    for aspect in ASPECTS:
        if aspect in ignore:
            continue
        left, right = ref.aspects[aspect], cand.aspects[aspect]
        index = _first_difference(left, right)
        if index is not None:
            problems.append(side_by_side(aspect, left, right, index))
    if problems:
        report = ["scenario %s: the candidate %s differs from stdlib ftplib"
                  % (name, CANDIDATE_NAME)] + problems
        if cand.crash:
            report.append("--- the candidate's run stopped with:\n" + cand.crash)
        pytest.fail("\n\n".join(report), pytrace=False)


def run_both(scenario, backend, ignore=()):
    """Runs scenario(mod, srv, r) with ftplib, then with the candidate, and
    compares every aspect (except those in @ignore).  Returns both
    RunResults for further checks."""
    cand_mod = candidate_module()
    ref = run_side("stdlib", ftplib, scenario, backend)
    if ref.crash:
        pytest.fail("scenario %s is broken: with stdlib ftplib it raised an exception it "
                    "does not record:\n%s" % (scenario.__name__, ref.crash), pytrace=False)
    cand = run_side("candidate", cand_mod, scenario, backend)
    if os.environ.get("FTPC_DIFF_VERBOSE"):
        dump_run(scenario.__name__, ref)
    compare_runs(scenario.__name__, ref, cand, ignore)
    return ref, cand


def dump_run(name, result):
    """FTPC_DIFF_VERBOSE=1 (with pytest -s): prints what a run observed."""
    print("\n===== %s (%s run)" % (name, result.side))
    for aspect in ASPECTS:
        print("--- %s" % ASPECT_TITLES[aspect])
        for _, text in result.aspects[aspect]:
            print("    " + _clip(text, 220))


def login(mod, srv, r, cls=None, **kwargs):
    """The usual opening: connect and log in, recorded."""
    ftp = (cls or mod.FTP)(**kwargs)
    r.call("connect()", ftp.connect, srv.host, srv.port)
    r.call("login()", ftp.login, srv.user, srv.password)
    return ftp


ATTRIBUTES = ["host", "port", "timeout", "source_address", "encoding", "passiveserver",
              "maxline", "welcome", "debugging"]


def note_attributes(r, ftp, when, srv=None):
    """Records every public attribute.  With @srv (a fresh server per run,
    whose port differs) the port is recorded as (type, equals srv.port)."""
    for name in ATTRIBUTES:
        if name == "port" and srv is not None:
            r.call("%s: (type(ftp.port), ftp.port == server port)" % when,
                   lambda: (type(ftp.port).__name__, ftp.port == srv.port))
        else:
            r.call("%s: ftp.%s" % (when, name), getattr, ftp, name)


# ==========================================================================
# The module itself


def test_candidate_importable():
    """The candidate imports (a failure here is the clearest message)."""
    assert candidate_module() is not None


def test_module_surface():
    """Compares: __all__ (as a set), the exception classes BY IDENTITY (the
    candidate re-exports ftplib's own), all_errors (same classes, same
    order), FTP_TLS a subclass of FTP."""
    cand = candidate_module()
    assert sorted(cand.__all__) == sorted(ftplib.__all__)
    for name in ("Error", "error_reply", "error_temp", "error_perm", "error_proto"):
        assert getattr(cand, name) is getattr(ftplib, name), name
    assert isinstance(cand.all_errors, tuple)
    assert cand.all_errors == ftplib.all_errors
    assert all(a is b for a, b in zip(cand.all_errors, ftplib.all_errors))
    assert issubclass(cand.FTP_TLS, cand.FTP)
    for name in ("FTP", "FTP_TLS"):
        assert isinstance(getattr(cand, name), type), name


def scenario_module_helpers(mod, srv, r):
    # Not in __all__, but part of ftplib's namespace and used by programs.
    for name in ("FTP_PORT", "MAXLINE", "CRLF", "B_CRLF", "MSG_OOB"):
        r.call("mod.%s" % name, getattr, mod, name)
    r.call("parse150 with size", lambda: mod.parse150(
        "150 Opening BINARY mode data connection for x (1234 bytes)."))
    r.call("parse150 without size", lambda: mod.parse150("150 Here it comes."))
    r.call("parse150 on a 125", lambda: mod.parse150("125 Already open."))
    r.call("parse227", lambda: mod.parse227("227 Entering Passive Mode (10,1,2,3,4,5)."))
    r.call("parse227 without numbers", lambda: mod.parse227("227 Entering Passive Mode."))
    r.call("parse227 on a 200", lambda: mod.parse227("200 ok"))
    r.call("parse229", lambda: mod.parse229("229 Extended Passive Mode (|||6446|)", ("::1", 21)))
    r.call("parse229 malformed", lambda: mod.parse229("229 Extended (|x|6446|)", ("::1", 21)))
    r.call("parse257", lambda: mod.parse257('257 "/a ""quoted"" dir" is current'))
    r.call("parse257 unquoted", lambda: mod.parse257("257 /plain"))
    r.call("parse257 on a 250", lambda: mod.parse257("250 ok"))
    r.call("print_line", lambda: mod.print_line("a printed line"))
    r.call("ftpcp is callable", lambda: callable(mod.ftpcp))


def test_module_helpers():
    """Compares the undocumented module-level names: constants, the reply
    parsers parse150/227/229/257 (results and exceptions), print_line's
    output, ftpcp's existence."""
    run_both(scenario_module_helpers, NoServer())


def scenario_attributes_unconnected(mod, srv, r):
    ftp = mod.FTP()
    note_attributes(r, ftp, "FTP()")
    for name in ("port", "maxline", "host", "passiveserver", "welcome", "debugging"):
        r.call("class attribute FTP.%s" % name, getattr, mod.FTP, name)
    ftp = mod.FTP(timeout=None, source_address=("127.0.0.1", 0), encoding="latin-1")
    note_attributes(r, ftp, "FTP(timeout=None, source_address, encoding)")
    r.call("set_pasv(False)", ftp.set_pasv, False)
    r.call("passiveserver", getattr, ftp, "passiveserver")
    r.call("set_pasv(0)", ftp.set_pasv, 0)
    r.call("passiveserver", getattr, ftp, "passiveserver")
    r.call("set_pasv(True)", ftp.set_pasv, True)
    r.call("passiveserver", getattr, ftp, "passiveserver")
    r.call("set_debuglevel(2)", ftp.set_debuglevel, 2)
    r.call("debugging", getattr, ftp, "debugging")
    r.call("debug(1)", ftp.debug, 1)
    r.call("debugging", getattr, ftp, "debugging")
    r.call("set_debuglevel(0)", ftp.set_debuglevel, 0)
    r.call("getwelcome() before connect", ftp.getwelcome)
    r.call("close() never connected", ftp.close)
    r.call("close() again", ftp.close)
    r.call("connect(timeout=0)", ftp.connect, "127.0.0.1", 9, 0)
    r.call("timeout after connect(timeout=0)", getattr, ftp, "timeout")

    def context_manager_unconnected():
        ftp2 = mod.FTP()
        with ftp2 as entered:
            same = entered is ftp2
        return same
    r.call("with FTP() as f: (never connected); f is the object", context_manager_unconnected)

    tls = mod.FTP_TLS()
    note_attributes(r, tls, "FTP_TLS()")
    r.call("FTP_TLS().context is an SSLContext", lambda: isinstance(tls.context, ssl.SSLContext))
    r.call("FTP_TLS().context.verify_mode", lambda: tls.context.verify_mode)
    r.call("FTP_TLS().context.check_hostname", lambda: tls.context.check_hostname)
    ctx = ssl.create_default_context()
    r.call("FTP_TLS(context=ctx).context is ctx", lambda: mod.FTP_TLS(context=ctx).context is ctx)
    r.call("FTP_TLS(context and certfile)", mod.FTP_TLS, context=ctx, certfile="x.pem")
    r.call("FTP_TLS(context and keyfile)", mod.FTP_TLS, context=ctx, keyfile="x.key")
    r.call("ccc() unconnected", tls.ccc)


def test_attributes_unconnected():
    """Compares, without a server: every public attribute of FTP() and of
    FTP(timeout=None, source_address=..., encoding='latin-1') (the default
    timeout is socket._GLOBAL_DEFAULT_TIMEOUT itself), class attributes,
    set_pasv/set_pasv(0)/set_debuglevel/debug and the stored values,
    getwelcome() before connect, close() when never connected, connect() with
    timeout=0 (ValueError), the context manager on an unconnected object,
    FTP_TLS's default context (an unverified SSLContext), context=ctx,
    the context/certfile and context/keyfile ValueErrors, ccc() unconnected."""
    run_both(scenario_attributes_unconnected, NoServer())


def scenario_connect_refused(mod, srv, r):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))        # bound, never listening: connect is refused
        port = s.getsockname()[1]
        ftp = mod.FTP()
        r.call("connect() to a closed port", ftp.connect, "127.0.0.1", port)
        r.call("caught by all_errors", caught_by_all_errors, mod, ftp.connect, "127.0.0.1", port)
        r.call("port attribute after the failure == that port", lambda: ftp.port == port)
        r.call("welcome after the failure", getattr, ftp, "welcome")
        r.call("close()", ftp.close)


def test_connect_refused():
    """Compares connect() to a port nobody listens on: the exception
    (ConnectionRefusedError, args, message), that all_errors catches it,
    the attributes it left behind."""
    run_both(scenario_connect_refused, NoServer())


# ==========================================================================
# Connecting and logging in


def scenario_connect_login_named(mod, srv, r):
    ftp = mod.FTP()
    r.call("connect(host, port)", ftp.connect, srv.host, srv.port)
    note_attributes(r, ftp, "after connect")
    r.call("getwelcome()", ftp.getwelcome)
    r.call("login(user, passwd)", ftp.login, srv.user, srv.password)
    note_attributes(r, ftp, "after login")
    r.call("pwd()", ftp.pwd)
    r.call("quit()", ftp.quit)
    note_attributes(r, ftp, "after quit")
    ftp = mod.FTP()
    r.call("connect(host, port, timeout, source_address)", ftp.connect, srv.host, srv.port,
           12.5, (srv.host, 0))
    note_attributes(r, ftp, "after connect with timeout and source_address")
    r.call("login(user, passwd)", ftp.login, srv.user, srv.password)
    r.call("close()", ftp.close)


def test_connect_login_named(pyftpdlib_server):
    """pyftpdlib.  Compares connect()'s return (the welcome), getwelcome(),
    login() with a named account, pwd(), quit(), and all public attributes
    after connect, login and quit; a second session with connect(timeout,
    source_address).  Transcript: USER/PASS/PWD/QUIT."""
    run_both(scenario_connect_login_named, SharedServer(pyftpdlib_server))


def scenario_login_anonymous(mod, srv, r):
    ftp = mod.FTP()
    r.call("connect()", ftp.connect, srv.host, srv.port)
    r.call("login() (anonymous)", ftp.login)
    r.call("pwd()", ftp.pwd)
    r.call("nlst()", ftp.nlst)
    r.call("quit()", ftp.quit)


def test_login_anonymous(pyftpdlib_server):
    """pyftpdlib.  Compares an anonymous login() (no arguments) and a
    listing; transcript USER anonymous (pyftpdlib hides the password: see
    test_login_variants for it)."""
    run_both(scenario_login_anonymous, SharedServer(pyftpdlib_server))


LOGIN_SCRIPT = r"""
# connection 4: PASS answered 332, so login() sends ACCT
on PASS #4 reply 332 need account
on ACCT #1 reply 230 account ok
# connection 6: USER alone logs in
on USER #6 reply 230 no password needed
# connection 7: wrong password
on PASS #6 reply 530 login incorrect
# connection 8: USER answered 1xx
on USER #8 reply 120 come back later
# connection 9: 332 then ACCT refused
on PASS #7 reply 332 need account
on ACCT #2 reply 503 bad account
# ftp.acct() on connection 10
on ACCT #3 reply 202 account superfluous
"""


def scenario_login_variants(mod, srv, r):
    cases = [
        ("login()", ()),
        ("login('anonymous', '-')", ("anonymous", "-")),
        ("login('', '')", ("", "")),
        ("login('joe', 'pw', 'acct') with 332", ("joe", "pw", "acct")),
        ("login('joe', '')", ("joe", "")),
        ("login('joe', 'pw') with USER 230", ("joe", "pw")),
        ("login('joe', 'bad') with 530", ("joe", "bad")),
        ("login('joe', 'pw') with USER 120", ("joe", "pw")),
        ("login('joe', 'pw') with 332 and no acct", ("joe", "pw")),
        ("login('anonymous', 'me@example.org')", ("anonymous", "me@example.org")),
    ]
    for label, args in cases:
        ftp = mod.FTP()
        r.call("connect()", ftp.connect, srv.host, srv.port)
        r.call(label, ftp.login, *args)
        if label.startswith("login('anonymous', 'me"):
            r.call("acct('billing')", ftp.acct, "billing")
        r.call("close()", ftp.close)


def test_login_variants(hostile_server):
    """hostile_server (exact transcript, PASS included).  Compares login()
    for: anonymous defaults (PASS anonymous@), '-' (PASS -anonymous@), empty
    user, a 332 that makes it send ACCT, an empty password, USER answered
    230, a 530, USER answered 1xx (error_reply), 332 without an account
    (ACCT with an empty argument); acct() on its own."""
    run_both(scenario_login_variants, FreshHostile(hostile_server, LOGIN_SCRIPT))


CONSTRUCTOR_SCRIPT = r"""
on PASS #1 reply 332 need account
on ACCT #1 reply 230 account ok
"""


def scenario_constructor_arguments(mod, srv, r):
    class PortFTP(mod.FTP):
        # FTP(host) connects to the class's port: the drop-in way to use a
        # server that is not on port 21.
        port = srv.port

    ftp = r.call("PortFTP(host, user, passwd, acct, timeout, source_address, encoding=)",
                 PortFTP, srv.host, "joe", "pw", "projects", 20, (srv.host, 0),
                 encoding="latin-1")
    note_attributes(r, ftp, "after the constructor", srv)
    r.call("getwelcome()", ftp.getwelcome)
    r.call("sendcmd('NOOP')", ftp.sendcmd, "NOOP")
    r.call("quit()", ftp.quit)
    ftp = r.call("PortFTP(host) (connects, does not log in)", PortFTP, srv.host)
    note_attributes(r, ftp, "after PortFTP(host)", srv)
    r.call("login('joe', 'pw')", ftp.login, "joe", "pw")
    r.call("quit()", ftp.quit)
    ftp = r.call("PortFTP(host, timeout=None)", PortFTP, srv.host, timeout=None)
    r.call("timeout", getattr, ftp, "timeout")
    r.call("close()", ftp.close)


def test_constructor_arguments(hostile_server):
    """hostile_server.  Compares the constructor with every argument (host,
    user, passwd, acct, timeout, source_address, encoding) through a
    subclass that sets the class attribute `port` (so FTP(host) reaches the
    test server), the attributes it sets, ACCT sent by the implicit login;
    FTP(host) alone; FTP(host, timeout=None)."""
    run_both(scenario_constructor_arguments, FreshHostile(hostile_server, CONSTRUCTOR_SCRIPT))


# ==========================================================================
# Commands and replies


def scenario_sendcmd_voidcmd(mod, srv, r):
    ftp = login(mod, srv, r)
    r.call("sendcmd('NOOP')", ftp.sendcmd, "NOOP")
    r.call("voidcmd('NOOP')", ftp.voidcmd, "NOOP")
    r.call("sendcmd('noop') (lower case)", ftp.sendcmd, "noop")
    r.call("sendcmd('SYST')", ftp.sendcmd, "SYST")
    r.call("sendcmd('STAT') (multi-line)", ftp.sendcmd, "STAT")
    r.call("sendcmd('HELP') (multi-line)", ftp.sendcmd, "HELP")
    r.call("sendcmd('FEAT') (multi-line)", ftp.sendcmd, "FEAT")
    r.call("voidcmd('TYPE I')", ftp.voidcmd, "TYPE I")
    r.call("sendcmd('MDTM a.txt')", ftp.sendcmd, "MDTM a.txt")
    r.call("voidcmd('RNFR a.txt') (a 350)", ftp.voidcmd, "RNFR a.txt")
    r.call("sendcmd('RNTO renamed.txt')", ftp.sendcmd, "RNTO renamed.txt")
    r.call("sendcmd('XYZZY') (a 500)", ftp.sendcmd, "XYZZY")
    r.call("voidcmd('RETR missing.txt') (a 550 before any data connection)", ftp.voidcmd,
           "RETR missing.txt")
    r.call("caught by all_errors", caught_by_all_errors, mod, ftp.sendcmd, "XYZZY")
    r.call("quit()", ftp.quit)


def test_sendcmd_voidcmd(pyftpdlib_server):
    """pyftpdlib.  Compares sendcmd/voidcmd results: single- and multi-line
    replies (STAT, HELP, FEAT joined with \\n), a 350 to voidcmd
    (error_reply), 500/550 (error_perm, message = the reply), all_errors;
    the transcript; the rename's effect on the files."""
    run_both(scenario_sendcmd_voidcmd, SharedServer(pyftpdlib_server))


REPLIES_SCRIPT = r"""
banner 220-first line\r\n second line, no code\r\n220-third\r\n220 last
on NOOP #1 reply 200-multi\r\n201 another code does not end it\r\n200-still\r\n200 end
on NOOP #2 raw 200 bare LF ending\n
on NOOP #3 reply 400
on NOOP #4 reply 999
on NOOP #5 reply 450 try later
on NOOP #6 reply 550 denied
on NOOP #7 reply 000 zero
on NOOP #8 reply 250-first\r\n250-second\r\n250 last
on NOOP #9 reply 150 preliminary
  reply 250 final
on NOOP #10 reply 350 need more
on NOOP #11 reply 150 preliminary again
on NOOP #12 reply 226 left over
on NOOP #13 reply 200\s
on NOOP #14 reply 211-a\r\n 211 indented is text\r\n211 end
on NOOP #15 reply 600 out of range
on NOOP #16 reply 199 almost
"""


def scenario_reply_parsing(mod, srv, r):
    ftp = mod.FTP()
    r.call("connect() (multi-line banner)", ftp.connect, srv.host, srv.port)
    r.call("getwelcome()", ftp.getwelcome)
    r.call("login()", ftp.login, "joe", "pw")
    r.call("sendcmd: multi-line, other codes inside", ftp.sendcmd, "NOOP")
    r.call("sendcmd: bare LF ending", ftp.sendcmd, "NOOP")
    r.call("sendcmd: bare '400'", ftp.sendcmd, "NOOP")
    r.call("sendcmd: bare '999'", ftp.sendcmd, "NOOP")
    r.call("sendcmd: 450", ftp.sendcmd, "NOOP")
    r.call("voidcmd: 550", ftp.voidcmd, "NOOP")
    r.call("sendcmd: '000 zero'", ftp.sendcmd, "NOOP")
    r.call("sendcmd: multi-line of dashes", ftp.sendcmd, "NOOP")
    r.call("sendcmd: 150 (returned)", ftp.sendcmd, "NOOP")
    r.call("getresp(): the 250 after it", ftp.getresp)
    r.call("voidcmd: 350", ftp.voidcmd, "NOOP")
    r.call("voidcmd: 150", ftp.voidcmd, "NOOP")
    r.call("voidcmd: 226", ftp.voidcmd, "NOOP")
    r.call("sendcmd: '200 '", ftp.sendcmd, "NOOP")
    r.call("sendcmd: indented code inside", ftp.sendcmd, "NOOP")
    r.call("sendcmd: 600", ftp.sendcmd, "NOOP")
    r.call("voidcmd: 199", ftp.voidcmd, "NOOP")
    r.call("the default reply (500)", ftp.sendcmd, "SITE X")
    r.call("quit()", ftp.quit)


def test_reply_parsing(hostile_server):
    """hostile_server.  Compares how replies are read and classified: a
    multi-line banner with a code-less line, multi-line replies with other
    codes inside, a bare-LF ending, bare "400" (error_temp('400')) and "999"
    (error_proto('999')), 450 (error_temp), 550 (error_perm), "abc" and an
    empty line (error_proto), a 1xx returned by sendcmd then getresp(),
    voidcmd's error_reply for 350/150 and success for 226, "200 ", "2",
    600 (error_proto), 199 (error_reply); transcript."""
    run_both(scenario_reply_parsing, FreshHostile(hostile_server, REPLIES_SCRIPT))


ERRORS_SCRIPT = r"""
on RETR reply 450 file busy
on STOR reply 452 disk full
on CWD reply 550 no such directory
on MKD reply 400
on RMD reply 999
on DELE reply 150 what
"""


def scenario_hostile_errors(mod, srv, r):
    ftp = mod.FTP()
    r.call("connect()", ftp.connect, srv.host, srv.port)
    r.call("login()", ftp.login, "joe", "pw")
    r.call("retrbinary: 450", ftp.retrbinary, "RETR f", Calls())
    r.call("storbinary: 452", ftp.storbinary, "STOR f", io.BytesIO(b"data"))
    r.call("cwd: 550", ftp.cwd, "nowhere")
    r.call("mkd: bare 400", ftp.mkd, "d")
    r.call("rmd: bare 999", ftp.rmd, "d")
    r.call("delete: 150", ftp.delete, "f")
    for label, fn, args in (("retrbinary", ftp.retrbinary, ("RETR f", Calls())),
                            ("cwd", ftp.cwd, ("nowhere",)),
                            ("mkd", ftp.mkd, ("d",)),
                            ("rmd", ftp.rmd, ("d",))):
        r.call("all_errors catches %s's error" % label, caught_by_all_errors, mod, fn, *args)
    r.call("quit()", ftp.quit)


def test_hostile_errors(hostile_server):
    """hostile_server.  Compares the errors of the high-level methods: 4xx
    on RETR/STOR (error_temp; the data connection was opened first: PASV
    and TYPE in the transcript), 550 on CWD, bare 400/999 on MKD/RMD, a 1xx
    on DELE (error_reply); that `except all_errors` catches them."""
    run_both(scenario_hostile_errors, FreshHostile(hostile_server, ERRORS_SCRIPT))


MAXLINE_SCRIPT = r"""
on NOOP #1 reply 200 %repeat[9000 x a]%
on NOOP #2 reply 200 %repeat[200 x b]%
on NOOP #3 reply 200 %repeat[8187 x c]%
on NOOP #4 reply 200 %repeat[8188 x d]%
on NOOP #5 reply 200-%repeat[8188 x e]%\r\n200 end
on LIST serve short line\r\n%repeat[9000 x f]%\r\nnever seen\r\n
on STOR store
"""


def scenario_maxline(mod, srv, r):
    def session():
        ftp = mod.FTP()
        r.call("connect()", ftp.connect, srv.host, srv.port)
        r.call("login()", ftp.login, "joe", "pw")
        return ftp
    ftp = session()
    r.call("sendcmd: a 9004-byte reply line", ftp.sendcmd, "NOOP")
    r.call("close()", ftp.close)
    ftp = session()
    r.call("set maxline = 100", setattr, ftp, "maxline", 100)
    r.call("sendcmd: a 204-byte line, maxline 100", ftp.sendcmd, "NOOP")
    r.call("close()", ftp.close)
    ftp = session()
    r.call("sendcmd: 8191 characters + CRLF (just fits)", ftp.sendcmd, "NOOP")
    r.call("sendcmd: 8192 characters + CRLF (one too many)", ftp.sendcmd, "NOOP")
    r.call("close()", ftp.close)
    ftp = session()
    r.call("sendcmd: an 8192-character continuation line", ftp.sendcmd, "NOOP")
    r.call("close()", ftp.close)
    ftp = session()
    lines = Calls()
    r.call("retrlines: a 9000-byte data line", ftp.retrlines, "LIST", lines)
    r.note("lines before the error", lines.calls)
    r.call("close()", ftp.close)
    ftp = session()
    source = ReadlineOnlyFile(b"short\n" + b"g" * 9000 + b"\nnever sent\n")
    r.call("storlines: a 9000-byte line", ftp.storlines, "STOR up.txt", source)
    r.note("readline calls", source.calls)
    r.call("close()", ftp.close)


def test_maxline(hostile_server):
    """hostile_server.  Compares ftplib.Error('got more than 8192 bytes')
    for a long reply line, the instance attribute maxline=100 honoured, the
    exact boundary (a line of 8191 characters plus CRLF is fine, 8192 is
    not), a long continuation line, retrlines and storlines with a line over
    maxline (the lines delivered before, the readline() calls, what reached
    the server).  Each error ends its session: only close() follows."""
    run_both(scenario_maxline, FreshHostile(hostile_server, MAXLINE_SCRIPT))


def scenario_getresp_voidresp_transfer(mod, srv, r):
    ftp = login(mod, srv, r)
    r.call("voidcmd('TYPE I')", ftp.voidcmd, "TYPE I")
    for command, upload in (("RETR a.txt", None), ("LIST", None), ("STOR manual.bin", b"x" * 5000)):
        reply = r.call("sendcmd('PASV')", ftp.sendcmd, "PASV")
        _, port = ftplib.parse227(reply)          # the stdlib's parser for both runs
        with socket.create_connection((srv.host, port), timeout=HANG_GUARD_S) as data:
            r.call("sendcmd(%r) (a 1xx, returned)" % command, ftp.sendcmd, command)
            if upload is None:
                r.note("data received", read_all(data))
            else:
                data.sendall(upload)
        if command == "LIST":
            r.call("voidresp()", ftp.voidresp)
        else:
            r.call("getresp()", ftp.getresp)
    r.call("quit()", ftp.quit)


def test_getresp_voidresp_transfer(pyftpdlib_server):
    """pyftpdlib.  Transfers driven by hand: sendcmd('PASV'), a data
    connection the test opens itself, sendcmd of RETR/LIST/STOR (their 1xx
    reply is returned, not raised), then getresp()/voidresp() for the 226.
    Compares the replies, the data, the transcript, the uploaded file."""
    run_both(scenario_getresp_voidresp_transfer, SharedServer(pyftpdlib_server))


GETRESP_SCRIPT = r"""
on STAT reply 150 status follows
  reply 211 status done
on SITE #1 reply 150 working
  reply 450 failed later
on SITE #2 reply 150 working
  reply 250 done
on SITE #3 reply 150 working
  reply 350 more
"""


def scenario_getresp_voidresp_errors(mod, srv, r):
    ftp = mod.FTP()
    r.call("connect()", ftp.connect, srv.host, srv.port)
    r.call("login()", ftp.login, "joe", "pw")
    r.call("sendcmd('STAT') (150)", ftp.sendcmd, "STAT")
    r.call("getresp() (211)", ftp.getresp)
    r.call("sendcmd('SITE A') (150)", ftp.sendcmd, "SITE A")
    r.call("voidresp() (450)", ftp.voidresp)
    r.call("sendcmd('SITE B') (150)", ftp.sendcmd, "SITE B")
    r.call("voidresp() (250)", ftp.voidresp)
    r.call("sendcmd('SITE C') (150)", ftp.sendcmd, "SITE C")
    r.call("voidresp() (350)", ftp.voidresp)
    r.call("quit()", ftp.quit)


def test_getresp_voidresp_errors(hostile_server):
    """hostile_server.  Compares getresp() returning a 2xx after a 1xx, and
    voidresp() raising error_temp for a 450 and error_reply for a 350."""
    run_both(scenario_getresp_voidresp_errors, FreshHostile(hostile_server, GETRESP_SCRIPT))


# ==========================================================================
# Debug output


def scenario_debug_output(mod, srv, r):
    ftp = mod.FTP()
    r.call("set_debuglevel(2)", ftp.set_debuglevel, 2)
    r.call("connect()", ftp.connect, srv.host, srv.port)
    r.call("getwelcome()", ftp.getwelcome)
    r.call("login()", ftp.login, srv.user, srv.password)
    r.call("sendcmd('STAT') (multi-line)", ftp.sendcmd, "STAT")
    r.call("sendcmd('PASS secret') (masked in the trace)", ftp.sendcmd, "PASS secret")
    r.call("sendcmd('pass lower') (masked too)", ftp.sendcmd, "pass lower")
    r.call("debug(1)", ftp.debug, 1)
    r.call("debugging", getattr, ftp, "debugging")
    r.call("pwd()", ftp.pwd)
    r.call("nlst()", ftp.nlst)
    r.call("retrbinary('RETR a.txt')", ftp.retrbinary, "RETR a.txt", Calls())
    r.call("set_debuglevel(3)", ftp.set_debuglevel, 3)
    lines = Calls()
    r.call("retrlines('RETR lines.txt') at level 3", ftp.retrlines, "RETR lines.txt", lines)
    r.note("lines", lines.calls)
    r.call("storlines at level 3", ftp.storlines, "STOR dbg.txt", io.BytesIO(b"one\ntwo\n"))
    r.call("set_debuglevel(2)", ftp.set_debuglevel, 2)
    r.call("abort() (no transfer) at level 2", ftp.abort)
    r.call("set_pasv(False)", ftp.set_pasv, False)
    r.call("nlst() active at level 2", ftp.nlst, "sub")
    r.call("set_debuglevel(0)", ftp.set_debuglevel, 0)
    r.call("sendcmd('NOOP') at level 0", ftp.sendcmd, "NOOP")
    r.call("set_debuglevel(1)", ftp.set_debuglevel, 1)
    r.call("getwelcome() at level 1", ftp.getwelcome)
    r.call("quit() at level 1", ftp.quit)


def test_debug_output(pyftpdlib_server):
    """pyftpdlib.  Compares what the debug levels print to sys.stdout
    (captured, line by line per call): level 2's *get*/*put*/*cmd*/*resp*
    and the welcome, the PASS masking (also 'pass ' in lower case), level
    1, level 3's *retr* lines, abort()'s *put urgent*, active mode's PORT
    at level 2, level 0 silent, getwelcome()'s *welcome*; debugging's value."""
    run_both(scenario_debug_output, SharedServer(pyftpdlib_server))


# ==========================================================================
# Transfers


def scenario_retrbinary(mod, srv, r):
    ftp = login(mod, srv, r)
    for label, args, kwargs, blocksize in [
            ("retrbinary('RETR big.bin') default blocksize", ("RETR big.bin",), {}, 8192),
            ("retrbinary('RETR big.bin', blocksize=1000)", ("RETR big.bin",),
             {"blocksize": 1000}, 1000),
            ("retrbinary('RETR big.bin', 4096, rest=150000)", ("RETR big.bin",),
             {"blocksize": 4096, "rest": 150000}, 4096),
            ("retrbinary('RETR a.txt', rest='2') (a str rest)", ("RETR a.txt",),
             {"rest": "2"}, 8192),
            ("retrbinary('RETR a.txt', cb, 2) (positional blocksize)", ("RETR a.txt",),
             {}, 2),
            ("retrbinary('RETR empty.txt')", ("RETR empty.txt",), {}, 8192),
            ("retrbinary('RETR caf\u00e9.txt') (a UTF-8 name)", ("RETR caf\u00e9.txt",), {}, 8192)]:
        blocks = Blocks(blocksize)
        if "positional" in label:
            r.call(label, ftp.retrbinary, args[0], blocks, 2)
        else:
            r.call(label, ftp.retrbinary, args[0], blocks, **kwargs)
        r.note("received", blocks.summary())
    blocks = Blocks()
    r.call("retrbinary('RETR missing.txt')", ftp.retrbinary, "RETR missing.txt", blocks)
    r.note("received", blocks.summary())
    r.call("retrbinary('RETR sub') (a directory)", ftp.retrbinary, "RETR sub", Blocks())
    r.call("all_errors catches a 550", caught_by_all_errors, mod, ftp.retrbinary,
           "RETR missing.txt", Blocks())
    r.call("quit()", ftp.quit)


def test_retrbinary(pyftpdlib_server):
    """pyftpdlib, passive.  Compares retrbinary(): the return value, the
    data (concatenated; blocks within blocksize, none empty, all bytes) for
    the default blocksize, 1000, a positional 2, rest=150000 and rest='2'
    (REST in the transcript), an empty file, a non-ASCII name; a missing
    file and a directory (error_perm with the 550 text), all_errors."""
    run_both(scenario_retrbinary, SharedServer(pyftpdlib_server))


def scenario_retrlines(mod, srv, r):
    ftp = login(mod, srv, r)
    r.call("retrlines('LIST') (prints)", ftp.retrlines, "LIST")
    for command in ("RETR lines.txt", "NLST", "NLST sub", "LIST emptydir", "MLSD",
                    "RETR empty.txt"):
        lines = Calls()
        r.call("retrlines(%r, callback)" % command, ftp.retrlines, command, lines)
        r.note("callback calls", lines.calls)
    r.call("retrlines('RETR missing.txt')", ftp.retrlines, "RETR missing.txt", Calls())
    r.call("retrlines('NLST missing')", ftp.retrlines, "NLST missing")
    r.call("quit()", ftp.quit)


def test_retrlines(pyftpdlib_server):
    """pyftpdlib.  Compares retrlines(): the default callback printing LIST
    to stdout; a custom callback's exact line list for RETR (mixed line
    endings, an empty line, a tab, no final newline), NLST, LIST of an empty
    directory (no calls), MLSD, an empty file; errors for missing files."""
    run_both(scenario_retrlines, SharedServer(pyftpdlib_server))


LINES_SCRIPT = r"""
on RETR #1 serve crlf\r\nlf only\ncr only\rmixed\r\r\n\r\ntab\there\r\nno final newline
on RETR #2 serve \r\n\r\n
on RETR #3 serve one line without newline
"""


def scenario_retrlines_line_endings(mod, srv, r):
    ftp = mod.FTP()
    r.call("connect()", ftp.connect, srv.host, srv.port)
    r.call("login()", ftp.login, "joe", "pw")
    for name in ("mixed", "blank", "single"):
        lines = Calls()
        r.call("retrlines('RETR %s')" % name, ftp.retrlines, "RETR " + name, lines)
        r.note("lines", lines.calls)
    r.call("quit()", ftp.quit)


def test_retrlines_line_endings(hostile_server):
    """hostile_server (exact data).  Compares retrlines' line splitting:
    ftplib reads the data connection as text with universal newlines, so
    CRLF, LF and a lone CR all end a line; CR CR LF; empty lines; a last
    line without newline; a single line without newline."""
    run_both(scenario_retrlines_line_endings, FreshHostile(hostile_server, LINES_SCRIPT))


def scenario_storbinary(mod, srv, r):
    ftp = login(mod, srv, r)
    data = servers.pseudo_random_bytes(50000, b"upload")
    source = ReadOnlyFile(data)
    sent = Calls()
    r.call("storbinary('STOR up.bin', fp, callback=cb)", ftp.storbinary, "STOR up.bin",
           source, callback=sent)
    r.note("fp.read calls", source.calls)
    r.note("callback calls", sent.calls)
    source = ReadOnlyFile(data[:2500])
    sent = Calls()
    r.call("storbinary('STOR up1000.bin', fp, 1000, cb) (positional)", ftp.storbinary,
           "STOR up1000.bin", source, 1000, sent)
    r.note("fp.read calls", source.calls)
    r.note("callback calls", sent.calls)
    r.call("storbinary('STOR a.txt', fp, rest=2)", ftp.storbinary, "STOR a.txt",
           io.BytesIO(b"XY"), rest=2)
    r.call("storbinary('STOR lines.txt', fp, blocksize=3, rest='5')", ftp.storbinary,
           "STOR lines.txt", io.BytesIO(b"REPLACED"), blocksize=3, rest="5")
    source = ReadOnlyFile(b"")
    r.call("storbinary('STOR zero.bin', empty fp)", ftp.storbinary, "STOR zero.bin", source)
    r.note("fp.read calls", source.calls)
    r.call("storbinary('STOR sub/nested.bin', fp)", ftp.storbinary, "STOR sub/nested.bin",
           io.BytesIO(b"nested"))
    r.call("storbinary('STOR nodir/x.bin') (550)", ftp.storbinary, "STOR nodir/x.bin",
           io.BytesIO(b"x"))
    r.call("quit()", ftp.quit)


def test_storbinary(pyftpdlib_server):
    """pyftpdlib.  Compares storbinary(): return values; how the file
    object is used (it has only read(): the exact read() calls); the
    callback's exact blocks; blocksize given by keyword and positionally;
    rest=2 and rest='5' (REST, then the server overwrites from there); an
    empty upload; a 550; the files the server ends up with."""
    run_both(scenario_storbinary, SharedServer(pyftpdlib_server))


def scenario_storlines(mod, srv, r):
    ftp = login(mod, srv, r)
    source = ReadlineOnlyFile(b"one\r\ntwo\nthree\rstill three\n\nlast without newline")
    sent = Calls()
    r.call("storlines('STOR up.txt', fp, callback)", ftp.storlines, "STOR up.txt", source, sent)
    r.note("fp.readline calls", source.calls)
    r.note("callback calls", sent.calls)
    source = ReadlineOnlyFile(b"a\nb\n")
    r.call("storlines('STOR up2.txt', fp) no callback", ftp.storlines, "STOR up2.txt", source)
    r.note("fp.readline calls", source.calls)
    r.call("storlines('STOR empty-up.txt', empty fp)", ftp.storlines, "STOR empty-up.txt",
           io.BytesIO(b""))
    r.call("storlines('STOR nodir/x.txt') (550)", ftp.storlines, "STOR nodir/x.txt",
           io.BytesIO(b"x\n"))
    r.call("quit()", ftp.quit)


def test_storlines(pyftpdlib_server):
    """pyftpdlib.  Compares storlines(): return values, the exact
    readline() calls on a file object that has nothing else, the callback's
    lines (CRLF-terminated by ftplib, a lone CR or LF replaced), an empty
    upload, a 550, and the stored files (pyftpdlib turns CRLF into LF)."""
    run_both(scenario_storlines, SharedServer(pyftpdlib_server))


def scenario_transfercmd(mod, srv, r):
    ftp = login(mod, srv, r)
    r.call("voidcmd('TYPE I')", ftp.voidcmd, "TYPE I")
    result = r.call_as("ntransfercmd('RETR big.bin')", conn_and_size, ftp.ntransfercmd,
                       "RETR big.bin")
    if result is not None:
        conn, size = result
        r.call("conn.settimeout(20)", conn.settimeout, 20)
        with conn.makefile("rb") as f:
            r.note("conn.makefile('rb').read()", f.read())
        r.call("conn.close()", conn.close)
        r.call("voidresp()", ftp.voidresp)
    conn = r.call_as("transfercmd('RETR big.bin', rest=199990)", a_connection,
                     ftp.transfercmd, "RETR big.bin", 199990)
    if conn is not None:
        r.note("recv until EOF", read_all(conn, 7))
        conn.close()
        r.call("voidresp()", ftp.voidresp)
    conn = r.call_as("transfercmd('STOR tc.bin')", a_connection, ftp.transfercmd, "STOR tc.bin")
    if conn is not None:
        r.call("conn.sendall()", conn.sendall, b"sent with sendall\n" * 100)
        r.call("conn.close()", conn.close)
        r.call("voidresp()", ftp.voidresp)
    r.call("voidcmd('TYPE A')", ftp.voidcmd, "TYPE A")
    conn = r.call_as("transfercmd('LIST sub')", a_connection, ftp.transfercmd, "LIST sub")
    if conn is not None:
        with conn:
            r.note("recv until EOF (LIST sub)", read_all(conn))
        r.call("voidresp()", ftp.voidresp)
    r.call("ntransfercmd('RETR missing.txt')", ftp.ntransfercmd, "RETR missing.txt")
    r.call("transfercmd('STOR nodir/x')", ftp.transfercmd, "STOR nodir/x")
    r.call("sendcmd('NOOP') (still in step)", ftp.sendcmd, "NOOP")
    r.call("quit()", ftp.quit)


def test_transfercmd(pyftpdlib_server):
    """pyftpdlib.  Compares ntransfercmd()/transfercmd() used by hand: the
    (conn, size) pair (size None: pyftpdlib's 150 has no byte count); the
    returned connection used with settimeout, makefile('rb'), recv,
    sendall, close and as a context manager; rest (REST in the transcript);
    voidresp() after each; errors (550) and that the session stays in step."""
    run_both(scenario_transfercmd, SharedServer(pyftpdlib_server))


NTRANSFER_SCRIPT = r"""
on RETR #1 reply 150 Opening BINARY mode data connection for x (11 bytes).
  data hello world
  dataclose
  reply 226 done
on RETR #2 reply 125 already open
  data abc
  dataclose
  reply 226 done
on RETR #3 reply 150 no size here
  dataopen
  dataclose
  reply 226 done
on RETR #4 reply 200 early ok
  reply 150 now really (3 bytes)
  data xyz
  dataclose
  reply 226 done
on RETR #5 reply 450 busy
on RETR #6 reply 250 direct
  reply 226 done
on PASV #7 pasv 227 Entering Passive Mode (10,9,8,7,{p1},{p2})
on RETR #7 serve through the fake address
on PASV #8 nolisten
  reply 227 Entering Passive Mode (127,0,0,1,{p1},{p2})
on REST reply 350 restarting
on RETR #8 serve restarted data
on RETR #9 reply 150 Opening (1234 BYTES)
  dataopen
  dataclose
  reply 226 done
"""


def scenario_ntransfercmd_replies(mod, srv, r):
    ftp = mod.FTP()
    r.call("connect()", ftp.connect, srv.host, srv.port)
    r.call("login()", ftp.login, "joe", "pw")
    for label, args in [("150 with (11 bytes)", ("RETR x",)),
                        ("125", ("RETR y",)),
                        ("150 without size", ("RETR z",)),
                        ("200 then 150 (3 bytes)", ("RETR w",)),
                        ("450", ("RETR busy",)),
                        ("250 then 226", ("RETR two",)),
                        ("227 naming another host", ("RETR fake",)),
                        ("227 to a port nobody listens on", ("RETR refused",)),
                        ("rest=5", ("RETR r", 5)),
                        ("150 with (1234 BYTES) in capitals", ("RETR caps",))]:
        result = r.call_as("ntransfercmd: %s" % label, conn_and_size, ftp.ntransfercmd, *args)
        if result is not None:
            conn, size = result
            r.note("data", read_all(conn))
            conn.close()
            r.call("voidresp()", ftp.voidresp)
    r.call("quit()", ftp.quit)


def test_ntransfercmd_replies(hostile_server):
    """hostile_server.  Compares ntransfercmd()'s size from the 150 reply
    ("(11 bytes)", none, after a 2xx that ftplib skips, "BYTES"), a 125
    (size None), a 450 (error_temp), a 2xx followed by a 226 (error_reply),
    a 227 naming another host (ftplib connects to the control peer anyway),
    a 227 to a closed port (ConnectionRefusedError before RETR is sent),
    REST; the data and the transcript."""
    run_both(scenario_ntransfercmd_replies, FreshHostile(hostile_server, NTRANSFER_SCRIPT))


def scenario_active_mode(mod, srv, r):
    ftp = login(mod, srv, r)
    r.call("set_pasv(False)", ftp.set_pasv, False)
    r.call("passiveserver", getattr, ftp, "passiveserver")
    # Listings before the uploads: an uploaded file's time would show.
    r.call("dir() active (prints)", ftp.dir)
    listing = Calls()
    r.call("dir('sub', callback) active", ftp.dir, "sub", listing)
    r.note("dir lines", listing.calls)
    blocks = Blocks(5000)
    r.call("retrbinary('RETR big.bin', 5000) active", ftp.retrbinary, "RETR big.bin", blocks, 5000)
    r.note("received", blocks.summary())
    sent = Calls()
    r.call("storbinary('STOR active.bin') active", ftp.storbinary, "STOR active.bin",
           io.BytesIO(b"active upload " * 1000), 4096, sent)
    r.note("callback calls", sent.calls)
    lines = Calls()
    r.call("retrlines('RETR lines.txt') active", ftp.retrlines, "RETR lines.txt", lines)
    r.note("lines", lines.calls)
    r.call("storlines('STOR active.txt') active", ftp.storlines, "STOR active.txt",
           io.BytesIO(b"x\ny\n"))
    r.call("nlst() active", ftp.nlst)
    conn = r.call_as("transfercmd('LIST emptydir') active", a_connection, ftp.transfercmd,
                     "LIST emptydir")
    if conn is not None:
        r.note("data", read_all(conn))
        conn.close()
        r.call("voidresp()", ftp.voidresp)
    r.call("retrbinary('RETR missing.txt') active", ftp.retrbinary, "RETR missing.txt", Blocks())
    r.call("set_pasv(True)", ftp.set_pasv, True)
    blocks = Blocks()
    r.call("retrbinary('RETR a.txt') passive again", ftp.retrbinary, "RETR a.txt", blocks)
    r.note("received", blocks.summary())
    r.call("quit()", ftp.quit)


def test_active_mode(pyftpdlib_server):
    """pyftpdlib on 127.0.0.1, set_pasv(False): PORT instead of PASV for
    retrbinary, storbinary, dir (printing and with a callback), retrlines,
    storlines, nlst, transfercmd, a 550; then set_pasv(True) again.
    Compares results, data, transcript (PORT's port normalised), files."""
    run_both(scenario_active_mode, SharedServer(pyftpdlib_server))


def scenario_own_data_connections(mod, srv, r):
    ftp = login(mod, srv, r)
    r.call("voidcmd('TYPE I')", ftp.voidcmd, "TYPE I")
    # makepasv(): PASV's address (the control peer's host) and a port.
    r.call_as("makepasv()", lambda pair: "(%r, port)" % (pair[0],), ftp.makepasv)
    # makeport(): a listener of the program's own, announced with PORT.
    def retr_through_makeport():
        with ftp.makeport() as listener:
            ftp.sendcmd("RETR a.txt")
            conn, _ = listener.accept()
            with conn:
                data = read_all(conn)
        return data, ftp.voidresp()
    r.call("makeport(), RETR, accept, voidresp()", retr_through_makeport)
    # sendport()/sendeprt() as such (the server refuses the unused port's
    # transfer nowhere: NOOP after each).
    r.call("sendport('127.0.0.1', 1026)", ftp.sendport, "127.0.0.1", 1026)
    r.call("sendeprt('127.0.0.1', 1027)", ftp.sendeprt, "127.0.0.1", 1027)
    r.call("voidcmd('NOOP')", ftp.voidcmd, "NOOP")
    # ftpcp(): server to server (here the server to itself): PASV on one
    # session, PORT with its address on the other, STOR then RETR.
    other = login(mod, srv, r)
    r.call("ftpcp(a.txt -> copied.txt)", mod.ftpcp, ftp, "a.txt", other, "copied.txt")
    r.call("size('copied.txt')", ftp.size, "copied.txt")
    r.call("quit() (other)", other.quit)
    r.call("quit()", ftp.quit)


def test_own_data_connections(pyftpdlib_server):
    """pyftpdlib: the public helpers for programs that open their own data
    connections: makepasv(), makeport() (PORT, then accept() on the returned
    listener), sendport(), sendeprt(), and the module's ftpcp() (FXP from
    the server to itself).  Compares results, data, transcript (PORT/EPRT
    ports normalised), files."""
    run_both(scenario_own_data_connections, SharedServer(pyftpdlib_server))


def scenario_ipv6(mod, srv, r):
    ftp = mod.FTP()
    r.call("connect('::1', port)", ftp.connect, srv.host, srv.port)
    r.call("host", getattr, ftp, "host")
    r.call("login()", ftp.login, srv.user, srv.password)
    lines = Calls()
    r.call("retrlines('LIST') (EPSV)", ftp.retrlines, "LIST", lines)
    r.note("lines", lines.calls)
    blocks = Blocks()
    r.call("retrbinary('RETR big.bin') (EPSV)", ftp.retrbinary, "RETR big.bin", blocks)
    r.note("received", blocks.summary())
    r.call("set_pasv(False)", ftp.set_pasv, False)
    r.call("nlst() (EPRT)", ftp.nlst)
    blocks = Blocks()
    r.call("retrbinary('RETR a.txt') (EPRT)", ftp.retrbinary, "RETR a.txt", blocks)
    r.note("received", blocks.summary())
    r.call("storbinary('STOR v6.bin') (EPRT)", ftp.storbinary, "STOR v6.bin",
           io.BytesIO(b"over IPv6\n"))
    r.call("quit()", ftp.quit)


def test_ipv6(pyftpdlib_server_ipv6):
    """pyftpdlib on ::1: ftplib uses EPSV (passive) and EPRT |2|::1|port|
    (active) instead of PASV/PORT.  Compares results, data, transcript,
    files."""
    run_both(scenario_ipv6, SharedServer(pyftpdlib_server_ipv6))


def scenario_abort_no_transfer(mod, srv, r):
    ftp = login(mod, srv, r)
    r.call("abort() with no transfer", ftp.abort)
    r.call("sendcmd('NOOP')", ftp.sendcmd, "NOOP")
    r.call("abort() again", ftp.abort)
    r.call("quit()", ftp.quit)


def test_abort_no_transfer(pyftpdlib_server):
    """pyftpdlib.  Compares abort() when nothing runs (225) and the session
    afterwards; the transcript shows ABOR (ftplib sends it as urgent data;
    pyftpdlib reads urgent data inline)."""
    run_both(scenario_abort_no_transfer, SharedServer(pyftpdlib_server))


ABORT_REPLIES_SCRIPT = r"""
on ABOR #2 reply 226 nothing to abort
on ABOR #3 reply 500 what abort?
on ABOR #4 reply 225-multi-line\r\n225 no transfer
"""


def scenario_abort_replies(mod, srv, r):
    ftp = mod.FTP()
    r.call("connect()", ftp.connect, srv.host, srv.port)
    r.call("login()", ftp.login, "joe", "pw")
    r.call("abort(): 225", ftp.abort)
    r.call("abort(): 226", ftp.abort)
    r.call("abort(): 500 (error_proto, not error_perm)", ftp.abort)
    r.call("abort(): multi-line 225", ftp.abort)
    r.call("sendcmd('NOOP')", ftp.sendcmd, "NOOP")
    r.call("quit()", ftp.quit)


def test_abort_replies(hostile_server):
    """hostile_server, no transfer running.  Compares abort() for 225, 226,
    a multi-line 225, and a 500 (ftplib raises error_proto for any reply
    but 225/226/426); transcript: ABOR lines (the server strips the Telnet
    bytes an implementation may send before ABOR)."""
    run_both(scenario_abort_replies, FreshHostile(hostile_server, ABORT_REPLIES_SCRIPT))


ABORT_TRANSFER_SCRIPT = r"""
on RETR reply 150 sending a lot
  data %repeat[1000 x 0123456789]%
on ABOR reply 426 transfer aborted
  dataclose
  reply 226 abort complete
"""


def scenario_abort_during_transfer(mod, srv, r):
    ftp = mod.FTP()
    r.call("connect()", ftp.connect, srv.host, srv.port)
    r.call("login()", ftp.login, "joe", "pw")
    conn = r.call_as("transfercmd('RETR big')", a_connection, ftp.transfercmd, "RETR big")
    if conn is not None:
        first = b""
        while len(first) < 10:
            chunk = conn.recv(10 - len(first))
            if not chunk:
                break
            first += chunk
        r.note("first 10 bytes", first)
        r.call("abort() during the transfer", ftp.abort)
        conn.close()
    # Deliberate difference 5: ftplib leaves the 226 unread, the candidate
    # reads it.  Nothing after abort() is compared: the session just ends.
    r.call("close()", ftp.close)


def test_abort_during_transfer(hostile_server):
    """hostile_server.  A download started with transfercmd(), then abort():
    compares abort()'s own result (the 426) and the transcript up to ABOR.
    The session is closed right after (deliberate difference 5; see
    test_deliberate_5_abort_keeps_session_in_step)."""
    run_both(scenario_abort_during_transfer, FreshHostile(hostile_server, ABORT_TRANSFER_SCRIPT))


CALLBACK_EXCEPTION_SCRIPT = r"""
on RETR serve %repeat[100 x abcdefghij]%
on LIST serve line one\r\nline two\r\n
"""


class Stop(Exception):
    """Raised by a callback that wants the transfer to end."""


def scenario_callback_exception(mod, srv, r):
    def stopping_callback(block):
        raise Stop("stopped by the retrbinary callback")

    def stopping_line_callback(line):
        raise Stop("stopped at line %r" % line)
    ftp = mod.FTP()
    r.call("connect()", ftp.connect, srv.host, srv.port)
    r.call("login()", ftp.login, "joe", "pw")
    r.call("retrbinary with a raising callback", ftp.retrbinary, "RETR f", stopping_callback, 5000)
    r.call("close()", ftp.close)
    # Deliberate difference 6: after the exception only close() is compared.
    ftp = mod.FTP()
    r.call("connect()", ftp.connect, srv.host, srv.port)
    r.call("login()", ftp.login, "joe", "pw")
    r.call("retrlines with a raising callback", ftp.retrlines, "LIST", stopping_line_callback)
    r.call("close()", ftp.close)


def test_callback_exception(hostile_server):
    """hostile_server.  An exception raised inside the retrbinary and the
    retrlines callback: compares that it propagates unchanged (class,
    message) and the transcript.  Only close() follows (deliberate
    difference 6; see test_deliberate_6_callback_exception_keeps_session_usable)."""
    run_both(scenario_callback_exception, FreshHostile(hostile_server, CALLBACK_EXCEPTION_SCRIPT))


# ==========================================================================
# Listings


def scenario_listings(mod, srv, r):
    ftp = login(mod, srv, r)
    r.call("nlst()", ftp.nlst)
    r.call("nlst('sub')", ftp.nlst, "sub")
    r.call("nlst('emptydir')", ftp.nlst, "emptydir")
    r.call("nlst('missing')", ftp.nlst, "missing")
    r.call("dir() (prints)", ftp.dir)
    r.call("dir('sub') (prints)", ftp.dir, "sub")
    listing = Calls()
    r.call("dir('sub', callback)", ftp.dir, "sub", listing)
    r.note("callback calls", listing.calls)
    listing = Calls()
    r.call("dir(callback)", ftp.dir, listing)
    r.note("callback calls", listing.calls)
    gen = r.call("mlsd() (only creates the generator)", ftp.mlsd)
    r.call("sendcmd('NOOP') before iterating: mlsd has sent nothing yet", ftp.sendcmd, "NOOP")
    if gen is not None:
        r.call("list(mlsd())", lambda: stable_mlsd(list(gen)))
    r.call("list(mlsd('sub', facts=['type', 'size']))",
           lambda: stable_mlsd(list(ftp.mlsd("sub", facts=["type", "size"]))))
    r.call("list(mlsd(facts=['type']))", lambda: list(ftp.mlsd(facts=["type"])))
    r.call("list(mlsd('emptydir'))", lambda: list(ftp.mlsd("emptydir")))
    r.call("list(mlsd('missing'))", lambda: list(ftp.mlsd("missing")))
    gen = ftp.mlsd("sub", ["type", "perm"])
    r.call("next(mlsd('sub', facts positional))", next, gen)
    r.call("the rest", list, gen)
    r.call("quit()", ftp.quit)


def test_listings(pyftpdlib_server):
    """pyftpdlib.  Compares nlst() (root, subdirectory, empty directory,
    550), dir() printing and with a callback as last argument, mlsd(): a
    generator that sends nothing until iterated (the NOOP comes first in
    the transcript), its (name, facts) pairs with all facts (unique blanked)
    and with facts=[...] (OPTS MLST in the transcript), empty and missing
    directories, partial iteration."""
    run_both(scenario_listings, SharedServer(pyftpdlib_server))


LISTING_SCRIPT = r"""
on LIST serve drwxr-xr-x 1 o g 0 Jan 1 00:00 x y\r\n
on NLST serve a\r\nb c\r\n
on OPTS reply 200 MLST OPTS type;size;UNIX.mode;
on MLSD reply 150 Opening data connection
  data type=file;size=3;Modify=20200101000000; a b.txt\r\n
  data Type=dir;Perm=el; sub\r\n
  data \snoFacts\r\n
  data size=1;x; semi;colon\r\n
  data notrailingsemicolon=1 name\r\n
  dataclose
  reply 226 Transfer complete
"""


def scenario_listing_arguments(mod, srv, r):
    ftp = mod.FTP()
    r.call("connect()", ftp.connect, srv.host, srv.port)
    r.call("login()", ftp.login, "joe", "pw")
    listing = Calls()
    r.call("dir('-a', '', 'x y', callback) (empty arguments dropped)", ftp.dir, "-a", "", "x y",
           listing)
    r.note("callback calls", listing.calls)
    r.call("dir('') (prints)", ftp.dir, "")
    r.call("nlst('a', 'b c')", ftp.nlst, "a", "b c")
    gen = r.call("mlsd('some dir', facts=[...]) (lazy)", ftp.mlsd, "some dir",
                 ["type", "size", "UNIX.mode"])
    r.call("sendcmd('NOOP') in between", ftp.sendcmd, "NOOP")
    if gen is not None:
        r.call("list(...)", list, gen)
    r.call("list(mlsd())", lambda: list(ftp.mlsd()))
    r.call("quit()", ftp.quit)


def test_listing_arguments(hostile_server):
    """hostile_server (exact command lines).  Compares how dir() and nlst()
    build LIST/NLST from their arguments (empty ones dropped, the callback
    last), dir('') printing, mlsd's OPTS MLST line, that it is lazy, and how
    it parses odd lines: keys lower-cased, values kept, names with spaces
    and semicolons, a line without facts, facts without a trailing ';'."""
    run_both(scenario_listing_arguments, FreshHostile(hostile_server, LISTING_SCRIPT))


# ==========================================================================
# File and directory operations


def scenario_file_operations(mod, srv, r):
    ftp = login(mod, srv, r)
    r.call("rename('a.txt', 'renamed.txt')", ftp.rename, "a.txt", "renamed.txt")
    r.call("rename('missing', 'x')", ftp.rename, "missing", "x")
    r.call("delete('renamed.txt')", ftp.delete, "renamed.txt")
    r.call("delete('missing')", ftp.delete, "missing")
    r.call("mkd('newdir')", ftp.mkd, "newdir")
    r.call("mkd('we\"ird') (a quote in the name)", ftp.mkd, 'we"ird')
    r.call("mkd('sub') (exists)", ftp.mkd, "sub")
    r.call("cwd('sub')", ftp.cwd, "sub")
    r.call("pwd()", ftp.pwd)
    r.call("mkd('nested')", ftp.mkd, "nested")
    r.call("cwd('deeper')", ftp.cwd, "deeper")
    r.call("cwd('..') (CDUP)", ftp.cwd, "..")
    r.call("pwd()", ftp.pwd)
    r.call("cwd('') (CWD .)", ftp.cwd, "")
    r.call("cwd('/')", ftp.cwd, "/")
    r.call("cwd('missing')", ftp.cwd, "missing")
    r.call("rmd('newdir')", ftp.rmd, "newdir")
    r.call("rmd('we\"ird')", ftp.rmd, 'we"ird')
    r.call("rmd('missing')", ftp.rmd, "missing")
    r.call("rmd('sub') (not empty)", ftp.rmd, "sub")
    r.call("size('big.bin') in ASCII mode (pyftpdlib refuses)", ftp.size, "big.bin")
    r.call("voidcmd('TYPE I')", ftp.voidcmd, "TYPE I")
    r.call("size('big.bin')", ftp.size, "big.bin")
    r.call("size('empty.txt')", ftp.size, "empty.txt")
    r.call("size('sub') (a directory)", ftp.size, "sub")
    r.call("size('missing')", ftp.size, "missing")
    r.call("delete('spaced name.txt')", ftp.delete, "spaced name.txt")
    r.call("rename('caf\u00e9.txt', 'cafe.txt')", ftp.rename, "caf\u00e9.txt", "cafe.txt")
    r.call("quit()", ftp.quit)


def test_file_operations(pyftpdlib_server):
    """pyftpdlib.  Compares rename, delete, mkd (parse257 of a doubled
    quote, the absolute path pyftpdlib returns), rmd, cwd (a directory,
    '..' as CDUP, '' as 'CWD .', '/', a missing one), pwd, size (an int;
    refused in ASCII mode; a directory; a missing file), including their
    550s, plus names with a space and a non-ASCII letter; transcript and
    the resulting tree."""
    run_both(scenario_file_operations, SharedServer(pyftpdlib_server))


FILE_OPERATIONS_SCRIPT = r'''
on SIZE #1 reply 213 12345
on SIZE #2 reply 213\s\s42\s
on SIZE #3 reply 250 size unknown
on SIZE #4 reply 213 abc
on SIZE #5 reply 550 no such file
on DELE #1 reply 250 deleted
on DELE #2 reply 200 deleted too
on DELE #3 reply 257 odd
on RNFR #1 reply 350 go on
on RNTO #1 reply 250 renamed
on RNFR #2 reply 250 already done
on RNFR #3 reply 350 go on
on RNTO #2 reply 553 not allowed
on CDUP #1 reply 500 CDUP unknown
on CWD #1 reply 250 went up
on CDUP #2 reply 502 not implemented
on CDUP #3 reply 200 up
on CWD #2 reply 250 stayed
on MKD #1 reply 257 "/new ""dir""" created
on MKD #2 reply 257 no quotes here
on MKD #3 reply 250 made it
on MKD #4 reply 257 "/unterminated
on PWD #1 reply 257 "/a/b" is current
on PWD #2 reply 257 /unquoted
on PWD #3 reply 200 ok
on PWD #4 reply 550 no pwd
on RMD #1 reply 250 removed
on RMD #2 reply 350 hmm
'''


def scenario_file_operations_replies(mod, srv, r):
    ftp = mod.FTP()
    r.call("connect()", ftp.connect, srv.host, srv.port)
    r.call("login()", ftp.login, "joe", "pw")
    r.call("size: 213 12345", ftp.size, "f")
    r.call("size: '213  42 ' (blanks stripped)", ftp.size, "f")
    r.call("size: 250 (None: not a 213)", ftp.size, "f")
    r.call("size: '213 abc' (int() fails)", ftp.size, "f")
    r.call("size: 550", ftp.size, "f")
    r.call("delete: 250", ftp.delete, "f")
    r.call("delete: 200", ftp.delete, "f")
    r.call("delete: 257 (error_reply)", ftp.delete, "f")
    r.call("rename: 350, 250", ftp.rename, "a", "b")
    r.call("rename: RNFR 250 (error_reply, no RNTO)", ftp.rename, "a", "b")
    r.call("rename: 350, 553", ftp.rename, "a", "b")
    r.call("cwd('..'): CDUP 500, falls back to CWD ..", ftp.cwd, "..")
    r.call("cwd('..'): CDUP 502 (raised)", ftp.cwd, "..")
    r.call("cwd('..'): CDUP 200", ftp.cwd, "..")
    r.call("cwd(''): CWD .", ftp.cwd, "")
    r.call("mkd: doubled quotes", ftp.mkd, "x")
    r.call("mkd: 257 without quotes ('')", ftp.mkd, "x")
    r.call("mkd: 250 ('')", ftp.mkd, "x")
    r.call("mkd: unterminated quote", ftp.mkd, "x")
    r.call("pwd: 257", ftp.pwd)
    r.call("pwd: 257 unquoted", ftp.pwd)
    r.call("pwd: 200 ('')", ftp.pwd)
    r.call("pwd: 550", ftp.pwd)
    r.call("rmd: 250", ftp.rmd, "d")
    r.call("rmd: 350 (error_reply)", ftp.rmd, "d")
    r.call("quit()", ftp.quit)


def test_file_operations_replies(hostile_server):
    """hostile_server.  Compares the reply handling of size (int of the
    stripped text; None for a non-213 2xx; ValueError for '213 abc'),
    delete (250 and 200 accepted, other 2xx error_reply), rename (RNFR must
    be 3xx, else no RNTO), cwd('..') (CDUP, and CWD .. only after a 500),
    mkd/pwd (parse257; '' for non-257 or unquoted), rmd."""
    run_both(scenario_file_operations_replies,
             FreshHostile(hostile_server, FILE_OPERATIONS_SCRIPT))


# ==========================================================================
# Ending a session


def scenario_quit_close_context_manager(mod, srv, r):
    class PortFTP(mod.FTP):
        port = srv.port

    with PortFTP(srv.host, srv.user, srv.password) as ftp:
        r.call("inside with: pwd()", ftp.pwd)
        r.call("inside with: nlst('sub')", ftp.nlst, "sub")
    r.call("after with: welcome still there", getattr, ftp, "welcome")
    r.call("after with: pwd() (the connection is gone)", ftp.pwd)

    ftp = mod.FTP()
    r.call("with ftp as entered: entered is ftp", lambda: ftp.__enter__() is ftp)
    r.call("connect()", ftp.connect, srv.host, srv.port)
    r.call("login()", ftp.login, srv.user, srv.password)

    def raise_inside():
        with ftp:
            ftp.pwd()
            raise KeyError("raised inside the with block")
    r.call("an exception inside with propagates (QUIT still sent)", raise_inside)
    r.call("close() after with", ftp.close)

    ftp = login(mod, srv, r)
    r.call("quit()", ftp.quit)
    r.call("close() after quit", ftp.close)
    r.call("quit() after quit", ftp.quit)
    r.call("sendcmd() after quit", ftp.sendcmd, "NOOP")

    ftp = login(mod, srv, r)
    r.call("close() (no QUIT sent)", ftp.close)
    r.call("close() again", ftp.close)
    r.call("getwelcome() after close", ftp.getwelcome)
    r.call("connect() again after close", ftp.connect, srv.host, srv.port)
    r.call("login() again", ftp.login, srv.user, srv.password)
    r.call("quit()", ftp.quit)


def test_quit_close_context_manager(pyftpdlib_server):
    """pyftpdlib.  Compares `with FTP(host, user, passwd) as ftp:` (QUIT at
    the end), an exception raised inside the block (propagates, QUIT still
    sent), __enter__ returning the object, quit()'s reply, close() (no QUIT)
    twice, the exceptions of commands after quit/close (ftplib: the socket
    attribute is None), reconnecting after close."""
    run_both(scenario_quit_close_context_manager, SharedServer(pyftpdlib_server))


QUIT_SCRIPT = r"""
on QUIT #1 close
on QUIT #2 rst
on QUIT #3 reply 500 no quitting
on QUIT #4 reply 221-multi\r\n221 bye
  close
"""


def scenario_quit_server_gone(mod, srv, r):
    class PortFTP(mod.FTP):
        port = srv.port

    def session(label):
        def run():
            with PortFTP(srv.host, "joe", "pw") as ftp:
                ftp.sendcmd("NOOP")
            return "the with-block ended normally"
        r.call(label, run)
    session("with-block: QUIT answered by a close (EOFError swallowed)")
    session("with-block: QUIT answered by a reset (OSError swallowed)")
    session("with-block: QUIT answered 500 (error_perm propagates)")
    ftp = PortFTP(srv.host, "joe", "pw")
    r.call("quit(): multi-line 221", ftp.quit)


def test_quit_server_gone(hostile_server):
    """hostile_server.  Compares the context manager's __exit__ when QUIT
    meets a closed connection (EOFError) or a reset (ConnectionResetError):
    both swallowed; a 500 to QUIT is not (error_perm propagates); quit()
    with a multi-line 221."""
    run_both(scenario_quit_server_gone, FreshHostile(hostile_server, QUIT_SCRIPT))


# ==========================================================================
# Encodings and line-breaking characters


ENCODING_SCRIPT = r"""
on CWD #1 reply 250 d\xe9j\xe0 vu
on CWD #2 reply 250 caf\xc3\xa9 ok
on NLST serve caf\xe9\r\nna\xefve\r\n
"""


def scenario_encoding(mod, srv, r):
    ftp = mod.FTP(encoding="latin-1")
    r.call("connect()", ftp.connect, srv.host, srv.port)
    r.call("login()", ftp.login, "joe", "pw")
    r.call("encoding", getattr, ftp, "encoding")
    r.call("cwd('caf\u00e9') latin-1: reply decoded as latin-1", ftp.cwd, "caf\u00e9")
    r.call("nlst() latin-1 names", ftp.nlst)
    r.call("sendcmd('CWD \u20ac') not encodable in latin-1", ftp.sendcmd, "CWD \u20ac")
    r.call("sendcmd('NOOP') after it", ftp.sendcmd, "NOOP")
    r.call("quit()", ftp.quit)
    ftp = mod.FTP()
    r.call("connect()", ftp.connect, srv.host, srv.port)
    r.call("login()", ftp.login, "joe", "pw")
    r.call("cwd('caf\u00e9') utf-8", ftp.cwd, "caf\u00e9")
    r.call("sendcmd('SITE \u20ac \U0001F600') utf-8", ftp.sendcmd, "SITE \u20ac \U0001F600")
    r.call("quit()", ftp.quit)


def test_encoding(hostile_server):
    """hostile_server (exact bytes in the transcript).  Compares
    encoding='latin-1' against the default utf-8: how commands are encoded
    (CWD caf\\xe9 vs caf\\xc3\\xa9), how replies and NLST lines are decoded,
    and the UnicodeEncodeError for a character latin-1 lacks (its message
    counts positions in the whole command line)."""
    run_both(scenario_encoding, FreshHostile(hostile_server, ENCODING_SCRIPT))


CRLF_SCRIPT = r"""
on DELE reply 250 deleted
on MKD reply 257 "/made"
on SIZE reply 213 5
"""


def scenario_crlf_refused(mod, srv, r):
    ftp = mod.FTP()
    r.call("connect()", ftp.connect, srv.host, srv.port)
    r.call("login()", ftp.login, "joe", "pw")
    r.call("sendcmd('NOOP\\r\\nDELE x')", ftp.sendcmd, "NOOP\r\nDELE x")
    r.call("voidcmd('NOOP\\nX')", ftp.voidcmd, "NOOP\nX")
    r.call("sendcmd('NOOP\\r')", ftp.sendcmd, "NOOP\r")
    r.call("cwd('a\\rb')", ftp.cwd, "a\rb")
    r.call("mkd('d\\nRMD e')", ftp.mkd, "d\nRMD e")
    r.call("delete('f\\r\\n')", ftp.delete, "f\r\n")
    r.call("size('g\\nh')", ftp.size, "g\nh")
    r.call("acct('a\\nb')", ftp.acct, "a\nb")
    r.call("sendcmd('NOOP') (nothing of the above was sent)", ftp.sendcmd, "NOOP")
    r.call("delete('fine')", ftp.delete, "fine")
    r.call("quit()", ftp.quit)


def test_crlf_refused(hostile_server):
    """hostile_server.  Compares the ValueError (class and message) for CR
    or LF in a command given to single-command methods (sendcmd, voidcmd,
    cwd, mkd, delete, size, acct), that none of it reaches the server, and
    that the session goes on in step.  (NUL: deliberate difference 4, see
    test_deliberate_4_nul_refused.)"""
    run_both(scenario_crlf_refused, FreshHostile(hostile_server, CRLF_SCRIPT))


def scenario_crlf_refused_debug_output(mod, srv, r):
    ftp = mod.FTP()
    r.call("connect()", ftp.connect, srv.host, srv.port)
    r.call("login()", ftp.login, "joe", "pw")
    r.call("set_debuglevel(1)", ftp.set_debuglevel, 1)
    r.call("sendcmd('NOOP\\r\\nX') at level 1", ftp.sendcmd, "NOOP\r\nX")
    r.call("set_debuglevel(2)", ftp.set_debuglevel, 2)
    r.call("sendcmd('NOOP\\nX') at level 2", ftp.sendcmd, "NOOP\nX")
    r.call("quit()", ftp.quit)


def test_crlf_refused_debug_output(hostile_server):
    """hostile_server.  Like test_crlf_refused at debug levels 1 and 2:
    ftplib prints the *cmd* line (putcmd) before putline refuses the CR/LF,
    so the trace shows the refused command; compares stdout."""
    run_both(scenario_crlf_refused_debug_output, FreshHostile(hostile_server, CRLF_SCRIPT))


# ==========================================================================
# FTPS (FTP_TLS)
#
# Protected data connections only against pyftpdlib, which neither insists
# on TLS session resumption nor logs it (deliberate difference 1).


def scenario_tls_session(mod, srv, r):
    ftp = mod.FTP_TLS()                 # context=None: ftplib does not verify
    r.call("connect()", ftp.connect, srv.host, srv.port)
    r.call("getwelcome()", ftp.getwelcome)
    r.call("login() (AUTH TLS first, secure=True by default)", ftp.login, srv.user, srv.password)
    note_attributes(r, ftp, "after login")
    r.call("prot_p()", ftp.prot_p)
    lines = Calls()
    r.call("retrlines('LIST') protected", ftp.retrlines, "LIST", lines)
    r.note("lines", lines.calls)
    blocks = Blocks()
    r.call("retrbinary('RETR big.bin') protected", ftp.retrbinary, "RETR big.bin", blocks)
    r.note("received", blocks.summary())
    blocks = Blocks(1000)
    r.call("retrbinary('RETR big.bin', 1000, rest=199000) protected", ftp.retrbinary,
           "RETR big.bin", blocks, 1000, 199000)
    r.note("received", blocks.summary())
    sent = Calls()
    r.call("storbinary('STOR tls.bin') protected", ftp.storbinary, "STOR tls.bin",
           io.BytesIO(servers.pseudo_random_bytes(30000, b"tls")), 8192, sent)
    r.note("callback calls", [len(b) for b in sent.calls])
    r.call("storlines('STOR tls.txt') protected", ftp.storlines, "STOR tls.txt",
           io.BytesIO(b"line 1\nline 2\n"))
    r.call("nlst() protected", ftp.nlst)
    r.call("list(mlsd('sub', facts=['type', 'size'])) protected",
           lambda: list(ftp.mlsd("sub", facts=["type", "size"])))
    result = r.call_as("ntransfercmd('RETR a.txt') protected", conn_and_size, ftp.ntransfercmd,
                       "RETR a.txt")
    if result is not None:
        conn = result[0]
        r.note("recv until EOF", read_all(conn))
        conn.close()
        r.call("voidresp()", ftp.voidresp)
    r.call("prot_c()", ftp.prot_c)
    blocks = Blocks()
    r.call("retrbinary('RETR a.txt') clear", ftp.retrbinary, "RETR a.txt", blocks)
    r.note("received", blocks.summary())
    r.call("storbinary('STOR clear.bin') clear", ftp.storbinary, "STOR clear.bin",
           io.BytesIO(b"clear data"))
    r.call("set_debuglevel(2)", ftp.set_debuglevel, 2)
    r.call("abort() (FTP_TLS: in-band, no trace line)", ftp.abort)
    r.call("sendcmd('NOOP') at level 2", ftp.sendcmd, "NOOP")
    r.call("set_debuglevel(0)", ftp.set_debuglevel, 0)
    r.call("quit()", ftp.quit)


def test_tls_session(pyftpdlib_tls_server):
    """pyftpdlib FTPS.  FTP_TLS() with context=None (ftplib does not verify
    the self-made certificate): login() sends AUTH TLS first; prot_p()
    (PBSZ 0 + PROT P); protected retrlines, retrbinary (also with rest),
    storbinary, storlines, nlst, mlsd, ntransfercmd + voidresp; prot_c()
    and clear transfers; FTP_TLS.abort() (in-band ABOR, prints no *put
    urgent*); the debug trace of a command; quit.  Compares everything,
    including the transcript (AUTH TLS, PBSZ 0, PROT P/C) and the files."""
    run_both(scenario_tls_session, SharedServer(pyftpdlib_tls_server))


def scenario_tls_verified_context(mod, srv, r):
    ctx = ssl.create_default_context(cafile=srv.ca_file)
    ftp = mod.FTP_TLS(context=ctx)
    r.call("context is the one given", lambda: ftp.context is ctx)
    r.call("connect()", ftp.connect, srv.host, srv.port)
    r.call("login() (the certificate verifies against the test CA)", ftp.login, srv.user,
           srv.password)
    r.call("prot_p()", ftp.prot_p)
    r.call("nlst('sub')", ftp.nlst, "sub")
    blocks = Blocks()
    r.call("retrbinary('RETR a.txt')", ftp.retrbinary, "RETR a.txt", blocks)
    r.note("received", blocks.summary())
    r.call("quit()", ftp.quit)

    class PortTLS(mod.FTP_TLS):
        port = srv.port

    ctx2 = ssl.create_default_context(cafile=srv.ca_file)
    with PortTLS(srv.host, srv.user, srv.password, context=ctx2, timeout=20,
                 encoding="utf-8") as ftp:
        r.call("constructor logged in securely: pwd()", ftp.pwd)
        note_attributes(r, ftp, "FTP_TLS(host, user, passwd, context, timeout)")
        r.call("prot_p()", ftp.prot_p)
        r.call("nlst()", ftp.nlst)


def test_tls_verified_context(pyftpdlib_tls_server):
    """pyftpdlib FTPS.  FTP_TLS(context=ctx) with an SSLContext that trusts
    the test CA (and checks the host name 127.0.0.1 against the
    certificate's IP SAN): the context attribute, a verified login, a
    protected listing and download; then FTP_TLS(host, user, passwd,
    context=, timeout=, encoding=) through a port subclass as a context
    manager (its implicit login is secure)."""
    run_both(scenario_tls_verified_context, SharedServer(pyftpdlib_tls_server))


def scenario_tls_untrusted(mod, srv, r):
    ftp = mod.FTP_TLS(context=ssl.create_default_context())   # system CAs only
    r.call("connect()", ftp.connect, srv.host, srv.port)
    r.call("login() (certificate not trusted)", ftp.login, srv.user, srv.password)
    r.call("close()", ftp.close)
    ftp = mod.FTP_TLS(context=ssl.create_default_context())
    r.call("connect()", ftp.connect, srv.host, srv.port)
    r.call("all_errors catches it", caught_by_all_errors, mod, ftp.auth)
    r.call("close()", ftp.close)


def test_tls_untrusted(pyftpdlib_tls_server):
    """pyftpdlib FTPS, FTP_TLS(context=ssl.create_default_context()), which
    does not trust the test CA: compares the exception (class
    ssl.SSLCertVerificationError, args and message without OpenSSL's
    source line), that all_errors catches it, the transcript (AUTH TLS,
    nothing after)."""
    run_both(scenario_tls_untrusted, SharedServer(pyftpdlib_tls_server))


def scenario_tls_secure_false_and_auth(mod, srv, r):
    ftp = mod.FTP_TLS()
    r.call("connect()", ftp.connect, srv.host, srv.port)
    r.call("ccc() before auth", ftp.ccc)
    r.call("login(secure=False) (the server requires TLS)", ftp.login, srv.user, srv.password,
           secure=False)
    r.call("auth()", ftp.auth)
    r.call("auth() again", ftp.auth)
    r.call("login(user, passwd, '', False) (already TLS)", ftp.login, srv.user, srv.password,
           "", False)
    r.call("login() again, secure=True: no second AUTH", ftp.login, srv.user, srv.password)
    r.call("prot_c()", ftp.prot_c)
    r.call("nlst('sub') clear", ftp.nlst, "sub")
    r.call("prot_p()", ftp.prot_p)
    r.call("nlst('sub') protected", ftp.nlst, "sub")
    r.call("quit()", ftp.quit)
    ftp = mod.FTP_TLS()
    r.call("connect()", ftp.connect, srv.host, srv.port)
    r.call("login() anonymous over TLS", ftp.login)
    r.call("quit()", ftp.quit)


def test_tls_secure_false_and_auth(pyftpdlib_tls_server):
    """pyftpdlib FTPS.  Compares ccc() before TLS (ValueError), login with
    secure=False on a server that requires TLS (550), auth() and auth()
    again (ValueError 'Already using TLS'), login(secure=False) and
    login() once TLS is on (no second AUTH), prot_c/prot_p listings, an
    anonymous secure login."""
    run_both(scenario_tls_secure_false_and_auth, SharedServer(pyftpdlib_tls_server))


CCC_SCRIPT = r"""
on CCC #2 reply 500 not encrypted any more
on CCC #3 reply 500 not now
"""


def scenario_tls_ccc(mod, srv, r):
    ftp = mod.FTP_TLS()
    r.call("connect()", ftp.connect, srv.host, srv.port)
    r.call("login()", ftp.login, "joe", "pw")
    r.call("prot_p()", ftp.prot_p)
    r.call("prot_c()", ftp.prot_c)
    r.call("ccc()", ftp.ccc)
    r.call("sendcmd('NOOP') in clear text", ftp.sendcmd, "NOOP")
    # ftplib: SSLSocket.unwrap() returns the SSLSocket itself (TLS off), so
    # ftp.sock is still an ssl.SSLSocket: a second ccc() sends CCC again
    # and auth() says "Already using TLS".
    r.call("ccc() again (ftplib sends CCC again)", ftp.ccc)
    r.call("auth() after ccc() (ftplib: 'Already using TLS')", ftp.auth)
    r.call("quit()", ftp.quit)
    ftp = mod.FTP_TLS()
    r.call("connect()", ftp.connect, srv.host, srv.port)
    r.call("auth()", ftp.auth)
    r.call("ccc() refused by the server", ftp.ccc)
    r.call("sendcmd('NOOP') still encrypted", ftp.sendcmd, "NOOP")
    r.call("quit()", ftp.quit)


def test_tls_ccc(hostile_server):
    """hostile_server with TLS (pyftpdlib has no CCC).  Compares auth via
    login(), prot_p/prot_c, ccc() (the server's notes show TLS ending), a
    command in clear text afterwards, ccc() again (ftplib sends CCC again:
    its socket is still an SSLSocket after unwrap()), auth() after ccc()
    (ValueError 'Already using TLS'), a refused CCC (error_perm, TLS stays
    on); ccc() before any TLS is in test_tls_secure_false_and_auth.  No
    protected data connection is opened (deliberate difference 1: the
    transcript would note resumption)."""
    run_both(scenario_tls_ccc, FreshHostile(hostile_server, CCC_SCRIPT, tls=True))


# ==========================================================================
# vsftpd


def scenario_vsftpd_session(mod, srv, r):
    ftp = login(mod, srv, r)
    r.call("getwelcome()", ftp.getwelcome)
    r.call("pwd()", ftp.pwd)
    r.call("nlst()", ftp.nlst)
    listing = Calls()
    r.call("dir('sub', callback)", ftp.dir, "sub", listing)
    r.note("lines", listing.calls)
    blocks = Blocks()
    r.call("retrbinary('RETR a.txt')", ftp.retrbinary, "RETR a.txt", blocks)
    r.note("received", blocks.summary())
    r.call("voidcmd('TYPE I')", ftp.voidcmd, "TYPE I")
    result = r.call_as("ntransfercmd('RETR big.bin') (vsftpd's 150 has the size)", conn_and_size,
                       ftp.ntransfercmd, "RETR big.bin")
    if result is not None:
        r.note("data", read_all(result[0]))
        result[0].close()
        r.call("voidresp()", ftp.voidresp)
    r.call("storbinary('STOR up.bin')", ftp.storbinary, "STOR up.bin", io.BytesIO(b"u" * 10000))
    r.call("size('big.bin')", ftp.size, "big.bin")
    r.call("set_pasv(False)", ftp.set_pasv, False)
    lines = Calls()
    r.call("retrlines('RETR lines.txt') active", ftp.retrlines, "RETR lines.txt", lines)
    r.note("lines", lines.calls)
    r.call("storlines('STOR up.txt') active", ftp.storlines, "STOR up.txt", io.BytesIO(b"a\nb\n"))
    r.call("set_pasv(True)", ftp.set_pasv, True)
    r.call("mkd('newdir')", ftp.mkd, "newdir")
    r.call("cwd('newdir')", ftp.cwd, "newdir")
    r.call("cwd('..')", ftp.cwd, "..")
    r.call("rmd('newdir')", ftp.rmd, "newdir")
    r.call("rename('a.txt', 'b.txt')", ftp.rename, "a.txt", "b.txt")
    r.call("delete('b.txt')", ftp.delete, "b.txt")
    r.call("delete('missing')", ftp.delete, "missing")
    r.call("list(mlsd()) (vsftpd has no MLSD)", lambda: list(ftp.mlsd()))
    r.call("abort()", ftp.abort)
    r.call("quit()", ftp.quit)


def test_vsftpd_session(vsftpd_server):
    """vsftpd (its protocol log is the transcript; PASS shows as
    <password>).  A mixed session: listings, downloads (ntransfercmd's size
    parsed from vsftpd's '(200000 bytes)'), uploads, active mode, size,
    directory and file operations, mlsd's error (no MLSD), abort, quit."""
    run_both(scenario_vsftpd_session, SharedServer(vsftpd_server))


# ==========================================================================
# Deliberate differences: ftpc.ftplib must differ from ftplib here.  In the
# self-check (candidate = ftplib) these tests are strict xfails.


def _tls_login(mod, server):
    ftp = mod.FTP_TLS(context=ssl.create_default_context(cafile=server.ca_file), timeout=30)
    ftp.connect(server.host, server.port)
    ftp.login(server.user, server.password)
    ftp.prot_p()
    return ftp


@pytest.mark.ftpc_deliberate(note=1)
def test_deliberate_1_tls_session_reuse_on_vsftpd(vsftpd_tls_server):
    """vsftpd with require_ssl_reuse=YES: ftplib's protected data
    connections do not resume the control connection's TLS session, so its
    download and its upload fail; the candidate's succeed."""
    cand = candidate_module()
    server = vsftpd_tls_server
    servers.populate_tree(server.root, servers.STANDARD_TREE)

    ftp = _tls_login(ftplib, server)
    with pytest.raises(ftplib.all_errors):
        ftp.retrbinary("RETR a.txt", Blocks())
    ftp.close()
    ftp = _tls_login(ftplib, server)
    with pytest.raises(ftplib.all_errors):
        ftp.storbinary("STOR stdlib.bin", io.BytesIO(b"x" * 1000))
    ftp.close()

    ftp = _tls_login(cand, server)
    blocks = Blocks()
    assert ftp.retrbinary("RETR big.bin", blocks) == "226 Transfer complete."
    assert blocks.summary()["data"] == servers.STANDARD_TREE["big.bin"]
    upload = servers.pseudo_random_bytes(100000, b"reuse")
    assert ftp.storbinary("STOR up.bin", io.BytesIO(upload)) == "226 Transfer complete."
    assert ftp.quit() == "221 Goodbye."
    with open(os.path.join(server.root, "up.bin"), "rb") as f:
        assert f.read() == upload


NUL_SCRIPT = r"""
on NOOP reply 200 ok
"""


@pytest.mark.ftpc_deliberate(note=4)
def test_deliberate_4_nul_refused(hostile_server):
    """NUL in a command: the candidate raises ValueError and sends nothing
    (ftplib sends it); the session stays usable."""
    cand = candidate_module()
    server = hostile_server(NUL_SCRIPT)
    ftp = cand.FTP()
    ftp.connect(server.host, server.port)
    ftp.login("joe", "pw")
    with pytest.raises(ValueError):
        ftp.sendcmd("NOOP\0x")
    with pytest.raises(ValueError):
        ftp.cwd("dir\0name")
    assert ftp.sendcmd("NOOP") == "200 ok"
    assert ftp.quit() == "221 bye"
    assert server.transcript() == ["USER joe", "PASS pw", "NOOP", "QUIT",
                                   "<1 control connections>"]


MALFORMED_SCRIPT = r"""
on NOOP #1 reply abc
on NOOP #3 reply
on NOOP reply 200 ok
"""


@pytest.mark.ftpc_deliberate(note=8)
def test_deliberate_8_malformed_reply_breaks(hostile_server):
    """A reply without a code: error_proto from both; ftplib reads on as if
    in step, the candidate's session is broken (its next command fails
    without reaching the server) until it reconnects."""
    cand = candidate_module()
    server = hostile_server(MALFORMED_SCRIPT)
    ftp = cand.FTP()
    ftp.connect(server.host, server.port)
    ftp.login("joe", "pw")
    with pytest.raises(ftplib.error_proto) as info:
        ftp.sendcmd("NOOP")
    assert "abc" in str(info.value)
    try:
        ftp.sendcmd("NOOP")
        broken = False
    except ftplib.all_errors:
        broken = True
    assert broken, "the session went on after a reply without a code"
    ftp.close()
    ftp.connect(server.host, server.port)
    ftp.login("joe", "pw")
    assert ftp.sendcmd("NOOP") == "200 ok"
    with pytest.raises(ftplib.error_proto):
        ftp.sendcmd("NOOP")
    ftp.close()
    ftp.connect(server.host, server.port)
    ftp.login("joe", "pw")
    assert ftp.sendcmd("NOOP") == "200 ok"
    ftp.quit()
    login = ["USER joe", "PASS pw"]
    assert server.transcript() == (login + ["NOOP"] + login + ["NOOP", "NOOP"] + login
                                   + ["NOOP", "QUIT", "<3 control connections>"])


@pytest.mark.ftpc_deliberate(note=5)
def test_deliberate_5_abort_keeps_session_in_step(hostile_server):
    """abort() during a transfer: the candidate reads the 426 and the 226,
    so the next command gets its own reply (ftplib's gets the stale 226)."""
    cand = candidate_module()
    server = hostile_server(ABORT_TRANSFER_SCRIPT)
    ftp = cand.FTP()
    ftp.connect(server.host, server.port)
    ftp.login("joe", "pw")
    conn = ftp.transfercmd("RETR big")
    assert conn.recv(10)
    assert ftp.abort() == "426 transfer aborted"
    conn.close()
    assert ftp.voidcmd("NOOP") == "200 ok"
    assert ftp.quit() == "221 bye"
    assert server.transcript() == ["USER joe", "PASS pw", "PASV", "RETR big", "ABOR", "NOOP",
                                   "QUIT", "<1 control connections>"]


@pytest.mark.ftpc_deliberate(note=6)
def test_deliberate_6_callback_exception_keeps_session_usable(hostile_server):
    """An exception in a retrbinary/retrlines callback propagates; the
    candidate has read the transfer's final reply, so the next command gets
    its own reply (ftplib's gets the stale 226)."""
    cand = candidate_module()
    server = hostile_server(CALLBACK_EXCEPTION_SCRIPT)
    ftp = cand.FTP()
    ftp.connect(server.host, server.port)
    ftp.login("joe", "pw")

    def stop(data):
        raise Stop("stop")
    with pytest.raises(Stop):
        ftp.retrbinary("RETR f", stop)
    assert ftp.voidcmd("NOOP") == "200 ok"
    with pytest.raises(Stop):
        ftp.retrlines("LIST", stop)
    assert ftp.voidcmd("NOOP") == "200 ok"
    assert ftp.quit() == "221 bye"
