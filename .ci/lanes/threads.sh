#!/usr/bin/env bash
# Lane "threads" (issue 5, item 5): the `threads` suite under
# ThreadSanitizer — 100 sessions on 100 threads against one pyftpdlib, with
# ftp_cancel() from another thread in the middle of transfers, and the
# cancel-versus-reset race test.  Any TSan report fails the lane:
# halt_on_error stops the test at the first one (exit 66) and the log is
# also searched for reports, in case one ever slips past the exit code.
#
# clang-14 with -Db_sanitize=thread; -Db_lundef=false because a sanitized
# shared library leaves the runtime's symbols to the executable
# (reliability.md 5).  Debian's OpenSSL is not TSan-instrumented: that is
# fine here, the threads tests are plain FTP and never enter OpenSSL (the
# library still links it).  Only the threads test programs are built, so a
# test elsewhere that cannot build under TSan (e.g. one replacing operator
# new, which TSan's runtime also defines) does not block this lane.
# Budget: under 8 minutes on 2 cores (about 1 min build, 1-2 min of tests).
set -euo pipefail
cd "$(dirname "$0")/../.."

build=build-ci-threads
rm -rf "$build"
CC=clang-14 CXX=clang++-14 timeout 300 meson setup "$build" -Dtests=enabled -Dpython=disabled \
  -Dbuildtype=debugoptimized -Db_sanitize=thread -Db_lundef=false \
  -Dc_args=-fno-omit-frame-pointer -Dcpp_args=-fno-omit-frame-pointer
timeout 600 ninja -C "$build" tests/threads/test_many_sessions tests/threads/test_cancel_race

export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:history_size=4
export TSAN_SYMBOLIZER_PATH=/usr/bin/llvm-symbolizer-14
status=0
# Three times over: each run interleaves the threads differently.
timeout 900 meson test -C "$build" --no-rebuild --suite threads --print-errorlogs \
  --timeout-multiplier 2 --repeat 3 || status=$?

if grep -q "WARNING: ThreadSanitizer" "$build/meson-logs/testlog.txt"; then
  echo "threads lane: ThreadSanitizer reported (see above / $build/meson-logs/testlog.txt)"
  status=1
fi
if [ "$status" -ne 0 ]; then
  echo "threads lane: FAILED"
else
  echo "threads lane: OK"
fi
exit "$status"
