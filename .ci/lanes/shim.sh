#!/usr/bin/env bash
# Lane "shim" (issue 5, item 4): the api, hostile, integration and tls suites
# (and threads, the shim under concurrency) with every stream socket of the
# test process made flaky by the LD_PRELOAD shim tests/shim/flaky_io.c —
# 1-byte reads, short reads, partial writes, EINTR, EAGAIN — through the
# Meson test setup "flakyio".  Results must be the same as without it:
# every test passes.  The servers the tests start are left alone (the shim
# leaves LD_PRELOAD and ignores forked children).
#
# Three fault sequences (FLAKY_IO_SEED 1, 2, 3), each run logged under its
# own name so that .ci/run counts all of them.  The shim's own test (suite
# "shim") runs first; afterwards the counts every shimmed process left in
# FLAKY_IO_STATS are added up, and the lane fails unless every kind of fault
# was actually injected, reads and writes alike.
# Budget: under 6 minutes on 2 cores (about 1.5 min build, 45 s per seed).
set -euo pipefail
cd "$(dirname "$0")/../.."

build=build-ci-shim
seeds=(1 2 3)
suites=(--suite api --suite hostile --suite integration --suite tls --suite threads)

rm -rf "$build"
timeout 300 meson setup "$build" -Dtests=enabled -Dpython=disabled
timeout 900 ninja -C "$build"

status=0
echo "== shim: the shim's self-test"
timeout 120 meson test -C "$build" --no-rebuild --suite shim --print-errorlogs \
  --logbase testlog-shim-selftest || status=1

stats=$(mktemp -d)
trap 'rm -rf "$stats"' EXIT
for seed in "${seeds[@]}"; do
  echo "== shim: ${suites[*]} with FLAKY_IO_SEED=$seed"
  FLAKY_IO_SEED=$seed FLAKY_IO_STATS=$stats timeout 900 meson test -C "$build" --no-rebuild \
    --setup=flakyio "${suites[@]}" --print-errorlogs --logbase "testlog-flakyio-seed$seed" \
    || status=1
done

# Did it fire?  Every shimmed test process wrote flaky_io.PID.
/usr/bin/python3 - "$stats" <<'PY' || status=1
import collections, glob, sys
totals = collections.Counter()
files = glob.glob(sys.argv[1] + "/flaky_io.*")
for path in files:
    for line in open(path):
        key, value = line.split()
        totals[key] += int(value)
print("flaky_io: %d processes; " % len(files) + ", ".join(
    "%s %d" % (k, totals[k]) for k in sorted(totals)))
missing = [f"{d}_{k}" for d in ("read", "write")
           for k in ("one_byte", "short", "eintr", "eagain") if totals[f"{d}_{k}"] == 0]
if not files or missing:
    print("flaky_io: the shim did not fire: no %s" % (", ".join(missing) or "process"))
    sys.exit(1)
PY

if [ "$status" -ne 0 ]; then
  echo "shim lane: FAILED"
else
  echo "shim lane: OK"
fi
exit "$status"
