"""What freethreading-precommit and freethreading-fix-project share: finding
the tool, the project's compilation database, and the compile flags to use
when there is none.

Python standard library only; imported by the two scripts from their own
directory (they resolve symbolic links, so installed links in bin/ work).
"""
import glob
import os
import shutil
import subprocess
import sys

LLVM_VERSION = os.environ.get("FREETHREADING_LLVM_VERSION", "22")

C_SOURCES = (".c",)
CXX_SOURCES = (".cc", ".cpp", ".cxx", ".c++", ".C")
HEADERS = (".h", ".hh", ".hpp", ".hxx", ".h++", ".inc")

# Where build systems put compile_commands.json, relative to the project
# root: the root itself, CMake's and setuptools' build*/ folders, Meson's
# builddir/, and one level below build*/ for scikit-build-core
# (build/{wheel_tag}) and meson-python (build/cp312).
DATABASE_PATTERNS = ("compile_commands.json", "build*/compile_commands.json",
                     "builddir/compile_commands.json",
                     "build*/*/compile_commands.json")


class UsageError(Exception):
    """Bad input: reported as one line, exit status 2."""


def is_source(path):
    return path.endswith(C_SOURCES + CXX_SOURCES)


def is_header(path):
    return path.endswith(HEADERS)


def which(name, env_var=None):
    """The executable \\p name, or the one the environment variable names."""
    if env_var and os.environ.get(env_var):
        chosen = os.environ[env_var]
        found = shutil.which(chosen)
        if not found:
            raise UsageError(f"{env_var}={chosen} is not an executable")
        return found
    return shutil.which(name)


def tidy_command(tidy=None, plugin=None):
    """The command that runs the checks: freethreading-tidy (from --tidy,
    $FREETHREADING_TIDY or PATH), or clang-tidy-N -load PLUGIN."""
    if plugin:
        if not os.path.isfile(plugin):
            raise UsageError(f"no such plugin: '{plugin}'")
        clang_tidy = tidy or which(f"clang-tidy-{LLVM_VERSION}") or which(
            "clang-tidy")
        if not clang_tidy:
            raise UsageError(f"--load needs clang-tidy-{LLVM_VERSION} on PATH "
                             "or --tidy")
        return [clang_tidy, f"-load={plugin}"]
    found = (shutil.which(tidy) if tidy else
             which("freethreading-tidy", "FREETHREADING_TIDY"))
    if not found:
        raise UsageError(
            f"cannot find {tidy or 'freethreading-tidy'}: put it on PATH, set "
            "FREETHREADING_TIDY, or pass --tidy PATH")
    return [found]


def apply_replacements_command(explicit=None):
    for name in ([explicit] if explicit else
                 [f"clang-apply-replacements-{LLVM_VERSION}",
                  "clang-apply-replacements",
                  f"/usr/lib/llvm-{LLVM_VERSION}/bin/clang-apply-replacements"]):
        found = shutil.which(name)
        if found:
            return found
    raise UsageError(f"cannot find clang-apply-replacements-{LLVM_VERSION}: "
                     "install clang-tools or pass --apply-replacements PATH")


def find_database(root):
    """The directory of the newest compile_commands.json among the usual build
    folders of \\p root, or None."""
    found = []
    for pattern in DATABASE_PATTERNS:
        found.extend(glob.glob(os.path.join(root, pattern)))
    if not found:
        return None
    return os.path.dirname(max(found, key=os.path.getmtime))


def python_include_flags(python=None):
    """-isystem flags for the headers of \\p python ($FREETHREADING_PYTHON or
    python3 by default), and the interpreter that answered."""
    exe = (shutil.which(python) if python else
           which("python3", "FREETHREADING_PYTHON"))
    if not exe:
        raise UsageError(f"cannot find {python or 'python3'} to take the "
                         "Python include flags from; pass --python PATH")
    query = ("import sysconfig\n"
             "p = sysconfig.get_paths()\n"
             "print(p['include']); print(p['platinclude'])\n")
    try:
        out = subprocess.run([exe, "-c", query], capture_output=True,
                             text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        raise UsageError(f"cannot ask {exe} for its include directory: "
                         f"{error}") from None
    flags = []
    for line in out.splitlines():
        if line and os.path.isfile(os.path.join(line, "Python.h")):
            if line not in flags[1::2]:
                flags += ["-isystem", line]
    if not flags:
        raise UsageError(f"{exe} has no Python.h (install its development "
                         "headers, e.g. python3-dev)")
    return flags, exe


def relative(path, root="."):
    """\\p path relative to \\p root when it is inside, else unchanged."""
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    return path if rel.startswith("..") else rel


def error(prog, message, status=2):
    sys.stdout.flush()
    print(f"{prog}: error: {message}", file=sys.stderr)
    return status
