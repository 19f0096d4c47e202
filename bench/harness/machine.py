"""The machine and the software versions a result was measured with."""

import os
import platform
import subprocess

PYTHON = "/usr/bin/python3"


def _output(argv, stream="stdout"):
    try:
        result = subprocess.run(argv, capture_output=True, text=True, timeout=30,
                                stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    text = (result.stdout if stream == "stdout" else result.stderr).strip()
    return text or None


def _first_line(text):
    return text.splitlines()[0] if text else None


def machine():
    model = None
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem_kib = None
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    os_name = None
    try:
        with open("/etc/os-release") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    os_name = line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return {
        "cpu_model": model or platform.processor(),
        "cores": os.cpu_count(),
        "kernel": platform.release(),
        "os": os_name,
        "ram_gib": round(mem_kib / (1 << 20), 1) if mem_kib else None,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def _package_version(package):
    return _output(["dpkg-query", "-W", "-f=${Version}", package])


def versions(source_dir, build_dir):
    ftpc_cli = os.path.join(build_dir, "tools/ftpc/ftpc")
    return {
        "ftpc (git describe)": _output(["git", "-C", source_dir, "describe", "--always",
                                        "--dirty", "--tags"]),
        "ftpc CLI --version": _first_line(_output([ftpc_cli, "--version"])),
        "vsftpd": _package_version("vsftpd"),
        "pyftpdlib": _package_version("python3-pyftpdlib"),
        "curl": _first_line(_output(["curl", "--version"])),
        "libcurl (package)": _package_version("libcurl4"),
        "python": _output([PYTHON, "--version"]),
        "ftpc Python binding": _output(["/usr/bin/env", "PYTHONPATH=" + os.path.join(
            build_dir, "bindings/python"), PYTHON, "-c", "import ftpc; print(ftpc.__version__)"]),
        "pycurl": _output([PYTHON, "-c", "import pycurl; print(pycurl.version)"]),
        "aioftp": _package_version("python3-aioftp"),
        "lftp": _first_line(_output(["lftp", "--version"])),
        "openssl": _output(["openssl", "version"]),
        "valgrind": _output(["valgrind", "--version"]),
        "iperf3": _first_line(_output(["iperf3", "--version"])),
        "gcc": _first_line(_output(["gcc", "--version"])),
    }
