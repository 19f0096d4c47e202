"""What the Python benchmark clients share: the command line, the upload
pattern, the names of the many-files scenarios, and the run itself (the
scenario looked up, ONE JSON line on stdout, the exit status).  See
bench/README.md for the protocol every client follows."""

import argparse
import json
import sys


def parser(doc, blocksize_default=None, blocksize_help=None,
           tls_help="explicit FTPS, PROT P, TLS 1.3",
           cacert_help="PEM file of the CA that signed the server's certificate"):
    """The shared command line; a client adds its own options to it."""
    p = argparse.ArgumentParser(description=doc.splitlines()[0])
    p.add_argument("--tls", action="store_true", help=tls_help)
    p.add_argument("--cacert", help=cacert_help)
    p.add_argument("--blocksize", type=int, default=blocksize_default, help=blocksize_help)
    p.add_argument("host")
    p.add_argument("port", type=int)
    p.add_argument("user")
    p.add_argument("password")
    p.add_argument("scenario")
    p.add_argument("args", nargs="*")
    return p


def pattern_bytes(count):
    """count bytes of the shared upload pattern: byte i = (i * 7 + 3) & 0xff.
    It repeats every 256 bytes."""
    period = bytes((i * 7 + 3) & 0xFF for i in range(256))
    whole, part = divmod(count, 256)
    return period * whole + period[:part]


def many_names(count):
    return ["f%04d.bin" % i for i in range(count)]


def run(name, args, scenarios, session, errors):
    """Runs args.scenario: session(function, its arguments) connects, runs
    it and says goodbye.  0 with the result printed; 1 on one of @errors;
    2 on a bad command line."""
    if args.scenario not in scenarios:
        sys.stderr.write("%s: unknown scenario %r\n" % (name, args.scenario))
        return 2
    function, nargs = scenarios[args.scenario]
    if len(args.args) != nargs:
        sys.stderr.write("%s: %s takes %d arguments\n" % (name, args.scenario, nargs))
        return 2
    try:
        result = session(function, args.args)
    except errors as exc:
        sys.stderr.write("%s: %s: %s\n" % (name, type(exc).__name__, exc))
        return 1
    print(json.dumps(result))
    return 0
