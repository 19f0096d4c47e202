"""Instructions per byte and per file, counted by valgrind's cachegrind:
unlike times, these counts barely move on a noisy machine.

Each client runs once per case under
  valgrind --tool=cachegrind --cache-sim=no --trace-children=yes
and the "I refs" totals of every process in the run are summed (lftp may
fork a resolver).  The counts include the process start-up and the login
(for Python, the interpreter's start-up), which is why the per-file case
downloads many files in one session.
"""

import os
import re

from clients import NotApplicable, clients_for
from measure import last_line, spawn_and_wait
from scenarios import Scenario, job_for, verify
from profiles import human_bytes

I_REFS = re.compile(r"^==\d+== I\s+refs:\s+([\d,]+)", re.MULTILINE)
VALGRIND = ["valgrind", "--tool=cachegrind", "--cache-sim=no",
            "--cachegrind-out-file=/dev/null", "--trace-children=yes"]


def cases(profile):
    size, files = profile.cachegrind_bytes, profile.cachegrind_files
    return [
        (Scenario("cg-get", "get-discard", "vsftpd", "bytes", size,
                  "download %s, plain, discarding sink" % human_bytes(size)),
         {"size": size}),
        (Scenario("cg-ftps-get", "get-discard", "vsftpd-tls", "bytes", size,
                  "download %s, FTPS, discarding sink" % human_bytes(size)),
         {"size": size}),
        (Scenario("cg-many", "get-many", "vsftpd", "files", files,
                  "%d files of %s, plain, one session" % (files, human_bytes(profile.small_bytes))),
         {"count": files}),
    ]


def measure_all(runner, log):
    data, profile = runner.data, runner.profile
    results = []
    for scenario, sizes in cases(profile):
        target = runner.target(scenario)
        server = runner.servers[scenario.server]
        for client in clients_for(scenario, runner.clients):
            row = {"case": scenario.key, "title": scenario.title, "client": client.key,
                   "label": client.label, "unit": scenario.unit, "amount": scenario.amount,
                   "status": "ok", "message": "", "expected_failure": False,
                   "instructions": None, "per_unit": None}
            results.append(row)
            reason = client.absent()
            if reason:
                row.update(status="absent", message=reason)
                continue
            data.clean()
            job = job_for(scenario.op, data, **sizes)
            stdout = os.path.join(runner.capture_dir, client.key + ".cg.out")
            stderr = os.path.join(runner.capture_dir, client.key + ".cg.err")
            try:
                invocation = client.invocation(job, target, stdout, data.null_device)
            except NotApplicable as exc:
                row.update(status="n/a", message=str(exc))
                continue
            server.wait_idle()
            run = spawn_and_wait(VALGRIND + invocation.argv, invocation.stdout, stderr,
                                 runner.env, max(profile.run_timeout_s, 900))
            problem = None
            if run.timed_out or run.status != 0:
                problem = "exit status %d: %s" % (run.status, client_message(stderr))
            else:
                try:
                    reported = invocation.parse(invocation.stdout) if invocation.parse else None
                    problem = verify(job, data, reported, full=False)
                except (OSError, ValueError) as exc:
                    problem = "unreadable output: %s" % exc
            with open(stderr, errors="replace") as f:
                counts = [int(x.replace(",", "")) for x in I_REFS.findall(f.read())]
            if problem is None and not counts:
                problem = "no I refs line in valgrind's output"
            if problem is not None:
                row.update(status="fails", message=problem,
                           expected_failure=client.known_failure(scenario, problem))
            else:
                row["instructions"] = sum(counts)
                row["per_unit"] = sum(counts) / scenario.amount
            log("[cachegrind] %s %-30s %s" % (scenario.key, client.label,
                                             row["per_unit"] if problem is None else problem))
    data.clean()
    return results


def client_message(stderr_path):
    """The client's own last message, not valgrind's summary lines."""
    try:
        with open(stderr_path, errors="replace") as f:
            lines = [l.strip() for l in f if l.strip() and not l.startswith("==")]
    except OSError:
        return ""
    return lines[-1][:300] if lines else last_line(stderr_path)
