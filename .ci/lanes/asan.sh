#!/usr/bin/env bash
# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer (clang),
# leak detection on, stopping at the first finding.
set -euo pipefail
cd "$(dirname "$0")/../.."

build=build-ci-asan
rm -rf "$build"
# -Db_lundef=false: a sanitized shared library leaves the runtime's symbols
# to the executable (reliability.md 5).
CC=clang-14 CXX=clang++-14 meson setup "$build" -Dtests=enabled -Dpython=disabled -Dbuildtype=debug \
  -Db_sanitize=address,undefined -Db_lundef=false \
  -Dc_args='-fno-omit-frame-pointer -fno-sanitize-recover=all' \
  -Dcpp_args='-fno-omit-frame-pointer -fno-sanitize-recover=all'
ninja -C "$build"

export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=0:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_SYMBOLIZER_PATH=/usr/bin/llvm-symbolizer-14
# The threads and shim suites have lanes of their own (TSan, LD_PRELOAD).
timeout 1800 meson test -C "$build" --print-errorlogs --timeout-multiplier 3 \
  --no-suite threads --no-suite shim
