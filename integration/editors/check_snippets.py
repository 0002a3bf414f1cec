#!/usr/bin/env python3
"""Runs the server command of each editor snippet in this directory.

For every snippet, the command it configures is read out of the file, the
install path in it is replaced by the freethreading-clangd given, and the
command is started through test/lsp_client.py on a small project with a
borrowed-reference hazard. A snippet passes when the server publishes the
freethreading-borrowed-reference diagnostic.

    integration/editors/check_snippets.py BUILD_DIR/bin/freethreading-clangd
"""

import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
INSTALLED = "/usr/local/bin/freethreading-clangd"
HAZARD = """#include <Python.h>

static PyObject *first(PyObject *self, PyObject *list) {
  PyObject *x = PyList_GetItem(list, 0);
  Py_XINCREF(x);
  return x;
}
"""


def vscode_command(text):
    settings = json.loads(text)
    return [settings["clangd.path"]] + settings.get("clangd.arguments", [])


def quoted_list(text, opening, closing, quote):
    """The quoted strings of the first list between `opening`/`closing`."""
    match = re.search(re.escape(opening) + r"(.*?)" + re.escape(closing), text,
                      re.S)
    return re.findall(quote + r"([^" + quote + r"]*)" + quote, match.group(1))


SNIPPETS = {
    "vscode-settings.json": vscode_command,
    # The first (uncommented) `cmd = { ... }` table.
    "nvim-lspconfig.lua": lambda text: quoted_list(text, "cmd = {", "}", "'"),
    # The program list after the mode list.
    "eglot.el": lambda text: quoted_list(text, ". (", ")", '"'),
}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    server = str(pathlib.Path(sys.argv[1]).resolve())
    failures = 0
    with tempfile.TemporaryDirectory(prefix="ft-editors-") as scratch:
        scratch = pathlib.Path(scratch)
        project = scratch / "proj"
        project.mkdir()
        (project / "ext.c").write_text(HAZARD)
        (project / "compile_commands.json").write_text(json.dumps([{
            "directory": str(project), "file": "ext.c",
            "arguments": ["clang-22", "-fsyntax-only", "-isystem",
                          str(ROOT / "test/Inputs/python3.13"), "ext.c"]}]))
        env = dict(os.environ)
        for name in ("HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
            env[name] = str(scratch / name.lower())
        for name, extract in SNIPPETS.items():
            command = extract((HERE / name).read_text())
            if command[0] != INSTALLED:
                print(f"FAIL {name}: launches {command[0]}, not {INSTALLED}")
                failures += 1
                continue
            command[0] = server
            done = subprocess.run(
                [sys.executable, str(ROOT / "test/lsp_client.py"), "--root",
                 str(project), str(project / "ext.c"), "--"] + command,
                env=env, capture_output=True, text=True)
            ok = (done.returncode == 0 and
                  "[clang-tidy/freethreading-borrowed-reference]" in done.stdout)
            print(f"{'PASS' if ok else 'FAIL'} {name}: "
                  f"{' '.join([INSTALLED] + command[1:])}")
            if not ok:
                print(done.stdout + done.stderr)
                failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
