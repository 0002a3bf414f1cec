# lit configuration for freethreading-tidy's tests.
import os
import shutil

import lit.formats

config.name = "freethreading-tidy"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".c", ".cpp", ".test"]
config.excludes = ["Inputs", "lit.cfg.py", "lit.site.cfg.py", "runtime-src", "consistency.py", "lsp_client.py", "check_slot_ids.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.freethreading_obj_root, "test")

src = config.freethreading_src_root
inputs = os.path.join(src, "test", "Inputs")
tools = config.llvm_tools_dir
py = config.python

config.environment["PATH"] = os.pathsep.join(
    [tools, os.path.dirname(config.freethreading_tidy), config.environment.get("PATH", os.environ.get("PATH", ""))])
for var in ("HOME", "TMPDIR", "LANG", "LC_ALL"):
    if var in os.environ:
        config.environment[var] = os.environ[var]

runner = os.path.join(src, "test", "check_freethreading_tidy.py")
check = (f"{py} {runner} --clang-tidy {config.clang_tidy} --plugin {config.freethreading_plugin} "
         f"--driver {config.freethreading_tidy} --filecheck {tools}/FileCheck --clang {config.clang}")

config.substitutions.extend([
    ("%check_freethreading_tidy", check),
    ("%clang_tidy_plugin", f"{config.clang_tidy} -load {config.freethreading_plugin}"),
    ("%freethreading_tidy", config.freethreading_tidy),
    ("%freethreading_dump", config.freethreading_dump),
    ("%freethreading_clangd", config.freethreading_clangd),
    ("%clang_tidy", config.clang_tidy),
    ("%clang_cc", config.clang),
    ("%python", py),
    ("%plugin", config.freethreading_plugin),
    ("%src_root", src),
    ("%obj_root", config.freethreading_obj_root),
    ("%inputs", inputs),
    # The mock 3.13/3.14 C API (free-threaded build unless told otherwise).
    ("%mock_py", f"-isystem {inputs}/python3.13"),
    # Mock C library headers (for the libc check), searched before the real.
    ("%mock_libc", f"-isystem {inputs}/libc"),
    # Debian's real CPython 3.11 headers plus our compat header.
    ("%py311", f"-isystem /usr/include/python3.11 -I {src}/compat"),
])

if config.freethreading_build_clangd:
    config.available_features.add("clangd")
if os.path.exists("/usr/include/python3.11/Python.h"):
    config.available_features.add("python311-headers")
