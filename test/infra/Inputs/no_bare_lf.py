#!/usr/bin/env python3
"""Fails if a file has a line feed not preceded by a carriage return.

Usage: no_bare_lf.py FILE...  (prints each offending line number)
"""
import sys

bad = 0
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        lines = f.read().split(b"\n")
    for number, line in enumerate(lines[:-1], 1):
        if not line.endswith(b"\r"):
            print(f"{path}:{number}: bare LF")
            bad += 1
print(f"no_bare_lf: {bad} bare LF")
sys.exit(1 if bad else 0)
