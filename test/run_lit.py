#!/usr/bin/env python3
"""Runs lit and closes with one plain summary line, `N passed, N failed`.

Usage: run_lit.py LIT [LIT ARGS...] TEST_DIR
lit's own summary spreads over several lines; CI systems that read a single
closing line get it here. The exit code is lit's.
"""
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET


def main():
    if len(sys.argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        report = os.path.join(tmp, "lit.xml")
        rc = subprocess.call(sys.argv[1:-1] + [f"--xunit-xml-output={report}", sys.argv[-1]])
        passed = failed = skipped = 0
        if os.path.exists(report):
            for case in ET.parse(report).getroot().iter("testcase"):
                if case.find("failure") is not None or case.find("error") is not None:
                    failed += 1
                elif case.find("skipped") is not None:
                    skipped += 1
                else:
                    passed += 1
        elif rc != 0:
            failed = 1
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)
    return rc


if __name__ == "__main__":
    sys.exit(main())
