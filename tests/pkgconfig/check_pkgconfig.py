"""Builds the README's C example the way a user would: with only
`pkg-config --cflags --libs ftpc`, against the shared and the static library.

The program is compiled and linked, never run: it names a public host, and
tests talk to nothing but loopback.

usage: check_pkgconfig.py README.md BUILD_ROOT CC [EXTRA_CFLAG...]
"""
import os
import re
import subprocess
import sys
import tempfile


def pkg_config(args, env):
    out = subprocess.run(["pkg-config", *args, "ftpc-uninstalled"], env=env, check=True,
                         capture_output=True, text=True)
    return out.stdout.split()


def main():
    readme, build_root, cc = sys.argv[1], sys.argv[2], sys.argv[3]
    extra = sys.argv[4:]
    match = re.search(r"```c\n(.*?)```", open(readme, encoding="utf-8").read(), re.S)
    if match is None:
        sys.exit("README.md has no C example")
    env = dict(os.environ, PKG_CONFIG_PATH=os.path.join(build_root, "meson-uninstalled"))
    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, "example.c")
        with open(source, "w", encoding="utf-8") as f:
            f.write(match.group(1))
        builds = {
            "shared": pkg_config(["--cflags", "--libs"], env),
            "static": ["-static-libgcc"] + pkg_config(["--static", "--cflags", "--libs"], env),
        }
        for name, flags in builds.items():
            if name == "static":
                # Prefer the archive: name it instead of -lftpc.
                lib_dir = next(f[2:] for f in flags if f.startswith("-L"))
                flags = [os.path.join(lib_dir, "libftpc.a") if f == "-lftpc" else f for f in flags]
            cmd = [cc, "-std=c99", "-Wall", "-Wextra", "-pedantic", "-Werror", source, "-o",
                   os.path.join(tmp, "example-" + name), *flags, *extra]
            result = subprocess.run(cmd, capture_output=True, text=True)
            if result.returncode != 0:
                sys.exit(f"{name} build failed: {' '.join(cmd)}\n{result.stderr}")
            print(f"ok: {name} build with pkg-config: {' '.join(flags)}")


if __name__ == "__main__":
    main()
