#!/usr/bin/python3
"""The exe_wrapper of `meson test --setup=valgrind`.

Runs a test program under memcheck and fails it (exit 99) on any memory
error, on definite or indirect leaks, and on file descriptors the program
opened and left open at exit -- valgrind reports those with --track-fds but
does not count them as errors, so this wrapper reads its log.

Test drivers written in Python are not run under valgrind themselves (the
interpreter is not ours to check); instead they get FTPC_TEST_WRAPPER, which
tells them to run the programs they start (the ftpc CLI) through this
wrapper.

usage: valgrind_wrapper.py PROGRAM [ARGS...]
"""
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SUPPRESSIONS = os.path.join(HERE, "ftpc.supp")
FAILED = 99


def leaked_descriptors(log_text):
    """Descriptors valgrind lists as open at exit, less inherited ones."""
    leaks = []
    lines = log_text.splitlines()
    for i, line in enumerate(lines):
        m = re.match(r"==\d+== (Open (?:file descriptor|AF_\w+ socket|\w+ socket) (\d+).*)", line)
        if not m:
            continue
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if "<inherited from parent>" in following:
            continue
        leaks.append(m.group(1))
    return leaks


def main():
    argv = sys.argv[1:]
    if not argv:
        sys.exit("usage: valgrind_wrapper.py PROGRAM [ARGS...]")
    if os.path.basename(argv[0]).startswith("python"):
        env = dict(os.environ, FTPC_TEST_WRAPPER=os.path.abspath(__file__))
        sys.exit(subprocess.call(argv, env=env))

    with tempfile.NamedTemporaryFile(prefix="valgrind-", suffix=".log", delete=False) as log:
        log_path = log.name
    try:
        status = subprocess.call([
            "valgrind", "--log-file=" + log_path, "--error-exitcode=%d" % FAILED,
            "--leak-check=full", "--errors-for-leak-kinds=definite,indirect",
            "--track-fds=yes", "--track-origins=yes", "--num-callers=30",
            "--suppressions=" + SUPPRESSIONS, "--"] + argv)
        with open(log_path, errors="replace") as f:
            text = f.read()
    finally:
        os.unlink(log_path)

    leaks = leaked_descriptors(text)
    if status == FAILED or leaks:
        sys.stderr.write(text)
        for leak in leaks:
            sys.stderr.write("valgrind_wrapper: leaked file descriptor: %s\n" % leak)
        sys.exit(FAILED)
    sys.exit(status)


if __name__ == "__main__":
    main()
