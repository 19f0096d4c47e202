"""One timed client run: spawn, wait, wall time and CPU time.

Wall time is time.perf_counter() from just before posix_spawn() to just
after wait4() reaped the client, so it includes the process start-up, the
login and the QUIT, as a user running the client would see it.  CPU time
is user + system from wait4()'s rusage (the client and any child it
waited for).  The harness waits on a pidfd, which wakes the moment the
client exits (no polling interval in the timing) and lets a stuck client
be killed after a deadline.

Peak memory (peak RSS) is the kernel's taskstats record of the client's
exit (ExitStats below): hiwater_rss of the memory the client ran in,
after its last exec.  Not wait4()'s ru_maxrss: posix_spawn() runs the
child in the parent's memory until it execs (CLONE_VM|CLONE_VFORK), and
the kernel folds the high-water mark of the memory an exec leaves behind
into the process's maxrss, so every client's ru_maxrss was at least the
harness's own peak (about 21 MiB, more than a C client or python3 alone
uses); a fork()ed child inherits it the same way.  The taskstats record
is per process and exact, costs the client nothing, and needs root
(CAP_NET_ADMIN) and a kernel with CONFIG_TASKSTATS and CONFIG_TASK_XACCT;
without them peak RSS is not measured (None).  It is the main process's
(an `env VAR=... python3` wrapper execs python3 in that process): a
helper process a client forks is not counted.
"""

import os
import select
import signal
import socket
import struct
import time
from dataclasses import dataclass


@dataclass
class ProcessRun:
    wall_s: float
    user_s: float
    sys_s: float
    status: int           # exit status, or -signal
    timed_out: bool
    maxrss_kib: int = None  # peak RSS from taskstats, or None

    @property
    def cpu_s(self):
        return self.user_s + self.sys_s

    @property
    def ok(self):
        return self.status == 0 and not self.timed_out


class ExitStats:
    """The kernel's taskstats over generic netlink: registered for every
    CPU, the socket receives a record for each task that exits on the
    machine; peak_rss_kib() picks the client's from those queued."""

    NETLINK_GENERIC = 16
    GENL_ID_CTRL = 0x10
    CTRL_CMD_GETFAMILY = 3
    CTRL_ATTR_FAMILY_ID = 1
    CTRL_ATTR_FAMILY_NAME = 2
    NLM_F_REQUEST = 1
    NLMSG_ERROR = 2
    TASKSTATS_CMD_GET = 1
    TASKSTATS_CMD_ATTR_REGISTER_CPUMASK = 3
    TASKSTATS_TYPE_PID = 1
    TASKSTATS_TYPE_STATS = 3
    TASKSTATS_TYPE_AGGR_PID = 4
    # struct taskstats (linux/taskstats.h), stable since version 1
    AC_PID_OFFSET = 128       # __u32 ac_pid
    HIWATER_RSS_OFFSET = 200  # __u64 hiwater_rss, KiB

    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, self.NETLINK_GENERIC)
        try:
            try:  # root may go past rmem_max: exits of other tasks must not crowd ours out
                self.sock.setsockopt(socket.SOL_SOCKET, 33, 8 << 20)  # SO_RCVBUFFORCE
            except OSError:
                self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
            self.sock.bind((0, 0))
            self.sock.settimeout(5)
            family = self._family_id()
            cpus = ("0-%d" % (os.cpu_count() - 1)).encode() + b"\0"
            self._request(family, self.TASKSTATS_CMD_GET,
                          self._attr(self.TASKSTATS_CMD_ATTR_REGISTER_CPUMASK, cpus), 2)
            self.sock.setblocking(False)
        except BaseException:
            self.sock.close()
            raise

    @staticmethod
    def _attr(kind, payload):
        n = 4 + len(payload)
        return struct.pack("HH", n, kind) + payload + b"\0" * (-n % 4)

    @staticmethod
    def _attrs(data):
        i = 0
        while i + 4 <= len(data):
            n, kind = struct.unpack_from("HH", data, i)
            if n < 4:
                return
            yield kind & 0x3FFF, data[i + 4:i + n]
            i += (n + 3) & ~3

    def _request(self, family, command, attrs, seq):
        """Sends a request and returns the reply's attributes; OSError if
        the kernel refuses it."""
        body = struct.pack("BBH", command, 1, 0) + attrs
        self.sock.send(struct.pack("IHHII", 16 + len(body), family, self.NLM_F_REQUEST, seq, 0)
                       + body)
        if command == self.TASKSTATS_CMD_GET:
            return None  # registering a listener is acknowledged only on error
        data = self.sock.recv(65536)
        n, kind = struct.unpack_from("IH", data)
        if kind == self.NLMSG_ERROR:
            error = -struct.unpack_from("i", data, 16)[0]
            raise OSError(error, "netlink: %s" % os.strerror(error))
        return dict(self._attrs(data[20:n]))

    def _family_id(self):
        reply = self._request(self.GENL_ID_CTRL, self.CTRL_CMD_GETFAMILY,
                              self._attr(self.CTRL_ATTR_FAMILY_NAME, b"TASKSTATS\0"), 1)
        return struct.unpack_from("H", reply[self.CTRL_ATTR_FAMILY_ID])[0]

    def _records(self):
        """(pid, hiwater_rss KiB) of every exit queued so far."""
        while True:
            try:
                data = self.sock.recv(1 << 16)
            except BlockingIOError:
                return
            except OSError:  # ENOBUFS: records were dropped; read on
                continue
            offset = 0
            while offset + 20 <= len(data):
                n = struct.unpack_from("I", data, offset)[0]
                if n < 20:
                    break
                for kind, payload in self._attrs(data[offset + 20:offset + n]):
                    if kind != self.TASKSTATS_TYPE_AGGR_PID:
                        continue
                    inner = dict(self._attrs(payload))
                    stats = inner.get(self.TASKSTATS_TYPE_STATS)
                    if stats is not None and len(stats) >= self.HIWATER_RSS_OFFSET + 8:
                        yield (struct.unpack_from("I", stats, self.AC_PID_OFFSET)[0],
                               struct.unpack_from("Q", stats, self.HIWATER_RSS_OFFSET)[0])
                offset += (n + 3) & ~3

    def discard(self):
        for _ in self._records():
            pass

    def peak_rss_kib(self, pid):
        """The peak RSS of @pid, which has exited (and been reaped), or None."""
        found = None
        for who, hiwater in self._records():
            if who == pid:
                found = hiwater
        return found


_exit_stats = None
exit_stats_error = None


def exit_stats():
    """The harness's one ExitStats, or None where taskstats is not available
    (exit_stats_error says why)."""
    global _exit_stats, exit_stats_error
    if _exit_stats is None and exit_stats_error is None:
        try:
            _exit_stats = ExitStats()
        except (OSError, KeyError, struct.error) as exc:
            exit_stats_error = "taskstats unavailable: %s" % exc
    return _exit_stats


def spawn_and_wait(argv, stdout_path, stderr_path, env, timeout_s):
    stats = exit_stats()
    if stats is not None:
        stats.discard()
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
    return ProcessRun(wall, usage.ru_utime, usage.ru_stime, status, timed_out,
                      stats.peak_rss_kib(pid) if stats is not None else None)


def last_line(path, limit=300):
    """The last non-empty line of a file (a client's error message)."""
    try:
        with open(path, errors="replace") as f:
            lines = [line.strip() for line in f if line.strip()]
    except OSError:
        return ""
    return lines[-1][:limit] if lines else ""
