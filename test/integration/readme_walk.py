#!/usr/bin/env python3
"""Runs the shell commands of a README, block by block, as a reader would.

    readme_walk.py README.md [--cwd DIR] [--section TITLE]

Every ```sh fenced block is run in order by bash with `set -e`, each in the
working directory the previous one ended in (the first in --cwd, by default
the current directory), in the environment this script was given. With
--section, only the blocks under the `## TITLE` heading (up to the next
`## ` heading). Prints a transcript for FileCheck:

    == block 1 (line 12): cp -r examples/setuptools-ext ~/tally
    <output of the block, stdout and stderr>
    == exit 0

Runs every block even after a failure (a README may show a command that
fails on purpose) and exits 0 when all blocks ran, 1 on a problem of its own.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile

FENCE = re.compile(r"^(\s*)```(\w*)\s*$")
SECTION = re.compile(r"^## (.*?)\s*$")


def shell_blocks(path, section=None):
    """(first line number, text) of each ```sh block of \\p path, or of its
    \\p section."""
    blocks, current, start = [], None, 0
    inside = section is None
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            fence = FENCE.match(line)
            heading = SECTION.match(line) if current is None else None
            if heading and section is not None:
                inside = heading.group(1) == section
            if not inside:
                continue
            if current is None:
                if fence and fence.group(2) in ("sh", "bash", "shell"):
                    current, start = [], number + 1
                elif fence:
                    current, start = False, number
            elif fence and not fence.group(2):
                if current is not False:
                    blocks.append((start, "".join(current)))
                current = None
            elif current is not False:
                current.append(line)
    return blocks


def run_block(text, cwd, state):
    script = ("set -e\n"
              f"trap 'pwd > \"{state}\"' EXIT\n"
              f"{text}")
    proc = subprocess.run(["bash", "-c", script], cwd=cwd,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)
    with open(state, encoding="utf-8") as f:
        return proc.returncode, proc.stdout, f.read().strip() or cwd


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("readme")
    parser.add_argument("--cwd", default=os.getcwd())
    parser.add_argument("--section", metavar="TITLE")
    args = parser.parse_args()
    blocks = shell_blocks(args.readme, args.section)
    if not blocks:
        where = f" under '## {args.section}'" if args.section else ""
        print(f"readme_walk.py: error: no ```sh blocks in {args.readme}"
              f"{where}", file=sys.stderr)
        return 1
    cwd = args.cwd
    with tempfile.TemporaryDirectory() as tmp:
        state = os.path.join(tmp, "cwd")
        for index, (line, text) in enumerate(blocks, 1):
            first = text.strip().splitlines()[0] if text.strip() else ""
            print(f"== block {index} (line {line}): {first}", flush=True)
            status, output, cwd = run_block(text, cwd, state)
            sys.stdout.write(output)
            if output and not output.endswith("\n"):
                print()
            print(f"== exit {status}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
