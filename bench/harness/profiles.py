"""How big and how often: the full benchmark (the issue's sizes) and the
--quick smoke test that CI runs to prove the harness still works."""

from dataclasses import dataclass, replace

MiB = 1 << 20
GiB = 1 << 30


@dataclass(frozen=True)
class Profile:
    name: str
    big_bytes: int            # large download
    upload_bytes: int         # large upload
    small_count: int          # many small files, one session
    small_bytes: int          # size of each small file
    listing_entries: int      # directory listed by LIST and MLSD
    warmups: int
    runs: int
    run_timeout_s: int        # a client run taking longer is killed and marked failed
    # FTPS many-small-files: a client whose warm-up (over tls_probe_count
    # files) manages fewer than slow_files_per_s files/s runs slow_count
    # files per measured run instead of small_count.
    tls_probe_count: int
    slow_files_per_s: float
    slow_count: int
    cachegrind_bytes: int     # download measured under cachegrind
    cachegrind_files: int     # small files downloaded under cachegrind
    iperf_seconds: int
    sendfile_repeat: int
    memcpy_mib: int
    memcpy_repeat: int
    tls_pipe_bytes: int
    tls_pipe_repeat: int
    openssl_speed_seconds: int
    small_exchanges: int


FULL = Profile(
    name="full",
    big_bytes=1 * GiB,
    upload_bytes=256 * MiB,
    small_count=1000,
    small_bytes=4096,
    listing_entries=10000,
    warmups=1,
    runs=5,
    run_timeout_s=900,
    tls_probe_count=100,
    slow_files_per_s=20.0,
    slow_count=100,
    cachegrind_bytes=64 * MiB,
    cachegrind_files=100,
    iperf_seconds=5,
    sendfile_repeat=5,
    memcpy_mib=256,
    memcpy_repeat=10,
    tls_pipe_bytes=1 * GiB,
    tls_pipe_repeat=3,
    openssl_speed_seconds=3,
    small_exchanges=1000,
)

QUICK = Profile(
    name="quick",
    big_bytes=16 * MiB,
    upload_bytes=8 * MiB,
    small_count=50,
    small_bytes=4096,
    listing_entries=500,
    warmups=1,
    runs=2,
    run_timeout_s=180,
    tls_probe_count=20,
    slow_files_per_s=20.0,
    slow_count=10,
    cachegrind_bytes=4 * MiB,
    cachegrind_files=20,
    iperf_seconds=1,
    sendfile_repeat=2,
    memcpy_mib=64,
    memcpy_repeat=3,
    tls_pipe_bytes=16 * MiB,
    tls_pipe_repeat=1,
    openssl_speed_seconds=1,
    small_exchanges=200,
)


def select(quick, runs=None):
    profile = QUICK if quick else FULL
    if runs is not None:
        profile = replace(profile, runs=runs)
    return profile


def human_bytes(n):
    """1073741824 -> '1 GiB', 4096 -> '4 KiB' (exact binary multiples only)."""
    for unit, size in (("GiB", GiB), ("MiB", MiB), ("KiB", 1024)):
        if n >= size and n % size == 0:
            return "%d %s" % (n // size, unit)
    return "%d bytes" % n
