#!/usr/bin/python3
"""A private vsftpd instance for ftpc's integration tests.

Serves --root on 127.0.0.1 or ::1 at a free port and prints "READY <port>"
on stdout once vsftpd answers there (the protocol of
tests/integration/common/test_server.h).  Must run as root, because
vsftpd needs root to authenticate users and to chroot.

Nothing system-wide is configured: vsftpd runs in the foreground on a
configuration file written into a private temporary directory (under
$FTPC_TEST_TMP when set; never /etc/vsftpd.conf, never the system service,
never port 21).

Logins
  * A named account: vsftpd's local users are system users checked by PAM
    (/etc/pam.d/vsftpd, shipped by the vsftpd package: pam_unix plus
    pam_shells and the /etc/ftpusers deny list).  The launcher therefore
    creates, once per machine, the system user "ftpc-test" (home: an empty
    root-owned /var/lib/ftpc-test/home; shell /bin/sh so that pam_shells
    accepts it) with a random password kept in /var/lib/ftpc-test/password
    (root only).  That user and /var/lib/ftpc-test are the whole footprint
    on the machine: nothing in /etc/pam.d is written, and the password is
    not guessable, so the account is no open door.  The login is chrooted
    to --root, so the client sees --root as "/", as with pyftpdlib.
  * "anonymous" (password asked for, anything accepted), read-only, also
    chrooted to --root.
  --credentials FILE receives "user\\npassword\\n" of the named account.

--root is handed to ftpc-test (chown) so that uploads work.  vsftpd enters
it with the user's identity, so every directory above it must be
searchable by others: the launcher adds o+x to the ones under
$FTPC_TEST_TMP (test scratch space).  If one higher up is not searchable
(a build directory under /root, say), the launcher does not open it up:
it serves a fresh directory in /tmp instead and replaces the (empty) --root
with a symlink to it, so the test finds the server's files at --root as
usual; that directory is removed when the server stops.

Transfers: passive ports from a window below the kernel's ephemeral range
(vsftpd retries another port of the window when one is taken); active
connections come from an ephemeral port (connect_from_port_20=NO).  ASCII
mode is vsftpd's default: bytes are stored and sent unchanged.

FTPS (all optional; without --tls-cert the server is plain FTP as above)
  --tls-cert FILE --tls-key FILE   ssl_enable=YES with that certificate
      chain and key: explicit FTPS (AUTH TLS), required for the named
      account's login and data connections (force_local_logins_ssl,
      force_local_data_ssl), every data connection must resume the control
      connection's TLS session (require_ssl_reuse=YES), an upload must end
      with close_notify (strict_ssl_read_eof=YES), cipher list HIGH.
      Anonymous may use TLS (allow_anon_ssl=YES) but is not forced to.
  --implicit        TLS from the first byte (implicit_ssl=YES).
  --tls-data-optional   clear data connections allowed (PROT C;
      force_local_data_ssl=NO); logins still need TLS.
  --tls-client-ca FILE   ask for a client certificate and require one
      signed by FILE's CA (ssl_request_cert, require_cert, validate_cert);
      explicit FTPS only.
  Debian's vsftpd 3.0.3 has no option that selects TLS 1.2 or 1.3 (only
  ssl_sslv2/ssl_sslv3/ssl_tlsv1): it offers whatever OpenSSL offers, so the
  tests choose the version from the client side.

Stops on SIGTERM/SIGINT, and by itself after --lifetime seconds.
"""

import argparse
import ctypes
import fcntl
import os
import pwd
import random
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time

TEST_USER = "ftpc-test"
TEST_USER_SHELL = "/bin/sh"  # listed in /etc/shells, which pam_shells requires
STATE_DIR = "/var/lib/ftpc-test"
# vsftpd enters the home directory at login (before local_root), so it must
# exist and be reachable by the user; an empty root-owned directory will do.
TEST_USER_HOME = STATE_DIR + "/home"
START_ATTEMPTS = 8
START_TIMEOUT_S = 10.0


class LaunchError(Exception):
    """A reason the server cannot start, printed before exiting non-zero."""


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", required=True, help="directory to serve")
    parser.add_argument("--host", default="127.0.0.1", choices=["127.0.0.1", "::1"])
    parser.add_argument("--credentials", help="write 'user\\npassword\\n' of the account here")
    parser.add_argument("--log", help="write vsftpd's protocol log to this file")
    parser.add_argument("--lifetime", type=int, default=600,
                        help="seconds after which the server stops by itself")
    parser.add_argument("--tls-cert", help="FTPS: PEM certificate chain (enables TLS)")
    parser.add_argument("--tls-key", help="FTPS: PEM private key of --tls-cert")
    parser.add_argument("--implicit", action="store_true",
                        help="FTPS: TLS from the first byte (needs --tls-cert)")
    parser.add_argument("--tls-data-optional", action="store_true",
                        help="FTPS: allow clear-text data connections (PROT C)")
    parser.add_argument("--tls-client-ca", metavar="FILE",
                        help="FTPS: require a client certificate signed by this CA")
    args = parser.parse_args()
    tls_only = [args.tls_key, args.implicit, args.tls_data_optional, args.tls_client_ca]
    if args.tls_cert is None and any(tls_only):
        parser.error("--tls-key, --implicit, --tls-data-optional and --tls-client-ca "
                     "need --tls-cert")
    if args.implicit and args.tls_client_ca:
        # The start-up probe reads the banner over TLS, and has no client
        # certificate to show.
        parser.error("--implicit cannot be combined with --tls-client-ca")
    for path in (args.tls_cert, args.tls_key, args.tls_client_ca):
        if path is not None and not os.path.isfile(path):
            parser.error("no such file: %s" % path)
    return args


# --------------------------------------------------------------------------
# The system account


def run_tool(argv, stdin_text=None):
    result = subprocess.run(argv, input=stdin_text, capture_output=True, text=True)
    if result.returncode != 0:
        raise LaunchError("%s failed: %s" % (" ".join(argv), result.stderr.strip()))


def ensure_test_user():
    """Returns (user, password) of the test account, creating it if needed.

    Several launchers start in parallel, so creation and the password file
    are guarded by a lock: whoever comes first creates, the others read.
    """
    os.makedirs(TEST_USER_HOME, mode=0o755, exist_ok=True)
    os.chmod(STATE_DIR, 0o711)  # searchable, so the user reaches its home
    password_path = os.path.join(STATE_DIR, "password")
    with open(os.path.join(STATE_DIR, "lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            pwd.getpwnam(TEST_USER)
        except KeyError:
            run_tool(["useradd", "--system", "--no-create-home", "--home-dir", TEST_USER_HOME,
                      "--shell", TEST_USER_SHELL, "--comment", "ftpc integration tests (vsftpd)",
                      TEST_USER])
            if os.path.exists(password_path):
                os.unlink(password_path)
        if pwd.getpwnam(TEST_USER).pw_dir != TEST_USER_HOME:
            run_tool(["usermod", "--home", TEST_USER_HOME, TEST_USER])
        if not os.path.exists(password_path):
            password = secrets.token_hex(16)
            run_tool(["chpasswd"], "%s:%s\n" % (TEST_USER, password))
            fd = os.open(password_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(password + "\n")
        with open(password_path) as f:
            password = f.read().strip()
    return TEST_USER, password


def scratch_dir():
    """The tests' scratch directory ($FTPC_TEST_TMP), if there is one."""
    scratch = os.environ.get("FTPC_TEST_TMP")
    return os.path.realpath(scratch) if scratch and os.path.isdir(scratch) else None


def blocking_ancestor(root):
    """The first directory above @root that others cannot search, after
    adding o+x to those inside the scratch directory; None if none."""
    scratch = scratch_dir()
    parent = os.path.dirname(root)
    while True:
        mode = os.stat(parent).st_mode
        if not mode & 0o001:
            inside_scratch = scratch is not None and (
                parent == scratch or parent.startswith(scratch + os.sep))
            if not inside_scratch:
                return parent
            os.chmod(parent, mode | 0o001)
        if parent == "/":
            return None
        parent = os.path.dirname(parent)


def prepare_root(root, user):
    """Makes the directory vsftpd serves for @root reachable by @user and
    gives it to @user.  Returns (served directory, directory to remove at
    exit or None)."""
    root = os.path.realpath(root)
    if not os.path.isdir(root):
        raise LaunchError("--root %s is not a directory" % root)
    served, relocated = root, None
    blocker = blocking_ancestor(root)
    if blocker is not None:
        # E.g. a build directory under /root (mode 0700): rather than open
        # up that directory, serve a fresh directory in /tmp and leave a
        # symlink to it where --root was, so the test still finds its files
        # at --root.  Only possible while --root is empty.
        if os.listdir(root):
            raise LaunchError("%s is not searchable by others, so vsftpd's user %s cannot "
                              "reach %s (and it is not empty, so it cannot be moved)"
                              % (blocker, user, root))
        relocated = tempfile.mkdtemp(prefix="ftpc-vsftpd-root-")
        os.rmdir(root)
        os.symlink(relocated, root)
        served = relocated
    account = pwd.getpwnam(user)
    os.chown(served, account.pw_uid, account.pw_gid)
    os.chmod(served, 0o755)
    return served, relocated


# --------------------------------------------------------------------------
# vsftpd's configuration and process


def free_port(host):
    """A port nobody listens on right now (vsftpd binds it a moment later;
    a clash makes vsftpd exit and the caller retries)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def passive_port_window():
    """1000 ports just below the kernel's ephemeral range, so that no
    port-0 bind or outgoing connection of a parallel test lands there."""
    low = 32768
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            low = int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        pass
    top = max(low - 1, 3000)
    start = random.randint(max(top - 9000, 2048), top - 1000)
    return start, start + 999


def write_config(path, args, root, port, secure_dir, banner):
    pasv_min, pasv_max = passive_port_window()
    ipv6 = ":" in args.host
    lines = [
        "listen=%s" % ("NO" if ipv6 else "YES"),
        "listen_ipv6=%s" % ("YES" if ipv6 else "NO"),
        ("listen_address6=%s" if ipv6 else "listen_address=%s") % args.host,
        "listen_port=%d" % port,
        "background=NO",
        "ftpd_banner=%s" % banner,
        "local_enable=YES",
        "write_enable=YES",
        "local_umask=022",
        "chroot_local_user=YES",
        "allow_writeable_chroot=YES",
        "local_root=%s" % root,
        "anonymous_enable=YES",
        "anon_root=%s" % root,
        "anon_upload_enable=NO",
        "anon_mkdir_write_enable=NO",
        "no_anon_password=NO",
        "pasv_enable=YES",
        "pasv_min_port=%d" % pasv_min,
        "pasv_max_port=%d" % pasv_max,
        "port_enable=YES",
        "connect_from_port_20=NO",
        "seccomp_sandbox=NO",
        "secure_chroot_dir=%s" % secure_dir,
        "pam_service_name=vsftpd",
        "userlist_enable=NO",
        "idle_session_timeout=300",
        "data_connection_timeout=300",
        "max_clients=0",
        "max_per_ip=0",
    ]
    lines += tls_config(args)
    if args.log:
        lines += ["xferlog_enable=YES", "xferlog_std_format=NO", "log_ftp_protocol=YES",
                  "vsftpd_log_file=%s" % os.path.abspath(args.log)]
    else:
        lines += ["xferlog_enable=NO"]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def tls_config(args):
    """The ssl_* lines of vsftpd.conf (just ssl_enable=NO without TLS)."""
    if args.tls_cert is None:
        return ["ssl_enable=NO"]
    lines = [
        "ssl_enable=YES",
        "rsa_cert_file=%s" % os.path.abspath(args.tls_cert),
        "rsa_private_key_file=%s" % os.path.abspath(args.tls_key or args.tls_cert),
        "ssl_sslv2=NO",
        "ssl_sslv3=NO",
        "ssl_tlsv1=YES",
        "ssl_ciphers=HIGH",
        "require_ssl_reuse=YES",
        "strict_ssl_read_eof=YES",
        "force_local_logins_ssl=YES",
        "force_local_data_ssl=%s" % ("NO" if args.tls_data_optional else "YES"),
        "allow_anon_ssl=YES",
        "force_anon_logins_ssl=NO",
        "force_anon_data_ssl=NO",
        "implicit_ssl=%s" % ("YES" if args.implicit else "NO"),
    ]
    if args.tls_client_ca:
        lines += ["ssl_request_cert=YES", "require_cert=YES", "validate_cert=YES",
                  "ca_certs_file=%s" % os.path.abspath(args.tls_client_ca)]
    else:
        lines += ["ssl_request_cert=NO"]
    return lines


def die_with_parent():
    """Runs in the child before exec: vsftpd gets SIGTERM if the launcher
    dies, even by SIGKILL, so that no listener outlives its test."""
    PR_SET_PDEATHSIG = 1
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def probe_tls_context():
    """For --implicit the banner comes over TLS.  The probe only checks
    that this vsftpd answers on the port (the banner has a random part),
    so it accepts any certificate."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def answers_with_banner(host, port, banner, tls_context=None):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as raw:
            raw.settimeout(2.0)
            raw.connect((host, port))
            s = raw
            if tls_context is not None:
                s = tls_context.wrap_socket(raw)
            data = b""
            while b"\n" not in data and len(data) < 4096:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
            return banner.encode() in data
    except OSError:
        return False


def stop_vsftpd(proc):
    """vsftpd forks a process pair per session in its own process group:
    end the whole group."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    else:
        # The listener is gone; sessions it forked may still run.
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def start_vsftpd(vsftpd, args, root, workdir):
    """Starts vsftpd on a fresh port until one attempt answers; returns
    (process, port)."""
    secure_dir = os.path.join(workdir, "empty")
    os.mkdir(secure_dir, 0o755)
    config = os.path.join(workdir, "vsftpd.conf")
    output_path = os.path.join(workdir, "vsftpd.out")
    banner = "ftpc-test vsFTPd %s ready." % secrets.token_hex(6)
    tls_context = probe_tls_context() if args.implicit else None
    for _ in range(START_ATTEMPTS):
        port = free_port(args.host)
        write_config(config, args, root, port, secure_dir, banner)
        with open(output_path, "w") as output:
            proc = subprocess.Popen([vsftpd, config], stdin=subprocess.DEVNULL, stdout=output,
                                    stderr=output, start_new_session=True,
                                    preexec_fn=die_with_parent)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline and proc.poll() is None:
            if answers_with_banner(args.host, port, banner, tls_context):
                return proc, port
            time.sleep(0.05)
        stop_vsftpd(proc)
    with open(output_path) as f:
        said = f.read().strip() or "nothing"
    raise LaunchError("vsftpd did not start in %d attempts; last it said: %s"
                      % (START_ATTEMPTS, said))


# --------------------------------------------------------------------------


class Stop(Exception):
    pass


def raise_stop(signum, frame):
    raise Stop()


def main():
    args = parse_args()
    vsftpd = os.environ.get("FTPC_TEST_VSFTPD", "/usr/sbin/vsftpd")
    workdir = None
    relocated = None
    proc = None
    signal.signal(signal.SIGTERM, raise_stop)
    signal.signal(signal.SIGINT, raise_stop)
    signal.signal(signal.SIGALRM, raise_stop)
    signal.alarm(args.lifetime)
    try:
        if os.geteuid() != 0:
            raise LaunchError("vsftpd must be started as root (to authenticate and chroot)")
        if not os.access(vsftpd, os.X_OK):
            raise LaunchError("%s is not an executable vsftpd" % vsftpd)
        user, password = ensure_test_user()
        root, relocated = prepare_root(args.root, user)
        # In the scratch directory when there is one, so that even a
        # launcher killed by SIGKILL leaves nothing behind in /tmp.
        workdir = tempfile.mkdtemp(prefix="ftpc-vsftpd-", dir=scratch_dir())
        proc, port = start_vsftpd(vsftpd, args, root, workdir)
        if args.credentials:
            # Root only: the scratch directories above are searchable by others.
            fd = os.open(args.credentials, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.fchmod(fd, 0o600)  # also when an old file of that name was there
            with os.fdopen(fd, "w") as f:
                f.write("%s\n%s\n" % (user, password))
        sys.stdout.write("READY %d\n" % port)
        sys.stdout.flush()
        proc.wait()
        with open(os.path.join(workdir, "vsftpd.out")) as f:
            sys.stderr.write("vsftpd_server: vsftpd exited (%s): %s\n"
                             % (proc.returncode, f.read().strip()))
        return 1
    except LaunchError as exc:
        sys.stderr.write("vsftpd_server: %s\n" % exc)
        return 1
    except Stop:
        return 0
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if proc is not None:
            stop_vsftpd(proc)
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)
        if relocated is not None:
            shutil.rmtree(relocated, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
