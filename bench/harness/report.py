"""RESULTS.md from a results dict (the same data as the raw JSON)."""

from clients import PYTHON_ROWS
from profiles import human_bytes
from scenarios import RSS_REFERENCES

UNITS = {"bytes": "MB/s", "files": "files/s", "entries": "entries/s"}
SERVER_NAMES = {
    "vsftpd": "vsftpd, plain FTP",
    "vsftpd-tls": "vsftpd, explicit FTPS, require_ssl_reuse=YES, TLS 1.3",
    "pyftpdlib": "pyftpdlib, plain FTP",
}


def throughput_text(summary, unit):
    value = summary["throughput"]
    if unit == "bytes":
        return "%.0f MB/s" % (value / 1e6)
    return "%.0f %s" % (value, UNITS[unit])


def ratio_text(ratio):
    return "—" if ratio is None else "%.2f" % ratio


def status_text(row):
    if row["status"] == "n/a":
        return "n/a (%s)" % row["message"]
    if row["status"] == "absent":
        return "missing: %s" % row["message"]
    if row["status"] == "fails":
        return "fails: %s" % row["message"].replace("|", "/")
    return row["status"]


def rss_text(summary):
    kib = summary.get("maxrss_kib")
    return "%.1f" % (kib / 1024) if kib else "—"


def scenario_table(scenario):
    rows = scenario["rows"]
    ftpc = next((r for r in rows if r["client"] == "ftpc" and r["status"] == "ok"), None)
    py_ftpc = next((r for r in rows if r["client"] == "py-ftpc" and r["status"] == "ok"), None)
    lines = [
        "| client | median s | min–max s | throughput | client CPU s | server CPU s "
        "| peak RSS MiB | ftpc ÷ client | ftpc.Session ÷ client |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    notes = []
    for row in rows:
        label = row["label"]
        if row["note"]:
            notes.append(row["note"])
            label += " " + "¹²³⁴⁵⁶⁷⁸⁹"[len(notes) - 1]
        if row["status"] != "ok":
            lines.append("| %s | %s | | | | | | | |" % (label, status_text(row)))
            continue
        s = row["summary"]
        ratio = None
        if ftpc is not None and row["client"] != "ftpc":
            ratio = ftpc["summary"]["throughput"] / s["throughput"]
        # ftpc's Python API against the other Python clients.
        py_ratio = ""
        if row["client"] in PYTHON_ROWS and row["client"] != "py-ftpc":
            py_ratio = ratio_text(py_ftpc["summary"]["throughput"] / s["throughput"]
                                  if py_ftpc is not None else None)
        lines.append("| %s | %.3f | %.3f–%.3f | %s | %.3f | %.2f | %s | %s | %s |" % (
            label, s["median_s"], s["min_s"], s["max_s"], throughput_text(s, scenario["unit"]),
            s["cpu_s"], s["server_cpu_s"], rss_text(s),
            ratio_text(ratio) if row["client"] != "ftpc" else "", py_ratio))
    for i, note in enumerate(notes):
        lines.append("")
        lines.append("%s %s" % ("¹²³⁴⁵⁶⁷⁸⁹"[i], note))
    return lines


def ceilings_section(ceilings):
    def value(key, fmt):
        c = ceilings.get(key)
        if c is None:
            return "not measured"
        if "error" in c:
            return "failed: %s" % c["error"]
        return fmt(c)

    mb = lambda c: "%.0f MB/s" % c["mb_per_s"]
    lines = [
        "| ceiling | value | how |",
        "|---|---:|---|",
        "| single-stream loopback TCP | %s | `iperf3 -Z`, one stream, 127.0.0.1 |" % value("iperf3", mb),
        "| sendfile into a splice to /dev/null | %s | bench/ceilings/sendfile_pair.c, median of runs |"
        % value("sendfile", mb),
        "| TLS 1.3 AES-128-GCM pipe over loopback | %s | bench/ceilings/tls_pipe.c (OpenSSL both ends) |"
        % value("tls_pipe", mb),
        "| AES-128-GCM, one core | %s | `openssl speed -evp aes-128-gcm`, 16384-byte blocks |"
        % value("openssl_speed", mb),
        "| memcpy | %s | bench/ceilings/memcpy_bw.c, bytes copied per second, median |"
        % value("memcpy", mb),
        "| bare \"2 round trips + new connection + 4 KiB\" | %s | bench/ceilings/small_exchanges.c |"
        % value("small_exchanges", lambda c: "%.0f /s" % c["per_s"]),
    ]
    return lines


def cachegrind_section(rows, client_order):
    cases = []
    for row in rows:
        if row["case"] not in [c for c, _, _ in cases]:
            cases.append((row["case"], row["title"], row["unit"]))
    present = {row["label"] for row in rows}
    clients = [label for label in client_order if label in present]
    cell = {(r["label"], r["case"]): r for r in rows}
    header = "| client | " + " | ".join(
        "%s: instructions per %s" % (title, "byte" if unit == "bytes" else "file")
        for _, title, unit in cases) + " |"
    lines = [header, "|---|" + "---:|" * len(cases)]
    for label in clients:
        cells = []
        for case, _, unit in cases:
            r = cell.get((label, case))
            if r is None:
                cells.append("")
            elif r["status"] != "ok":
                cells.append(status_text(r))
            elif unit == "bytes":
                cells.append("%.2f" % r["per_unit"])
            else:
                cells.append("%.0f" % r["per_unit"])
        lines.append("| %s | %s |" % (label, " | ".join(cells)))
    return lines


def rss_section(results):
    """Each client's peak RSS on the reference download and on the large
    one, into a discarding sink and into a file."""
    scenarios = {sc["key"]: sc for sc in results["scenarios"]}
    pairs = [(ref, big) for ref, big in RSS_REFERENCES.items()
             if ref in scenarios and big in scenarios]
    if not pairs:
        return ["Not measured (the reference scenarios did not run)."]

    def peak(key, client):
        row = next((r for r in scenarios[key]["rows"] if r["client"] == client), None)
        if row is None or row["status"] != "ok" or not row["summary"].get("maxrss_kib"):
            return None
        return row["summary"]["maxrss_kib"]

    header, rule = "| client |", "|---|"
    for ref, big in pairs:
        what = "discarding sink" if scenarios[big]["op"] == "get-discard" else "file"
        header += " %s: %s | %s | ratio |" % (what, human_bytes(scenarios[ref]["amount"]),
                                              human_bytes(scenarios[big]["amount"]))
        rule += "---:|---:|---:|"
    lines = [header, rule]
    for client in results["clients"]:
        cells = []
        for ref, big in pairs:
            small_kib, big_kib = peak(ref, client["key"]), peak(big, client["key"])
            cells += ["%.1f" % (small_kib / 1024) if small_kib else "—",
                      "%.1f" % (big_kib / 1024) if big_kib else "—",
                      "%.2f" % (big_kib / small_kib) if small_kib and big_kib else "—"]
        if any(c != "—" for c in cells):
            lines.append("| %s | %s |" % (client["label"], " | ".join(cells)))
    return lines


def python_targets_section(targets):
    lines = ["| target | compared with | measured | needed | result |",
             "|---|---|---:|---:|---|"]
    for t in targets:
        needed = ("≥ %.1f" if t["kind"] == "speed" else "≤ %.2f") % t["needed"]
        lines.append("| %s | %s | %s | %s | %s |" % (
            t["target"], t["comparator"], ratio_text(t["ratio"]), needed,
            t["result"].replace("|", "/")))
    return lines


def targets_section(targets):
    lines = ["| target | compared with | measured | needed | result |",
             "|---|---|---:|---:|---|"]
    for t in targets:
        needed = ("≥ %.1f" if t["kind"] == "speed" else "≤ %.1f") % t["needed"]
        lines.append("| %s | %s | %s | %s | %s |" % (
            t["target"], t["comparator"], ratio_text(t["ratio"]), needed,
            t["result"].replace("|", "/")))
    return lines


def render(results, json_name):
    p = results["profile"]
    m = results["machine"]
    out = ["# ftpc benchmark results", ""]
    if p["name"] == "quick":
        out += ["**Quick smoke run (`--quick`): tiny sizes and 2 runs. It proves the harness "
                "works; its numbers are not meaningful.**", ""]
    out += [
        "Generated by `bench/run` (see bench/README.md); raw numbers of every run: "
        "`results/%s`." % json_name,
        "",
        "- date: %s (UTC); the whole run took %.1f minutes" % (results["started_utc"],
                                                               results["elapsed_s"] / 60),
        "- command: `%s`" % results["command"],
        "- machine: %s, %s cores, %s GiB RAM, kernel %s, %s" % (
            m["cpu_model"], m["cores"], m["ram_gib"], m["kernel"], m["os"]),
        "- load average at start: %s" % ", ".join(str(x) for x in m["load_average_at_start"]),
        "- every number: median of %d runs after %d warm-up run(s); clients alternated "
        "round-robin within each run index" % (p["runs"], p["warmups"]),
        "",
        "## Versions",
        "",
    ]
    out += ["- %s: %s" % (k, v or "unknown") for k, v in results["versions"].items()]
    out += [
        "",
        "## How to read the tables",
        "",
        "- *median s*, *min–max s*: wall time of one client process, from spawn to exit: "
        "start-up, login, the work, QUIT.",
        "- *throughput*: the scenario's bytes (MB/s = 10^6 bytes/s), files or entries "
        "divided by the median time.",
        "- *client CPU s*: user + system time of the client process (median); *server CPU s*: "
        "CPU time of the server for that run (vsftpd: its session processes; pyftpdlib: its "
        "one process), median.",
        "- *peak RSS MiB*: the largest resident set of the client process over the measured "
        "runs (wait4's ru_maxrss).",
        "- *ftpc ÷ client*: ftpc C API throughput divided by that client's; above 1 means "
        "ftpc is faster.  The ftpc CLI is a row of its own.",
        "- *ftpc.Session ÷ client*: the same for ftpc's Python API (the Python ftpc.Session "
        "row), against the other Python clients.",
        "- libcurl's MLSD and LIST rows count raw lines; ftpc, ftplib and lftp (`cls`) parse "
        "MLSD entries.",
        "",
    ]
    for scenario in results["scenarios"]:
        out += ["## %s" % scenario["title"], "",
                "Server: %s." % SERVER_NAMES.get(scenario["server"], scenario["server"]), ""]
        out += scenario_table(scenario)
        out.append("")
    out += ["## Ceilings (same machine, no FTP)", ""]
    out += ceilings_section(results.get("ceilings", {}))
    out += ["", "## Instructions (valgrind --tool=cachegrind)", "",
            "Whole process, start-up and login included, one run each.", ""]
    if results.get("cachegrind"):
        out += cachegrind_section(results["cachegrind"],
                                  [c["label"] for c in results["clients"]])
    else:
        out.append("Not measured.")
    out += ["", "## Targets (issue 4), from the numbers above", ""]
    out += targets_section(results["targets"])
    out += ["", "## Peak RSS as the file grows", "",
            "Peak resident set (MiB, the largest of the measured runs) of each client "
            "downloading the reference file and the large one; *ratio* is large ÷ reference.",
            ""]
    out += rss_section(results)
    if results.get("python_targets"):
        out += ["", "## Targets for the Python binding, from the numbers above", "",
                "ftpc's Python clients (ftpc.Session, the ftpc.ftplib drop-in) against the "
                "standard library's ftplib and the best other Python client that worked "
                "(pycurl, aioftp; over FTPS also ftplib with session reuse).  Ratios, not "
                "assertions.", ""]
        out += python_targets_section(results["python_targets"])
    out.append("")
    return "\n".join(out)
