#!/usr/bin/env python3
"""Checks that the man page's EXIT STATUS says what docs/exit-codes.md says.

    exit_status_docs.py EXIT-CODES.md RENDERED-MAN-PAGE

EXIT-CODES.md has a table `| code | meaning | examples |`; the man page,
rendered as plain text (groff -man -Tascii), has one paragraph per code.
For each code, the paragraph must read "<meaning>. Examples: <examples>."
with the markdown's backticks dropped and whitespace normalised, and the
man page must list no other code. Prints the differences and exits 1 if
there are any, else one line.
"""
import re
import sys

ROW = re.compile(r"^\|\s*(\d+)\s*\|(.*)\|(.*)\|\s*$")
# A code paragraph of the rendered page: the code, then its text, indented.
TAG = re.compile(r"^\s{1,8}(\d+)\s{2,}(\S.*)$")


def plain(text):
    return " ".join(text.replace("`", "").split())


def table(path):
    codes = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            match = ROW.match(line)
            if match:
                code, meaning, examples = match.groups()
                codes[code] = f"{plain(meaning)}. Examples: {plain(examples)}."
    return codes


def man_section(path):
    """{code: paragraph} of the rendered page's EXIT STATUS section."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    start = next(i for i, line in enumerate(lines) if line == "EXIT STATUS")
    codes, current = {}, None
    for line in lines[start + 1:]:
        if line and not line[0].isspace():
            break  # The next section.
        match = TAG.match(line)
        if match:
            current = match.group(1)
            codes[current] = [match.group(2)]
        elif current and line.strip() and line.startswith(" " * 14):
            codes[current].append(line.strip())
        else:
            current = None
    return {code: plain(" ".join(text)) for code, text in codes.items()}


def main(markdown, rendered):
    expected, actual = table(markdown), man_section(rendered)
    problems = []
    for code in sorted(set(expected) | set(actual)):
        if code not in actual:
            problems.append(f"exit status {code}: not in the man page")
        elif code not in expected:
            problems.append(f"exit status {code}: not in {markdown}")
        elif expected[code] != actual[code]:
            problems.append(f"exit status {code}: the man page says\n  "
                            f"{actual[code]}\nwhere {markdown} says\n  "
                            f"{expected[code]}")
    for problem in problems:
        print(problem)
    if not expected:
        print(f"{markdown}: no exit codes")
        return 1
    if problems:
        return 1
    print(f"exit status: the man page and {markdown} agree on "
          f"{', '.join(sorted(expected))}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
