#!/usr/bin/python3
"""A pyftpdlib FTP server for ftpc's integration tests.

Serves --root on 127.0.0.1 (or --host) at a port the kernel picks, and
prints "READY <port>" on stdout once it listens (the protocol of
tests/integration/common/test_server.h).  Run it with Debian's
/usr/bin/python3, which has python3-pyftpdlib.

Accounts: user "alice" with password "s3cret" and every permission on the
root; with --anonymous also "anonymous" (any password), read/write.

Passive ports are chosen by the kernel.  Active mode keeps pyftpdlib's
default check that EPRT/PORT names the control peer's address: on loopback
the client's address is the peer's, so nothing has to be relaxed.

Stops on SIGTERM/SIGINT, and by itself after --lifetime seconds so that a
crashed test cannot leave it behind.
"""

import argparse
import logging
import signal
import sys
import warnings

try:
    from pyftpdlib.authorizers import DummyAuthorizer
    from pyftpdlib.handlers import FTPHandler
    from pyftpdlib.servers import FTPServer
except ImportError as exc:
    sys.stderr.write("pyftpdlib_server: cannot import pyftpdlib (%s); run with "
                     "/usr/bin/python3 and install python3-pyftpdlib\n" % exc)
    sys.exit(1)

USER = "alice"
PASSWORD = "s3cret"
ALL_PERMISSIONS = "elradfmwMT"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", required=True, help="directory to serve")
    parser.add_argument("--host", default="127.0.0.1", choices=["127.0.0.1", "::1"])
    parser.add_argument("--anonymous", action="store_true",
                        help="also accept anonymous logins (read/write)")
    parser.add_argument("--log", help="write pyftpdlib's protocol log to this file")
    parser.add_argument("--lifetime", type=int, default=600,
                        help="seconds after which the server stops by itself")
    return parser.parse_args()


def configure_logging(path):
    # pyftpdlib logs to stderr when nothing is configured; the tests only
    # want its protocol log on request, in a file.
    logger = logging.getLogger("pyftpdlib")
    if path:
        handler = logging.FileHandler(path)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    else:
        logger.addHandler(logging.NullHandler())
        logger.setLevel(logging.WARNING)


def make_server(args):
    authorizer = DummyAuthorizer()
    authorizer.add_user(USER, PASSWORD, args.root, perm=ALL_PERMISSIONS)
    if args.anonymous:
        # pyftpdlib warns that anonymous write access is dangerous: it is
        # what these tests want, on loopback only.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            authorizer.add_anonymous(args.root, perm=ALL_PERMISSIONS)

    class Handler(FTPHandler):
        pass

    Handler.authorizer = authorizer
    Handler.passive_ports = None  # the kernel picks each passive port
    Handler.banner = "pyftpdlib ready for ftpc tests."
    return FTPServer((args.host, 0), Handler)


def stop(signum, frame):
    # serve_forever() catches SystemExit and closes every connection.
    raise SystemExit(0)


def main():
    args = parse_args()
    configure_logging(args.log)
    try:
        server = make_server(args)
    except (OSError, ValueError) as exc:
        sys.stderr.write("pyftpdlib_server: cannot serve %s on %s: %s\n"
                         % (args.root, args.host, exc))
        return 1
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGALRM, stop)
    signal.alarm(args.lifetime)
    port = server.socket.getsockname()[1]
    sys.stdout.write("READY %d\n" % port)
    sys.stdout.flush()
    server.serve_forever(timeout=1.0, handle_exit=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
