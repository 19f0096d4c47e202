#!/usr/bin/python3
"""ftpc's benchmark: every client against the same local servers, in the
same run; writes RESULTS.md and the raw JSON.  bench/run builds the
programs and calls this; see bench/README.md.

    bench.py --build DIR [--out DIR] [--data DIR] [--quick] [--runs N]
             [--only SCENARIO,...] [--no-ceilings] [--no-cachegrind]
"""

import argparse
import datetime
import json
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import cachegrind  # noqa: E402
import ceilings  # noqa: E402
import machine  # noqa: E402
import measure  # noqa: E402
import profiles  # noqa: E402
import report  # noqa: E402
import scenarios  # noqa: E402
import targets  # noqa: E402
from clients import all_clients  # noqa: E402
from data import Dataset  # noqa: E402
from runner import ScenarioRunner  # noqa: E402
from servers import Pyftpdlib, Vsftpd, make_test_pki  # noqa: E402

SOURCE_DIR = os.path.dirname(os.path.dirname(HERE))
FALLBACK_DATA_DIR = "/var/tmp/ftpc-bench-data"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(SOURCE_DIR, "build-bench"),
                        help="meson build directory with -Dbench=enabled")
    parser.add_argument("--out", help="directory for RESULTS.md and results/*.json "
                        "(default: bench/, or a new temporary directory with --quick)")
    parser.add_argument("--data", help="directory for the generated files (default: "
                        "BUILD/bench-data, reused between runs)")
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke test")
    parser.add_argument("--runs", type=int, help="measured runs per client and scenario")
    parser.add_argument("--only", help="comma-separated scenario keys to run")
    parser.add_argument("--no-ceilings", action="store_true")
    parser.add_argument("--no-cachegrind", action="store_true")
    parser.add_argument("--ftpc-bench", help="use this program as ftpc_bench")
    parser.add_argument("--command", help="the command line to record in RESULTS.md")
    args = parser.parse_args()
    if args.runs is not None and args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def searchable_by_others(path):
    """vsftpd's login user must reach the served directory."""
    path = os.path.abspath(path)
    while True:
        if os.path.exists(path) and not os.stat(path).st_mode & 0o001:
            return False
        parent = os.path.dirname(path)
        if parent == path:
            return True
        path = parent


START = time.monotonic()


def log(message):
    sys.stderr.write("%7.1f s  %s\n" % (time.monotonic() - START, message))
    sys.stderr.flush()


def main():
    args = parse_args()
    if os.geteuid() != 0:
        sys.exit("bench.py: run as root (vsftpd needs root to authenticate and chroot)")
    profile = profiles.select(args.quick, args.runs)
    build = os.path.abspath(args.build)
    out = args.out or (tempfile.mkdtemp(prefix="ftpc-bench-quick-") if args.quick
                       else os.path.join(SOURCE_DIR, "bench"))
    data_dir = args.data or os.path.join(build, "bench-data")
    if not args.data and not searchable_by_others(data_dir):
        data_dir = FALLBACK_DATA_DIR
    started = datetime.datetime.now(datetime.timezone.utc)
    phases = {}

    log("profile %s, %d runs; data in %s; results to %s" % (profile.name, profile.runs,
                                                           data_dir, out))
    phase = time.monotonic()
    data = Dataset(data_dir, profile)
    data.prepare(log)
    pki = make_test_pki(SOURCE_DIR, os.path.join(data_dir, "pki"))
    capture_dir = os.path.join(data.work, "capture")
    os.makedirs(capture_dir, exist_ok=True)
    phases["data"] = time.monotonic() - phase

    servers = {
        "vsftpd": Vsftpd(SOURCE_DIR, data.root, data.work),
        "vsftpd-tls": Vsftpd(SOURCE_DIR, data.root, data.work, pki["cert"], pki["key"]),
        "pyftpdlib": Pyftpdlib(SOURCE_DIR, data.root, data.work),
    }
    results = {
        "schema": 1,
        "started_utc": started.strftime("%Y-%m-%d %H:%M:%S"),
        "command": args.command or " ".join(sys.argv),
        "profile": dict(vars(profile)),
        "machine": machine.machine(),
        "versions": machine.versions(SOURCE_DIR, build),
        "data_dir": data_dir,
        "null_device": data.null_device,
    }
    try:
        for server in servers.values():
            server.start()
            log("%s on port %d (pid %d)" % (server.title, server.port, server.pid))
        data.give_uploads_to(servers["vsftpd"].user)
        results["servers"] = [s.describe() for s in servers.values()]
        clients = all_clients(SOURCE_DIR, build, args.ftpc_bench)
        results["clients"] = [{"key": c.key, "label": c.label} for c in clients]
        runner = ScenarioRunner(profile, data, servers, clients, pki["ca"], capture_dir, log)

        if not args.no_ceilings:
            phase = time.monotonic()
            big_file = os.path.join(data.root, data.big_name(profile.big_bytes))
            results["ceilings"] = ceilings.measure_all(profile, os.path.join(build, "bench"),
                                                       big_file, pki, log)
            phases["ceilings"] = time.monotonic() - phase

        wanted = set(args.only.split(",")) if args.only else None
        results["scenarios"] = []
        for scenario in scenarios.build(profile):
            if wanted is None or scenario.key in wanted:
                phase = time.monotonic()
                results["scenarios"].append(runner.run(scenario))
                phases["scenario " + scenario.key] = time.monotonic() - phase

        if not args.no_cachegrind:
            phase = time.monotonic()
            results["cachegrind"] = cachegrind.measure_all(runner, log)
            phases["cachegrind"] = time.monotonic() - phase
    finally:
        for server in servers.values():
            server.stop()
        data.clean()

    results["peak_rss"] = measure.exit_stats_error or "taskstats hiwater_rss of each client process"
    results["targets"] = targets.evaluate(results)
    results["python_targets"] = targets.evaluate_python(results)
    results["elapsed_s"] = time.monotonic() - START
    results["phases_s"] = {k: round(v, 1) for k, v in phases.items()}
    write_results(results, out, started)
    return 0


def write_results(results, out, started):
    results_dir = os.path.join(out, "results")
    os.makedirs(results_dir, exist_ok=True)
    json_name = started.strftime("%Y-%m-%dT%H%M%SZ") + ".json"
    with open(os.path.join(results_dir, json_name), "w") as f:
        json.dump(results, f, indent=1)
        f.write("\n")
    with open(os.path.join(out, "RESULTS.md"), "w") as f:
        f.write(report.render(results, json_name))
    counts = {}
    for scenario in results["scenarios"]:
        for row in scenario["rows"]:
            status = row["status"] + (" (expected)" if row["expected_failure"] else "")
            counts[status] = counts.get(status, 0) + 1
    log("rows: %s" % ", ".join("%d %s" % (n, s) for s, n in sorted(counts.items())))
    log("wrote %s and %s" % (os.path.join(out, "RESULTS.md"),
                             os.path.join(results_dir, json_name)))


if __name__ == "__main__":
    sys.exit(main())
