#!/usr/bin/env python3
"""Prints the knowledge base's tables as Markdown, or checks docs against them.

  kb_table.py borrowed                 print the borrowed-API table
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


def def_rows(def_file, macro):
    """The argument lists of every MACRO(...) row of a .def file."""
    with open(os.path.join(ROOT, "lib", def_file), encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"//[^\n]*", "", text)
    rows = []
    for m in re.finditer(rf"^{macro}\(", text, re.M):
        depth, i, args, cur, in_str = 1, m.end(), [], "", False
        while depth:
            c = text[i]
            if in_str:
                cur += c
                if c == "\\":
                    cur += text[i + 1]
                    i += 1
                elif c == '"':
                    in_str = False
            elif c == '"':
                in_str, cur = True, cur + c
            elif c == "(":
                depth, cur = depth + 1, cur + c
            elif c == ")":
                depth -= 1
                if depth:
                    cur += c
            elif c == "," and depth == 1:
                args.append(cur)
                cur = ""
            else:
                cur += c
            i += 1
        args.append(cur)
        rows.append([value(a) for a in args])
    return rows


def value(arg):
    arg = arg.strip()
    strings = re.findall(r'"((?:[^"\\]|\\.)*)"', arg)
    return "".join(strings) if strings else arg


def borrowed():
    lines = ["| API | spelled as | remedy |", "|---|---|---|"]
    for name, spelling, _container, repl, since, _rewrite, advice in def_rows(
            "BorrowedApis.def", "BORROWED_API"):
        if advice:
            remedy = advice
        else:
            remedy = f"use `{repl}`" + (f" (CPython {since}+)" if since else "")
        remedy = re.sub(r"'([A-Za-z_]+)'", r"`\1`", remedy)
        lines.append(f"| `{name}` | {spelling.lower()} | {remedy} |")
    return "\n".join(lines)


TABLES = {"borrowed": borrowed}


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
