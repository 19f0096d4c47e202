#!/usr/bin/python3
"""ftpc's Python API (ftpc.Session) doing one benchmark scenario, as a user
of the binding would write it.

    python_ftpc_bench.py [--tls] [--cacert FILE] [--insecure] [--blocksize N]
                         HOST PORT USER PASS SCENARIO ARGS...

The command line and the output are those of every benchmark client (see
bench/README.md and ftplib_bench.py): on success ONE JSON line on stdout,
e.g. {"bytes": 1073741824}, and exit status 0; on failure a message on
stderr and a non-zero status.  The harness runs it with PYTHONPATH set to
build-bench/bindings/python, where the binding is built.

  get-discard REMOTE                 Session.retrbinary() into a Python
                                     callback that counts and drops the blocks
  get-file REMOTE LOCAL              Session.download(REMOTE, LOCAL): a path,
                                     so ftp_retr_fd (splice, the bytes never
                                     enter Python)
  put-mem REMOTE BYTES               Session.upload(io.BytesIO(data), REMOTE);
                                     byte i is (i * 7 + 3) & 0xff, as in every
                                     client
  put-file LOCAL REMOTE              Session.upload(LOCAL, REMOTE): a path, so
                                     ftp_stor_fd (sendfile)
  get-many REMOTE_DIR COUNT LOCAL_DIR   one session: download() of fNNNN.bin,
                                     0 <= NNNN < COUNT, each to its path
  put-many LOCAL_DIR COUNT REMOTE_DIR   one session: upload() of each path
  mlsd REMOTE_DIR                    Session.mlsd(): entries parsed into facts
  list REMOTE_DIR                    Session.dir(): LIST, lines counted

--blocksize N is the block size handed to retrbinary (get-discard); without
it Session.retrbinary's default of 8192 bytes is used, the same as
ftplib's, so both call Python once per 8 KiB.  download() and upload() take
no block size: a path goes through the kernel, a file object through
256 KiB blocks.

--tls is explicit FTPS, Session(tls="explicit"): AUTH TLS, PROT P, TLS 1.3
minimum, the server's certificate verified against --cacert (ca_file);
--insecure turns verification off instead (insecure_skip_verify=True).
Every data connection resumes the control connection's TLS session, which
is ftpc's default.  Passive mode (EPSV, then PASV) is the default data
mode; transfers are binary.
"""

import io
import os
import sys

import bench_client
import ftpc

DEFAULT_BLOCKSIZE = 8192  # Session.retrbinary's default (ftplib's)


def parse_args(argv):
    parser = bench_client.parser(__doc__, DEFAULT_BLOCKSIZE)
    parser.add_argument("--insecure", action="store_true",
                        help="do not verify the server's certificate")
    return parser.parse_args(argv)


def connect(args):
    options = {"timeout": 60}
    if args.tls:
        options.update(tls="explicit", tls_min_version="1.3", ca_file=args.cacert,
                       insecure_skip_verify=args.insecure)
    return ftpc.Session(args.host, args.port, user=args.user, password=args.password,
                        **options)


def get_discard(ftp, args, remote):
    received = 0

    def drop(block):
        nonlocal received
        received += len(block)

    ftp.retrbinary("RETR " + remote, drop, blocksize=args.blocksize)
    return {"bytes": received}


def get_file(ftp, args, remote, local):
    return {"bytes": ftp.download(remote, local)}


def put_mem(ftp, args, remote, count):
    data = bench_client.pattern_bytes(int(count))
    return {"bytes": ftp.upload(io.BytesIO(data), remote)}


def put_file(ftp, args, local, remote):
    return {"bytes": ftp.upload(local, remote)}


def get_many(ftp, args, remote_dir, count, local_dir):
    total = 0
    names = bench_client.many_names(int(count))
    for name in names:
        total += ftp.download("%s/%s" % (remote_dir, name), os.path.join(local_dir, name))
    return {"bytes": total, "files": len(names)}


def put_many(ftp, args, local_dir, count, remote_dir):
    total = 0
    names = bench_client.many_names(int(count))
    for name in names:
        total += ftp.upload(os.path.join(local_dir, name), "%s/%s" % (remote_dir, name))
    return {"bytes": total, "files": len(names)}


def mlsd(ftp, args, remote_dir):
    entries = sum(1 for _ in ftp.mlsd(remote_dir))
    return {"entries": entries}


def list_lines(ftp, args, remote_dir):
    return {"entries": len(ftp.dir(remote_dir))}


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

    return bench_client.run("python_ftpc_bench", args, SCENARIOS, session,
                            (ftpc.Error, OSError, EOFError, ValueError))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
