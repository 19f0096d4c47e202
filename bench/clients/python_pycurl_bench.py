#!/usr/bin/python3
"""pycurl (Debian's python3-pycurl) doing one benchmark scenario, as a user
of pycurl would write it.

    python_pycurl_bench.py [--tls] [--cacert FILE] [--blocksize N]
                           HOST PORT USER PASS SCENARIO ARGS...

The command line and the output are those of every benchmark client (see
bench/README.md and ftplib_bench.py): on success ONE JSON line on stdout,
e.g. {"bytes": 1073741824}, and exit status 0; on failure a message on
stderr and a non-zero status.

  get-discard REMOTE                 WRITEFUNCTION: a Python callback that
                                     counts and drops each block
  get-file REMOTE LOCAL              WRITEDATA: the open file (pycurl calls
                                     its write() for each block)
  put-mem REMOTE BYTES               READDATA: an io.BytesIO of the pattern,
                                     byte i = (i * 7 + 3) & 0xff
  put-file LOCAL REMOTE              READDATA: the open file, INFILESIZE_LARGE
  get-many REMOTE_DIR COUNT LOCAL_DIR   fNNNN.bin for 0 <= NNNN < COUNT with
                                     ONE Curl handle, so libcurl reuses the
                                     control connection: one session
  put-many LOCAL_DIR COUNT REMOTE_DIR   the reverse
  mlsd REMOTE_DIR                    raw MLSD (CUSTOMREQUEST on the directory
                                     URL); lines counted, not parsed
  list REMOTE_DIR                    LIST; lines counted

--blocksize N sets BUFFERSIZE (the receive buffer, hence the size of the
blocks handed to Python) and UPLOAD_BUFFERSIZE; without it libcurl's
defaults are used (16 KiB and 64 KiB).  --tls is explicit FTPS: AUTH TLS
(FTPSSLAUTH = FTPAUTH_TLS), PROT P on the data connections (USE_SSL =
USESSL_ALL), TLS 1.3 minimum, the certificate verified against --cacert
(CAINFO).  Debian's pycurl is built on libcurl-gnutls: its TLS is GnuTLS,
not the OpenSSL of curl_bench and the curl CLI.  Passive mode with EPSV and
binary transfers are libcurl's defaults.
"""

import io
import os
import sys

import bench_client
import pycurl


def parse_args(argv):
    return bench_client.parser(__doc__, blocksize_help="BUFFERSIZE and UPLOAD_BUFFERSIZE").parse_args(argv)


class Client:
    """One Curl handle with the options every transfer of the session
    shares; libcurl keeps its control connection between perform()s."""

    def __init__(self, args):
        self.args = args
        host = "[%s]" % args.host if ":" in args.host else args.host
        self.base = "ftp://%s:%d/" % (host, args.port)
        c = self.curl = pycurl.Curl()
        c.setopt(pycurl.NOSIGNAL, 1)
        c.setopt(pycurl.USERNAME, args.user)
        c.setopt(pycurl.PASSWORD, args.password)
        c.setopt(pycurl.FTP_USE_EPSV, 1)
        c.setopt(pycurl.CONNECTTIMEOUT, 30)
        if args.blocksize:
            c.setopt(pycurl.BUFFERSIZE, args.blocksize)
            c.setopt(pycurl.UPLOAD_BUFFERSIZE, args.blocksize)
        if args.tls:
            c.setopt(pycurl.USE_SSL, pycurl.USESSL_ALL)
            c.setopt(pycurl.FTPSSLAUTH, pycurl.FTPAUTH_TLS)
            c.setopt(pycurl.SSLVERSION, pycurl.SSLVERSION_TLSv1_3)
            if args.cacert:
                c.setopt(pycurl.CAINFO, args.cacert)

    def perform(self, path):
        self.curl.setopt(pycurl.URL, self.base + path)
        self.curl.perform()

    def download(self, remote, sink):
        """@sink: a file object (WRITEDATA) or a callable (WRITEFUNCTION)."""
        c = self.curl
        c.setopt(pycurl.UPLOAD, 0)
        if callable(sink):
            c.setopt(pycurl.WRITEFUNCTION, sink)
        else:
            c.setopt(pycurl.WRITEDATA, sink)
        self.perform(remote)

    def upload(self, source, size, remote):
        c = self.curl
        c.setopt(pycurl.UPLOAD, 1)
        c.setopt(pycurl.READDATA, source)
        c.setopt(pycurl.INFILESIZE_LARGE, size)
        self.perform(remote)

    def close(self):
        self.curl.close()  # QUIT


def get_discard(client, remote):
    received = 0

    def drop(block):
        nonlocal received
        received += len(block)

    client.download(remote, drop)
    return {"bytes": received}


def get_file(client, remote, local):
    with open(local, "wb") as f:
        client.download(remote, f)
        return {"bytes": f.tell()}


def put_mem(client, remote, count):
    data = bench_client.pattern_bytes(int(count))
    client.upload(io.BytesIO(data), len(data), remote)
    return {"bytes": len(data)}


def put_file(client, local, remote):
    with open(local, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        client.upload(f, size, remote)
        return {"bytes": size}


def get_many(client, remote_dir, count, local_dir):
    total = 0
    names = bench_client.many_names(int(count))
    for name in names:
        total += get_file(client, "%s/%s" % (remote_dir, name),
                          os.path.join(local_dir, name))["bytes"]
    return {"bytes": total, "files": len(names)}


def put_many(client, local_dir, count, remote_dir):
    total = 0
    names = bench_client.many_names(int(count))
    for name in names:
        total += put_file(client, os.path.join(local_dir, name),
                          "%s/%s" % (remote_dir, name))["bytes"]
    return {"bytes": total, "files": len(names)}


def listing(client, remote_dir, command):
    lines = 0

    def count(block):
        nonlocal lines
        lines += block.count(b"\n")

    if command:
        client.curl.setopt(pycurl.CUSTOMREQUEST, command)
    client.download(remote_dir + "/", count)  # a trailing '/' makes libcurl list
    return {"entries": lines}


def mlsd(client, remote_dir):
    return listing(client, remote_dir, "MLSD")


def list_lines(client, remote_dir):
    return listing(client, remote_dir, None)


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
        client = Client(args)
        result = run(client, *params)
        client.close()
        return result

    return bench_client.run("python_pycurl_bench", args, SCENARIOS, session,
                            (pycurl.error, OSError, ValueError))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
