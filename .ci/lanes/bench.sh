#!/usr/bin/env bash
# Benchmark smoke test: bench/run --quick (tiny sizes) into a temporary
# directory, then check that every scenario, client row, ceiling and
# cachegrind row is there and that ftpc never failed.  No timing is checked.
set -euo pipefail
cd "$(dirname "$0")/../.."

out=$(mktemp -d /tmp/ftpc-bench-ci-XXXXXX)
trap 'rm -rf "$out"' EXIT
timeout 1800 bench/run --quick --out "$out"
results=("$out"/results/*.json)
/usr/bin/python3 bench/harness/check_results.py "${results[0]}"
