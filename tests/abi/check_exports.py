#!/usr/bin/python3
"""Checks the dynamic symbol table of the built libftpc.so against its contract.

The exported functions must be exactly the functions the public headers
declare with FTP_API, and exactly the global: lists of lib/libftpc.sym; all
named ftp_*, none C++-mangled, each carrying the version node that lists it
in the version script; and the soname must be the one the README promises.

Usage: check_exports.py LIBRARY VERSION_SCRIPT HEADER_DIR SONAME

Runs nm, objdump and readelf from binutils; stdlib only.  Exits 1 listing
every problem found, 0 when there is none.
"""

import pathlib
import re
import shutil
import subprocess
import sys

# Symbols a toolchain may add to any shared object.  With "local: *" in the
# version script they do not appear; if they ever do, they are not ftpc's API.
TOOLCHAIN_SYMBOLS = {"_init", "_fini", "_edata", "_end", "__bss_start"}


def run_tool(*argv):
    """Runs a binutils tool and returns its stdout; a missing tool fails."""
    if shutil.which(argv[0]) is None:
        sys.exit(f"FAIL: {argv[0]} not found on PATH; cannot check the ABI")
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"FAIL: {' '.join(argv)} exited {result.returncode}:\n{result.stderr}")
    return result.stdout


def strip_c_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def exported_symbols(library):
    """{name: nm type} for every defined dynamic symbol, versions stripped."""
    symbols = {}
    for line in run_tool("nm", "-D", "--defined-only", library).splitlines():
        fields = line.split()
        if len(fields) != 3:
            continue
        _, kind, name = fields
        symbols[name.split("@", 1)[0]] = kind
    return symbols


def symbol_versions(library):
    """{name: version} from objdump -T for defined symbols; hidden versions
    keep their parentheses, unversioned symbols map to ''."""
    versions = {}
    for line in run_tool("objdump", "-T", library).splitlines():
        if "\t" not in line or "*UND*" in line:
            continue
        _, rest = line.split("\t", 1)
        fields = rest.split()
        if len(fields) == 3:
            versions[fields[2]] = fields[1]
        elif len(fields) == 2:
            versions[fields[1]] = ""
    return versions


def soname(library):
    for line in run_tool("readelf", "-d", library).splitlines():
        match = re.search(r"\(SONAME\).*\[(.*)\]", line)
        if match:
            return match.group(1)
    return None


def version_script_globals(path):
    """{symbol: node} from every node's global: list, plus problems found."""
    text = pathlib.Path(path).read_text()
    text = re.sub(r"#[^\n]*", " ", strip_c_comments(text))
    listed, problems = {}, []
    for node, body in re.findall(r"([A-Za-z_][\w.]*)\s*\{(.*?)\}", text, flags=re.S):
        match = re.search(r"global\s*:(.*?)(?:local\s*:|$)", body, flags=re.S)
        if not match:
            continue
        for entry in (e.strip() for e in match.group(1).split(";")):
            if not entry:
                continue
            if any(c in entry for c in "*?[") or " " in entry:
                problems.append(f"{path}: node {node} exports a pattern, not a name: {entry!r}")
            elif entry in listed:
                problems.append(f"{path}: {entry} is listed in both {listed[entry]} and {node}")
            else:
                listed[entry] = node
    if not listed:
        problems.append(f"{path}: no global: symbols found")
    return listed, problems


def header_api_functions(header_dir):
    """Names of the functions declared with FTP_API in header_dir/*.h."""
    names = set()
    for header in sorted(pathlib.Path(header_dir).glob("*.h")):
        text = strip_c_comments(header.read_text())
        text = re.sub(r"\\\n", " ", text)                  # join continuations
        text = re.sub(r"^\s*#[^\n]*", " ", text, flags=re.M)  # drop directives
        for match in re.finditer(r"\bFTP_API\b[^;{(]*?\b([A-Za-z_]\w*)\s*\(", text):
            names.add(match.group(1))
    return names


def describe(names):
    return ", ".join(sorted(names)) if names else "(none)"


def main(argv):
    if len(argv) != 5:
        sys.exit(__doc__)
    library, script, header_dir, want_soname = argv[1:]

    problems = []
    listed, script_problems = version_script_globals(script)
    problems += script_problems
    nodes = set(listed.values())
    declared = header_api_functions(header_dir)
    if not declared:
        problems.append(f"{header_dir}: no FTP_API declarations found")

    exported = {}
    for name, kind in exported_symbols(library).items():
        if kind == "A" and name in nodes:
            continue  # the version node's own marker symbol
        if name in TOOLCHAIN_SYMBOLS:
            print(f"note: ignoring toolchain symbol {name}")
            continue
        exported[name] = kind

    names = set(exported)
    mangled = {n for n in names if n.startswith("_Z")}
    if mangled:
        problems.append(f"C++-mangled symbols exported: {describe(mangled)}")
    foreign = {n for n in names - mangled if not n.startswith("ftp_")}
    if foreign:
        problems.append(f"exported symbols outside the ftp_ namespace: {describe(foreign)}")
    not_functions = {n for n, kind in exported.items() if kind not in "TW"}
    if not_functions:
        problems.append("exported symbols that are not functions: "
                        + describe(f"{n} ({exported[n]})" for n in not_functions))

    for label, expected in (("lib/libftpc.sym global:", set(listed)),
                            ("FTP_API declarations in the headers", declared)):
        if names - expected:
            problems.append(f"exported but not in {label}: {describe(names - expected)}")
        if expected - names:
            problems.append(f"in {label} but not exported: {describe(expected - names)}")
    if set(listed) != declared:
        problems.append("version script and headers disagree: only in script: "
                        f"{describe(set(listed) - declared)}; only in headers: "
                        f"{describe(declared - set(listed))}")

    versions = symbol_versions(library)
    for name in sorted(names & set(listed)):
        got, want = versions.get(name), listed[name]
        if got != want:
            problems.append(f"{name} carries version {got or '(none)'!r}, expected {want!r} "
                            "as the default version")

    got_soname = soname(library)
    if got_soname != want_soname:
        problems.append(f"soname is {got_soname!r}, expected {want_soname!r}")

    print(f"{library}: {len(names)} exported functions, {len(listed)} in {script}, "
          f"{len(declared)} declared with FTP_API, soname {got_soname!r}, "
          f"version nodes {describe(nodes)}")
    if problems:
        for problem in problems:
            print(f"FAIL: {problem}")
        return 1
    print("OK: exports, version script, headers and soname agree")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
