#!/usr/bin/python3
"""Python ftplib doing one benchmark scenario, as a user of the standard
library would write it.

    ftplib_bench.py [--tls] [--cacert FILE] [--blocksize N] [--reuse]
                    HOST PORT USER PASS SCENARIO ARGS...

The command line and the output are those of every benchmark client (see
bench/README.md): on success ONE JSON line on stdout, e.g.
{"bytes": 1073741824}, and exit status 0; on failure a message on stderr and
a non-zero status.

  get-discard REMOTE                 download, dropping the bytes
  get-file REMOTE LOCAL              download into LOCAL
  put-mem REMOTE BYTES               upload BYTES bytes from memory; byte i is
                                     (i * 7 + 3) & 0xff, as in every client
  put-file LOCAL REMOTE              upload LOCAL
  get-many REMOTE_DIR COUNT LOCAL_DIR   one session: fNNNN.bin, 0 <= NNNN < COUNT
  put-many LOCAL_DIR COUNT REMOTE_DIR   one session, the reverse
  mlsd REMOTE_DIR                    FTP.mlsd(): entries parsed into facts
  list REMOTE_DIR                    LIST, lines counted

--blocksize N is the block size handed to retrbinary/storbinary; without it
ftplib's default of 8192 bytes is used, because that is what a user gets.

--tls is explicit FTPS with the stock FTP_TLS class: AUTH TLS, PROT P, TLS
1.3 minimum, the server's certificate verified against --cacert.  Stock
FTP_TLS opens every data connection with a new TLS session, so a server
that insists on the control connection's session (vsftpd with
require_ssl_reuse=YES) refuses the transfer with 522; the harness records
that failure.  --reuse uses the well-known subclass below instead, whose
data connections resume the control connection's session: the fair
baseline for FTPS.

Passive mode is ftplib's default (PASV over IPv4, EPSV over IPv6); the
transfers are binary (TYPE I, sent by retrbinary/storbinary).
"""

import ftplib
import io
import os
import ssl
import sys

import bench_client

DEFAULT_BLOCKSIZE = 8192  # ftplib's own default for retrbinary/storbinary


class SessionReusingFTP_TLS(ftplib.FTP_TLS):
    """FTP_TLS whose data connections resume the control connection's TLS
    session, as servers with require_ssl_reuse demand."""

    def ntransfercmd(self, cmd, rest=None):
        conn, size = ftplib.FTP.ntransfercmd(self, cmd, rest)
        if self._prot_p:
            conn = self.context.wrap_socket(conn, server_hostname=self.host,
                                            session=self.sock.session)
        return conn, size


def parse_args(argv):
    parser = bench_client.parser(__doc__, DEFAULT_BLOCKSIZE)
    parser.add_argument("--reuse", action="store_true",
                        help="resume the control connection's TLS session on data connections")
    args = parser.parse_args(argv)
    if args.reuse and not args.tls:
        parser.error("--reuse needs --tls")
    return args


def connect(args):
    if args.tls:
        context = ssl.create_default_context(cafile=args.cacert)
        context.minimum_version = ssl.TLSVersion.TLSv1_3
        ftp_class = SessionReusingFTP_TLS if args.reuse else ftplib.FTP_TLS
        ftp = ftp_class(context=context, timeout=60)
    else:
        ftp = ftplib.FTP(timeout=60)
    ftp.connect(args.host, args.port)
    ftp.login(args.user, args.password)  # FTP_TLS.login sends AUTH TLS first
    if args.tls:
        ftp.prot_p()
    return ftp


def get_discard(ftp, args, remote):
    received = 0

    def drop(block):
        nonlocal received
        received += len(block)

    ftp.retrbinary("RETR " + remote, drop, blocksize=args.blocksize)
    return {"bytes": received}


def get_file(ftp, args, remote, local):
    with open(local, "wb") as f:
        ftp.retrbinary("RETR " + remote, f.write, blocksize=args.blocksize)
        return {"bytes": f.tell()}


def put_mem(ftp, args, remote, count):
    data = bench_client.pattern_bytes(int(count))
    ftp.storbinary("STOR " + remote, io.BytesIO(data), blocksize=args.blocksize)
    return {"bytes": len(data)}


def put_file(ftp, args, local, remote):
    with open(local, "rb") as f:
        ftp.storbinary("STOR " + remote, f, blocksize=args.blocksize)
        return {"bytes": f.tell()}


def get_many(ftp, args, remote_dir, count, local_dir):
    total = 0
    names = bench_client.many_names(int(count))
    for name in names:
        with open(os.path.join(local_dir, name), "wb") as f:
            ftp.retrbinary("RETR %s/%s" % (remote_dir, name), f.write, blocksize=args.blocksize)
            total += f.tell()
    return {"bytes": total, "files": len(names)}


def put_many(ftp, args, local_dir, count, remote_dir):
    total = 0
    names = bench_client.many_names(int(count))
    for name in names:
        with open(os.path.join(local_dir, name), "rb") as f:
            ftp.storbinary("STOR %s/%s" % (remote_dir, name), f, blocksize=args.blocksize)
            total += f.tell()
    return {"bytes": total, "files": len(names)}


def mlsd(ftp, args, remote_dir):
    entries = sum(1 for _ in ftp.mlsd(remote_dir))
    return {"entries": entries}


def list_lines(ftp, args, remote_dir):
    lines = 0

    def count(line):
        nonlocal lines
        lines += 1

    ftp.retrlines("LIST " + remote_dir, count)
    return {"entries": lines}


SCENARIOS = {
    "get-discard": (get_discard, 1),
    "get-file": (get_file, 2),
    "put-mem": (put_mem, 2),
    "put-file": (put_file, 2),
    "get-many": (get_many, 3),
    "put-many": (put_many, 3),
    "mlsd": (mlsd, 1),
    "list": (list_lines, 1),
}


def main(argv):
    args = parse_args(argv)

    def session(run, params):
        ftp = connect(args)
        result = run(ftp, args, *params)
        ftp.quit()
        return result

    return bench_client.run("ftplib_bench", args, SCENARIOS, session,
                            (ftplib.Error, OSError, EOFError, ValueError))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
