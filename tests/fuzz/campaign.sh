#!/usr/bin/env bash
# The long fuzz campaign, run by hand (not in CI): at least RUNS executions
# per target, JOBS libFuzzer processes at a time sharing one working corpus,
# then a table of executions, speed, coverage, corpus size and findings.
#
#   tests/fuzz/campaign.sh                      # all four targets, 10M runs each
#   tests/fuzz/campaign.sh fuzz_session         # some targets only
#   RUNS=2000000 JOBS=2 tests/fuzz/campaign.sh
#   TIME=1800 tests/fuzz/campaign.sh fuzz_session   # stop after 30 min even short of RUNS
#
# Environment:
#   BUILD  build directory (default build-fuzz; configured and built here if
#          missing, with the options of tests/fuzz/README.md)
#   RUNS   executions per target, split over the jobs (default 10000000)
#   JOBS   parallel libFuzzer processes per target (default: number of cores)
#   TIME   optional wall-clock limit per target, seconds
#   WORK   where corpora, logs and findings go (default BUILD/campaign); the
#          working corpus starts from tests/fuzz/corpus and grows across
#          campaigns; the committed corpus is never written
#
# Findings land in WORK/artifacts/TARGET/ (crash-*, leak-*, timeout-*, oom-*):
# minimize with `BUILD/tests/fuzz/TARGET -minimize_crash=1 -runs=100000 FILE`,
# fix, and commit the reproducer as tests/fuzz/corpus/TARGET/crash-NAME.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"

BUILD=${BUILD:-build-fuzz}
RUNS=${RUNS:-10000000}
JOBS=${JOBS:-$(nproc)}
TIME=${TIME:-}
WORK=${WORK:-$BUILD/campaign}
all_targets=(fuzz_reply fuzz_parsers fuzz_command fuzz_session)
targets=("${@:-${all_targets[@]}}")

if [ ! -f "$BUILD/build.ninja" ]; then
    CC=clang-14 CXX=clang++-14 meson setup "$BUILD" -Dfuzzing=true -Dtests=disabled \
        -Ddefault_library=static -Db_sanitize=address,undefined -Db_lundef=false \
        -Dcpp_args=-fsanitize=fuzzer-no-link -Dc_args=-fsanitize=fuzzer-no-link
fi
ninja -C "$BUILD" "${targets[@]/#/tests/fuzz/}"

# Findings must stop a job, and UBSan findings count as findings.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:abort_on_error=1:print_stacktrace=1}

# Per-target flags: fuzz_command touches ~10k features per execution, and
# libFuzzer's entropic bookkeeping then costs more than the target itself.
extra_flags() {
    case "$1" in
    fuzz_command) echo "-entropic=0" ;;
    *) echo "" ;;
    esac
}

summary=()
for t in "${targets[@]}"; do
    exe=$(cd "$BUILD" && pwd)/tests/fuzz/$t
    corpus=$(mkdir -p "$WORK/corpus/$t" && cd "$WORK/corpus/$t" && pwd)
    artifacts=$(mkdir -p "$WORK/artifacts/$t" && cd "$WORK/artifacts/$t" && pwd)
    logs=$WORK/logs/$t
    rm -rf "$logs" && mkdir -p "$logs"
    cp -n "$here/corpus/$t/"* "$corpus/" 2>/dev/null || true
    findings_before=$(find "$artifacts" -type f | wc -l)

    limit=()
    [ -n "$TIME" ] && limit=(-max_total_time="$TIME")
    echo "== $t: $RUNS runs over $JOBS jobs${TIME:+, at most ${TIME}s}; logs in $logs"
    start=$(date +%s)
    # shellcheck disable=SC2046
    (cd "$logs" && "$exe" -jobs="$JOBS" -workers="$JOBS" -runs=$(((RUNS + JOBS - 1) / JOBS)) "${limit[@]}" \
        -timeout=5 -rss_limit_mb=2048 -dict="$here/ftp.dict" -reload=30 -print_final_stats=1 \
        -artifact_prefix="$artifacts/" $(extra_flags "$t") "$corpus" > driver.log 2>&1) || true
    elapsed=$(( $(date +%s) - start ))

    execs=$(cat "$logs"/fuzz-*.log 2>/dev/null | awk '/^stat::number_of_executed_units:/ { n += $2 } END { print n + 0 }')
    # Coverage of the whole working corpus, as one process sees it.
    final=$("$exe" -runs=0 -rss_limit_mb=2048 "$corpus" 2>&1 | grep -E '^#[0-9]+[[:space:]]+INITED' | tail -1 || true)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$final")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$final")
    corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9a-zA-Z]*\).*/\1/p' <<<"$final")
    findings=$(( $(find "$artifacts" -type f | wc -l) - findings_before ))
    rate=$(( execs / (elapsed > 0 ? elapsed : 1) ))
    line=$(printf '%-13s execs %11d  time %6ds  exec/s %7d  cov %5s  ft %6s  corpus %-12s new findings %d' \
        "$t" "$execs" "$elapsed" "$rate" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$findings")
    echo "$line"
    summary+=("$line")
    if [ "$findings" -gt 0 ]; then
        echo "   new findings:"
        # shellcheck disable=SC2012  # libFuzzer names them crash-<sha1> and the like
        ls -t "$artifacts" | head -n "$findings" | sed "s|^|     $artifacts/|"
    fi
done

echo
echo "== campaign summary ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, jobs $JOBS)"
printf '%s\n' "${summary[@]}"
