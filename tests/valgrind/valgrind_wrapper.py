#!/usr/bin/python3
"""The exe_wrapper of `meson test --setup=valgrind`.

Runs a test program under memcheck and fails it (exit 99) on any memory
error, on definite or indirect leaks, and on file descriptors the program
opened and left open at exit -- valgrind reports those with --track-fds but
does not count them as errors, so this wrapper reads its log.

Test drivers written in Python are not run under valgrind themselves (the
interpreter is not ours to check); instead they get FTPC_TEST_WRAPPER, which
tells them to run the programs they start (the ftpc CLI) through this
wrapper.  The exception is a Python test marked FTPC_VALGRIND_PYTHON=1 (the
Python binding's suites): the interpreter runs under memcheck with
PYTHONMALLOC=malloc, and the test fails on a definite or indirect leak, or
a memory error, made by libftpc or the extension (ftpc._lowlevel) itself
rather than by the interpreter on their behalf (see made_by_us()).

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


# A frame of ours in a valgrind stack: the library or the SWIG extension.
OUR_FRAME = re.compile(r"(libftpc\.so|_lowlevel\.cpython|ftpc_python_wrap\.c|\bftp_\w+|\bftpc_\w+|\b_wrap_ftp)")


def our_problems(log_text):
    """Leak records (definite, indirect) and errors whose stack has a frame of ours."""
    blocks, current = [], []
    for line in log_text.splitlines():
        body = re.sub(r"^==\d+== ?", "", line)
        if not body.strip():
            if current:
                blocks.append(current)
            current = []
        else:
            current.append(body)
    if current:
        blocks.append(current)
    problems = []
    for block in blocks:
        head = block[0]
        is_leak = re.search(r"are (definitely|indirectly) lost", head)
        is_error = re.match(r"(Invalid |Conditional jump|Use of uninitialised|Syscall param|"
                            r"Mismatched free|Source and destination overlap)", head)
        if (is_leak or is_error) and made_by_us(block[1:]):
            problems.append("\n".join(block))
    return problems


def made_by_us(frames):
    """Whether the innermost code above the C allocator is ours.

    A block the interpreter allocated (a Python object, an interned string,
    anything Python code run by a callback of ours made) is the
    interpreter's: CPython does not free everything at exit, so memcheck
    calls some of those "definitely lost" whoever asked for them.  Python
    objects the extension leaks are test_refcounts.py's to find (with
    tracemalloc, which also sees PyMem_* blocks); here it is libftpc's own
    heap (operator new, malloc, OpenSSL) and memory errors in our code."""
    for frame in frames:
        if OUR_FRAME.search(frame):
            return True
        if "python3" in frame:
            return False
    return False


def run_python_under_memcheck(argv):
    with tempfile.NamedTemporaryFile(prefix="valgrind-py-", suffix=".log", delete=False) as log:
        log_path = log.name
    env = dict(os.environ, PYTHONMALLOC="malloc")
    try:
        status = subprocess.call([
            "valgrind", "--log-file=" + log_path, "--leak-check=full",
            "--show-leak-kinds=definite,indirect", "--num-callers=40",
            "--suppressions=" + SUPPRESSIONS, "--"] + argv, env=env)
        with open(log_path, errors="replace") as f:
            text = f.read()
    finally:
        os.unlink(log_path)
    problems = our_problems(text)
    for problem in problems:
        sys.stderr.write("valgrind_wrapper: in libftpc or the extension:\n%s\n\n" % problem)
    summary = [line for line in text.splitlines() if "ERROR SUMMARY" in line or "definitely lost:" in line]
    sys.stderr.write("valgrind_wrapper: interpreter under memcheck: %s\n" % "; ".join(summary))
    if problems:
        sys.exit(FAILED)
    sys.exit(status)


def main():
    argv = sys.argv[1:]
    if not argv:
        sys.exit("usage: valgrind_wrapper.py PROGRAM [ARGS...]")
    if os.path.basename(argv[0]).startswith("python") and os.environ.get("FTPC_VALGRIND_PYTHON") == "1":
        run_python_under_memcheck(argv)
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
