#!/usr/bin/env python3
"""Checks that every registered check is documented and tested.

For each `registerCheck<...>("freethreading-NAME")` in the module file:
docs/checks/freethreading-NAME.md exists and opens with its title, the docs
index and the README's check table mention it, and at least one lit test
under test/ runs it. Registrations must be in alphabetical order.
"""
import glob
import os
import re
import sys


def main(root):
    with open(os.path.join(root, "checks", "FreeThreadingTidyModule.cpp")) as f:
        names = re.findall(r'registerCheck<\w+>\(\s*"(freethreading-[a-z-]+)"', f.read())
    problems = []
    if not names:
        problems.append("no checks registered in checks/FreeThreadingTidyModule.cpp")
    if names != sorted(names):
        problems.append("checks are not registered in alphabetical order")
    with open(os.path.join(root, "README.md")) as f:
        readme = f.read()
    with open(os.path.join(root, "docs", "checks", "index.md")) as f:
        index = f.read()
    tests = ""
    for path in glob.glob(os.path.join(root, "test", "**", "*.*"), recursive=True):
        if path.endswith((".c", ".cpp", ".test")):
            with open(path, errors="replace") as f:
                tests += f.read()
    for name in names:
        doc = os.path.join(root, "docs", "checks", name + ".md")
        if not os.path.exists(doc):
            problems.append(f"{name}: no docs/checks/{name}.md")
        else:
            with open(doc) as f:
                if not f.readline().startswith(f"# {name}"):
                    problems.append(f"{name}: docs page does not open with '# {name}'")
        if f"[{name}](docs/checks/{name}.md)" not in readme:
            problems.append(f"{name}: no row in README.md's check table")
        if f"[{name}]({name}.md)" not in index:
            problems.append(f"{name}: not listed in docs/checks/index.md")
        if not re.search(rf"%check_freethreading_tidy[^\n]*\s{re.escape(name)}\s", tests):
            problems.append(f"{name}: no lit test runs it")
    for p in problems:
        print("consistency: " + p)
    print(f"consistency: {len(names)} checks, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
