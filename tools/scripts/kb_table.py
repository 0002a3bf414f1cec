#!/usr/bin/env python3
"""Prints the knowledge base's tables as Markdown, or checks docs against them.

  kb_table.py borrowed|fresh|libc      print that table
  kb_table.py --check DOC [DOC...]     every `<!-- BEGIN kb:NAME -->` ...
                                       `<!-- END kb:NAME -->` block in the
                                       docs must equal the generated table
  kb_table.py --update DOC [DOC...]    rewrite those blocks

The .def files under lib/ are the only source of these facts; the docs show
them, and the test suite fails when the two drift apart.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def split_args(text):
    """Splits a macro argument list at its top-level commas."""
    args, depth, current, in_string, i = [], 0, "", False, 0
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
            in_string, current = True, current + c
        elif c in "([{":
            depth, current = depth + 1, current + c
        elif c in ")]}":
            depth, current = depth - 1, current + c
        elif c == "," and depth == 0:
            args.append(current.strip())
            current = ""
        else:
            current += c
        i += 1
    args.append(current.strip())
    return args


def string_value(arg, macros=None):
    """The value of a sequence of string literals, or of a macro naming one;
    anything else (an enumerator, a number) as written."""
    arg = arg.strip()
    if macros and arg in macros:
        return macros[arg]
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', arg)
    if not parts:
        return arg
    return "".join(p.replace('\\"', '"').replace("\\\\", "\\") for p in parts)


def def_rows(def_file, macro):
    """The arguments of every MACRO(...) row of lib/DEF_FILE, string
    literals joined and string macros (#define NAME "...") resolved."""
    path = def_file if os.path.isabs(def_file) else os.path.join(ROOT, "lib", def_file)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"//[^\n]*", "", text).replace("\\\n", " ")
    macros = {name: string_value(body) for name, body in
              re.findall(r"#define (\w+)[ \t]+(\"[^\n]*)", text)}
    rows = []
    for m in re.finditer(rf"^{macro}\(", text, re.M):
        depth, i, in_string = 1, m.end(), False
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
        rows.append([string_value(a, macros) for a in split_args(text[m.end():i - 1])])
    return rows


def libc_rows(def_file="LibcFunctions.def"):
    """LibcFunctions.def as dicts: name, sets (LibcSet enumerators), shared,
    remedy, fix (LibcFix enumerator), note."""
    rows = []
    for name, sets, shared, remedy, fix, _state_arg, note in def_rows(def_file, "UNSAFE_LIBC"):
        rows.append({"name": name, "sets": {x.strip() for x in sets.split("|")},
                     "shared": shared, "remedy": remedy, "fix": fix, "note": note})
    return rows


def borrowed():
    lines = ["| API | spelled as | remedy |", "|---|---|---|"]
    for name, spelling, _container, repl, since, _rewrite, _on_null, advice in def_rows(
            "BorrowedApis.def", "BORROWED_API"):
        if advice:
            remedy = advice
        else:
            remedy = f"use `{repl}`" + (f" (CPython {since}+)" if since else "")
        remedy = re.sub(r"'([A-Za-z_]+)'", r"`\1`", remedy)
        lines.append(f"| `{name}` | {spelling.lower()} | {remedy} |")
    return "\n".join(lines)


def fresh():
    kinds = {"Mutable": "a new container: private until the function publishes it",
             "Immutable": "a new tuple: safe to read even once shared"}
    lines = ["| call | returns |", "|---|---|"]
    for name, kind in def_rows("ContainerApis.def", "FRESH_CONTAINER_FACTORY"):
        lines.append(f"| `{name}` | {kinds[kind]} |")
    return "\n".join(lines)


LIBC_FIX_NAMES = {
    "None": "",
    "StrtokR": "`strtok_r` + save pointer",
    "TmBufferR": "`_r` + `struct tm` buffer",
    "CharBufferR": "`_r` + 26-byte buffer",
    "MbtowcState": "`mbrtowc` + local `mbstate_t`",
    "NullState": "local `mbstate_t`",
    "Strerror": "`strerror_r` via `_Generic` (C11)",
    "InetNtop": "`inet_ntop` + buffer",
}


def libc():
    lines = ["| function | lists | shares | use instead | fix-it |",
             "|---|---|---|---|---|"]
    for row in libc_rows():
        sets = ", ".join(name for bit, name in (("LibcPosix", "posix"), ("LibcGlibc", "glibc"),
                                                ("LibcExtra", "ours"))
                         if bit in row["sets"])
        name = f"`{row['name']}`" + (" (NULL state)" if row["fix"] == "NullState" else "")
        cells = [name, sets, row["shared"], row["remedy"], LIBC_FIX_NAMES[row["fix"]]]
        cells = [re.sub(r"'([^' ]+)'", r"`\1`", c).replace("|", "\\|") for c in cells]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


TABLES = {"borrowed": borrowed, "fresh": fresh, "libc": libc}


def blocks(text):
    return re.finditer(r"<!-- BEGIN kb:(\w+) -->\n(.*?)<!-- END kb:\1 -->", text, re.S)


def main(argv):
    if len(argv) == 1 and argv[0] in TABLES:
        print(TABLES[argv[0]]())
        return 0
    if len(argv) >= 2 and argv[0] in ("--check", "--update"):
        status = 0
        for doc in argv[1:]:
            with open(doc, encoding="utf-8") as f:
                text = f.read()
            new = text
            for m in blocks(text):
                if m.group(1) not in TABLES:
                    print(f"{doc}: unknown table kb:{m.group(1)}")
                    status = 1
                    continue
                want = TABLES[m.group(1)]() + "\n"
                if m.group(2) != want:
                    if argv[0] == "--check":
                        print(f"{doc}: table kb:{m.group(1)} differs from lib/; "
                              f"run tools/scripts/kb_table.py --update {doc}")
                        status = 1
                    new = new.replace(m.group(0), f"<!-- BEGIN kb:{m.group(1)} -->\n{want}"
                                      f"<!-- END kb:{m.group(1)} -->")
            if argv[0] == "--update" and new != text:
                with open(doc, "w", encoding="utf-8") as f:
                    f.write(new)
        return status
    sys.stderr.write(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
