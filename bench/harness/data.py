"""The benchmark's files: deterministic, generated once, reused while their
sizes are right.

Layout under the data directory:

  root/                     what the servers serve (the login directory "/")
    big-<bytes>.bin         large downloads (and the cachegrind download)
    small/fNNNN.bin         the many small files
    list<entries>/eNNNNN    directories of empty files for LIST and MLSD
    up/                     upload target, emptied before every run
  local/
    upload-<bytes>.bin      source of the put-file scenarios
    small/fNNNN.bin         copies of root/small, source of put-many
  work/
    get/                    download targets, emptied before every run
    home/                   HOME of every client (no ~/.curlrc, ~/.lftprc)
    null                    a private copy of the /dev/null device (below)
  manifest.json             size and SHA-256 of every generated file

Contents come from AES-128-CTR over zeros with a fixed key (`openssl enc`,
fast and incompressible): the same bytes on every machine.  Each file kind
has its own IV, so no two kinds share contents.
"""

import hashlib
import json
import os
import shutil
import stat
import subprocess

from profiles import human_bytes

KEY = "000102030405060708090a0b0c0d0e0f"
IV_BIG = "00000000000000000000000000000000"
IV_UPLOAD = "01000000000000000000000000000000"
IV_SMALL = "02000000000000000000000000000000"
CHUNK = 1 << 20


def pattern_sha256(size):
    """SHA-256 of the put-mem upload: byte i = (i * 7 + 3) & 0xff."""
    period = bytes((i * 7 + 3) & 0xFF for i in range(256))
    block = period * (CHUNK // 256)
    digest = hashlib.sha256()
    left = size
    while left >= CHUNK:
        digest.update(block)
        left -= CHUNK
    digest.update((period * (left // 256 + 1))[:left])
    return digest.hexdigest()


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            block = f.read(CHUNK)
            if not block:
                return digest.hexdigest()
            digest.update(block)


class Dataset:
    def __init__(self, data_dir, profile):
        self.dir = os.path.abspath(data_dir)
        self.profile = profile
        self.root = os.path.join(self.dir, "root")
        self.local = os.path.join(self.dir, "local")
        self.work = os.path.join(self.dir, "work")
        self.get_dir = os.path.join(self.work, "get")
        self.home = os.path.join(self.work, "home")
        self.up_dir = os.path.join(self.root, "up")
        self.manifest_path = os.path.join(self.dir, "manifest.json")
        self.manifest = {}
        self.null_device = "/dev/null"

    # -- names the scenarios use (remote names are relative to the root) --

    def big_name(self, size):
        return "big-%d.bin" % size

    def small_name(self, i):
        return "f%04d.bin" % i

    def list_name(self, entries):
        return "list%d" % entries

    def upload_source(self):
        return os.path.join(self.local, "upload-%d.bin" % self.profile.upload_bytes)

    def local_small_dir(self):
        return os.path.join(self.local, "small")

    # -- generation --

    def prepare(self, log):
        """Creates whatever is missing or of the wrong size."""
        old_umask = os.umask(0o022)  # vsftpd's user must read everything
        try:
            for d in (self.root, self.local, self.work, self.get_dir, self.home, self.up_dir,
                      os.path.join(self.root, "small"), self.local_small_dir()):
                os.makedirs(d, exist_ok=True)
            for d in (self.dir, self.root):
                os.chmod(d, 0o755)
            if os.path.exists(self.manifest_path):
                with open(self.manifest_path) as f:
                    self.manifest = json.load(f)
            p = self.profile
            for size in sorted({p.big_bytes, p.cachegrind_bytes}):
                self._stream_file(os.path.join(self.root, self.big_name(size)), size, IV_BIG, log)
            self._stream_file(self.upload_source(), p.upload_bytes, IV_UPLOAD, log)
            self._small_files(max(p.small_count, p.cachegrind_files), log)
            self._listing(p.listing_entries, log)
            self._null_device(log)
            self._save_manifest()
        finally:
            os.umask(old_umask)

    def _relative(self, path):
        return os.path.relpath(path, self.dir)

    def _known(self, path, size):
        entry = self.manifest.get(self._relative(path))
        return (entry is not None and entry["size"] == size and os.path.isfile(path)
                and os.path.getsize(path) == size)

    def _stream_file(self, path, size, iv, log):
        if self._known(path, size):
            return
        log("generating %s (%s)" % (self._relative(path), human_bytes(size)))
        digest = hashlib.sha256()
        temporary = path + ".part"
        proc = subprocess.Popen(["openssl", "enc", "-aes-128-ctr", "-K", KEY, "-iv", iv,
                                 "-nosalt", "-in", "/dev/zero"],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        try:
            with open(temporary, "wb") as f:
                left = size
                while left > 0:
                    block = proc.stdout.read(min(CHUNK, left))
                    if not block:
                        raise RuntimeError("openssl enc stopped early")
                    f.write(block)
                    digest.update(block)
                    left -= len(block)
        finally:
            proc.kill()
            proc.wait()
            proc.stdout.close()
        os.rename(temporary, path)
        self.manifest[self._relative(path)] = {"size": size, "sha256": digest.hexdigest()}

    def _small_files(self, count, log):
        size = self.profile.small_bytes
        served = os.path.join(self.root, "small")
        names = [self.small_name(i) for i in range(count)]
        if all(self._known(os.path.join(served, n), size) and
               self._known(os.path.join(self.local_small_dir(), n), size) for n in names):
            return
        log("generating %d small files of %s" % (count, human_bytes(size)))
        stream = os.path.join(self.work, "small-stream.bin")
        self._stream_file(stream, count * size, IV_SMALL, log)
        with open(stream, "rb") as f:
            for name in names:
                block = f.read(size)
                entry = {"size": size, "sha256": hashlib.sha256(block).hexdigest()}
                for d in (served, self.local_small_dir()):
                    with open(os.path.join(d, name), "wb") as out:
                        out.write(block)
                    self.manifest[self._relative(os.path.join(d, name))] = entry
        os.unlink(stream)
        del self.manifest[self._relative(stream)]

    def _listing(self, entries, log):
        d = os.path.join(self.root, self.list_name(entries))
        if os.path.isdir(d) and len(os.listdir(d)) == entries:
            return
        log("generating a directory of %d entries" % entries)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        for i in range(entries):
            open(os.path.join(d, "e%05d" % i), "wb").close()

    def _null_device(self, log):
        """lftp sets the downloaded file's modification time, also on
        /dev/null; a private node of the same device (char 1,3) takes that
        instead.  Falls back to /dev/null where device nodes are not
        allowed."""
        path = os.path.join(self.work, "null")
        try:
            st = os.stat(path)
            if stat.S_ISCHR(st.st_mode) and st.st_rdev == os.makedev(1, 3):
                self.null_device = path
                return
            os.unlink(path)
        except FileNotFoundError:
            pass
        try:
            os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
            with open(path, "wb") as f:
                f.write(b"probe")  # a nodev mount refuses this
            self.null_device = path
        except OSError as exc:
            log("no private null device (%s); using /dev/null" % exc)
            try:
                os.unlink(path)
            except OSError:
                pass

    def _save_manifest(self):
        temporary = self.manifest_path + ".part"
        with open(temporary, "w") as f:
            json.dump(self.manifest, f, indent=1, sort_keys=True)
        os.rename(temporary, self.manifest_path)

    # -- between runs --

    def give_uploads_to(self, user):
        """vsftpd writes as its login user: the upload directory is theirs."""
        shutil.chown(self.up_dir, user, user)

    def clean(self):
        """Empties the download and upload targets between runs (never the
        directories: up/ must stay owned by the server's user).

        Files are truncated to 0 bytes, not deleted: on ext4, creating a
        file soon after many were deleted is slow (its inode allocator
        checks each candidate with recently_deleted()), which made the
        small-file scenarios measure the file system more than the clients
        (about 0.5 ms of client CPU per new file here).  Every client then
        overwrites files that exist but hold nothing, so a client that did
        not write a file still fails the size check."""
        for d in (self.get_dir, self.up_dir):
            for name in os.listdir(d):
                path = os.path.join(d, name)
                if os.path.isdir(path) and not os.path.islink(path):
                    shutil.rmtree(path)
                elif os.path.isfile(path) and not os.path.islink(path):
                    os.truncate(path, 0)
                else:
                    os.unlink(path)
