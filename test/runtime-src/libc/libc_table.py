#!/usr/bin/env python3
"""Checks freethreading-unsafe-libc-call against its own knowledge table.

  libc_table.py generate DEF OUT.c
      writes a C file that declares every function of DEF (LibcFunctions.def)
      without a prototype and calls it once, with 0 for every argument (a
      NULL state for the restartable conversions).
  libc_table.py markdown DEF [DOC]
      prints the table as Markdown; with DOC, checks that the block between
      `<!-- BEGIN libc-table -->` and `<!-- END libc-table -->` equals it.
  libc_table.py superset DEF LISTS
      checks that every name of concurrency-mt-unsafe's lists (LISTS, lines
      of 'posix NAME' or 'glibc NAME') is a row of DEF carrying that set.
  libc_table.py verify DEF SET LOG
      reads the tool's output LOG for that file and checks that exactly the
      rows of the FunctionSet SET (posix, glibc, any; our additions belong
      to every set) were reported, once each, with the row's text, and that
      every row without a fix-it carries its note.
"""

import re
import sys


def split_args(text):
    """Splits a macro argument list at top-level commas."""
    args, depth, current, in_string = [], 0, "", False
    i = 0
    while i < len(text):
        c = text[i]
        if in_string:
            current += c
            if c == "\\":
                current += text[i + 1]
                i += 1
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
            current += c
        elif c == "(":
            depth += 1
            current += c
        elif c == ")":
            depth -= 1
            current += c
        elif c == "," and depth == 0:
            args.append(current.strip())
            current = ""
        else:
            current += c
        i += 1
    args.append(current.strip())
    return args


def string_value(arg, macros):
    """The value of a sequence of string literals, or of a macro naming one."""
    arg = arg.strip()
    if arg in macros:
        return macros[arg]
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', arg)
    return "".join(p.replace('\\"', '"').replace("\\\\", "\\") for p in parts)


def read_table(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"//[^\n]*", "", text)
    text = text.replace("\\\n", " ")
    macros = {}
    for name, body in re.findall(r"#define (FT_\w+)\s+([^\n]*)", text):
        macros[name] = string_value(body, {})
    rows = []
    for match in re.finditer(r"^UNSAFE_LIBC\(", text, re.M):
        depth, i = 1, match.end()
        in_string = False
        while depth:
            c = text[i]
            if in_string:
                if c == "\\":
                    i += 1
                elif c == '"':
                    in_string = False
            elif c == '"':
                in_string = True
            elif c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
            i += 1
        args = split_args(text[match.end():i - 1])
        name, sets, shared, remedy, fix, state_arg, note = args
        rows.append({
            "name": name,
            "sets": {s.strip() for s in sets.split("|")},
            "shared": string_value(shared, macros),
            "remedy": string_value(remedy, macros),
            "fix": fix,
            "note": string_value(note, macros),
        })
    return rows


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


FIX_NAMES = {
    "None": "",
    "StrtokR": "`strtok_r` + save pointer",
    "TmBufferR": "`_r` + `struct tm` buffer",
    "CharBufferR": "`_r` + 26-byte buffer",
    "MbtowcState": "`mbrtowc` + local `mbstate_t`",
    "NullState": "local `mbstate_t`",
    "Strerror": "`strerror_r` via `_Generic` (C11)",
    "InetNtop": "`inet_ntop` + buffer",
}


def markdown(rows):
    lines = ["| function | lists | shares | use instead | fix-it |",
             "|---|---|---|---|---|"]
    for row in rows:
        sets = ", ".join(name for bit, name in (("LibcPosix", "posix"), ("LibcGlibc", "glibc"),
                                                ("LibcExtra", "ours"))
                         if bit in row["sets"])
        name = f"`{row['name']}`" + (" (NULL state)" if row["fix"] == "NullState" else "")
        cells = [name, sets, row["shared"], row["remedy"], FIX_NAMES[row["fix"]]]
        cells = [re.sub(r"'([^' ]+)'", r"`\1`", c).replace("|", "\\|") for c in cells]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def check_doc(rows, doc):
    with open(doc, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"<!-- BEGIN libc-table -->\n(.*?)<!-- END libc-table -->", text, re.S)
    if not m:
        sys.exit(f"{doc}: no libc-table block")
    if m.group(1) != markdown(rows):
        sys.exit(f"{doc}: the libc-table block differs from LibcFunctions.def; regenerate it "
                 f"with libc_table.py markdown")
    print(f"{doc}: libc-table matches {len(rows)} rows")


def main():
    mode, definition = sys.argv[1], sys.argv[2]
    rows = read_table(definition)
    if mode == "generate":
        generate(rows, sys.argv[3])
    elif mode == "markdown":
        if len(sys.argv) > 3:
            check_doc(rows, sys.argv[3])
        else:
            sys.stdout.write(markdown(rows))
    elif mode == "superset":
        superset(rows, sys.argv[3])
    elif mode == "verify":
        verify(rows, sys.argv[3], sys.argv[4])
    else:
        sys.exit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
