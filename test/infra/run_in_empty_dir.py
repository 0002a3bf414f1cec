#!/usr/bin/env python3
"""Runs a command in a new, empty directory under the system temp dir.

Usage: run_in_empty_dir.py FILE=TEXT... -- COMMAND...
Each FILE=TEXT writes TEXT (with \\n for newlines) to FILE first. The build
tree may hold a compile_commands.json in a parent directory; the system temp
dir does not, so tests of "no compilation database" run here. Prints the
command's output and exits with its status.
"""
import os
import shutil
import subprocess
import sys
import tempfile


def main():
    argv = sys.argv[1:]
    split = argv.index("--")
    files, command = argv[:split], argv[split + 1:]
    work = tempfile.mkdtemp(prefix="freethreading-test-")
    try:
        for spec in files:
            name, text = spec.split("=", 1)
            with open(os.path.join(work, name), "w") as f:
                f.write(text.replace("\\n", "\n"))
        proc = subprocess.run(command, cwd=work, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
        sys.stdout.write(proc.stdout)
        return proc.returncode
    finally:
        shutil.rmtree(work)


if __name__ == "__main__":
    sys.exit(main())
