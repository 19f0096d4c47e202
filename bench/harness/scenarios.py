"""What is measured: the issue's scenarios, the work one run of a scenario
does (a Job, the same for every client), and the check that a client did
that work right (a client that transferred the wrong bytes is failed, not
fast)."""

import os
from dataclasses import dataclass

from data import file_sha256, pattern_sha256
from profiles import human_bytes


@dataclass(frozen=True)
class Scenario:
    key: str
    op: str          # the clients' SCENARIO word: get-discard, get-file, ...
    server: str      # "vsftpd", "vsftpd-tls" or "pyftpdlib"
    unit: str        # what throughput counts: "bytes", "files" or "entries"
    amount: int      # bytes, files or entries of one run
    title: str

    @property
    def tls(self):
        return self.server == "vsftpd-tls"

    @property
    def many(self):
        return self.op in ("get-many", "put-many")


# The peak-RSS references: the large downloads again on the smaller file
# that exists for cachegrind (64 MiB; 4 MiB in --quick), so that each
# client's peak RSS can be compared as the file grows (targets.py).
RSS_REFERENCES = {"get-discard-ref": "get-discard", "get-file-ref": "get-file"}


def build(profile):
    big, up = human_bytes(profile.big_bytes), human_bytes(profile.upload_bytes)
    n, small = profile.small_count, human_bytes(profile.small_bytes)
    entries = profile.listing_entries
    ref = human_bytes(profile.cachegrind_bytes)
    return [
        Scenario("get-discard", "get-discard", "vsftpd", "bytes", profile.big_bytes,
                 "Download %s into a discarding sink" % big),
        Scenario("get-file", "get-file", "vsftpd", "bytes", profile.big_bytes,
                 "Download %s into a file on disk" % big),
        Scenario("put-mem", "put-mem", "vsftpd", "bytes", profile.upload_bytes,
                 "Upload %s from memory" % up),
        Scenario("put-file", "put-file", "vsftpd", "bytes", profile.upload_bytes,
                 "Upload %s from a file on disk" % up),
        Scenario("get-many", "get-many", "vsftpd", "files", n,
                 "%d files of %s downloaded in one session" % (n, small)),
        Scenario("put-many", "put-many", "vsftpd", "files", n,
                 "%d files of %s uploaded in one session" % (n, small)),
        Scenario("mlsd", "mlsd", "pyftpdlib", "entries", entries,
                 "MLSD of %d entries (pyftpdlib: vsftpd has no MLSD)" % entries),
        Scenario("list", "list", "vsftpd", "entries", entries,
                 "LIST of %d entries" % entries),
        Scenario("ftps-get-discard", "get-discard", "vsftpd-tls", "bytes", profile.big_bytes,
                 "FTPS: download %s into a discarding sink" % big),
        Scenario("ftps-get-file", "get-file", "vsftpd-tls", "bytes", profile.big_bytes,
                 "FTPS: download %s into a file on disk" % big),
        Scenario("ftps-get-many", "get-many", "vsftpd-tls", "files", n,
                 "FTPS: %d files of %s downloaded in one session" % (n, small)),
        Scenario("ftps-put-many", "put-many", "vsftpd-tls", "files", n,
                 "FTPS: %d files of %s uploaded in one session" % (n, small)),
        Scenario("get-discard-ref", "get-discard", "vsftpd", "bytes", profile.cachegrind_bytes,
                 "Download %s into a discarding sink (peak RSS reference)" % ref),
        Scenario("get-file-ref", "get-file", "vsftpd", "bytes", profile.cachegrind_bytes,
                 "Download %s into a file on disk (peak RSS reference)" % ref),
    ]


@dataclass(frozen=True)
class Job:
    """The work of one run.  Remote names are relative to the login
    directory (the served root); local names are absolute."""
    op: str
    remote: str = None
    local: str = None
    remote_dir: str = None
    local_dir: str = None
    count: int = None
    size: int = None

    def bench_args(self):
        """ARGS of the benchmark programs' command line."""
        return {
            "get-discard": lambda: [self.remote],
            "get-file": lambda: [self.remote, self.local],
            "put-mem": lambda: [self.remote, str(self.size)],
            "put-file": lambda: [self.local, self.remote],
            "get-many": lambda: [self.remote_dir, str(self.count), self.local_dir],
            "put-many": lambda: [self.local_dir, str(self.count), self.remote_dir],
            "mlsd": lambda: [self.remote_dir],
            "list": lambda: [self.remote_dir],
        }[self.op]()

    def names(self):
        return ["f%04d.bin" % i for i in range(self.count)]


def job_for(op, data, size=None, count=None, entries=None):
    if op == "get-discard":
        return Job(op, remote=data.big_name(size))
    if op == "get-file":
        return Job(op, remote=data.big_name(size), local=os.path.join(data.get_dir, "big.bin"))
    if op == "put-mem":
        return Job(op, remote="up/put-mem.bin", size=size)
    if op == "put-file":
        return Job(op, local=data.upload_source(), remote="up/put-file.bin")
    if op == "get-many":
        return Job(op, remote_dir="small", count=count, local_dir=data.get_dir)
    if op == "put-many":
        return Job(op, local_dir=data.local_small_dir(), count=count, remote_dir="up")
    if op in ("mlsd", "list"):
        return Job(op, remote_dir=data.list_name(entries))
    raise ValueError(op)


def scenario_job(scenario, data, count=None):
    """The job of @scenario; @count overrides the number of files (the slow
    FTPS clients)."""
    p = data.profile
    if scenario.op in ("put-mem", "put-file"):
        return job_for(scenario.op, data, size=p.upload_bytes)
    size = scenario.amount if scenario.op in ("get-discard", "get-file") else p.big_bytes
    return job_for(scenario.op, data, size=size, count=count or p.small_count,
                   entries=p.listing_entries)


def expected_bytes(job, data):
    if job.op in ("get-discard", "get-file"):
        return data.manifest[rel(data, data.root, job.remote)]["size"]
    if job.op == "put-mem":
        return job.size
    if job.op == "put-file":
        return os.path.getsize(job.local)
    if job.op in ("get-many", "put-many"):
        return job.count * data.profile.small_bytes
    return None


def verify(job, data, reported, full):
    """None if the run did the job right, else what is wrong.  @reported is
    what the client said ({"bytes": ..} etc., or None for a client that
    reports nothing); @full also compares SHA-256 (once per client and
    scenario), otherwise only sizes and counts."""
    want = expected_bytes(job, data)
    reported = reported or {}
    if job.op in ("get-discard", "get-file") and "bytes" in reported and reported["bytes"] != want:
        return "reported %s bytes, expected %d" % (reported["bytes"], want)
    if job.op in ("get-many", "put-many") and "files" in reported and reported["files"] != job.count:
        return "reported %s files, expected %d" % (reported["files"], job.count)
    if job.op == "get-file":
        return check_file(job.local, want, data.manifest[rel(data, data.root, job.remote)]["sha256"],
                          full)
    if job.op == "put-mem":
        return check_file(os.path.join(data.root, job.remote), want,
                          pattern_sha256(want) if full else None, full)
    if job.op == "put-file":
        return check_file(os.path.join(data.root, job.remote), want,
                          data.manifest[os.path.relpath(job.local, data.dir)]["sha256"], full)
    if job.op == "get-many":
        return check_many(data, job, job.local_dir, full)
    if job.op == "put-many":
        return check_many(data, job, os.path.join(data.root, job.remote_dir), full)
    if job.op in ("mlsd", "list"):
        entries = data.profile.listing_entries
        got = reported.get("entries")
        if got is None:
            return "no entry count"
        # Some servers add "." / ".." (MLSD cdir/pdir) or a "total" line.
        if not entries <= got <= entries + 3:
            return "%d entries, expected %d" % (got, entries)
    return None


def rel(data, base, name):
    return os.path.relpath(os.path.join(base, name), data.dir)


def check_file(path, size, sha256, full):
    try:
        got = os.path.getsize(path)
    except OSError:
        return "%s is missing" % os.path.basename(path)
    if got != size:
        return "%s has %d bytes, expected %d" % (os.path.basename(path), got, size)
    if full and sha256 is not None and file_sha256(path) != sha256:
        return "%s has the right size but the wrong contents (SHA-256)" % os.path.basename(path)
    return None


def check_many(data, job, directory, full):
    size = data.profile.small_bytes
    for name in job.names():
        sha = data.manifest[rel(data, os.path.join(data.root, "small"), name)]["sha256"]
        problem = check_file(os.path.join(directory, name), size, sha, full)
        if problem:
            return problem
    return None
