#!/bin/bash
# A short tour of the ftpc command-line client against a throwaway local FTP
# server: upload a generated file, list the directory, download the file
# back and check that the copy is byte-for-byte identical.
#
# Usage: tools/ftpc/demo.sh [BUILD_DIR]     (default: build)
#
# Needs a built tree (meson setup BUILD_DIR && ninja -C BUILD_DIR) and
# Debian's python3-pyftpdlib.  Only 127.0.0.1 is contacted; the server and
# every file live in a temporary directory that is removed on exit.
# Exits non-zero if any step fails.

set -euo pipefail

script_dir=$(cd "$(dirname "$0")" && pwd)
repo_dir=$(cd "$script_dir/../.." && pwd)
build_arg=${1:-build}
python=/usr/bin/python3
server_script=$repo_dir/tests/servers/pyftpdlib_server.py
user=alice password=s3cret # the account pyftpdlib_server.py creates

say() { printf '\n==> %s\n' "$*"; }
fail() { printf '\ndemo FAILED: %s\n' "$*" >&2; exit 1; }

# The build directory as given (relative to the current directory), else
# relative to the repository.
if [ -d "$build_arg" ]; then
    build_dir=$(cd "$build_arg" && pwd)
elif [ -d "$repo_dir/$build_arg" ]; then
    build_dir=$repo_dir/$build_arg
else
    fail "no build directory '$build_arg': run 'meson setup $build_arg && ninja -C $build_arg' first"
fi
ftpc=$build_dir/tools/ftpc/ftpc
[ -x "$ftpc" ] || fail "$ftpc is not built: run 'ninja -C $build_dir' first"
[ -x "$python" ] || fail "$python is missing (apt-get install python3-pyftpdlib)"
"$python" -c 'import pyftpdlib' 2>/dev/null ||
    fail "pyftpdlib is missing (apt-get install python3-pyftpdlib)"

work=$(mktemp -d "${TMPDIR:-/tmp}/ftpc-demo.XXXXXX")
server_pid=
cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM # run the EXIT trap on Ctrl-C too

mkdir "$work/server-root" "$work/here"

say "Starting a throwaway FTP server (pyftpdlib) on 127.0.0.1"
"$python" "$server_script" --root "$work/server-root" >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
port=
for _ in $(seq 1 100); do # up to 10 seconds
    if read -r word value <"$work/server.out" 2>/dev/null && [ "$word" = READY ]; then
        port=$value
        break
    fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
done
[ -n "$port" ] || fail "the server did not start: $(cat "$work/server.err")"
echo "    listening on port $port, serving $work/server-root"
echo "    (user '$user', password '$password')"

url=ftp://$user:$password@127.0.0.1:$port

# Shows a command, then runs it.
run() {
    printf '    $ ftpc'
    printf ' %q' "${@:2}"
    printf '\n'
    "$@" || fail "'ftpc ${*:2}' exited with status $?"
}

say "Making a 1 MiB file of random bytes to upload"
head -c 1048576 /dev/urandom >"$work/here/demo.bin"
original_sum=$(sha256sum <"$work/here/demo.bin" | cut -d' ' -f1)
echo "    demo.bin  sha256 $original_sum"

say "Uploading it (put)"
run "$ftpc" put "$work/here/demo.bin" "$url/demo.bin"

say "Listing the server's directory (ls, then ls -1 for names only)"
run "$ftpc" ls "$url/"
run "$ftpc" ls -1 "$url/"

say "Downloading it back under another name (get)"
run "$ftpc" get "$url/demo.bin" "$work/here/copy.bin"

say "Comparing checksums"
copy_sum=$(sha256sum <"$work/here/copy.bin" | cut -d' ' -f1)
echo "    original  $original_sum"
echo "    copy      $copy_sum"
[ "$original_sum" = "$copy_sum" ] || fail "the downloaded copy differs from the original"
echo "    identical."

say "Asking the server where we are, with the protocol shown (-v)"
run "$ftpc" -v pwd "$url/"

say "Cleaning up on the server (rm)"
run "$ftpc" rm "$url/demo.bin"

say "Demo finished: upload, listing, download and checksum all OK."
