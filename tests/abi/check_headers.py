#!/usr/bin/python3
"""Compile-time checks of the public headers that must FAIL to compile, or
that would break the whole build if they were ordinary build targets.

Usage:
  check_headers.py CHECK --include DIR [--include DIR ...]
                   --cc C_COMPILER... --cxx CXX_COMPILER...

CHECK is one of:
  subheaders      every sub-header refuses direct inclusion with its #error,
                  in C and in C++, while <ftpc/ftpc.h> compiles cleanly
  version-in-if   FTP_VERSION_NUMBER and FTP_VERSION_ATLEAST() work in #if,
                  where version checks are normally written
  cxx-casts       the header's macros expand without warnings under C++'s
                  -Wold-style-cast, which this project itself enables

Compilers come from meson (cc.cmd_array()), so a ccache wrapper works too.
Stdlib only; exits 1 with the compiler output of every failed check.
"""

import pathlib
import subprocess
import sys
import tempfile

STRICT = ["-Wall", "-Wextra", "-pedantic", "-Werror", "-fsyntax-only"]
C_FLAGS = ["-x", "c", "-std=c99"] + STRICT
CXX_FLAGS = ["-x", "c++", "-std=c++11"] + STRICT
SUFFIX = {"C": ".c", "C++": ".cc"}
SUBHEADER_ERROR = "Include <ftpc/ftpc.h> instead of this header."

VERSION_IN_IF = """\
#include <ftpc/ftpc.h>
#if !FTP_VERSION_ATLEAST(0, 0, 0)
#error "FTP_VERSION_ATLEAST(0, 0, 0) is false"
#endif
#if FTP_VERSION_ATLEAST(FTP_VERSION_MAJOR + 1, 0, 0)
#error "FTP_VERSION_ATLEAST(next major) is true"
#endif
#if FTP_VERSION_NUMBER < 1
#error "FTP_VERSION_NUMBER is below 0.0.1"
#endif
int main(void) { return 0; }
"""

CXX_MACROS = """\
#include <ftpc/ftpc.h>
int main()
{
    const uint32_t number = FTP_VERSION_NUMBER;
    const bool recent = FTP_VERSION_ATLEAST(0, 1, 0);
    const uint64_t unknown = FTP_SIZE_UNKNOWN;
    return (number != 0 && recent && unknown != 0) ? 0 : 1;
}
"""


def parse_args(argv):
    """Splits argv into the check name, include dirs and the two compilers."""
    if len(argv) < 2:
        sys.exit(__doc__)
    check, options = argv[1], {"--include": [], "--cc": [], "--cxx": []}
    current = None
    for arg in argv[2:]:
        if arg in options:
            current = arg
        elif current is None:
            sys.exit(f"unexpected argument {arg!r}\n{__doc__}")
        else:
            options[current].append(arg)
    if not options["--include"] or not options["--cc"] or not options["--cxx"]:
        sys.exit(__doc__)
    return check, options["--include"], options["--cc"], options["--cxx"]


class Compiler:
    def __init__(self, command, flags, include_dirs, workdir):
        self.command = command
        self.flags = flags + [f"-I{d}" for d in include_dirs]
        self.workdir = pathlib.Path(workdir)

    def compile(self, name, source):
        """Compiles source text; returns (succeeded, compiler output)."""
        path = self.workdir / name
        path.write_text(source)
        argv = self.command + self.flags + [str(path)]
        result = subprocess.run(argv, capture_output=True, text=True, check=False)
        return result.returncode == 0, " ".join(argv) + "\n" + result.stdout + result.stderr


def subheader_names(include_dirs):
    """Every ftpc/ftpc_*.h in the include dirs (the generated one included)."""
    names = set()
    for directory in include_dirs:
        names.update(p.name for p in (pathlib.Path(directory) / "ftpc").glob("ftpc_*.h"))
    return sorted(names)


def check_subheaders(c, cxx, include_dirs):
    problems = []
    umbrella = "#include <ftpc/ftpc.h>\nint main(void) { return 0; }\n"
    for compiler, lang in ((c, "C"), (cxx, "C++")):
        ok, output = compiler.compile("umbrella" + SUFFIX[lang], umbrella)
        if not ok:
            problems.append(f"<ftpc/ftpc.h> does not compile cleanly as {lang}:\n{output}")
    names = subheader_names(include_dirs)
    if not names:
        problems.append(f"no ftpc/ftpc_*.h found under {include_dirs}")
    for name in names:
        source = f"#include <ftpc/{name}>\nint main(void) {{ return 0; }}\n"
        for compiler, lang in ((c, "C"), (cxx, "C++")):
            ok, output = compiler.compile("direct" + SUFFIX[lang], source)
            if ok:
                problems.append(f"including <ftpc/{name}> directly compiles as {lang}; "
                                "it must stop with #error")
            elif SUBHEADER_ERROR not in output:
                problems.append(f"including <ftpc/{name}> directly fails as {lang}, but not "
                                f"with its #error {SUBHEADER_ERROR!r}:\n{output}")
            else:
                print(f"ok: <ftpc/{name}> refuses direct inclusion ({lang})")
    return problems


def check_version_in_if(c, cxx):
    problems = []
    for compiler, lang in ((c, "C"), (cxx, "C++")):
        ok, output = compiler.compile("version_in_if" + SUFFIX[lang], VERSION_IN_IF)
        if not ok:
            problems.append(f"the version macros cannot be used in #if ({lang}):\n{output}")
    return problems


def check_cxx_casts(cxx):
    ok, output = cxx.compile("macros.cc", CXX_MACROS)
    if not ok:
        return [f"the header's macros warn under -Wold-style-cast:\n{output}"]
    return []


def main(argv):
    check, include_dirs, cc_cmd, cxx_cmd = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ftpc-headers-") as workdir:
        c = Compiler(cc_cmd, C_FLAGS, include_dirs, workdir)
        cxx = Compiler(cxx_cmd, CXX_FLAGS, include_dirs, workdir)
        if check == "subheaders":
            problems = check_subheaders(c, cxx, include_dirs)
        elif check == "version-in-if":
            problems = check_version_in_if(c, cxx)
        elif check == "cxx-casts":
            cxx.flags.append("-Wold-style-cast")
            problems = check_cxx_casts(cxx)
        else:
            sys.exit(f"unknown check {check!r}\n{__doc__}")
    for problem in problems:
        print(f"FAIL: {problem}")
    if not problems:
        print(f"OK: {check}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
