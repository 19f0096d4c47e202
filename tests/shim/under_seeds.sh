#!/bin/sh
# under_seeds.sh SHIM WRITE_DELAY_US "SEED..." PROGRAM [ARG...]
#
# Runs PROGRAM once per seed with the flaky_io shim SHIM preloaded,
# FLAKY_IO_SEED set and FLAKY_IO_WRITE_DELAY_US as given (0: none), so that
# a regression test replays the fault sequences that exposed its bug.
# Stops at the first run that does not pass and exits with its status (77,
# meson's "skipped", included).
set -u
shim=$1
delay=$2
seeds=$3
shift 3
for seed in $seeds; do
    echo "# FLAKY_IO_SEED=$seed FLAKY_IO_WRITE_DELAY_US=$delay: $*"
    LD_PRELOAD=$shim FLAKY_IO_SEED=$seed FLAKY_IO_WRITE_DELAY_US=$delay "$@"
    rc=$?
    if [ "$rc" -ne 0 ]; then
        exit "$rc"
    fi
done
exit 0
