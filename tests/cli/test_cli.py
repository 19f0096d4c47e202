#!/usr/bin/python3
"""End-to-end tests of the ftpc command-line client against pyftpdlib.

Usage: test_cli.py PATH_TO_FTPC   (meson runs it with test_env, protocol tap)

One pyftpdlib server serves a fresh directory for the whole run; each case
works in its own subdirectory of it.  The server's root is a local
directory, so what a command did on the server is checked on disk.
"""

import os
import subprocess
import stat
import sys
import threading

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from cli_harness import (PASSWORD, USER, Check, ClosedPort, Ftpc, Listener, Server, expect,
                         expect_exit, ftps_available, make_work_dir, remove_tree, run_tap)

EXIT_OK, EXIT_USAGE, EXIT_NETWORK, EXIT_REFUSED, EXIT_LOCAL, EXIT_TLS = 0, 2, 3, 4, 5, 6


class Context:
    def __init__(self, program):
        self.work = make_work_dir("cli")
        self.root = os.path.join(self.work, "root")   # what the server serves
        self.local = os.path.join(self.work, "local")  # ftpc's side
        self.home = os.path.join(self.work, "home")    # HOME for ftpc: no .netrc
        for d in (self.root, self.local, self.home):
            os.mkdir(d)
        self.ftpc = Ftpc(program, self.home)
        self.server = Server(self.root)

    def case_dir(self, name):
        """A fresh directory for one case: (path on the server, path on disk)."""
        os.mkdir(os.path.join(self.root, name))
        os.mkdir(os.path.join(self.local, name))
        return name, os.path.join(self.root, name)

    def url(self, path="", **kw):
        return self.server.url(path, **kw)

    def run(self, *args, **kw):
        return self.ftpc.run(*args, **kw)


def write_file(path, data):
    with open(path, "wb") as f:
        f.write(data)


def read_file(path):
    with open(path, "rb") as f:
        return f.read()


def payload(size, seed):
    """Bytes that are not all alike, with CR and LF in them (binary mode must
    not translate line endings)."""
    return bytes((i * 31 + seed + (i >> 8)) % 256 for i in range(size))


# --------------------------------------------------------------------------
# Transfers


def put_uploads_the_exact_bytes(ctx):
    remote, disk = ctx.case_dir("put")
    data = payload(300001, 1)
    src = os.path.join(ctx.local, "put", "up.bin")
    write_file(src, data)
    r = ctx.run("put", src, ctx.url(remote + "/up.bin"))
    expect_exit(r, EXIT_OK)
    expect(read_file(os.path.join(disk, "up.bin")) == data, "uploaded bytes differ", r)
    # A URL ending in '/' takes LOCAL's base name.
    r = ctx.run("put", src, ctx.url(remote + "/"))
    expect_exit(r, EXIT_OK)
    expect(os.listdir(disk) == ["up.bin"], "put into a directory URL: %r" % os.listdir(disk))


def put_reads_stdin(ctx):
    remote, disk = ctx.case_dir("put_stdin")
    data = payload(70000, 2)
    r = ctx.run("put", "-", ctx.url(remote + "/from-stdin.bin"), stdin=data)
    expect_exit(r, EXIT_OK)
    expect(read_file(os.path.join(disk, "from-stdin.bin")) == data, "stdin upload differs", r)


def get_downloads_the_exact_bytes(ctx):
    remote, disk = ctx.case_dir("get")
    data = payload(500000, 3)
    write_file(os.path.join(disk, "down.bin"), data)
    dest = os.path.join(ctx.local, "get", "copy.bin")
    r = ctx.run("get", ctx.url(remote + "/down.bin"), dest)
    expect_exit(r, EXIT_OK)
    expect(read_file(dest) == data, "downloaded bytes differ", r)
    expect(not os.path.exists(dest + ".part"), "a .part file was left behind", r)
    # Without LOCAL: the base name, in the current directory.
    cwd = os.path.join(ctx.local, "get")
    r = ctx.run("get", ctx.url(remote + "/down.bin"), cwd=cwd)
    expect_exit(r, EXIT_OK)
    expect(read_file(os.path.join(cwd, "down.bin")) == data, "get without LOCAL differs", r)
    # LOCAL a directory: the base name inside it.
    sub = os.path.join(cwd, "into")
    os.mkdir(sub)
    r = ctx.run("get", ctx.url(remote + "/down.bin"), sub)
    expect_exit(r, EXIT_OK)
    expect(read_file(os.path.join(sub, "down.bin")) == data, "get into a directory differs", r)


def get_into_a_fifo_keeps_the_fifo(ctx):
    """Regression (benchmark harness review): get LOCAL wrote LOCAL.part and
    renamed it over LOCAL, so `ftpc get URL /dev/null` as root would have
    replaced the device with a regular file.  A LOCAL that is no regular file
    is written directly; a FIFO shows it without touching /dev."""
    remote, disk = ctx.case_dir("get_fifo")
    data = payload(300000, 9)
    write_file(os.path.join(disk, "f.bin"), data)
    fifo = os.path.join(ctx.local, "get_fifo", "pipe")
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(read_file(fifo)), daemon=True)
    reader.start()
    r = ctx.run("get", ctx.url(remote + "/f.bin"), fifo)
    reader.join(30)
    expect_exit(r, EXIT_OK)
    expect(stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced", r)
    expect(received and received[0] == data, "the bytes through the FIFO differ", r)
    expect(not os.path.exists(fifo + ".part"), "a .part file was made beside the FIFO", r)
    r = ctx.run("--resume", "get", ctx.url(remote + "/f.bin"), fifo)
    expect_exit(r, EXIT_USAGE)


def get_dash_and_cat_write_stdout(ctx):
    remote, disk = ctx.case_dir("cat")
    data = payload(100000, 4)
    write_file(os.path.join(disk, "f.bin"), data)
    r = ctx.run("cat", ctx.url(remote + "/f.bin"))
    expect_exit(r, EXIT_OK)
    expect(r.stdout == data, "cat output differs", r)
    r = ctx.run("get", ctx.url(remote + "/f.bin"), "-")
    expect_exit(r, EXIT_OK)
    expect(r.stdout == data, "get - output differs", r)


def get_of_a_missing_file_leaves_no_file(ctx):
    remote, _ = ctx.case_dir("get_missing")
    dest = os.path.join(ctx.local, "get_missing", "nothing.bin")
    r = ctx.run("get", ctx.url(remote + "/nothing.bin"), dest)
    expect_exit(r, EXIT_REFUSED)
    expect("550" in r.stderr, "the error does not show the 550 reply", r)
    expect(r.stderr.count("\n") == 1 and r.stderr.startswith("ftpc: "),
           "the error is not one 'ftpc: ' line", r)
    expect(not os.path.exists(dest), "LOCAL exists after a failed get", r)
    expect(not os.path.exists(dest + ".part"), "an empty .part was left behind", r)


def get_resume_continues_the_part_file(ctx):
    remote, disk = ctx.case_dir("resume")
    data = payload(400000, 5)
    write_file(os.path.join(disk, "r.bin"), data)
    dest = os.path.join(ctx.local, "resume", "r.bin")
    write_file(dest + ".part", data[:123456])
    r = ctx.run("-v", "get", "--resume", ctx.url(remote + "/r.bin"), dest)
    expect_exit(r, EXIT_OK)
    expect("> REST 123456" in r.stderr, "no REST 123456 in the trace", r)
    expect(read_file(dest) == data, "resumed download differs", r)
    expect(not os.path.exists(dest + ".part"), ".part left after a resumed get", r)


def progress_bar_only_on_a_terminal(ctx):
    """get draws its bar on stderr when stderr is a terminal, never into a
    pipe or a log."""
    import pty
    import subprocess
    remote, disk = ctx.case_dir("progress")
    data = payload(200000, 7)
    write_file(os.path.join(disk, "p.bin"), data)
    dest = os.path.join(ctx.local, "progress", "p.bin")
    r = ctx.run("get", ctx.url(remote + "/p.bin"), dest)
    expect(r.rc == 0 and r.stderr == "", "stderr not empty when it is a pipe", r)

    os.remove(dest)
    master, slave = pty.openpty()
    env = dict(os.environ, HOME=ctx.home)
    env.pop("NETRC", None)
    proc = subprocess.Popen([ctx.ftpc.program, "get", ctx.url(remote + "/p.bin"), dest],
                            stdout=subprocess.DEVNULL, stderr=slave, env=env)
    os.close(slave)
    shown = b""
    try:
        while len(shown) < 1 << 20:  # bounded: the bar is a few lines at most
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: the terminal's last writer has gone
                break
            if not chunk:
                break
            shown += chunk
        rc = proc.wait(timeout=60)
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    text = shown.decode("utf-8", "replace")
    expect(rc == 0, "get on a terminal exited %d: %r" % (rc, text))
    expect("100%" in text and "p.bin" in text and "\r" in text,
           "no progress bar on the terminal: %r" % text)
    expect(read_file(dest) == data, "download with a progress bar differs")


def closed_stdout_ends_quietly(ctx):
    """ftpc cat URL | head: the reader goes away; ftpc aborts the transfer
    and exits 0 without a message (SIGPIPE is ignored, EPIPE handled)."""
    import subprocess
    remote, disk = ctx.case_dir("pipe")
    # Far more than the pipe and socket buffers hold, so the write fails.
    write_file(os.path.join(disk, "big.bin"), os.urandom(16 * 1024 * 1024))
    env = dict(os.environ, HOME=ctx.home)
    env.pop("NETRC", None)
    proc = subprocess.Popen([ctx.ftpc.program, "-v", "cat", ctx.url(remote + "/big.bin")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    first = proc.stdout.read(10)
    proc.stdout.close()
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise Check("ftpc did not end after its reader went away")
    err = err.decode("utf-8", "replace")
    expect(len(first) == 10, "no data arrived before the pipe was closed")
    expect(proc.returncode == 0, "exit status %d after the reader went away\n%s"
           % (proc.returncode, err[-600:]))
    expect("ftpc:" not in err, "an error was printed:\n" + err[-600:])
    expect("> ABOR" in err, "the transfer was not aborted:\n" + err[-600:])


# --------------------------------------------------------------------------
# Listings and simple commands


def ls_lists_long_and_names(ctx):
    remote, disk = ctx.case_dir("ls")
    for name in ("alpha.txt", "beta.bin"):
        write_file(os.path.join(disk, name), b"x" * 10)
    os.mkdir(os.path.join(disk, "gamma"))
    r = ctx.run("ls", ctx.url(remote))
    expect_exit(r, EXIT_OK)
    lines = r.stdout.decode().splitlines()
    expect(len(lines) == 3, "LIST should give 3 lines", r)
    expect(any(l.startswith("d") and l.endswith(" gamma") for l in lines),
           "no directory line for gamma", r)
    expect(any(l.endswith(" alpha.txt") for l in lines), "no line for alpha.txt", r)
    r = ctx.run("ls", "-1", ctx.url(remote))
    expect_exit(r, EXIT_OK)
    names = sorted(os.path.basename(n) for n in r.stdout.decode().splitlines())
    expect(names == ["alpha.txt", "beta.bin", "gamma"], "NLST names: %r" % names, r)
    r = ctx.run("--names", "ls", ctx.url(remote))
    expect_exit(r, EXIT_OK)


def directory_commands_work(ctx):
    remote, disk = ctx.case_dir("dirs")
    r = ctx.run("mkdir", ctx.url(remote + "/made"))
    expect_exit(r, EXIT_OK)
    expect(os.path.isdir(os.path.join(disk, "made")), "mkdir made nothing", r)
    r = ctx.run("pwd", ctx.url(remote + "/made"))
    expect_exit(r, EXIT_OK)
    expect(r.stdout == ("/%s/made\n" % remote).encode(), "pwd printed %r" % r.stdout, r)
    r = ctx.run("pwd", ctx.url())
    expect(r.rc == 0 and r.stdout == b"/\n", "pwd of the login directory", r)

    write_file(os.path.join(disk, "old.txt"), b"content")
    r = ctx.run("mv", ctx.url(remote + "/old.txt"), remote + "/made/new.txt")
    expect_exit(r, EXIT_OK)
    expect(not os.path.exists(os.path.join(disk, "old.txt")) and
           read_file(os.path.join(disk, "made", "new.txt")) == b"content", "mv failed", r)
    r = ctx.run("rm", ctx.url(remote + "/made/new.txt"))
    expect_exit(r, EXIT_OK)
    expect(os.listdir(os.path.join(disk, "made")) == [], "rm left the file", r)
    r = ctx.run("rmdir", ctx.url(remote + "/made/"))  # a trailing '/' is fine
    expect_exit(r, EXIT_OK)
    expect(os.listdir(disk) == [], "rmdir left the directory", r)
    r = ctx.run("rm", ctx.url(remote + "/made"))
    expect_exit(r, EXIT_REFUSED)


def quote_prints_replies(ctx):
    r = ctx.run("quote", ctx.url(), "NOOP", "SYST")
    expect_exit(r, EXIT_OK)
    lines = r.stdout.decode().splitlines()
    expect(len(lines) == 2 and lines[0].startswith("200") and lines[1].startswith("215"),
           "quote output %r" % lines, r)
    r = ctx.run("quote", ctx.url(), "NOOP", "XYZZY", "SYST")
    expect_exit(r, EXIT_REFUSED)
    expect(r.stdout.decode().splitlines()[0].startswith("200"), "NOOP reply missing", r)
    expect(b"215" not in r.stdout, "quote went on after a refusal", r)


def active_mode_works(ctx):
    remote, disk = ctx.case_dir("active")
    data = payload(50000, 6)
    write_file(os.path.join(disk, "a.bin"), data)
    r = ctx.run("--active", "-v", "cat", ctx.url(remote + "/a.bin"))
    expect_exit(r, EXIT_OK)
    expect(r.stdout == data, "active-mode download differs", r)
    expect("> EPRT " in r.stderr or "> PORT " in r.stderr, "no EPRT/PORT in the trace", r)
    expect("> EPSV" not in r.stderr and "> PASV" not in r.stderr, "passive in active mode", r)


def verbose_masks_the_password(ctx):
    r = ctx.run("-v", "ls", ctx.url())
    expect_exit(r, EXIT_OK)
    expect("> USER %s" % USER in r.stderr, "no USER line in the trace", r)
    expect("> PASS ****" in r.stderr, "no masked PASS line", r)
    expect(PASSWORD not in r.stderr, "the password appears in the trace", r)
    expect("< 230" in r.stderr, "no reply lines in the trace", r)
    expect(any(l.startswith("* ") for l in r.stderr.splitlines()), "no '* ' info lines", r)


def ipv6_literal_urls_work(ctx):
    remote, disk = ctx.case_dir("ipv6")
    write_file(os.path.join(disk, "six.txt"), b"over IPv6\n")
    server6 = Server(ctx.root, host="::1")
    try:
        r = ctx.run("cat", server6.url(remote + "/six.txt"))
    finally:
        server6.stop()
    expect_exit(r, EXIT_OK)
    expect(r.stdout == b"over IPv6\n", "cat over [::1] differs", r)


# --------------------------------------------------------------------------
# Credentials


def write_netrc(path, text):
    write_file(path, text.encode())
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)


def netrc_supplies_the_login(ctx):
    home = os.path.join(ctx.work, "netrc-home")
    os.mkdir(home)
    write_netrc(os.path.join(home, ".netrc"),
                "# test credentials\nmachine other.example login bob password nope\n"
                "macdef init\nmachine 127.0.0.1 login wrong password wrong\n\n"
                "machine 127.0.0.1\n  login %s\n  password \"%s\"\n" % (USER, PASSWORD))
    url = ctx.url(user=None)
    r = ctx.run("-v", "pwd", url, env_extra={"HOME": home})
    expect_exit(r, EXIT_OK)
    expect("> USER %s" % USER in r.stderr, "the .netrc login was not used", r)
    # A user in the URL without a password: the password comes from .netrc.
    r = ctx.run("pwd", ctx.url(user=USER, password=None), env_extra={"HOME": home})
    expect_exit(r, EXIT_OK)
    # $NETRC wins over ~/.netrc; a "default" entry serves any host.
    other = os.path.join(ctx.work, "netrc-default")
    write_netrc(other, "default login %s password %s\n" % (USER, PASSWORD))
    write_netrc(os.path.join(home, ".netrc"), "machine 127.0.0.1 login nobody password x\n")
    r = ctx.run("pwd", url, env_extra={"HOME": home, "NETRC": other})
    expect_exit(r, EXIT_OK)
    # Without any credentials the login is anonymous, which this server refuses.
    r = ctx.run("-v", "pwd", url)
    expect_exit(r, EXIT_REFUSED)
    expect("> USER anonymous" in r.stderr, "no anonymous login without credentials", r)


def wrong_password_is_refused(ctx):
    r = ctx.run("ls", ctx.url(password="wrong"))
    expect_exit(r, EXIT_REFUSED)
    expect("530" in r.stderr, "the error does not show the 530 reply", r)


def percent_decoding_of_path_and_credentials(ctx):
    remote, disk = ctx.case_dir("percent")
    write_file(os.path.join(disk, "with space.txt"), b"spaced\n")
    r = ctx.run("cat", ctx.url(remote + "/with%20space.txt"))
    expect_exit(r, EXIT_OK)
    expect(r.stdout == b"spaced\n", "cat of with%20space.txt", r)
    # %73 is 's': the password is decoded too.
    r = ctx.run("cat", ctx.url(remote + "/with%20space.txt", password="%733cret"))
    expect_exit(r, EXIT_OK)


# --------------------------------------------------------------------------
# Refusals before anything is contacted, and exit statuses


def injection_is_refused_before_connecting(ctx):
    listener = Listener()
    try:
        base = "ftp://%s:%s@127.0.0.1:%d/" % (USER, PASSWORD, listener.port)
        for bad in ("a%0d%0aDELE%20x", "a%00b", "a%0Ab", "a%0Db"):
            r = ctx.run("ls", base + bad)
            expect_exit(r, EXIT_USAGE)
        r = ctx.run("ls", "ftp://us%%0aer:pw@127.0.0.1:%d/" % listener.port)
        expect_exit(r, EXIT_USAGE)
        r = ctx.run("ls", base + "raw\rcontrol")
        expect_exit(r, EXIT_USAGE)
        r = ctx.run("mv", base + "a", "b\r\nDELE c")
        expect_exit(r, EXIT_USAGE)
        r = ctx.run("quote", base, "NOOP\r\nDELE c")
        expect_exit(r, EXIT_USAGE)
        expect(not listener.was_contacted(), "ftpc connected despite the refusal")
    finally:
        listener.close()


def usage_errors_exit_2_without_contact(ctx):
    listener = Listener()
    try:
        url = "ftp://127.0.0.1:%d/x" % listener.port
        for args in (["--no-such-option", "ls", url], ["ls"], ["frobnicate", url],
                     ["ls", "http://127.0.0.1/"], ["ls", "ftp://127.0.0.1:70000/"],
                     ["--timeout", "-1", "ls", url], ["-C", "ls", url], ["-1", "get", url],
                     ["get", "ftp://127.0.0.1:%d/dir/" % listener.port], ["mkdir", url, "extra"]):
            r = ctx.run(*args)
            expect_exit(r, EXIT_USAGE)
            expect(r.stderr.startswith("ftpc: ") and r.stderr.count("\n") == 1,
                   "a usage error should be one 'ftpc: ' line", r)
        expect(not listener.was_contacted(), "a usage error contacted the server")
    finally:
        listener.close()


def connection_refused_is_a_network_error(ctx):
    closed = ClosedPort()
    try:
        r = ctx.run("ls", "ftp://127.0.0.1:%d/" % closed.port)
    finally:
        closed.close()
    expect_exit(r, EXIT_NETWORK)
    expect(r.stderr.startswith("ftpc: ") and r.stderr.count("\n") == 1,
           "the error should be one 'ftpc: ' line", r)


def silent_server_times_out(ctx):
    """A server that accepts but never sends its banner: --timeout ends the
    wait with a network error (the listener's backlog completes the TCP
    handshake, and nobody ever answers)."""
    listener = Listener()
    try:
        r = ctx.run("--timeout", "1", "ls", "ftp://127.0.0.1:%d/" % listener.port)
    finally:
        listener.close()
    expect_exit(r, EXIT_NETWORK)


def local_file_errors_exit_5(ctx):
    listener = Listener()
    try:
        url = "ftp://127.0.0.1:%d/" % listener.port
        r = ctx.run("put", os.path.join(ctx.local, "does-not-exist"), url)
        expect_exit(r, EXIT_LOCAL)
        expect("does-not-exist" in r.stderr, "the message does not name the file", r)
        r = ctx.run("get", url + "x", os.path.join(ctx.local, "no-such-dir", "x"))
        expect_exit(r, EXIT_LOCAL)
        r = ctx.run("put", ctx.local, url)  # a directory
        expect_exit(r, EXIT_LOCAL)
        expect(not listener.was_contacted(), "a local error contacted the server")
    finally:
        listener.close()


def help_and_version(ctx):
    r = ctx.run("--help")
    expect_exit(r, EXIT_OK)
    text = r.stdout.decode()
    for needle in ("Usage: ftpc", "Exit status", "netrc", "--active", "--timeout"):
        expect(needle in text, "--help lacks %r" % needle, r)
    r = ctx.run("--version")
    expect_exit(r, EXIT_OK)
    expect(r.stdout.startswith(b"ftpc "), "--version output", r)


def help_and_version_into_a_full_disk_fail(ctx):
    """Regression (static-analysis lane): `ftpc --help > /dev/full` exited 0
    because glibc dropped the failed buffer and fflush() then succeeded."""
    wrapper = [os.environ["FTPC_TEST_WRAPPER"]] if os.environ.get("FTPC_TEST_WRAPPER") else []
    for option in ("--help", "--version"):
        with open("/dev/full", "wb") as full:
            proc = subprocess.run(wrapper + [ctx.ftpc.program, option], stdout=full,
                                  stderr=subprocess.PIPE, timeout=60)
        stderr = proc.stderr.decode(errors="replace")
        expect(proc.returncode == EXIT_LOCAL,
               "%s into /dev/full exited %d, not %d: %s" % (option, proc.returncode, EXIT_LOCAL, stderr))
        expect("No space left" in stderr, "%s into /dev/full: no error message: %s" % (option, stderr))


def ftps_availability_is_reported(ctx):
    """--version says whether libftpc has TLS; without it, asking for FTPS
    fails with exit 6 before anything is contacted (test_cli_tls.py covers
    FTPS itself, and is skipped in such a build)."""
    if ftps_available(ctx.ftpc.program):
        return
    listener = Listener()
    try:
        for args in (["--tls", "ls", "ftp://127.0.0.1:%d/" % listener.port],
                     ["ls", "ftps://127.0.0.1:%d/" % listener.port]):
            r = ctx.run(*args)
            expect_exit(r, EXIT_TLS)
            expect("built without TLS" in r.stderr and r.stderr.count("\n") == 1,
                   "the error does not say that TLS is missing", r)
        expect(not listener.was_contacted(), "ftpc connected without TLS support")
    finally:
        listener.close()


CASES = [
    put_uploads_the_exact_bytes,
    put_reads_stdin,
    get_downloads_the_exact_bytes,
    get_into_a_fifo_keeps_the_fifo,
    get_dash_and_cat_write_stdout,
    get_of_a_missing_file_leaves_no_file,
    get_resume_continues_the_part_file,
    progress_bar_only_on_a_terminal,
    closed_stdout_ends_quietly,
    ls_lists_long_and_names,
    directory_commands_work,
    quote_prints_replies,
    active_mode_works,
    verbose_masks_the_password,
    ipv6_literal_urls_work,
    netrc_supplies_the_login,
    wrong_password_is_refused,
    percent_decoding_of_path_and_credentials,
    injection_is_refused_before_connecting,
    usage_errors_exit_2_without_contact,
    connection_refused_is_a_network_error,
    silent_server_times_out,
    local_file_errors_exit_5,
    help_and_version,
    help_and_version_into_a_full_disk_fail,
    ftps_availability_is_reported,
]


def main(argv):
    if len(argv) != 2:
        sys.exit("usage: test_cli.py PATH_TO_FTPC")
    program = os.path.abspath(argv[1])

    def setup():
        return Context(program)

    def teardown(ctx, passed):
        ctx.server.stop()
        if passed:  # keep the evidence when something failed
            remove_tree(ctx.work)
        else:
            print("# files kept in %s" % ctx.work)

    return run_tap(CASES, setup, teardown)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
