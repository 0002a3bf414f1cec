#!/usr/bin/env python3
"""What the freethreading checks cost over parsing, in instructions.

    bench/speed.py [--build BUILD] [--real FILE[:FLAGS]]... [--sizes 1000,2000,4000]
                   [--per-check] [--dense N] [--out report.md]

Every command runs under `valgrind --tool=callgrind`, whose instruction
counts are the same from run to run on a busy machine. For each file it
counts `clang-22 -fsyntax-only` (the parse floor), freethreading-tidy with a
single trivial stock check (clang-tidy's own framework: `llvm-twine-local`,
which clang-tidy does not run on C, so no AST walk at all), with one stock
check that does run on C and matches a few calls by name (`framework +
walk`: the MatchFinder's walk of the whole translation unit, headers
included, which any check with a matcher pays), with all
`freethreading-*` checks, and (with --per-check) with each check alone, and
prints the ratios to the parse floor.

The files: the bundled example (examples/spam/spammodule.c), the real
extension files given with --real (FLAGS are extra compile flags separated
by spaces; the real files stay outside the repository), and generated
modules (bench/genmodule.py) of each --sizes functions with one hazard in
twenty functions, plus one of --dense functions with a hazard in every
function. Everything is analysed with `-I/usr/include/python3.11 -I compat`,
as `python3-config --includes` gives the include flag.
"""

import argparse
import pathlib
import re
import shlex
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
PY_FLAGS = ["-I/usr/include/python3.11", f"-I{ROOT / 'compat'}"]
FRAMEWORK_CHECK = "llvm-twine-local"  # Not run on C: no AST walk.
WALK_CHECK = "bugprone-command-processor"  # Runs on C; matches system().


def instructions(command):
    """Instructions executed by `command` and its children, by callgrind."""
    with tempfile.TemporaryDirectory(prefix="ft-speed-") as tmp:
        out = pathlib.Path(tmp) / "callgrind.out.%p"
        done = subprocess.run(
            ["valgrind", "--tool=callgrind", "--trace-children=yes",
             f"--callgrind-out-file={out}"] + command,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        total = sum(int(n.replace(",", "")) for n in
                    re.findall(r"Collected : ([\d,]+)", done.stderr))
        if total == 0:
            sys.exit(f"speed.py: no count for {shlex.join(command)}:\n"
                     f"{done.stderr[-2000:]}")
        return total, done.stdout


def checks(tidy):
    listed = subprocess.run([str(tidy), "--checks=-*,freethreading-*",
                             "--list-checks"], stdout=subprocess.PIPE,
                            text=True).stdout
    return re.findall(r"^\s+(freethreading-[a-z-]+)$", listed, re.M)


def measure(tidy, clang, path, flags, per_check):
    """The instruction counts of one file, by configuration."""
    row = {}
    row["parse"], _ = instructions([clang, "-fsyntax-only"] + flags + [str(path)])
    base = [str(tidy), "--quiet", str(path)]
    row["framework"], _ = instructions(
        base[:1] + [f"--checks=-*,{FRAMEWORK_CHECK}"] + base[1:] + ["--"] + flags)
    row["walk"], _ = instructions(
        base[:1] + [f"--checks=-*,{WALK_CHECK}"] + base[1:] + ["--"] + flags)
    row["all"], out = instructions(
        base[:1] + ["--checks=-*,freethreading-*"] + base[1:] + ["--"] + flags)
    row["findings"] = out.count("[freethreading-")
    if per_check:
        for check in checks(tidy):
            row[check], _ = instructions(
                base[:1] + [f"--checks=-*,{check}"] + base[1:] + ["--"] + flags)
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=str(ROOT / "build"))
    parser.add_argument("--clang", default="clang-22")
    parser.add_argument("--real", action="append", default=[],
                        help="FILE or FILE:EXTRA FLAGS (outside the repository)")
    parser.add_argument("--sizes", default="1000,2000,4000")
    parser.add_argument("--dense", type=int, default=1000,
                        help="functions of the module with a hazard in each")
    parser.add_argument("--per-check", action="store_true")
    parser.add_argument("--out", help="also write the table here (markdown)")
    args = parser.parse_args()
    tidy = pathlib.Path(args.build) / "bin" / "freethreading-tidy"
    files = [("spammodule.c", ROOT / "examples/spam/spammodule.c", PY_FLAGS)]
    for spec in args.real:
        path, _, extra = spec.partition(":")
        files.append((pathlib.Path(path).name, pathlib.Path(path),
                      PY_FLAGS + shlex.split(extra)))
    rows = []
    with tempfile.TemporaryDirectory(prefix="ft-speed-gen-") as tmp:
        gen = [(f"generated {n}", n, 20) for n in
               map(int, args.sizes.split(",") if args.sizes else [])]
        if args.dense:
            gen.append((f"dense {args.dense}", args.dense, 1))
        for name, n, every in gen:
            path = pathlib.Path(tmp) / f"gen_{n}_{every}.c"
            subprocess.run([sys.executable, str(ROOT / "bench/genmodule.py"),
                            str(path), "--functions", str(n), "--every",
                            str(every)], check=True)
            files.append((name, path, PY_FLAGS))
        for name, path, flags in files:
            row = measure(tidy, args.clang, path, flags, args.per_check)
            row["name"] = name
            row["lines"] = sum(1 for _ in open(path, errors="replace"))
            rows.append(row)
            print(f"measured {name}: all/parse {row['all'] / row['parse']:.3f}",
                  file=sys.stderr)
    extra = sorted({k for r in rows for k in r} -
                   {"name", "lines", "parse", "framework", "walk", "all",
                    "findings"})
    head = ["file", "lines", "findings", "parse (Ir)", "framework",
            "framework + walk", "all checks"]
    head += [c.replace("freethreading-", "") for c in extra]
    lines = ["| " + " | ".join(head) + " |",
             "|" + "---|" * len(head)]
    for r in rows:
        cells = [r["name"], str(r["lines"]), str(r["findings"]),
                 f"{r['parse']:,}", f"{r['framework'] / r['parse']:.3f}x",
                 f"{r['walk'] / r['parse']:.3f}x", f"{r['all'] / r['parse']:.3f}x"]
        cells += [f"{r[c] / r['parse']:.3f}x" for c in extra]
        lines.append("| " + " | ".join(cells) + " |")
    sizes = [r for r in rows if r["name"].startswith("generated ")]
    if len(sizes) >= 2:
        lines.append("")
        lines.append(f"all checks, {sizes[-1]['name']} vs {sizes[0]['name']}: "
                     f"{sizes[-1]['all'] / sizes[0]['all']:.2f}x the "
                     f"instructions for {sizes[-1]['lines'] / sizes[0]['lines']:.2f}x "
                     f"the lines")
    table = "\n".join(lines)
    print(table)
    if args.out:
        pathlib.Path(args.out).write_text(table + "\n")


if __name__ == "__main__":
    main()
