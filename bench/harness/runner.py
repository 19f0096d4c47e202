"""Runs one scenario with every client: warm-up, then the measured runs
with the clients alternated round-robin (run k starts with the k-th
client), so that machine noise hits them alike.

A client that fails (or transfers the wrong bytes) is recorded with its
message and left out of the remaining runs; the benchmark goes on.
"""

import os
import statistics

from clients import NotApplicable, Target, clients_for
from measure import last_line, spawn_and_wait
from scenarios import expected_bytes, scenario_job, verify


class ScenarioRunner:
    def __init__(self, profile, data, servers, clients, ca_file, capture_dir, log):
        self.profile = profile
        self.data = data
        self.servers = servers
        self.clients = clients
        self.ca_file = ca_file
        self.capture_dir = capture_dir
        self.log = log
        self.env = {
            "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME": data.home,  # no ~/.curlrc, ~/.lftprc, ~/.netrc of the user
            "LC_ALL": "C",
        }

    def target(self, scenario):
        server = self.servers[scenario.server]
        return Target("127.0.0.1", server.port, server.user, server.password, scenario.tls,
                      self.ca_file)

    def run(self, scenario):
        target = self.target(scenario)
        server = self.servers[scenario.server]
        rows, active = [], []
        for client in clients_for(scenario, self.clients):
            row = {"client": client.key, "label": client.label, "status": "ok",
                   "expected_failure": False, "message": "", "note": "", "count": None,
                   "command": None, "warmup": [], "runs": []}
            rows.append(row)
            reason = client.absent()
            if reason:
                row.update(status="absent", message=reason)
                continue
            try:
                invocation = client.invocation(scenario_job(scenario, self.data), target,
                                               "STDOUT", self.data.null_device)
            except NotApplicable as exc:
                row.update(status="n/a", message=str(exc))
                continue
            row["command"] = [a.replace(target.password, "PASSWORD") for a in invocation.argv]
            active.append((client, row))

        probe = None
        if scenario.tls and scenario.many:
            # Some clients stall per file over FTPS: warm up on fewer files.
            probe = min(self.profile.tls_probe_count, self.profile.small_count)
        for _ in range(self.profile.warmups):
            for client, row in active:
                if row["status"] == "ok":
                    self.measure(scenario, server, target, client, row, row["warmup"], probe,
                                 full_check=False, label="warm-up")
        if probe is not None:
            self.reduce_slow_clients(active, probe)

        for index in range(self.profile.runs):
            shift = index % len(active) if active else 0
            order = active[shift:] + active[:shift]
            for position, (client, row) in enumerate(order):
                if row["status"] != "ok":
                    continue
                record = self.measure(scenario, server, target, client, row, row["runs"],
                                      row["count"], full_check=not row["runs"],
                                      label="run %d/%d" % (index + 1, self.profile.runs))
                if record is not None:
                    record.update(run=index, position=position)

        for row in rows:
            row["summary"] = summarize(row["runs"]) if row["status"] == "ok" else None
        return {"key": scenario.key, "title": scenario.title, "op": scenario.op,
                "server": scenario.server, "tls": scenario.tls, "unit": scenario.unit,
                "amount": scenario.amount, "rows": rows}

    def reduce_slow_clients(self, active, probe):
        p = self.profile
        for client, row in active:
            if row["status"] != "ok" or not row["warmup"]:
                continue
            rate = probe / statistics.median(r["wall_s"] for r in row["warmup"])
            if rate < p.slow_files_per_s and p.slow_count < p.small_count:
                row["count"] = p.slow_count
                row["note"] = ("%d files per run instead of %d: the warm-up made %.1f files/s "
                               "(< %g)" % (p.slow_count, p.small_count, rate, p.slow_files_per_s))

    def measure(self, scenario, server, target, client, row, records, count, full_check, label):
        """One run of @client; appends its numbers to @records, or marks
        @row failed.  Returns the record or None."""
        self.data.clean()
        job = scenario_job(scenario, self.data, count)
        stdout = os.path.join(self.capture_dir, client.key + ".out")
        stderr = os.path.join(self.capture_dir, client.key + ".err")
        invocation = client.invocation(job, target, stdout, self.data.null_device)
        server.wait_idle()
        server_before = server.cpu_s()
        run = spawn_and_wait(invocation.argv, invocation.stdout, stderr, self.env,
                             self.profile.run_timeout_s)
        idle = server.wait_idle()
        server_cpu = server.cpu_s() - server_before
        problem = None
        if run.timed_out:
            problem = "timed out after %d s" % self.profile.run_timeout_s
        elif run.status != 0:
            problem = "exit status %d: %s" % (run.status, last_line(stderr) or "(no message)")
        else:
            try:
                reported = invocation.parse(invocation.stdout) if invocation.parse else None
            except (OSError, ValueError) as exc:
                problem = "unreadable output: %s" % exc
            else:
                problem = verify(job, self.data, reported, full_check)
                if problem:
                    problem = "wrong result: " + problem
        if problem is None and not idle:
            problem = "the server session did not end within 10 s of the client's exit"
        if problem is not None:
            row.update(status="fails", message=problem,
                       expected_failure=client.known_failure(scenario, problem))
            self.log("[%s] %s %s: FAILS: %s" % (scenario.key, label, client.label, problem))
            return None
        amount = (job.count if scenario.unit == "files" else
                  self.profile.listing_entries if scenario.unit == "entries" else
                  expected_bytes(job, self.data))
        record = {"wall_s": round(run.wall_s, 6), "cpu_user_s": round(run.user_s, 6),
                  "cpu_sys_s": round(run.sys_s, 6), "cpu_s": round(run.cpu_s, 6),
                  "server_cpu_s": round(server_cpu, 3), "amount": amount,
                  "maxrss_kib": run.maxrss_kib,
                  "verified": "sha256" if full_check else "size"}
        records.append(record)
        self.log("[%s] %s %-30s %8.3f s  cpu %.3f s  server %.2f s  rss %.1f MiB"
                 % (scenario.key, label, client.label, run.wall_s, run.cpu_s, server_cpu,
                    (run.maxrss_kib or 0) / 1024))
        return record


def summarize(runs):
    if not runs:
        return None
    walls = [r["wall_s"] for r in runs]
    amount = runs[0]["amount"]
    median_wall = statistics.median(walls)
    cpu = statistics.median(r["cpu_s"] for r in runs)
    return {
        "runs": len(runs),
        "amount": amount,
        "median_s": median_wall,
        "min_s": min(walls),
        "max_s": max(walls),
        "throughput": amount / median_wall,       # units per second
        "cpu_s": cpu,
        "cpu_per_unit": cpu / amount,
        "server_cpu_s": statistics.median(r["server_cpu_s"] for r in runs),
        # The largest peak RSS of the measured runs (None where it was not
        # measured: see measure.py).
        "maxrss_kib": max((r.get("maxrss_kib") or 0) for r in runs) or None,
    }
