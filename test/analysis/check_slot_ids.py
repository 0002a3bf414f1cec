#!/usr/bin/env python3
"""Checks lib/TypeSlots.def against a CPython typeslots.h and moduleobject.h.

Usage: check_slot_ids.py TYPESLOTS_DEF INCLUDE_DIR
Every `#define Py_<slot> N` of the headers that the table names must carry
the same number, and every slot of typeslots.h must be in the table.
Prints one line per slot compared and a closing count; exits 1 on a mismatch.
"""
import os
import re
import sys


def defines(path):
    with open(path) as f:
        return {m.group(1): int(m.group(2))
                for m in re.finditer(r"^#\s*define\s+(Py_\w+)\s+(\d+)\s*$", f.read(), re.M)}


def main(def_path, include):
    with open(def_path) as f:
        text = f.read()
    table = {"Py_" + name: int(num) for name, num in
             re.findall(r"^TYPE_SLOT\((\w+),\s*(\d+),", text, re.M)}
    table.update({name: int(num) for name, num in
                  re.findall(r"^MODULE_SLOT\((Py_\w+),\s*(\d+),", text, re.M)})
    headers = defines(os.path.join(include, "typeslots.h"))
    type_slots = set(headers)
    headers.update({k: v for k, v in defines(os.path.join(include, "moduleobject.h")).items()
                    if k.startswith("Py_mod_")})
    problems = 0
    for name, number in sorted(headers.items(), key=lambda kv: kv[1]):
        if name not in table:
            if name in type_slots:
                print(f"missing {name} {number}")
                problems += 1
            continue
        ok = table[name] == number or table[name] == 0
        print(f"{'ok' if ok else 'MISMATCH'} {name} header={number} table={table[name]}")
        problems += not ok
    print(f"slot ids: {len(headers)} compared, {problems} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
