#!/usr/bin/env python3
"""Writes the part of a Meson compile_commands.json that static analysis covers.

Usage: compile_db.py BUILD_DIR OUT_DIR

Keeps one entry per source file under lib/ and tools/ftpc/ (Meson lists the
API sources once per library flavour; analysing them twice only doubles the
time), writes OUT_DIR/compile_commands.json for cppcheck --project and
clang-tidy -p, and prints the kept files' absolute paths, one a line.
"""
import json
import os
import sys

ANALYSED = ("lib/", "tools/ftpc/")


def main():
    build_dir, out_dir = sys.argv[1], sys.argv[2]
    source_root = os.path.dirname(os.path.abspath(__file__ + "/../.."))
    with open(os.path.join(build_dir, "compile_commands.json")) as f:
        entries = json.load(f)

    kept, seen = [], set()
    for entry in entries:
        path = os.path.normpath(os.path.join(entry["directory"], entry["file"]))
        relative = os.path.relpath(path, source_root)
        if relative.startswith(ANALYSED) and path not in seen:
            seen.add(path)
            kept.append(dict(entry, file=path))
    if not kept:
        sys.exit("compile_db.py: no lib/ or tools/ftpc/ sources in %s" % build_dir)

    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "compile_commands.json"), "w") as f:
        json.dump(kept, f, indent=1)
    for entry in kept:
        print(entry["file"])


if __name__ == "__main__":
    main()
