#!/usr/bin/env python3
"""Runs one command in a fresh project folder outside the build tree.

Usage: driver_sandbox.py [OPTIONS] -- COMMAND [ARGS...]

  --tree DIR          copy DIR's contents into the folder first
  --file PATH=TEXT    write TEXT to PATH (folders created; \\n is a newline)
  --copy PATH=FILE    write FILE's text to PATH (folders created)
  --executable PATH   make PATH (written with --file) executable
  --env NAME=VALUE    set an environment variable for the command
  --cwd DIR           run in DIR: a sub-folder of the folder when relative,
                      any folder when absolute (default: the folder)
  --keep DEST         afterwards, copy the folder to DEST (replacing it)
  --expect-exit N     exit 0 when the command exits with N; otherwise print
                      what it exited with and exit 1

`{root}` in TEXT, FILE's text, VALUE and the command's arguments stands for
the folder.
The folder is made in the system temp dir: the build tree may hold a
compile_commands.json that the driver would find in a parent folder. The
command's stdout and stderr are printed (stderr after stdout); without
--expect-exit the script exits with the command's status.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile


def main():
    parser = argparse.ArgumentParser(usage=__doc__)
    parser.add_argument("--tree")
    parser.add_argument("--file", action="append", default=[])
    parser.add_argument("--copy", action="append", default=[])
    parser.add_argument("--executable", action="append", default=[])
    parser.add_argument("--env", action="append", default=[])
    parser.add_argument("--cwd", default=".")
    parser.add_argument("--keep")
    parser.add_argument("--expect-exit", type=int)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command")

    root = tempfile.mkdtemp(prefix="freethreading-driver-")
    fill = lambda text: text.replace("{root}", root)
    try:
        if args.tree:
            shutil.copytree(args.tree, root, dirs_exist_ok=True)
        writes = [(spec.split("=", 1)[0], spec.split("=", 1)[1].replace("\\n", "\n"))
                  for spec in args.file]
        for spec in args.copy:
            name, source = spec.split("=", 1)
            with open(source) as f:
                writes.append((name, f.read()))
        for name, text in writes:
            path = os.path.join(root, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(fill(text))
        for name in args.executable:
            os.chmod(os.path.join(root, name), 0o755)
        env = dict(os.environ)
        for spec in args.env:
            name, value = spec.split("=", 1)
            env[name] = fill(value)
        proc = subprocess.run([fill(a) for a in command],
                              cwd=os.path.join(root, args.cwd), env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
        sys.stdout.write(proc.stdout)
        sys.stdout.write(proc.stderr)
        if args.keep:
            shutil.rmtree(args.keep, ignore_errors=True)
            shutil.copytree(root, args.keep, symlinks=True)
        if args.expect_exit is None:
            return proc.returncode
        if proc.returncode != args.expect_exit:
            print(f"driver_sandbox: exit status {proc.returncode}, "
                  f"expected {args.expect_exit}")
            return 1
        return 0
    finally:
        shutil.rmtree(root)


if __name__ == "__main__":
    sys.exit(main())
