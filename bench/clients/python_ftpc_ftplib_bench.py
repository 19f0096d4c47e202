#!/usr/bin/python3
"""ftplib_bench.py with ``import ftplib`` meaning ftpc's drop-in,
``from ftpc import ftplib``: the same code, only the import changed.

    python_ftpc_ftplib_bench.py [--tls] [--cacert FILE] [--blocksize N]
                                HOST PORT USER PASS SCENARIO ARGS...

The command line, the scenarios and the output are ftplib_bench.py's (see
there and bench/README.md).  Rather than a copy of that file with one line
changed, this runs ftplib_bench.py itself with the name ``ftplib`` bound to
``ftpc.ftplib`` while it is imported, so the two can never drift apart.
ftpc.ftplib's own ``from ftplib import ...`` (the standard library's
exception classes) has run by then.  Error messages keep ftplib_bench's
prefix.

--tls uses the stock FTP_TLS class (not --reuse's subclass, which reaches
into the standard library's sockets): ftpc.ftplib's FTP_TLS resumes the
control connection's TLS session on every data connection by itself, so it
works against vsftpd with require_ssl_reuse=YES.  The SSLContext that
ftplib_bench builds (create_default_context(cafile=--cacert), TLS 1.3
minimum) is mapped onto libftpc's settings by ftpc.ftplib.

The harness runs it with PYTHONPATH set to build-bench/bindings/python.
"""

import importlib.util
import os
import sys

from ftpc import ftplib as ftpc_ftplib

HERE = os.path.dirname(os.path.abspath(__file__))


def load_ftplib_bench():
    stdlib_ftplib = sys.modules.get("ftplib")
    sys.modules["ftplib"] = ftpc_ftplib  # ftplib_bench's "import ftplib"
    try:
        spec = importlib.util.spec_from_file_location(
            "ftplib_bench", os.path.join(HERE, "ftplib_bench.py"))
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        if stdlib_ftplib is not None:
            sys.modules["ftplib"] = stdlib_ftplib
        else:
            del sys.modules["ftplib"]
    if module.ftplib is not ftpc_ftplib:
        raise RuntimeError("ftplib_bench did not import ftpc.ftplib")
    return module


if __name__ == "__main__":
    if "--reuse" in sys.argv[1:]:
        sys.stderr.write("python_ftpc_ftplib_bench: --reuse is not needed: ftpc.ftplib's "
                         "FTP_TLS resumes the TLS session itself\n")
        sys.exit(2)
    sys.exit(load_ftplib_bench().main(sys.argv[1:]))
