#!/usr/bin/env bash
# The whole suite under memcheck (meson test --setup=valgrind): memory
# errors, definite/indirect leaks and leaked file descriptors all fail.
set -euo pipefail
cd "$(dirname "$0")/../.."

build=build-ci-normal
[ -d "$build" ] || meson setup "$build" -Dtests=enabled -Dpython=enabled
ninja -C "$build"
# threads (100 threads) runs under TSan in its own lane; shim is LD_PRELOAD.
timeout 3000 meson test -C "$build" --setup=valgrind --print-errorlogs --num-processes 2 \
  --no-suite threads --no-suite shim
