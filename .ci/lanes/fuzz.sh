#!/usr/bin/env bash
# Lane "fuzz": the libFuzzer targets of tests/fuzz (clang-14, ASan+UBSan,
# library instrumented with -fsanitize=fuzzer-no-link).  Replays every
# committed corpus (meson test --suite fuzz, which leaves testlog.json), then
# fuzzes each target afresh for FUZZ_SECONDS (60) from a scratch copy of its
# corpus.  Any crash, leak, UBSan report, timeout (-timeout=5) or OOM fails
# the lane; the input that did it is printed in hex.  Budget: under 10 min
# on 2 cores (about 2 min build, seconds of replay, 4 x 60 s of fuzzing).
set -euo pipefail
cd "$(dirname "$0")/../.."

build="build-ci-fuzz"
seconds=${FUZZ_SECONDS:-60}
targets=(fuzz_reply fuzz_parsers fuzz_command fuzz_session)

export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1
export UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1

rm -rf "$build"
CC=clang-14 CXX=clang++-14 timeout 300 meson setup "$build" -Dfuzzing=true -Dtests=disabled -Dpython=disabled \
    -Ddefault_library=static -Db_sanitize=address,undefined -Db_lundef=false \
    -Dcpp_args=-fsanitize=fuzzer-no-link -Dc_args=-fsanitize=fuzzer-no-link
timeout 900 ninja -C "$build" "${targets[@]/#/tests/fuzz/}"

status=0
echo "== fuzz: replaying the committed corpora"
timeout 600 meson test -C "$build" --suite fuzz --print-errorlogs || status=1

artifacts=$build/fuzz-artifacts
mkdir -p "$artifacts"
for t in "${targets[@]}"; do
    echo "== fuzz: $t, ${seconds}s of fresh fuzzing"
    scratch=$(mktemp -d)
    cp tests/fuzz/corpus/"$t"/* "$scratch"/
    rc=0
    timeout $((seconds + 120)) "$build/tests/fuzz/$t" -max_total_time="$seconds" -timeout=5 \
        -rss_limit_mb=2048 -dict=tests/fuzz/ftp.dict -print_final_stats=1 \
        -artifact_prefix="$artifacts/$t-" "$scratch" > "$build/$t.log" 2>&1 || rc=$?
    rm -rf "$scratch"
    grep -E '^#[0-9]+[[:space:]]+DONE|^stat::(number_of_executed_units|average_exec_per_sec)' "$build/$t.log" || true
    if [ "$rc" -ne 0 ]; then
        status=1
        echo "!! $t failed (exit $rc); the end of its log ($build/$t.log):"
        tail -n 60 "$build/$t.log"
        for f in "$artifacts/$t-"*; do
            [ -f "$f" ] || continue
            echo "!! reproducer $f (replay: $build/tests/fuzz/$t $f):"
            od -An -tx1 -v "$f" | head -n 64
        done
    fi
done

if [ "$status" -ne 0 ]; then
    echo "fuzz lane: FAILED"
else
    echo "fuzz lane: OK"
fi
exit "$status"
