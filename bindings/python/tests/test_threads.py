"""Threads: the GIL is released while a call waits, sessions in different
threads run in parallel, Session.cancel() stops a blocked call from another
thread, and one session refuses a second user (BusyError) -- another
thread, or its own callback.

No timing assertion is tight: the bounds are "far below the deadline"
(a cancel within a few seconds when the deadline is 30 s) and "the counting
thread advanced at all, by thousands" -- not rates.
"""

import hashlib
import io
import threading
import time

import pytest

import ftpc
import servers
from session_support import (HANG_S, CallInThread, GilProbeServer, logged_in, payload, sha256,
                             wait_for_connections, wait_for_row)

THREADS = 16
BIG_SIZE = 8 * 1024 * 1024


@pytest.fixture(scope="module")
def big_file(pyftpdlib_server):
    data = payload(BIG_SIZE, b"threads")
    with open("%s/eight.bin" % pyftpdlib_server.root, "wb") as f:
        f.write(data)
    return sha256(data)


class Counter:
    """A pure-Python thread that counts as fast as it can until stopped."""

    def __init__(self):
        self.count = 0
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        stop = self._stop
        while not stop.is_set():
            for _ in range(100):
                self.count += 1

    def stop(self):
        self._stop.set()
        self.thread.join(HANG_S)
        assert not self.thread.is_alive()


# --------------------------------------------------------------------------
# The GIL


def test_gil_released_while_a_call_waits():
    """The server answers from a Python thread of this process: had the
    call kept the GIL while it waited, the server could not run, and the
    call would end in its 5 s timeout instead of getting the answer."""
    probe = GilProbeServer(work=300000)
    try:
        s = ftpc.Session(probe.host, probe.port, user=probe.user, password=probe.password,
                         timeout=5)
        for _ in range(3):
            assert s.sendcmd("NOOP") == "200 counted 300000"
        s.quit()
    finally:
        probe.stop()
    assert probe.served == ["USER", "PASS", "NOOP", "NOOP", "NOOP", "QUIT"]


def test_parallel_downloads_while_python_counts(pyftpdlib_server, big_file, tmp_path):
    server = pyftpdlib_server
    # How far the counter gets with nothing else going on (for the report
    # only: no rate is compared).
    counter = Counter()
    time.sleep(0.2)
    alone = counter.count
    counter.stop()

    results = [None] * THREADS
    errors = []
    barrier = threading.Barrier(THREADS + 1, timeout=HANG_S)

    def worker(index):
        try:
            with logged_in(server) as s:
                barrier.wait()
                if index % 2 == 0:
                    # The Python path: a callback per block.
                    digest = hashlib.sha256()
                    s.retrbinary("RETR eight.bin", digest.update)
                    results[index] = (digest.hexdigest(), s.last_transfer.bytes)
                else:
                    # The fd path: socket to file in the kernel.
                    target = tmp_path / ("eight-%d.bin" % index)
                    n = s.download("eight.bin", target)
                    with open(target, "rb") as f:
                        results[index] = (hashlib.sha256(f.read()).hexdigest(), n)
                    target.unlink()
        except BaseException as e:  # noqa: B902 - reported below
            errors.append((index, e))
            barrier.abort()

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(THREADS)]
    for t in threads:
        t.start()
    barrier.wait()                       # every session is connected and logged in
    counter = Counter()
    start_count = counter.count
    for t in threads:
        t.join(120)
    during = counter.count - start_count
    counter.stop()
    assert not [t for t in threads if t.is_alive()], "a download thread hung"
    assert not errors, errors
    assert results == [(big_file, BIG_SIZE)] * THREADS
    print("counter: %d during the downloads, %d in 0.2 s alone" % (during, alone))
    # The counting thread kept running while 16 calls were blocked in C.
    assert during >= 5000, "counter advanced %d during the downloads (%d in 0.2 s alone)" % (during, alone)


# --------------------------------------------------------------------------
# cancel()


def run_cancelled(s, call, when_blocked):
    """Runs @call in a thread, waits for @when_blocked(), cancels from this
    thread; returns (exception, seconds from cancel to return)."""
    worker = CallInThread(call)
    when_blocked()
    time.sleep(0.2)
    cancelled_at = time.monotonic()
    s.cancel()
    try:
        worker.join(HANG_S)
    except BaseException as e:  # noqa: B902 - checked by the caller
        return e, worker.ended_at - cancelled_at
    pytest.fail("the call returned %r instead of being cancelled" % (worker.result,))


def test_cancel_a_command_waiting_for_its_reply(hostile_server):
    server = hostile_server("on NOOP #1 noreply\n")
    s = ftpc.Session(server.host, server.port, user="u", password="p", reply_timeout=30,
                     timeout=30)
    started = time.monotonic()
    e, took = run_cancelled(s, lambda: s.sendcmd("NOOP"), lambda: wait_for_row(server, "NOOP"))
    assert type(e) is ftpc.Cancelled
    assert e.code == ftpc._lowlevel.FTP_E_CANCELLED
    assert took < 3.0 and time.monotonic() - started < 15
    # Broken until it reconnects; then it works.
    with pytest.raises(ftpc.StateError):
        s.sendcmd("NOOP")
    with pytest.raises(ftpc.StateError):
        s.pwd()
    s.connect(server.host, server.port)
    s.login("u", "p")
    assert s.sendcmd("NOOP") == "200 ok"
    s.quit()


def test_cancel_a_connect_waiting_for_the_banner(hostile_server):
    server = hostile_server("on CONNECT #1 noreply\n")
    s = ftpc.Session(reply_timeout=30, timeout=30)
    e, took = run_cancelled(s, lambda: s.connect(server.host, server.port),
                            lambda: wait_for_connections(server, 1))
    assert type(e) is ftpc.Cancelled
    assert took < 3.0
    assert not s.connected
    assert s.connect(server.host, server.port) == "220 hostile server ready"
    s.close()


def test_cancel_a_trickling_download(hostile_server):
    trickle = "".join("  data chunk%d\n  delay 0.3\n" % i for i in range(60))
    server = hostile_server("on RETR reply 150 slowly\n" + trickle + "  dataclose\n  reply 226 done\n")
    s = ftpc.Session(server.host, server.port, user="u", password="p", timeout=30)
    got_data = threading.Event()
    blocks = []

    def sink(block):
        blocks.append(block)
        got_data.set()

    e, took = run_cancelled(s, lambda: s.retrbinary("RETR slow", sink),
                            lambda: got_data.wait(HANG_S))
    assert type(e) is ftpc.Cancelled
    assert took < 3.0
    assert b"".join(blocks).startswith(b"chunk0")
    with pytest.raises(ftpc.StateError):
        s.pwd()
    s.close()


def test_cancel_while_idle_breaks_the_next_call(hostile_server):
    server = hostile_server("")
    s = ftpc.Session(server.host, server.port, user="u", password="p", timeout=30)
    s.cancel()
    with pytest.raises(ftpc.Cancelled):
        s.sendcmd("NOOP")
    with pytest.raises(ftpc.StateError):
        s.sendcmd("NOOP")
    s.close()


# --------------------------------------------------------------------------
# One session, one user at a time


def test_second_thread_gets_busy_error(hostile_server):
    server = hostile_server("on NOOP #1 delay 3\n"
                            "  reply 200 late but fine\n"
                            "on PWD reply 257 \"/\" is cwd\n")
    s = ftpc.Session(server.host, server.port, user="u", password="p", timeout=HANG_S)
    worker = CallInThread(s.sendcmd, "NOOP")
    wait_for_row(server, "NOOP")          # the first thread is inside its call
    for call in (s.pwd, lambda: s.sendcmd("NOOP"), lambda: s.retrbinary("RETR x", print),
                 lambda: s.download("x", io.BytesIO()), lambda: s.open("x"), s.nlst):
        with pytest.raises(ftpc.BusyError) as info:
            call()
        assert info.value.code == ftpc._lowlevel.FTP_E_BUSY
    assert worker.join() == "200 late but fine"
    assert s.pwd() == "/"
    s.quit()
    rows = server.transcript()
    assert rows == ["USER u", "PASS p", "NOOP", "PWD", "QUIT", "<1 control connections>"]


def test_reentry_from_own_callback_is_busy(pyftpdlib_server):
    with logged_in(pyftpdlib_server) as s:
        seen = []

        def callback(block):
            if not seen:
                for call in (s.pwd, lambda: s.sendcmd("NOOP"),
                             lambda: s.retrbinary("RETR a.txt", print), lambda: s.open("a.txt")):
                    try:
                        call()
                    except ftpc.BusyError as e:
                        seen.append(e)
            seen.append(len(block))

        blocks_total = []
        s.retrbinary("RETR big.bin", lambda b: (callback(b), blocks_total.append(b)))
        busy = [e for e in seen if isinstance(e, ftpc.BusyError)]
        assert len(busy) == 4
        assert b"".join(blocks_total) == servers.STANDARD_TREE["big.bin"]
        assert s.pwd() == "/"               # free again after the call


def test_reentry_exception_propagates_and_session_recovers(pyftpdlib_server):
    with logged_in(pyftpdlib_server) as s:
        def callback(block):
            s.pwd()                        # BusyError, raised out of the callback

        with pytest.raises(ftpc.BusyError):
            s.retrbinary("RETR big.bin", callback)
        assert s.pwd() == "/"
        sink = io.BytesIO()
        s.download("big.bin", sink)
        assert sink.getvalue() == servers.STANDARD_TREE["big.bin"]
