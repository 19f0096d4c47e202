"""Shared pytest fixtures for ftpc's Python binding tests.

Run with Debian's interpreter (it has python3-pytest and python3-pyftpdlib):

    cd /work/main && /usr/bin/python3 -m pytest bindings/python/tests

Servers (all on loopback, started on first use, stopped by finalizers;
a server that cannot start FAILS the test that asked for it -- never a
skip).  Module-scoped, so every test module gets its own:

  pyftpdlib_server       plain FTP on 127.0.0.1, accounts alice/s3cret and
                         anonymous (read/write), protocol log parsed by
                         .transcript_since(.mark())
  pyftpdlib_server_ipv6  the same on ::1
  pyftpdlib_tls_server   explicit FTPS on 127.0.0.1 (AUTH TLS required before
                         login; PROT C allowed), certificate signed by the
                         test CA: .ca_file is that CA
  vsftpd_server          vsftpd on 127.0.0.1 (needs root): .user/.password
                         are a system account's; anonymous read-only
  vsftpd_tls_server      vsftpd with explicit FTPS, require_ssl_reuse=YES,
                         TLS forced for the named account; .ca_file

  Each has .host, .port, .user, .password, .root (the served directory on
  this machine) and .family (4 or 6).  The root is filled with
  servers.STANDARD_TREE when the server starts; call
  servers.populate_tree(server.root, tree) to reset it (tests that share a
  server should do so before each session that depends on its content).

  hostile_server         function-scoped factory: hostile_server(script,
                         family=4, tls=False) starts tests/servers/
                         hostile_server.py with that script text (tls=True
                         passes the test PKI, for the TLS actions); every
                         server it started is stopped when the test ends.
                         .transcript() returns the exact command transcript.

Other fixtures:
  ftpc_scratch    (session) a private scratch directory: a fresh directory
                  under $FTPC_TEST_TMP (meson sets it) or the system temp
                  dir, removed at the end of the session
  test_pki        (session) make_test_pki.py's CA and certificates
                  (servers.TestPki: .ca, .cert(name), .key(name))
  stdlib_ftplib   the standard library's ftplib
  candidate       the module under test: $FTPC_DIFF_CANDIDATE, default
                  "ftpc.ftplib"; an import error fails the test

Marker:
  @pytest.mark.ftpc_deliberate(note=N)   a test that asserts one of ftpc's
      DELIBERATE differences from the standard library (see the note list in
      test_ftplib_differential.py).  When the candidate is the standard
      library itself (FTPC_DIFF_CANDIDATE=ftplib, the harness self-check),
      such a test is expected to fail and is turned into a strict xfail: it
      must fail (with an AssertionError or one of ftplib.all_errors; any
      other exception, e.g. a server that did not start, is a failure),
      which proves that it can tell the two apart.

The package ftpc is imported from wherever sys.path finds it: meson
builds it into <build>/bindings/python (with its compiled extension), so
run with PYTHONPATH=<build>/bindings/python (the source directory alone
lacks the extension).
"""

import ftplib
import importlib
import itertools
import os
import shutil
import tempfile
import traceback
from pathlib import Path

import pytest

import servers

CANDIDATE_ENV = "FTPC_DIFF_CANDIDATE"
DEFAULT_CANDIDATE = "ftpc.ftplib"

def candidate_name():
    return os.environ.get(CANDIDATE_ENV) or DEFAULT_CANDIDATE


def candidate_is_stdlib():
    """True in the harness self-check (the candidate is ftplib itself)."""
    return candidate_name() == "ftplib"


def load_candidate():
    """Imports the candidate module; on failure the calling test FAILS
    (pytest.fail, not a skip) with the import traceback."""
    name = candidate_name()
    try:
        return importlib.import_module(name)
    except Exception:   # ImportError, or anything its import raised
        details = traceback.format_exc()
    pytest.fail("cannot import the candidate module %r (set %s to choose another; "
                "PYTHONPATH=<build>/bindings/python for the built ftpc):\n%s"
                % (name, CANDIDATE_ENV, details), pytrace=False)


# --------------------------------------------------------------------------
# Hooks


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "ftpc_deliberate(note): asserts a deliberate difference between ftpc.ftplib and "
        "the standard library; a strict xfail when the candidate is ftplib itself")


# How a deliberate-difference test may fail in the self-check: an assertion
# or an ftplib error.  Anything else (a server that did not start, a bug in
# the test) still fails the test.
_DELIBERATE_FAILURES = (AssertionError,) + ftplib.all_errors


def pytest_collection_modifyitems(config, items):
    if not candidate_is_stdlib():
        return
    for item in items:
        marker = item.get_closest_marker("ftpc_deliberate")
        if marker is not None:
            note = marker.kwargs.get("note", marker.args[0] if marker.args else "?")
            item.add_marker(pytest.mark.xfail(
                strict=True, raises=_DELIBERATE_FAILURES,
                reason="self-check: the standard library lacks deliberate difference %s, "
                       "so this test must fail" % note))


# --------------------------------------------------------------------------
# Scratch space and PKI


_counter = itertools.count(1)


@pytest.fixture(scope="session")
def ftpc_scratch():
    """A private scratch directory for the whole session."""
    base = os.environ.get("FTPC_TEST_TMP")
    if base:
        os.makedirs(base, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix="ftpc-pytest-%d-" % os.getpid(), dir=base or None))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def new_dir(scratch, tag):
    """A fresh directory inside the scratch directory."""
    path = Path(scratch) / ("%s-%d" % (tag, next(_counter)))
    path.mkdir(parents=True)
    return path


@pytest.fixture(scope="session")
def test_pki(ftpc_scratch):
    """The test CA and certificates (made once per session)."""
    return servers.make_test_pki(ftpc_scratch / "pki")


# --------------------------------------------------------------------------
# Servers


def _start(request, factory):
    server = factory()
    request.addfinalizer(server.stop)
    return server


def _served_root(scratch, tag):
    root = new_dir(scratch, tag)
    servers.populate_tree(root, servers.STANDARD_TREE)
    return root


@pytest.fixture(scope="module")
def pyftpdlib_server(request, ftpc_scratch):
    """pyftpdlib, plain FTP on 127.0.0.1 (see the module docstring)."""
    root = _served_root(ftpc_scratch, "pyftpdlib-root")
    return _start(request, lambda: servers.PyftpdlibServer(
        root, new_dir(ftpc_scratch, "pyftpdlib"), ftpc_scratch))


@pytest.fixture(scope="module")
def pyftpdlib_server_ipv6(request, ftpc_scratch):
    """pyftpdlib, plain FTP on ::1."""
    root = _served_root(ftpc_scratch, "pyftpdlib6-root")
    return _start(request, lambda: servers.PyftpdlibServer(
        root, new_dir(ftpc_scratch, "pyftpdlib6"), ftpc_scratch, host="::1"))


@pytest.fixture(scope="module")
def pyftpdlib_tls_server(request, ftpc_scratch, test_pki):
    """pyftpdlib, explicit FTPS on 127.0.0.1; PROT C allowed; .ca_file."""
    root = _served_root(ftpc_scratch, "pyftpdlib-tls-root")
    server = _start(request, lambda: servers.PyftpdlibServer(
        root, new_dir(ftpc_scratch, "pyftpdlib-tls"), ftpc_scratch, tls=True,
        cert=test_pki.cert("server"), key=test_pki.key("server"), tls_data_optional=True))
    server.ca_file = str(test_pki.ca)
    return server


@pytest.fixture(scope="module")
def vsftpd_server(request, ftpc_scratch):
    """vsftpd, plain FTP on 127.0.0.1."""
    root = new_dir(ftpc_scratch, "vsftpd-root")   # must be empty: see VsftpdServer
    server = _start(request, lambda: servers.VsftpdServer(
        root, new_dir(ftpc_scratch, "vsftpd"), ftpc_scratch))
    servers.populate_tree(server.root, servers.STANDARD_TREE)
    return server


@pytest.fixture(scope="module")
def vsftpd_tls_server(request, ftpc_scratch, test_pki):
    """vsftpd, explicit FTPS (require_ssl_reuse=YES) on 127.0.0.1; .ca_file."""
    root = new_dir(ftpc_scratch, "vsftpd-tls-root")
    server = _start(request, lambda: servers.VsftpdServer(
        root, new_dir(ftpc_scratch, "vsftpd-tls"), ftpc_scratch, tls=True,
        cert=test_pki.cert("server"), key=test_pki.key("server")))
    servers.populate_tree(server.root, servers.STANDARD_TREE)
    server.ca_file = str(test_pki.ca)
    return server


@pytest.fixture
def hostile_server(request, ftpc_scratch):
    """A factory: hostile_server(script, family=4, tls=False, lifetime=60)
    starts tests/servers/hostile_server.py with @script (text); the test
    PKI is passed when @tls.  All are stopped at the end of the test."""
    started = []

    def start(script, family=4, tls=False, lifetime=60):
        pki = request.getfixturevalue("test_pki") if tls else None
        server = servers.HostileServer(script, new_dir(ftpc_scratch, "hostile"), ftpc_scratch,
                                       family=family, pki=pki.dir if pki else None,
                                       lifetime=lifetime)
        if pki is not None:
            server.ca_file = str(pki.ca)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


# --------------------------------------------------------------------------
# Modules


@pytest.fixture
def stdlib_ftplib():
    import ftplib
    return ftplib


@pytest.fixture
def candidate():
    """The module under test ($FTPC_DIFF_CANDIDATE, default ftpc.ftplib)."""
    return load_candidate()
