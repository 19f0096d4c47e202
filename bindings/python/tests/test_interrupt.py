"""Ctrl-C: SIGINT during a blocking ftpc call on the main thread raises
KeyboardInterrupt at once, not after the call's deadline.

Each test runs a child /usr/bin/python3 (the same environment, the same
ftpc package) against the hostile server, with every deadline at 20 s.  The
parent waits until the child is inside the blocking call (the server saw
the connection or the command, or the child got the first data block),
waits 0.5 s more, notes time.monotonic() and sends SIGINT.  The child notes
time.monotonic() in its KeyboardInterrupt handler (CLOCK_MONOTONIC is the
same clock in both processes) and reports what it saw afterwards: Python's
SIGINT handler is signal.default_int_handler again, the C-level sigaction
is exactly what it was before the call, the session is broken (StateError),
and a later SIGINT outside any call raises KeyboardInterrupt as usual.
"""

import signal
import time

import pytest

from session_support import ChildProcess, wait_for_connections, wait_for_row

DEADLINE_S = 20
# The child must get KeyboardInterrupt within 0.5 s of the signal; the bound
# asserted leaves room for a loaded machine and is still far below 20 s.
PROMPT_S = 1.5

CHILD = r'''
import ctypes, os, signal, sys, time
import ftpc

mode, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
libc = ctypes.CDLL(None, use_errno=True)


def sigint_action():
    """SIGINT's struct sigaction as the kernel has it: the handler, the
    kernel's part of the mask, the flags and the restorer (glibc's 64-bit
    layout: handler 0-8, sigset_t 8-136 of which the kernel's 8 bytes,
    flags 136-140, restorer 144-152; glibc leaves the rest of sa_mask as
    it finds it)."""
    assert sys.platform == "linux" and sys.maxsize > 2 ** 32
    buf = ctypes.create_string_buffer(512)
    if libc.sigaction(signal.SIGINT, None, buf) != 0:
        raise OSError(ctypes.get_errno(), "sigaction")
    raw = buf.raw
    return raw[0:8], raw[8:16], raw[136:140], raw[144:152]


def say(*words):
    print(*words, flush=True)


if mode == "custom":
    class Custom(Exception):
        pass

    def handler(signum, frame):
        raise Custom("custom handler ran")
    signal.signal(signal.SIGINT, handler)
elif mode == "ignored":
    signal.signal(signal.SIGINT, signal.SIG_IGN)

python_handler = signal.getsignal(signal.SIGINT)
before = sigint_action()
s = ftpc.Session(timeout=%(deadline)d)
if mode != "connect":
    s.connect(host, port)
    s.login("u", "p")
say("CALLING")
started = time.monotonic()
try:
    if mode == "connect":
        s.connect(host, port)
    elif mode in ("command", "custom", "ignored", "uncaught"):
        s.sendcmd("NOOP")
    elif mode == "retrbinary":
        first = []

        def block(data):
            if not first:
                first.append(data)
                say("BLOCK")
        s.retrbinary("RETR slow.bin", block)
    say("RESULT returned", s.last_reply.replace(" ", "_"))
except KeyboardInterrupt:
    say("RESULT KeyboardInterrupt %%.6f" %% time.monotonic())
except BaseException as e:
    say("RESULT %%s %%.6f" %% (type(e).__name__, time.monotonic()))
say("ELAPSED %%.3f" %% (time.monotonic() - started))
say("HANDLER", signal.getsignal(signal.SIGINT) is python_handler,
    signal.getsignal(signal.SIGINT) is signal.default_int_handler)
say("SIGACTION", sigint_action() == before)
try:
    s.sendcmd("NOOP")
    say("AFTER usable")
except ftpc.StateError:
    say("AFTER StateError")
except BaseException as e:
    say("AFTER", type(e).__name__)
s.close()
if mode == "uncaught":
    say("UNCAUGHT")
    s.connect(host, port)            # the server's next CONNECT: never answered
    say("NOT REACHED")
if mode not in ("custom", "ignored"):
    say("SLEEPING")
    try:
        time.sleep(%(deadline)d)
        say("SLEEP done")
    except KeyboardInterrupt:
        say("SLEEP KeyboardInterrupt")
say("EXIT")
''' % {"deadline": DEADLINE_S}


def trickle_script():
    steps = "".join("  data block %03d of a slow file\\n\n  delay 0.2\n" % i for i in range(150))
    return "on RETR reply 150 slowly\n" + steps + "  dataclose\n  reply 226 done\n"


SCRIPTS = {
    "connect": "on CONNECT noreply\n",
    "command": "on NOOP #1 noreply\n",
    "retrbinary": trickle_script(),
    "custom": "on NOOP #1 noreply\n",
    "uncaught": "on NOOP #1 noreply\non CONNECT #2 noreply\n",
}


def start_child(hostile_server, tmp_path, mode):
    server = hostile_server(SCRIPTS[mode], lifetime=60)
    child = ChildProcess(CHILD, mode, server.host, server.port, workdir=tmp_path)
    return server, child


def interrupt(child, when_inside):
    """Waits until the child is inside its call, then 0.5 s, then SIGINT;
    returns the parent's monotonic time just before the signal."""
    child.expect("CALLING")
    when_inside()
    time.sleep(0.5)
    sent_at = time.monotonic()
    child.signal(signal.SIGINT)
    return sent_at


def check_child_after_interrupt(child, sent_at, exception="KeyboardInterrupt"):
    result = child.expect("RESULT ")
    assert result[0] == exception, child.lines
    delay = float(result[1]) - sent_at
    assert 0 <= delay < PROMPT_S, "%s %.3f s after SIGINT (deadline %d s)" % (exception, delay, DEADLINE_S)
    print("%s %.4f s after SIGINT" % (exception, delay))
    elapsed = float(child.expect("ELAPSED ")[0])
    assert elapsed < DEADLINE_S / 2
    return delay


@pytest.mark.parametrize("mode", ["connect", "command", "retrbinary"])
def test_ctrl_c_interrupts_a_blocking_call(hostile_server, tmp_path, mode):
    server, child = start_child(hostile_server, tmp_path, mode)
    try:
        if mode == "connect":
            when_inside = lambda: wait_for_connections(server, 1)   # noqa: E731
        elif mode == "command":
            when_inside = lambda: wait_for_row(server, "NOOP")      # noqa: E731
        else:
            when_inside = lambda: child.expect("BLOCK")             # noqa: E731
        sent_at = interrupt(child, when_inside)
        check_child_after_interrupt(child, sent_at)
        # Python's handler is back, and so is the C-level action.
        assert child.expect("HANDLER ") == ["True", "True"]
        assert child.expect("SIGACTION ") == ["True"]
        # A cancelled call leaves the session broken (or, for connect,
        # unconnected): StateError either way.
        assert child.expect("AFTER ") == ["StateError"]
        # A later Ctrl-C outside any call is an ordinary KeyboardInterrupt.
        child.expect("SLEEPING")
        time.sleep(0.2)
        child.signal(signal.SIGINT)
        assert child.expect("SLEEP ") == ["KeyboardInterrupt"]
        child.expect("EXIT")
        assert child.wait() == 0, child.stderr_text()
    finally:
        child.close()


def test_uncaught_ctrl_c_kills_the_child_as_sigint(hostile_server, tmp_path):
    """A KeyboardInterrupt nobody catches ends the interpreter the usual
    way (killed by SIGINT), here from inside a second blocking connect."""
    server, child = start_child(hostile_server, tmp_path, "uncaught")
    try:
        sent_at = interrupt(child, lambda: wait_for_row(server, "NOOP"))
        check_child_after_interrupt(child, sent_at)
        child.expect("UNCAUGHT")
        wait_for_connections(server, 2)
        time.sleep(0.5)
        sent_at = time.monotonic()
        child.signal(signal.SIGINT)
        status = child.wait(timeout=10)
        assert time.monotonic() - sent_at < PROMPT_S + 1
        assert status == -signal.SIGINT, child.stderr_text()
        assert "KeyboardInterrupt" in child.stderr_text()
        assert "NOT REACHED" not in child.lines
    finally:
        child.close()


def test_custom_sigint_handler_runs_and_its_exception_propagates(hostile_server, tmp_path):
    server, child = start_child(hostile_server, tmp_path, "custom")
    try:
        sent_at = interrupt(child, lambda: wait_for_row(server, "NOOP"))
        check_child_after_interrupt(child, sent_at, exception="Custom")
        assert child.expect("HANDLER ") == ["True", "False"]   # still the custom one
        assert child.expect("SIGACTION ") == ["True"]
        assert child.expect("AFTER ") == ["StateError"]
        child.expect("EXIT")
        assert child.wait() == 0, child.stderr_text()
    finally:
        child.close()


def test_ignored_sigint_leaves_the_call_alone(hostile_server, tmp_path):
    """With SIGINT ignored (SIG_IGN) the call is not cancelled: it gets its
    (delayed) reply."""
    server = hostile_server("on NOOP #1 delay 1.5\n  reply 200 finally\n")
    child = ChildProcess(CHILD, "ignored", server.host, server.port, workdir=tmp_path)
    try:
        sent_at = interrupt(child, lambda: wait_for_row(server, "NOOP"))
        result = child.expect("RESULT ")
        assert result == ["returned", "200_finally"], child.lines
        assert time.monotonic() - sent_at < 15
        assert child.expect("SIGACTION ") == ["True"]
        assert child.expect("AFTER ") == ["usable"]
        child.expect("EXIT")
        assert child.wait() == 0, child.stderr_text()
    finally:
        child.close()
