#!/usr/bin/python3
"""CI's check of a benchmark result (.ci/lanes/bench.sh): the harness
worked and every row is there.

    check_results.py RESULTS.json

Fails (exit 1, one line per problem) when a scenario, a client row, a
ceiling or a cachegrind row is missing, when a client of REQUIRED_CLIENTS
was not in the run at all, when a client could not be run (its program was
not built, its Python module not installed), when ftpc (C API, CLI, or its
Python binding: ftpc.Session and the ftpc.ftplib drop-in) failed anywhere,
when another client failed in a way that is not a known, recorded failure
(clients.KNOWN_FAILURES), when a run has no peak RSS, or when the Python
targets were not evaluated.  Timing is never checked: CI machines are
noisy.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import cachegrind  # noqa: E402
import scenarios  # noqa: E402
from clients import FTPC_PYTHON_ROWS, PYTHON_ROWS, clients_for  # noqa: E402
from profiles import Profile  # noqa: E402

FTPC_ROWS = {"ftpc", "ftpc-cli"} | FTPC_PYTHON_ROWS
REQUIRED_CLIENTS = ["ftpc", "ftpc-cli", "libcurl-16k", "libcurl-256k", "curl-cli", "lftp"]
REQUIRED_CLIENTS += PYTHON_ROWS
CEILINGS = ["iperf3", "sendfile", "tls_pipe", "openssl_speed", "memcpy", "small_exchanges"]


class Key:
    """Stands in for a client in clients_for(): only key and tls_only."""

    def __init__(self, key):
        self.key = key
        self.tls_only = key == "ftplib-reuse"


def row_problems(where, expected_keys, rows):
    problems = []
    by_key = {r["client"]: r for r in rows}
    for key in expected_keys:
        row = by_key.get(key)
        if row is None:
            problems.append("%s: no row for %s" % (where, key))
        elif row["status"] == "absent":
            problems.append("%s: %s missing: %s" % (where, key, row["message"]))
        elif row["status"] == "fails" and (key in FTPC_ROWS or not row["expected_failure"]):
            problems.append("%s: %s fails: %s" % (where, key, row["message"]))
    return problems


def check(results):
    profile = Profile(**results["profile"])
    clients = [Key(c["key"]) for c in results["clients"]]
    problems = ["client %s was not in the run" % key for key in REQUIRED_CLIENTS
                if key not in [c.key for c in clients]]
    got = {s["key"]: s for s in results.get("scenarios", [])}
    rss_measured = "unavailable" not in results.get("peak_rss", "unavailable")
    if not rss_measured:
        problems.append("peak RSS not measured: %s" % results.get("peak_rss", "no record"))
    for scenario in scenarios.build(profile):
        if scenario.key not in got:
            problems.append("scenario %s was not run" % scenario.key)
            continue
        keys = [c.key for c in clients_for(scenario, clients)]
        problems += row_problems(scenario.key, keys, got[scenario.key]["rows"])
        for row in got[scenario.key]["rows"]:
            if (rss_measured and row["status"] == "ok"
                    and not all(r.get("maxrss_kib") for r in row["runs"])):
                problems.append("%s: %s has a run without peak RSS" % (scenario.key,
                                                                      row["client"]))
    if not results.get("python_targets"):
        problems.append("the Python targets were not evaluated")
    for key in CEILINGS:
        value = results.get("ceilings", {}).get(key)
        if value is None or "error" in value:
            problems.append("ceiling %s: %s" % (key, (value or {}).get("error", "not measured")))
    rows = results.get("cachegrind", [])
    for scenario, _ in cachegrind.cases(profile):
        keys = [c.key for c in clients_for(scenario, clients)]
        problems += row_problems("cachegrind " + scenario.key, keys,
                                 [r for r in rows if r["case"] == scenario.key])
    return problems


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: check_results.py RESULTS.json\n")
        return 2
    with open(argv[1]) as f:
        results = json.load(f)
    problems = check(results)
    for problem in problems:
        print("check_results: %s" % problem)
    known = sum(1 for s in results.get("scenarios", []) for r in s["rows"]
                if r["status"] == "fails" and r["expected_failure"])
    if problems:
        print("check_results: %d problem(s)" % len(problems))
        return 1
    print("check_results: every scenario, client row, ceiling and cachegrind row present; "
          "%d known failure(s) of other clients recorded" % known)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
