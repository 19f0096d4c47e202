"""One timed client run: spawn, wait, wall time and CPU time.

Wall time is time.perf_counter() from just before posix_spawn() to just
after wait4() reaped the client, so it includes the process start-up, the
login and the QUIT, as a user running the client would see it.  CPU time
is user + system from wait4()'s rusage (the client and any child it
waited for).  The harness waits on a pidfd, which wakes the moment the
client exits (no polling interval in the timing) and lets a stuck client
be killed after a deadline.
"""

import os
import select
import signal
import time
from dataclasses import dataclass


@dataclass
class ProcessRun:
    wall_s: float
    user_s: float
    sys_s: float
    status: int           # exit status, or -signal
    timed_out: bool

    @property
    def cpu_s(self):
        return self.user_s + self.sys_s

    @property
    def ok(self):
        return self.status == 0 and not self.timed_out


def spawn_and_wait(argv, stdout_path, stderr_path, env, timeout_s):
    write = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, stdout_path, write, 0o644),
        (os.POSIX_SPAWN_OPEN, 2, stderr_path, write, 0o644),
    ]
    start = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, env, file_actions=actions)
    pidfd = os.pidfd_open(pid)
    try:
        ready, _, _ = select.select([pidfd], [], [], timeout_s)
        timed_out = not ready
        if timed_out:
            signal.pidfd_send_signal(pidfd, signal.SIGKILL)
        _, wait_status, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - start
    finally:
        os.close(pidfd)
    if os.WIFSIGNALED(wait_status):
        status = -os.WTERMSIG(wait_status)
    else:
        status = os.WEXITSTATUS(wait_status)
    return ProcessRun(wall, usage.ru_utime, usage.ru_stime, status, timed_out)


def last_line(path, limit=300):
    """The last non-empty line of a file (a client's error message)."""
    try:
        with open(path, errors="replace") as f:
            lines = [line.strip() for line in f if line.strip()]
    except OSError:
        return ""
    return lines[-1][:limit] if lines else ""
