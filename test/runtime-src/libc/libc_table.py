#!/usr/bin/env python3
"""Checks freethreading-unsafe-libc-call against its own knowledge table.

  libc_table.py generate DEF OUT.c
      writes a C file that declares every function of DEF (LibcFunctions.def)
      without a prototype and calls it once, with 0 for every argument (a
      NULL state for the restartable conversions).
  libc_table.py superset DEF LISTS
      checks that every name of concurrency-mt-unsafe's lists (LISTS, lines
      of 'posix NAME' or 'glibc NAME') is a row of DEF carrying that set.
  libc_table.py verify DEF SET LOG
      reads the tool's output LOG for that file and checks that exactly the
      rows of the FunctionSet SET (posix, glibc, any; our additions belong
      to every set) were reported, once each, with the row's text, and that
      every row without a fix-it carries its note.
"""

import os
import re
import sys


# One reader of the knowledge base for every script: tools/scripts/kb_table.py.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "..", "tools", "scripts"))
from kb_table import libc_rows  # noqa: E402


def generate(rows, out):
    with open(out, "w", encoding="utf-8") as f:
        f.write("// Generated from LibcFunctions.def by libc_table.py.\n")
        for row in rows:
            f.write(f"int {row['name']}();\n")
        f.write("void every_function(void) {\n")
        for row in rows:
            f.write(f"  {row['name']}(0, 0, 0, 0, 0);\n")
        f.write("}\n")


def verify(rows, selected, log):
    wanted = {"posix": {"LibcPosix", "LibcExtra"}, "glibc": {"LibcGlibc", "LibcExtra"},
              "any": {"LibcPosix", "LibcGlibc", "LibcExtra"}}[selected]
    with open(log, encoding="utf-8", errors="replace") as f:
        lines = f.read().splitlines()
    warnings = {}
    notes = {}
    last = None
    for line in lines:
        m = re.search(r":(\d+):\d+: warning: function '(\w+)' (.*) \[freethreading-unsafe-libc-call\]$",
                      line)
        if m:
            last = m.group(2)
            warnings.setdefault(last, []).append(m.group(3))
            continue
        m = re.search(r":\d+:\d+: note: (.*)$", line)
        if m and last:
            notes.setdefault(last, []).append(m.group(1))
    errors = []
    for row in rows:
        name = row["name"]
        expected = bool(row["sets"] & wanted)
        got = warnings.get(name, [])
        if not expected:
            if got:
                errors.append(f"{name}: reported although not in the {selected} set")
            continue
        if len(got) != 1:
            errors.append(f"{name}: {len(got)} warnings instead of 1")
            continue
        state = ", because its state argument is NULL" if row["fix"] == "NullState" else ""
        text = f"uses {row['shared']} shared by all threads{state}; use {row['remedy']}"
        if got[0] != text:
            errors.append(f"{name}: message '{got[0]}' is not '{text}'")
        if row["fix"] == "None" and row["note"] and row["note"] not in notes.get(name, []):
            errors.append(f"{name}: note '{row['note']}' missing")
    unknown = set(warnings) - {row["name"] for row in rows}
    for name in sorted(unknown):
        errors.append(f"{name}: reported but not in the table")
    if errors:
        sys.stderr.write("\n".join(errors) + "\n")
        sys.exit(1)
    print(f"{selected}: {sum(1 for r in rows if r['sets'] & wanted)} of {len(rows)} rows reported")


def superset(rows, lists):
    by_name = {row["name"]: row for row in rows}
    counts, errors = {}, []
    with open(lists, encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            selected, name = line.split()
            counts[selected] = counts.get(selected, 0) + 1
            bit = {"posix": "LibcPosix", "glibc": "LibcGlibc"}[selected]
            if name not in by_name:
                errors.append(f"{name}: in the {selected} list but not in the table")
            elif bit not in by_name[name]["sets"]:
                errors.append(f"{name}: in the {selected} list but the row lacks {bit}")
    if errors:
        sys.stderr.write("\n".join(errors) + "\n")
        sys.exit(1)
    for selected in sorted(counts):
        print(f"{selected} list: all {counts[selected]} names in the table")


def main():
    mode, definition = sys.argv[1], sys.argv[2]
    rows = libc_rows(os.path.abspath(definition))
    if mode == "generate":
        generate(rows, sys.argv[3])
    elif mode == "superset":
        superset(rows, sys.argv[3])
    elif mode == "verify":
        verify(rows, sys.argv[3], sys.argv[4])
    else:
        sys.exit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
