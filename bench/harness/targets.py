"""The issue's targets, evaluated on the numbers of one run: each target
against each comparator, with the measured ratio and PASS or MISS.  (The
explanation of a miss is the lead's prose, not generated here.)"""

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
