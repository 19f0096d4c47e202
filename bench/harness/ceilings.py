"""What this machine can do without FTP: the ceilings the clients are
measured against.  Each returns a dict with "mb_per_s" (10^6 bytes/s) or
"per_s", plus the raw numbers; a ceiling that cannot be measured returns
{"error": why} instead of stopping the benchmark."""

import json
import os
import socket
import statistics
import subprocess
import time


def _run_json(argv, timeout_s):
    result = subprocess.run(argv, capture_output=True, text=True, timeout=timeout_s)
    if result.returncode != 0:
        raise RuntimeError("%s: %s" % (os.path.basename(argv[0]), result.stderr.strip()[-300:]))
    return json.loads(result.stdout.strip().splitlines()[-1])


def _rates(raw):
    rates = [raw["bytes"] / s / 1e6 for s in raw["seconds"]]
    return {"mb_per_s": statistics.median(rates), "best_mb_per_s": max(rates),
            "runs_mb_per_s": [round(r, 1) for r in rates], "bytes": raw["bytes"]}


def guarded(function):
    def run(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        except (OSError, RuntimeError, ValueError, KeyError, subprocess.SubprocessError) as exc:
            return {"error": str(exc)}
    run.__name__ = function.__name__
    return run


def _listening(port):
    """True once something listens on 127.0.0.1:@port (read from
    /proc/net/tcp: iperf3 -1 would take a probe connection for its one
    client)."""
    wanted = "0100007F:%04X" % port
    with open("/proc/net/tcp") as f:
        return any(line.split()[1] == wanted and line.split()[3] == "0A"
                   for line in f.readlines()[1:])


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@guarded
def iperf3(seconds):
    """Single-stream loopback TCP, zero-copy sender (iperf3 -Z)."""
    port = _free_port()
    server = subprocess.Popen(["iperf3", "-s", "-1", "-B", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while not _listening(port):
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("iperf3 -s did not start")
            time.sleep(0.05)
        result = subprocess.run(["iperf3", "-c", "127.0.0.1", "-p", str(port), "-Z",
                                 "-t", str(seconds), "-J"],
                                capture_output=True, text=True, timeout=seconds + 60)
        report = json.loads(result.stdout)
        if "error" in report:
            raise RuntimeError("iperf3: %s" % report["error"])
        bps = report["end"]["sum_received"]["bits_per_second"]
        return {"mb_per_s": bps / 8 / 1e6, "seconds": seconds}
    finally:
        if server.poll() is None:
            server.terminate()
        server.wait()


@guarded
def sendfile_pair(program, path, repeat):
    with open(path, "rb") as f:  # into the page cache first
        while f.read(1 << 24):
            pass
    return _rates(_run_json([program, path, str(repeat)], 600))


@guarded
def memcpy_bw(program, mib, repeat):
    return _rates(_run_json([program, str(mib), str(repeat)], 600))


@guarded
def tls_pipe(program, pki, size, repeat):
    raw = _run_json([program, pki["cert"], pki["key"], pki["ca"], str(size), str(repeat)], 900)
    result = _rates(raw)
    result["cipher"] = raw.get("cipher")
    return result


@guarded
def small_exchanges(program, count):
    raw = _run_json([program, str(count)], 600)
    return {"per_s": raw["exchanges"] / raw["seconds"], "exchanges": raw["exchanges"],
            "bytes_each": raw["bytes"]}


@guarded
def openssl_speed(seconds):
    """AES-128-GCM on one core, 16384-byte blocks (openssl speed -mr prints
    "+F:<n>:AES-128-GCM:<bytes per second>" per block size)."""
    result = subprocess.run(["openssl", "speed", "-evp", "aes-128-gcm", "-bytes", "16384",
                             "-seconds", str(seconds), "-mr"],
                            capture_output=True, text=True, timeout=seconds * 10 + 60)
    for line in result.stdout.splitlines():
        if line.startswith("+F:"):
            fields = line.split(":")
            return {"mb_per_s": float(fields[3]) / 1e6, "block_bytes": 16384,
                    "seconds": seconds}
    raise RuntimeError("openssl speed printed no +F line: %s" % result.stderr.strip()[-300:])


def measure_all(profile, bench_dir, big_file, pki, log):
    def program(name):
        return os.path.join(bench_dir, name)

    steps = [
        ("iperf3", lambda: iperf3(profile.iperf_seconds)),
        ("sendfile", lambda: sendfile_pair(program("sendfile_pair"), big_file,
                                           profile.sendfile_repeat)),
        ("tls_pipe", lambda: tls_pipe(program("tls_pipe"), pki, profile.tls_pipe_bytes,
                                      profile.tls_pipe_repeat)),
        ("openssl_speed", lambda: openssl_speed(profile.openssl_speed_seconds)),
        ("memcpy", lambda: memcpy_bw(program("memcpy_bw"), profile.memcpy_mib,
                                     profile.memcpy_repeat)),
        ("small_exchanges", lambda: small_exchanges(program("small_exchanges"),
                                                    profile.small_exchanges)),
    ]
    results = {}
    for key, step in steps:
        results[key] = step()
        log("[ceilings] %s: %s" % (key, results[key]))
    return results
