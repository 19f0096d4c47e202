#!/usr/bin/env bash
# Static analysis lane (issue 5, item 6): clang-tidy 14 and cppcheck 2.10 over
# lib/ and the ftpc CLI (tools/ftpc/).  Fails on any finding.
#
#   clang-tidy: checks bugprone-*, cert-*, clang-analyzer-* (.clang-tidy at
#               the root says which are off and why), every warning an error.
#   cppcheck:   --enable=warning,style,performance,portability, with the
#               suppressions in tests/static/cppcheck-suppressions.txt.
#
# A finding is fixed, or justified where it occurs: "// NOLINT(check): why"
# or "// cppcheck-suppress id" with the reason beside it.
#
# Both tools read the compile commands of a clang-14 Meson build directory
# (build-ci-static; configured, not built: the only generated header,
# ftpc_version.h, is written at setup).  clang-tidy 14 understands clang's
# flags, not necessarily GCC's, hence clang for this directory.
# Budget: about 2 minutes on 2 cores; hard limits below.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

build="build-ci-static"
db="$build/static-db"
logs="$build/static-logs"
jobs=2

for tool in clang-14 clang++-14 clang-tidy-14 cppcheck meson python3; do
    if ! command -v "$tool" >/dev/null; then
        echo "static: $tool is missing (.ci/packages: clang-14, clang-tidy-14, cppcheck)" >&2
        exit 1
    fi
done

rm -rf "$build"
CC=clang-14 CXX=clang++-14 timeout 300 meson setup "$build" -Dtests=disabled -Dpython=disabled >/dev/null
mkdir -p "$logs"
python3 tests/static/compile_db.py "$build" "$db" >"$logs/files.txt"
echo "static: $(wc -l <"$logs/files.txt") source files under lib/ and tools/ftpc/"

# ---- clang-tidy: one process per file, $jobs at a time; one log per file ----
status=0
tidy_start=$SECONDS
# shellcheck disable=SC2016 # $0/$1 belong to the inner shell
timeout 600 xargs -P "$jobs" -I{} sh -c '
    log="$0/$(echo "$1" | sed "s|^$2/||; s|/|_|g").tidy.log"
    clang-tidy-14 -p "$3" --quiet --warnings-as-errors="*" "$1" >"$log" 2>&1 || echo "$1" >"$log.failed"
' "$logs" {} "$root" "$db" <"$logs/files.txt" || status=$?
tidy_findings=$(cat "$logs"/*.tidy.log | grep -E ': (warning|error): ' | sort -u || true)
tidy_failed=$(cat "$logs"/*.failed 2>/dev/null || true)
if [ -n "$tidy_findings" ] || [ -n "$tidy_failed" ] || [ "$status" -ne 0 ]; then
    echo "static: clang-tidy findings:" >&2
    for f in "$logs"/*.tidy.log; do
        if [ -e "$f.failed" ]; then cat "$f" >&2; fi
    done
    [ "$status" -eq 0 ] || echo "static: clang-tidy run failed or timed out (status $status)" >&2
    status=1
fi
echo "static: clang-tidy: $(printf '%s' "$tidy_findings" | grep -c . || true) finding(s)" \
     "in $((SECONDS - tidy_start)) s"

# ---- cppcheck ----
cppcheck_start=$SECONDS
cppcheck_status=0
timeout 600 cppcheck --project="$db/compile_commands.json" \
    --enable=warning,style,performance,portability --std=c++20 --library=posix \
    --inline-suppr --suppressions-list=tests/static/cppcheck-suppressions.txt \
    --error-exitcode=1 -j "$jobs" --quiet \
    --template='{file}:{line}:{column}: {severity}: {message} [{id}]' \
    >"$logs/cppcheck.log" 2>&1 || cppcheck_status=$?
cppcheck_findings=$(grep -cE ':[0-9]+:[0-9]+: ' "$logs/cppcheck.log" || true)
if [ "$cppcheck_status" -ne 0 ] || [ -s "$logs/cppcheck.log" ]; then
    echo "static: cppcheck findings (status $cppcheck_status):" >&2
    cat "$logs/cppcheck.log" >&2
    status=1
fi
echo "static: cppcheck: $cppcheck_findings finding(s) in $((SECONDS - cppcheck_start)) s"

if [ "$status" -ne 0 ]; then
    echo "static: FAILED (logs in $logs)" >&2
else
    echo "static: OK"
fi
exit "$status"
