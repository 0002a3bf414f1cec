#!/usr/bin/env python3
"""Checks that the relative links of Markdown files lead somewhere.

    doc_links.py ROOT

Reads every *.md file under ROOT (a source tree or an installed
share/doc/freethreading-tidy) and, for each [text](target) whose target is
not a URL or an anchor, checks that the file or directory exists. Prints one
line per broken link and exits 1 if there is any.
"""
import os
import re
import sys

LINK = re.compile(r"\]\(([^)\s]+)\)")
SKIPPED_DIRS = {".git", "build", "Inputs", "__pycache__"}


def main(root):
    broken, checked = [], 0
    for top, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs
                   if d not in SKIPPED_DIRS and not d.startswith("build")]
        for name in files:
            if not name.endswith(".md"):
                continue
            path = os.path.join(top, name)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            for number, line in enumerate(text.splitlines(), 1):
                for target in LINK.findall(line):
                    if re.match(r"^[a-z]+:|^#", target):
                        continue
                    checked += 1
                    local = os.path.join(top, target.split("#")[0])
                    if not os.path.exists(local):
                        broken.append(f"{os.path.relpath(path, root)}:"
                                      f"{number}: broken link: {target}")
    for line in broken:
        print(line)
    if not broken:
        print(f"{checked} relative links, none broken")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
