"""What freethreading-precommit and freethreading-fix-project share: finding
the tool, reading its exit status, and the project's compilation database
when a script needs the list of its files (or runs the plugin, which looks
for none).

freethreading-tidy itself finds the database of each file or guesses the
flags from Python, and enables the freethreading checks when none are
configured; the scripts leave that to it.

Python standard library only; imported by the two scripts from their own
directory (they resolve symbolic links, so installed links in bin/ work).
"""
import glob
import os
import re
import shutil
import sys

LLVM_VERSION = os.environ.get("FREETHREADING_LLVM_VERSION", "22")

C_SOURCES = (".c",)
CXX_SOURCES = (".cc", ".cpp", ".cxx", ".c++", ".C")
HEADERS = (".h", ".hh", ".hpp", ".hxx", ".h++", ".inc")

# freethreading-tidy's exit codes (docs/exit-codes.md).
TIDY_PROMOTED = 1
TIDY_USAGE_ERROR = 2
TIDY_COMPILE_ERROR = 3

# Where build systems put compile_commands.json, relative to the project
# root: the root itself, then the build folders freethreading-tidy searches
# (CMake's and setuptools' build*/, meson's builddir/, _build*/,
# cmake-build-*/, .mesonpy-*/) and one level below them (scikit-build-core's
# build/{wheel_tag}, meson-python's build/cp312).
BUILD_FOLDERS = ("build*", "_build*", "cmake-build-*", ".mesonpy-*")
DATABASE_PATTERNS = (("compile_commands.json",) +
                     tuple(f"{d}/compile_commands.json"
                           for d in BUILD_FOLDERS) +
                     tuple(f"{d}/*/compile_commands.json"
                           for d in BUILD_FOLDERS))
DEFAULT_CHECKS = "-*,freethreading-*"


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
    """The directory of the newest compile_commands.json in \\p root or its
    build folders, or None."""
    found = []
    for pattern in DATABASE_PATTERNS:
        found.extend(glob.glob(os.path.join(root, pattern)))
    if not found:
        return None
    return os.path.dirname(max(found, key=os.path.getmtime))


def configured_checks(root):
    """The `Checks:` value of \\p root's .clang-tidy, or None when it has
    none (freethreading-tidy then enables the freethreading checks)."""
    try:
        with open(os.path.join(root, ".clang-tidy"), encoding="utf-8") as f:
            config = f.read()
    except OSError:
        return None
    # The value of the top-level Checks key, up to the next top-level key.
    value = re.search(r"^Checks:(.*?)(?=^\S|\Z)", config,
                      re.MULTILINE | re.DOTALL)
    return value.group(1) if value else None


def python_option(python):
    """freethreading-tidy's --python for \\p python, else
    $FREETHREADING_PYTHON; [] for neither."""
    chosen = python or os.environ.get("FREETHREADING_PYTHON")
    return [f"--python={chosen}"] if chosen else []


def tidy_error(output):
    """freethreading-tidy's own error line in \\p output, without its
    prefix, or the last line."""
    lines = [line for line in output.splitlines() if line.strip()]
    for line in lines:
        if line.startswith("freethreading-tidy: error: "):
            return line[len("freethreading-tidy: error: "):]
    return lines[-1] if lines else "no output"


def relative(path, root="."):
    """\\p path relative to \\p root when it is inside, else unchanged."""
    rel = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    return path if rel.startswith("..") else rel


def error(prog, message, status=2):
    sys.stdout.flush()
    print(f"{prog}: error: {message}", file=sys.stderr)
    return status
