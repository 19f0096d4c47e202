#!/usr/bin/python3
"""Test certificates for ftpc's FTPS tests, made at test time.

    make_test_pki.py OUTDIR

writes into OUTDIR (created if missing):

  ca.pem, ca.key                  the test CA (self-signed, CA:TRUE)
  server.pem, server.key          signed by the CA; SAN DNS:localhost,
                                  IP:127.0.0.1, IP:::1; valid 10 years
  expired.pem, expired.key        signed by the CA, same SAN, validity
                                  entirely in the past (2001-2002)
  wronghost.pem, wronghost.key    signed by the CA, SAN DNS:wrong.example only
  selfsigned.pem, selfsigned.key  self-signed (not by the CA), right SAN
  client.pem, client.key          client certificate (extendedKeyUsage
                                  clientAuth) signed by the CA

Private keys are never committed: every test run makes its own.  Keys are
RSA 2048 (vsftpd's option is named rsa_cert_file; every TLS stack takes RSA).

Idempotent and safe when several tests run it at once on the same OUTDIR:
the work happens under an exclusive lock (OUTDIR/.lock), in a private
temporary directory inside OUTDIR; the finished files are moved into place
with rename() and the marker OUTDIR/.complete is written last.  A run that
finds the marker does nothing, so a reader that waited for the lock (or
for this script to exit) always sees a complete, consistent set.

Uses only the Python standard library and the `openssl` command (OpenSSL
3.0 is enough: the expired certificate is issued with `openssl ca
-startdate/-enddate`, since `openssl x509` cannot backdate before 3.4).
Exit status 0 on success; on failure, the reason on stderr and status 1.
"""

import fcntl
import os
import shutil
import subprocess
import sys
import tempfile

SERVER_SAN = "DNS:localhost,IP:127.0.0.1,IP:::1"

# (name, subject CN, issuer ("ca" or "self"), SAN, usage, validity)
# validity: ("days", N) or ("dates", start, end) in openssl ca's
# YYYYMMDDHHMMSSZ form.
CERTS = [
    ("server", "localhost", "ca", SERVER_SAN, "server", ("days", 3650)),
    ("expired", "localhost", "ca", SERVER_SAN, "server",
     ("dates", "20010101000000Z", "20020101000000Z")),
    ("wronghost", "wrong.example", "ca", "DNS:wrong.example", "server",
     ("days", 3650)),
    ("selfsigned", "localhost", "self", SERVER_SAN, "server",
     ("days", 3650)),
    ("client", "ftpc-test-client", "ca", None, "client", ("days", 3650)),
]

OUTPUT_FILES = ["ca.pem", "ca.key"] + [
    f"{name}.{ext}" for name, *_ in CERTS for ext in ("pem", "key")
]

MARKER = ".complete"


def run_openssl(args, cwd):
    """Runs `openssl ARGS` in CWD; raises with openssl's own message."""
    proc = subprocess.run(["openssl"] + args, cwd=cwd,
                          stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, check=False)
    if proc.returncode != 0:
        raise RuntimeError("openssl %s failed (%d):\n%s%s"
                           % (" ".join(args), proc.returncode,
                              proc.stdout, proc.stderr))


def new_key(work, name):
    run_openssl(["genpkey", "-algorithm", "RSA",
                 "-pkeyopt", "rsa_keygen_bits:2048",
                 "-out", f"{name}.key"], work)
    os.chmod(os.path.join(work, f"{name}.key"), 0o600)


def extensions_text(san, usage):
    """An extensions section for a leaf certificate."""
    lines = ["basicConstraints = critical, CA:FALSE",
             "subjectKeyIdentifier = hash",
             "authorityKeyIdentifier = keyid"]
    if usage == "server":
        lines += ["keyUsage = critical, digitalSignature, keyEncipherment",
                  "extendedKeyUsage = serverAuth"]
    else:
        lines += ["keyUsage = critical, digitalSignature",
                  "extendedKeyUsage = clientAuth"]
    if san:
        lines.append("subjectAltName = " + san)
    return "\n".join(lines) + "\n"


def req_config(work, name, extensions):
    """A configuration for `openssl req` (whose -extfile needs 3.2):
    the subject comes from -subj, the extensions from section v3_ext."""
    path = os.path.join(work, f"{name}.req.cnf")
    with open(path, "w") as f:
        f.write("[req]\ndistinguished_name = dn\nprompt = no\n[dn]\n"
                "[v3_ext]\n" + extensions)
    return path


def make_ca(work):
    new_key(work, "ca")
    cnf = req_config(work, "ca", "basicConstraints = critical, CA:TRUE\n"
                     "keyUsage = critical, keyCertSign, cRLSign\n"
                     "subjectKeyIdentifier = hash\n")
    run_openssl(["req", "-new", "-x509", "-key", "ca.key", "-sha256",
                 "-days", "3650", "-subj", "/CN=ftpc test CA",
                 "-config", cnf, "-extensions", "v3_ext",
                 "-out", "ca.pem"], work)
    # The database `openssl ca` needs (only for the backdated certificate).
    os.mkdir(os.path.join(work, "issued"))
    open(os.path.join(work, "index.txt"), "w").close()
    with open(os.path.join(work, "serial"), "w") as f:
        f.write("1000\n")


def ca_config(work, leaf_extensions):
    """A minimal `openssl ca` configuration using the CA made above."""
    path = os.path.join(work, "ca.cnf")
    with open(path, "w") as f:
        f.write("[ca]\ndefault_ca = test_ca\n"
                "[test_ca]\n"
                f"dir = {work}\n"
                "database = $dir/index.txt\n"
                "new_certs_dir = $dir/issued\n"
                "serial = $dir/serial\n"
                "certificate = $dir/ca.pem\n"
                "private_key = $dir/ca.key\n"
                "default_md = sha256\n"
                "policy = any_policy\n"
                "unique_subject = no\n"
                "[any_policy]\ncommonName = supplied\n"
                "[leaf_ext]\n" + leaf_extensions)
    return path


def make_leaf(work, name, cn, issuer, san, usage, validity):
    new_key(work, name)
    extensions = extensions_text(san, usage)
    ext_file = os.path.join(work, f"{name}.ext")
    with open(ext_file, "w") as f:
        f.write("[leaf_ext]\n" + extensions)
    subj = "/CN=" + cn
    if issuer == "self":
        cnf = req_config(work, name, extensions)
        run_openssl(["req", "-new", "-x509", "-key", f"{name}.key",
                     "-sha256", "-days", str(validity[1]), "-subj", subj,
                     "-config", cnf, "-extensions", "v3_ext",
                     "-out", f"{name}.pem"], work)
        return
    cnf = req_config(work, name, "")
    run_openssl(["req", "-new", "-key", f"{name}.key", "-subj", subj,
                 "-config", cnf, "-out", f"{name}.csr"], work)
    if validity[0] == "days":
        run_openssl(["x509", "-req", "-in", f"{name}.csr",
                     "-CA", "ca.pem", "-CAkey", "ca.key",
                     "-CAserial", "serial", "-sha256",
                     "-days", str(validity[1]),
                     "-extfile", ext_file, "-extensions", "leaf_ext",
                     "-out", f"{name}.pem"], work)
    else:
        # `openssl x509` cannot backdate before OpenSSL 3.4; `openssl ca` can.
        cnf = ca_config(work, extensions)
        run_openssl(["ca", "-batch", "-notext", "-config", cnf,
                     "-extensions", "leaf_ext",
                     "-startdate", validity[1], "-enddate", validity[2],
                     "-in", f"{name}.csr", "-out", f"{name}.pem"], work)


def complete(outdir):
    return (os.path.exists(os.path.join(outdir, MARKER))
            and all(os.path.exists(os.path.join(outdir, n))
                    for n in OUTPUT_FILES))


def generate(outdir):
    work = tempfile.mkdtemp(prefix=".pki-", dir=outdir)
    try:
        make_ca(work)
        for name, cn, issuer, san, usage, validity in CERTS:
            make_leaf(work, name, cn, issuer, san, usage, validity)
        for fname in OUTPUT_FILES:
            os.replace(os.path.join(work, fname), os.path.join(outdir, fname))
        with open(os.path.join(outdir, MARKER + ".tmp"), "w") as f:
            f.write("\n".join(OUTPUT_FILES) + "\n")
        os.replace(os.path.join(outdir, MARKER + ".tmp"),
                   os.path.join(outdir, MARKER))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv):
    if len(argv) != 2 or argv[1].startswith("-"):
        sys.stderr.write("usage: make_test_pki.py OUTDIR\n")
        return 2
    outdir = os.path.abspath(argv[1])
    try:
        os.makedirs(outdir, exist_ok=True)
        with open(os.path.join(outdir, ".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not complete(outdir):
                generate(outdir)
        return 0
    except (OSError, RuntimeError) as e:
        sys.stderr.write(f"make_test_pki.py: {e}\n")
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
