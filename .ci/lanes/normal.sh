#!/usr/bin/env bash
# The README's test command: the whole suite on the default (gcc) build.
set -euo pipefail
cd "$(dirname "$0")/../.."

build=build-ci-normal
rm -rf "$build"
meson setup "$build" -Dtests=enabled -Dpython=enabled
timeout 1200 meson test -C "$build" --print-errorlogs
