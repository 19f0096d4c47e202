#!/usr/bin/python3
"""aioftp (Debian's python3-aioftp, an asyncio FTP client) doing one
benchmark scenario, as a user of aioftp would write it.

    python_aioftp_bench.py [--tls] [--cacert FILE] [--blocksize N]
                           HOST PORT USER PASS SCENARIO ARGS...

The command line and the output are those of every benchmark client (see
bench/README.md and ftplib_bench.py): on success ONE JSON line on stdout,
e.g. {"bytes": 1073741824}, and exit status 0; on failure a message on
stderr and a non-zero status.

  get-discard REMOTE                 download_stream(), blocks from
                                     iter_by_block() counted and dropped
  get-file REMOTE LOCAL              download_stream(), each block written to
                                     the open file (what aioftp's own
                                     download() does through its default
                                     PathIO, without its stat round trips)
  put-mem REMOTE BYTES               upload_stream(), blocks of the pattern
                                     byte i = (i * 7 + 3) & 0xff
  put-file LOCAL REMOTE              upload_stream(), blocks read from the file
  get-many REMOTE_DIR COUNT LOCAL_DIR   one session (one Client): a
                                     download_stream() per fNNNN.bin
  put-many LOCAL_DIR COUNT REMOTE_DIR   the reverse, upload_stream()
  mlsd REMOTE_DIR                    Client.list(raw_command="MLSD"): entries
                                     parsed into (path, facts)
  list REMOTE_DIR                    LIST through get_stream(), lines counted
                                     (as ftplib_bench counts them)

The streams are aioftp's documented API; its high-level download() and
upload() first ask the server whether the path is a file or a directory
(MLST or LIST, and MKD checks for uploads): extra round trips per file that
no other client makes, so they are not used.

--blocksize N is the block size of iter_by_block() and of the upload
blocks; without it aioftp's DEFAULT_BLOCK_SIZE (8192) is used, which is
what its download() and upload() use.  socket_timeout is left at aioftp's
default (None): with a timeout every read is wrapped in asyncio.wait_for(),
a task per block.

--tls: not supported.  aioftp 0.21's only TLS is Client(ssl=...), TLS from
the first byte on every connection (implicit FTPS); it has no AUTH TLS
(explicit FTPS), which the benchmark's vsftpd speaks, and asyncio cannot
resume a TLS session on a new connection (create_connection() takes no
session), which vsftpd's require_ssl_reuse=YES demands.  The harness
reports it n/a in the FTPS scenarios; --tls here exits with status 2.
"""

import asyncio
import os
import sys

import aioftp
import bench_client

DEFAULT_BLOCKSIZE = aioftp.DEFAULT_BLOCK_SIZE  # 8192 in 0.21


def parse_args(argv):
    return bench_client.parser(__doc__, DEFAULT_BLOCKSIZE, tls_help="not supported (see above)",
                               cacert_help="not used: no FTPS").parse_args(argv)


async def get_discard(client, args, remote):
    received = 0
    async with client.download_stream(remote) as stream:
        async for block in stream.iter_by_block(args.blocksize):
            received += len(block)
    return {"bytes": received}


async def download_to(client, args, remote, local):
    with open(local, "wb") as f:
        async with client.download_stream(remote) as stream:
            async for block in stream.iter_by_block(args.blocksize):
                f.write(block)
        return f.tell()


async def upload_from(client, args, f, remote):
    sent = 0
    async with client.upload_stream(remote) as stream:
        while True:
            block = f.read(args.blocksize)
            if not block:
                return sent
            await stream.write(block)
            sent += len(block)


async def get_file(client, args, remote, local):
    return {"bytes": await download_to(client, args, remote, local)}


async def put_mem(client, args, remote, count):
    data = memoryview(bench_client.pattern_bytes(int(count)))
    size = args.blocksize
    async with client.upload_stream(remote) as stream:
        for offset in range(0, len(data), size):
            await stream.write(data[offset:offset + size])
    return {"bytes": len(data)}


async def put_file(client, args, local, remote):
    with open(local, "rb") as f:
        return {"bytes": await upload_from(client, args, f, remote)}


async def get_many(client, args, remote_dir, count, local_dir):
    total = 0
    names = bench_client.many_names(int(count))
    for name in names:
        total += await download_to(client, args, "%s/%s" % (remote_dir, name),
                                   os.path.join(local_dir, name))
    return {"bytes": total, "files": len(names)}


async def put_many(client, args, local_dir, count, remote_dir):
    total = 0
    names = bench_client.many_names(int(count))
    for name in names:
        with open(os.path.join(local_dir, name), "rb") as f:
            total += await upload_from(client, args, f, "%s/%s" % (remote_dir, name))
    return {"bytes": total, "files": len(names)}


async def mlsd(client, args, remote_dir):
    entries = 0
    async for _ in client.list(remote_dir, raw_command="MLSD"):
        entries += 1
    return {"entries": entries}


async def list_lines(client, args, remote_dir):
    lines = 0
    async with client.get_stream("LIST " + remote_dir, "1xx") as stream:
        async for _ in stream.iter_by_line():
            lines += 1
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


async def session(args, run, params):
    client = aioftp.Client(connection_timeout=30)
    await client.connect(args.host, args.port)
    try:
        await client.login(args.user, args.password)
        result = await run(client, args, *params)
        await client.quit()
    finally:
        client.close()
    return result


def main(argv):
    args = parse_args(argv)
    if args.tls:
        sys.stderr.write("python_aioftp_bench: aioftp %s has no explicit FTPS (AUTH TLS) and "
                         "cannot resume TLS sessions\n" % aioftp.__version__)
        return 2
    return bench_client.run("python_aioftp_bench", args, SCENARIOS,
                            lambda run, params: asyncio.run(session(args, run, params)),
                            (aioftp.AIOFTPException, OSError, EOFError, ValueError,
                             asyncio.TimeoutError))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
