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

FTPS (all optional; without --tls-cert the server is plain FTP as above)
  --tls-cert FILE [--tls-key FILE]   explicit FTPS with pyftpdlib's
      TLS_FTPHandler (python3-openssl): AUTH TLS is required before
      USER/PASS, and PROT P before any data connection.  Control and data
      connections share one OpenSSL context, so a data connection can
      resume the control connection's session (TLS 1.2 session cache, TLS
      1.3 tickets); pyftpdlib itself does not insist on it.
  --tls-min 1.2|1.3, --tls-max 1.2|1.3   the protocol versions the server
      accepts (default: 1.2 up to the highest OpenSSL has).
  --tls-data-optional   PROT C (clear data connections) allowed.
  --tls-client-ca FILE  require a client certificate signed by FILE's CA
      on the control and every data connection.
  pyftpdlib has no implicit FTPS.

Stops on SIGTERM/SIGINT, within a second of its parent's exit, and by
itself after --lifetime seconds, so that a crashed test cannot leave it
behind.
"""

import argparse
import logging
import os
import signal
import sys
import warnings

try:
    from pyftpdlib.authorizers import DummyAuthorizer
    from pyftpdlib.handlers import ActiveDTP, FTPHandler
    from pyftpdlib.servers import FTPServer
except ImportError as exc:
    sys.stderr.write("pyftpdlib_server: cannot import pyftpdlib (%s); run with "
                     "/usr/bin/python3 and install python3-pyftpdlib\n" % exc)
    sys.exit(1)

# --tls-min/--tls-max values -> OpenSSL's protocol version numbers
# (SSL.TLS1_2_VERSION and SSL.TLS1_3_VERSION; spelled out so that the plain
# server does not need python3-openssl).
TLS_VERSIONS = {"1.2": 0x0303, "1.3": 0x0304}

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
    parser.add_argument("--tls-cert", help="FTPS: PEM certificate chain (enables TLS)")
    parser.add_argument("--tls-key", help="FTPS: PEM private key (default: in --tls-cert)")
    parser.add_argument("--tls-min", choices=sorted(TLS_VERSIONS), default="1.2",
                        help="FTPS: lowest TLS version accepted")
    parser.add_argument("--tls-max", choices=sorted(TLS_VERSIONS),
                        help="FTPS: highest TLS version accepted (default: OpenSSL's)")
    parser.add_argument("--tls-data-optional", action="store_true",
                        help="FTPS: allow clear-text data connections (PROT C)")
    parser.add_argument("--tls-client-ca", metavar="FILE",
                        help="FTPS: require a client certificate signed by this CA")
    args = parser.parse_args()
    tls_only = [args.tls_key, args.tls_max, args.tls_data_optional, args.tls_client_ca]
    if args.tls_cert is None and any(tls_only):
        parser.error("--tls-key, --tls-max, --tls-data-optional and --tls-client-ca "
                     "need --tls-cert")
    for path in (args.tls_cert, args.tls_key, args.tls_client_ca):
        if path is not None and not os.path.isfile(path):
            parser.error("no such file: %s" % path)
    if args.tls_max is not None and TLS_VERSIONS[args.tls_max] < TLS_VERSIONS[args.tls_min]:
        parser.error("--tls-max is below --tls-min")
    return args


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


class HandedOffActiveDTP(ActiveDTP):
    """pyftpdlib 1.5.7's ActiveDTP, minus a descriptor-reuse bug.

    Once connected, ActiveDTP hands its socket to the data channel but never
    marks itself closed.  The session's next PORT/EPRT/PASV/EPSV, or its
    end, closes it again, and that unregisters from the event loop whatever
    socket holds the same descriptor number by then: with many sessions at
    once, another session's data or listening socket, which then hangs until
    a timeout (tests/threads found it).  Marked closed after the hand-off,
    the connector leaves the descriptor alone.
    """

    def handle_connect(self):
        ActiveDTP.handle_connect(self)
        # Returning normally, it either closed itself or handed the socket
        # over (a failed connect raises and is closed by handle_error()).
        self._closed = True


def make_server(args):
    authorizer = DummyAuthorizer()
    authorizer.add_user(USER, PASSWORD, args.root, perm=ALL_PERMISSIONS)
    if args.anonymous:
        # pyftpdlib warns that anonymous write access is dangerous: it is
        # what these tests want, on loopback only.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            authorizer.add_anonymous(args.root, perm=ALL_PERMISSIONS)

    if args.tls_cert:
        Handler = make_tls_handler(args)
    else:
        class Handler(FTPHandler):
            pass

    Handler.authorizer = authorizer
    Handler.active_dtp = HandedOffActiveDTP
    Handler.passive_ports = None  # the kernel picks each passive port
    Handler.banner = "pyftpdlib ready for ftpc tests."
    return FTPServer((args.host, 0), Handler)


def make_tls_handler(args):
    try:
        from OpenSSL import SSL
        from pyftpdlib.handlers import TLS_FTPHandler
    except ImportError as exc:
        raise ValueError("FTPS needs python3-openssl (%s)" % exc)

    context = SSL.Context(SSL.TLS_METHOD)
    context.set_min_proto_version(TLS_VERSIONS[args.tls_min])
    if args.tls_max:
        context.set_max_proto_version(TLS_VERSIONS[args.tls_max])
    context.set_options(SSL.OP_NO_COMPRESSION)
    context.use_certificate_chain_file(args.tls_cert)
    context.use_privatekey_file(args.tls_key or args.tls_cert)
    context.check_privatekey()
    # A session may only be resumed in the context that made it; OpenSSL
    # refuses resumption outright when peers are verified and no session
    # id context is set.
    context.set_session_id(b"ftpc-test-pyftpdlib")
    context.set_session_cache_mode(SSL.SESS_CACHE_SERVER)
    if args.tls_client_ca:
        context.load_verify_locations(args.tls_client_ca)
        context.set_verify(SSL.VERIFY_PEER | SSL.VERIFY_FAIL_IF_NO_PEER_CERT,
                           lambda conn, cert, errnum, depth, ok: bool(ok))

    class Handler(TLS_FTPHandler):
        pass

    Handler.ssl_context = context
    Handler.tls_control_required = True
    Handler.tls_data_required = not args.tls_data_optional
    return Handler


def stop(signum, frame):
    # serve_forever() catches SystemExit and closes every connection.
    raise SystemExit(0)


def stop_with_parent(server):
    """Stops the server soon after the test that started it is gone.

    A test killed outright (a sanitizer's halt_on_error, a crash) never
    stops its server, and the server's stderr, inherited from the test,
    would keep meson waiting for the dead test until its timeout.
    """
    parent = os.getppid()

    def check():
        if os.getppid() != parent:
            raise SystemExit(0)

    server.ioloop.call_every(1.0, check)


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
    stop_with_parent(server)
    port = server.socket.getsockname()[1]
    sys.stdout.write("READY %d\n" % port)
    sys.stdout.flush()
    server.serve_forever(timeout=1.0, handle_exit=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
