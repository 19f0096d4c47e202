"""Reference and memory leaks in the extension, which valgrind cannot see.

A Python object the extension forgets to release is still reachable from
nowhere but is never freed either: memcheck calls it "possibly lost" at
most.  So each test repeats one kind of call many times and checks that
Python's own accounting stays flat: memory traced by tracemalloc, the
number of objects the collector tracks, and the reference counts of the
objects the calls hand to the extension (callables, the exception class).
A leak of one object per call shows as a growth of at least the repeat
count.
"""

import gc
import io
import logging
import sys
import tracemalloc

import pytest

import ftpc
from ftpc import ftplib as drop_in

REPEAT = 60
# Slack for caches that fill on first use (interned strings, the logging
# module's records, pytest's own bookkeeping); far below REPEAT objects.
OBJECT_SLACK = 25
MEMORY_SLACK = 48 * 1024


class Stop(Exception):
    """Raised by a callback to stop a transfer."""


def measure(action):
    """Runs @action once to warm caches, then REPEAT times; returns the
    growth in (traced bytes, tracked objects)."""
    action()
    gc.collect()
    tracemalloc.start()
    try:
        before_bytes = tracemalloc.get_traced_memory()[0]
        before_objects = len(gc.get_objects())
        for _ in range(REPEAT):
            action()
        gc.collect()
        return (tracemalloc.get_traced_memory()[0] - before_bytes,
                len(gc.get_objects()) - before_objects)
    finally:
        tracemalloc.stop()


def assert_flat(action):
    grown_bytes, grown_objects = measure(action)
    assert grown_objects < OBJECT_SLACK, "%d objects more after %d calls" % (grown_objects, REPEAT)
    assert grown_bytes < MEMORY_SLACK, "%d bytes more after %d calls" % (grown_bytes, REPEAT)


@pytest.fixture(scope="module")
def session(pyftpdlib_server):
    srv = pyftpdlib_server
    with io.open(srv.root + "/refcount.bin", "wb") as f:
        f.write(bytes(range(256)) * 256)
    s = ftpc.Session(srv.host, srv.port, user=srv.user, password=srv.password, timeout=20)
    yield s
    s.close()


def test_downloads_into_callbacks(session):
    sizes = []
    sink = sizes.append

    def run():
        session.retrbinary("RETR refcount.bin", lambda block: sink(len(block)))
        sizes.clear()

    refs_before = sys.getrefcount(sink)
    assert_flat(run)
    assert sys.getrefcount(sink) == refs_before


def test_callback_exceptions(session):
    def stop(_block):
        raise Stop("enough")

    def run():
        with pytest.raises(Stop):
            session.retrbinary("RETR refcount.bin", stop, blocksize=1024)

    refs_before = sys.getrefcount(Stop)
    assert_flat(run)
    assert sys.getrefcount(Stop) - refs_before < 3
    assert session.pwd() == "/"


def test_uploads_from_file_objects(session):
    payload = b"x" * 20000
    assert_flat(lambda: session.storbinary("STOR refcount-up.bin", io.BytesIO(payload)))


def test_listings(session):
    assert_flat(lambda: (list(session.mlsd(facts=["type", "size"])), session.nlst(), session.dir()))


def test_failed_commands(session):
    def run():
        with pytest.raises(ftpc.PermError):
            session.size("no-such-file")

    assert_flat(run)


def test_streams(session):
    buf = bytearray(4096)

    def run():
        with session.open("refcount.bin") as stream:
            while stream.readinto(buf):
                pass

    assert_flat(run)


class CountingHandler(logging.Handler):
    """Formats each record and keeps only a count (pytest's caplog keeps
    every record, which would look like a leak here)."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record):
        self.format(record)
        self.count += 1


def test_trace_to_logging(pyftpdlib_server):
    srv = pyftpdlib_server
    logger = logging.getLogger("ftpc.test_refcounts")
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    handler = CountingHandler()
    logger.addHandler(handler)
    try:
        s = ftpc.Session(srv.host, srv.port, user=srv.user, password=srv.password, timeout=20,
                         logger=logger)
        assert_flat(lambda: s.voidcmd("NOOP"))
        assert handler.count >= 2 * REPEAT
        s.quit()
    finally:
        logger.removeHandler(handler)


def test_sessions_are_freed(pyftpdlib_server):
    srv = pyftpdlib_server

    def run():
        s = ftpc.Session(srv.host, srv.port, user=srv.user, password=srv.password, timeout=20)
        s.quit()

    assert_flat(run)


def test_drop_in_objects_are_freed(pyftpdlib_server):
    srv = pyftpdlib_server

    def run():
        ftp = drop_in.FTP(timeout=20)
        ftp.connect(srv.host, srv.port)
        ftp.login(srv.user, srv.password)
        ftp.retrbinary("RETR refcount.bin", lambda block: None)
        ftp.quit()

    assert_flat(run)
