"""The issue's targets, evaluated on the numbers of one run: each target
against each comparator, with the measured ratio and PASS or MISS.  (The
explanation of a miss is the lead's prose, not generated here.)"""

from clients import FTPC_PYTHON_ROWS, PYTHON_ROWS
from profiles import human_bytes
from scenarios import RSS_REFERENCES

CURL_ROWS = ["curl-cli", "libcurl-16k", "libcurl-256k"]
FTPC = "ftpc"
FTPC_ROWS = {"ftpc", "ftpc-cli"}

# (scenario, kind, needed, comparators, what the issue asks)
#   kind "speed": ftpc throughput / other's throughput >= needed
#   kind "cpu":   ftpc CPU per byte / other's CPU per byte <= needed
#   kind "aes":   ftpc CPU / (bytes / openssl speed AES-128-GCM) <= needed
#   comparators: a list of row keys, or "best" (the fastest non-ftpc row
#   that worked)
TARGETS = [
    ("get-discard", "speed", 1.2, CURL_ROWS, "Large download into a callback: >= 1.2x curl"),
    ("get-discard", "speed", 1.0, "best",
     "Large download into a callback: >= 1.0x the best other client"),
    ("get-file", "speed", 1.3, CURL_ROWS, "Large download into a file: >= 1.3x curl"),
    ("get-file", "cpu", 0.5, CURL_ROWS,
     "Large download into a file: client CPU per byte <= 0.5x curl's"),
    ("put-mem", "speed", 1.0, CURL_ROWS, "Upload from memory: >= 1.0x curl"),
    ("put-file", "cpu", 0.5, CURL_ROWS, "Upload from a file: client CPU per byte <= 0.5x curl's"),
    ("get-many", "speed", 1.5, CURL_ROWS, "Many small files, plain, download: >= 1.5x curl"),
    ("put-many", "speed", 1.5, CURL_ROWS, "Many small files, plain, upload: >= 1.5x curl"),
    ("ftps-get-many", "speed", 1.5, "best",
     "Many small files over FTPS, download: >= 1.5x the best client that works"),
    ("ftps-put-many", "speed", 1.5, "best",
     "Many small files over FTPS, upload: >= 1.5x the best client that works"),
    ("mlsd", "speed", 2.0, CURL_ROWS,
     "MLSD listing parsed: >= 2x curl's raw MLSD (time ratio)"),
    ("ftps-get-discard", "speed", 1.0, CURL_ROWS, "FTPS large download: >= 1.0x curl"),
    ("ftps-get-discard", "aes", 1.3, ["openssl-speed"],
     "FTPS large download: client CPU per byte <= 1.3x openssl speed AES-128-GCM"),
]


def _rows(scenario):
    return {row["client"]: row for row in scenario["rows"]}


def _describe(row):
    if row is None:
        return "no row"
    if row["status"] == "ok":
        return "ok"
    return "%s: %s" % (row["status"], row["message"])


def evaluate(results):
    scenarios = {s["key"]: s for s in results["scenarios"]}
    aes = results.get("ceilings", {}).get("openssl_speed", {}).get("mb_per_s")
    out = []
    for key, kind, needed, comparators, text in TARGETS:
        base = {"target": text, "scenario": key, "kind": kind, "needed": needed}
        scenario = scenarios.get(key)
        if scenario is None:
            out.append(dict(base, comparator="-", ratio=None, result="not run"))
            continue
        rows = _rows(scenario)
        ftpc = rows.get(FTPC)
        if ftpc is None or ftpc["status"] != "ok":
            out.append(dict(base, comparator="-", ratio=None,
                            result="no ftpc data (%s)" % _describe(ftpc)))
            continue
        mine = ftpc["summary"]
        if kind == "aes":
            if not aes:
                out.append(dict(base, comparator="openssl speed", ratio=None,
                                result="no openssl speed figure"))
                continue
            aes_cpu_s = mine["amount"] / (aes * 1e6)
            ratio = mine["cpu_s"] / aes_cpu_s
            out.append(dict(base, comparator="openssl speed AES-128-GCM (%.0f MB/s)" % aes,
                            ratio=ratio, result="PASS" if ratio <= needed else "MISS"))
            continue
        if comparators == "best":
            working = [r for k, r in rows.items() if k not in FTPC_ROWS and r["status"] == "ok"]
            if not working:
                out.append(dict(base, comparator="best other", ratio=None,
                                result="no other client worked"))
                continue
            best = max(working, key=lambda r: r["summary"]["throughput"])
            others = [("best other: " + best["label"], best)]
        else:
            others = [(rows[k]["label"] if k in rows else k, rows.get(k)) for k in comparators]
        for label, other in others:
            if other is None or other["status"] != "ok":
                out.append(dict(base, comparator=label, ratio=None, result=_describe(other)))
                continue
            theirs = other["summary"]
            if kind == "speed":
                ratio = mine["throughput"] / theirs["throughput"]
                result = "PASS" if ratio >= needed else "MISS"
            else:
                ratio = mine["cpu_per_unit"] / theirs["cpu_per_unit"] if theirs["cpu_s"] else None
                result = ("PASS" if ratio is not None and ratio <= needed else
                          "MISS" if ratio is not None else "comparator CPU is 0")
            out.append(dict(base, comparator=label, ratio=ratio, result=result))
    return out


# ---------------------------------------------------------------- Python

# The Python binding's targets: ftpc's Python clients against the standard
# library's ftplib and against the best other Python client (pycurl,
# aioftp; in the FTPS scenarios also ftplib with session reuse).  Ratios,
# never assertions: PASS and MISS are reported, nothing fails on them.
#
# (scenario, kind, needed, numerator row, comparators, what is asked)
#   kind "speed": numerator throughput / comparator's >= needed
#   kind "rss":   the numerator's peak RSS on the 1 GiB download / its peak
#                 RSS on the reference download (scenarios.RSS_REFERENCES,
#                 the 64 MiB file) <= needed: flat as the file grows
#   comparators: row keys, "best-python" (the fastest Python row that
#   worked and is not ftpc's), or None for "rss"
PY_FTPC = "py-ftpc"
PY_DROPIN = "py-ftpc-ftplib"
PYTHON_TARGETS = [
    ("get-file", "speed", 3.0, PY_FTPC, ["ftplib", "best-python"],
     "Large download into a file, ftpc.Session.download() to a path: >= 3x"),
    ("get-discard", "speed", 1.3, PY_FTPC, ["ftplib", "best-python"],
     "Large download into a Python callback, ftpc.Session.retrbinary(): >= 1.3x"),
    ("get-discard", "speed", 1.3, PY_DROPIN, ["ftplib", "best-python"],
     "Large download into a Python callback, ftpc.ftplib retrbinary(): >= 1.3x"),
    ("get-many", "speed", 1.2, PY_FTPC, ["ftplib", "best-python"],
     "Many small files downloaded in one session, ftpc.Session: >= 1.2x"),
    ("get-many", "speed", 1.2, PY_DROPIN, ["ftplib", "best-python"],
     "Many small files downloaded in one session, ftpc.ftplib: >= 1.2x"),
    ("put-many", "speed", 1.2, PY_FTPC, ["ftplib", "best-python"],
     "Many small files uploaded in one session, ftpc.Session: >= 1.2x"),
    ("put-many", "speed", 1.2, PY_DROPIN, ["ftplib", "best-python"],
     "Many small files uploaded in one session, ftpc.ftplib: >= 1.2x"),
    ("ftps-get-many", "speed", 1.3, PY_FTPC, ["ftplib", "ftplib-reuse", "best-python"],
     "FTPS (vsftpd), many small files downloaded, ftpc.Session: >= 1.3x"),
    ("ftps-get-many", "speed", 1.3, PY_DROPIN, ["ftplib", "ftplib-reuse", "best-python"],
     "FTPS (vsftpd), many small files downloaded, ftpc.ftplib: >= 1.3x"),
    ("ftps-put-many", "speed", 1.3, PY_FTPC, ["ftplib", "ftplib-reuse", "best-python"],
     "FTPS (vsftpd), many small files uploaded, ftpc.Session: >= 1.3x"),
    ("ftps-put-many", "speed", 1.3, PY_DROPIN, ["ftplib", "ftplib-reuse", "best-python"],
     "FTPS (vsftpd), many small files uploaded, ftpc.ftplib: >= 1.3x"),
    ("get-file", "rss", 1.1, PY_FTPC, None,
     "Peak RSS flat as the file grows, download() to a path, ftpc.Session: <= 1.1x"),
    ("get-discard", "rss", 1.1, PY_FTPC, None,
     "Peak RSS flat as the file grows, retrbinary() callback, ftpc.Session: <= 1.1x"),
    ("get-file", "rss", 1.1, PY_DROPIN, None,
     "Peak RSS flat as the file grows, retrbinary() into a file, ftpc.ftplib: <= 1.1x"),
    ("get-discard", "rss", 1.1, PY_DROPIN, None,
     "Peak RSS flat as the file grows, retrbinary() callback, ftpc.ftplib: <= 1.1x"),
]


def _reference_of(key):
    return next((ref for ref, big in RSS_REFERENCES.items() if big == key), None)


def _mib(kib):
    return "%.1f MiB" % (kib / 1024)


def evaluate_python(results):
    scenarios = {s["key"]: s for s in results["scenarios"]}
    out = []
    for key, kind, needed, numerator, comparators, text in PYTHON_TARGETS:
        base = {"target": text, "scenario": key, "kind": kind, "needed": needed,
                "client": numerator}
        scenario = scenarios.get(key)
        if scenario is None:
            out.append(dict(base, comparator="-", ratio=None, result="not run"))
            continue
        rows = _rows(scenario)
        mine_row = rows.get(numerator)
        if mine_row is None or mine_row["status"] != "ok":
            out.append(dict(base, comparator="-", ratio=None,
                            result="no data for %s (%s)" % (numerator, _describe(mine_row))))
            continue
        mine = mine_row["summary"]
        if kind == "rss":
            ref_key = _reference_of(key)
            ref_row = _rows(scenarios[ref_key]).get(numerator) if ref_key in scenarios else None
            if ref_row is None or ref_row["status"] != "ok":
                out.append(dict(base, comparator="its own %s run" % (ref_key or "reference"),
                                ratio=None, result=_describe(ref_row)))
                continue
            big_kib = mine.get("maxrss_kib")
            ref_kib = ref_row["summary"].get("maxrss_kib")
            if not big_kib or not ref_kib:
                out.append(dict(base, comparator="-", ratio=None, result="no peak RSS recorded"))
                continue
            ratio = big_kib / ref_kib
            comparator = "itself: %s peak RSS on %s, %s on %s" % (
                _mib(ref_kib), human_bytes(scenarios[ref_key]["amount"]), _mib(big_kib),
                human_bytes(scenario["amount"]))
            out.append(dict(base, comparator=comparator, ratio=ratio,
                            result="PASS" if ratio <= needed else "MISS"))
            continue
        for comparator in comparators:
            if comparator == "best-python":
                working = [r for k, r in rows.items()
                           if k in PYTHON_ROWS and k not in FTPC_PYTHON_ROWS and r["status"] == "ok"]
                if not working:
                    out.append(dict(base, comparator="best other Python client", ratio=None,
                                    result="no other Python client worked"))
                    continue
                other = max(working, key=lambda r: r["summary"]["throughput"])
                label = "best other Python: " + other["label"]
            else:
                other = rows.get(comparator)
                label = other["label"] if other is not None else comparator
            if other is None or other["status"] != "ok":
                out.append(dict(base, comparator=label, ratio=None, result=_describe(other)))
                continue
            ratio = mine["throughput"] / other["summary"]["throughput"]
            out.append(dict(base, comparator=label, ratio=ratio,
                            result="PASS" if ratio >= needed else "MISS"))
    return out
