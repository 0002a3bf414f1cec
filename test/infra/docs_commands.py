#!/usr/bin/env python3
"""Checks that a translated document names the same shell commands as its
original.

    docs_commands.py ORIGINAL.md TRANSLATION.md [TRANSLATION.md...]
    docs_commands.py --list DOC.md

Commands are the lines of ```sh (bash, shell, console) fenced blocks, with
backslash continuations joined, `$ ` prompts and comments dropped and
whitespace and quoting normalised. The set of commands of ORIGINAL must
equal that of the TRANSLATIONs together. Prints what is missing on either
side, with file and line, and exits 1 if anything is.
"""
import re
import shlex
import sys

FENCE = re.compile(r"^\s*```\s*(\w*)")
SHELL = ("sh", "bash", "shell", "console")


def normalise(line):
    """The command of \\p line without its comment, in a canonical
    spelling; None for a line that is only a comment."""
    line = line.strip()
    if line.startswith("$ "):
        line = line[2:]
    try:
        words = shlex.split(line, comments=True)
    except ValueError:
        words = line.split()
    return " ".join(words) or None


def commands(path):
    """{command: first line number} of the shell blocks of \\p path."""
    found, in_shell, in_block, pending, start = {}, False, False, "", 0
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            fence = FENCE.match(line)
            if fence and not in_block:
                in_block, in_shell = True, fence.group(1) in SHELL
                continue
            if fence and in_block:
                in_block = in_shell = False
                continue
            if not in_shell:
                continue
            if not pending:
                start = number
            if line.rstrip().endswith("\\"):
                pending += line.rstrip()[:-1] + " "
                continue
            command = normalise(pending + line)
            pending = ""
            if command:
                found.setdefault(command, start)
    return found


def main(argv):
    if len(argv) == 2 and argv[0] == "--list":
        for command in commands(argv[1]):
            print(command)
        return 0
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    original = commands(argv[0])
    translated = {}
    for path in argv[1:]:
        for command, line in commands(path).items():
            translated.setdefault(command, f"{path}:{line}")
    problems = [f"{argv[0]}:{line}: not in the translation: {command}"
                for command, line in original.items()
                if command not in translated]
    problems += [f"{where}: not in {argv[0]}: {command}"
                 for command, where in translated.items()
                 if command not in original]
    for problem in problems:
        print(problem)
    if not original:
        print(f"{argv[0]}: no shell commands")
        return 1
    if problems:
        return 1
    print(f"{argv[0]}: the same {len(original)} commands as "
          f"{', '.join(argv[1:])}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
