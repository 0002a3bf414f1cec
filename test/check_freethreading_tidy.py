#!/usr/bin/env python3
"""Runs one freethreading check on a test file and verifies it with FileCheck.

Usage (from lit):
  check_freethreading_tidy.py [tool options] [-check-suffix=S] SOURCE CHECK TEMP
      [-- CLANG_TIDY_ARGS... [-- COMPILER_ARGS...]]

The contract follows clang-tidy's own check_clang_tidy: the check runs with
-fix on a copy of SOURCE (CHECK lines blanked so they cannot match
themselves). Its diagnostics are matched against the CHECK-MESSAGES lines,
and every warning must be matched; with CHECK-NOTES, notes are matched too.
The fixed copy is matched line by line against CHECK-FIXES; a file without
CHECK-FIXES must come back unchanged (unless -ignore-fixes says the test is
about diagnostics only and its fixes are covered by other tests), and a file without CHECK-MESSAGES or
CHECK-NOTES must produce no warning at all.

Every test runs twice: clang-tidy with the plugin loaded, and the
freethreading-tidy driver. Both must print the same diagnostics and produce
the same fixed file.

A fix-it is a promise, whatever -ignore-fixes says about matching: when the
check changed the file, the fixed file must compile with the flags it was
analysed with (if the original compiled), and a second -fix must leave it
as it is.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys

CHECK_LINE = re.compile(r"//\s*CHECK-[A-Z0-9-]+:[^\r\n]*")


def fail(message, output=""):
    sys.stderr.write(f"check_freethreading_tidy: {message}\n")
    if output:
        sys.stderr.write("------ output ------\n" + output + "\n--------------------\n")
    sys.exit(1)


def run(cmd, **kwargs):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, errors="replace", **kwargs)


def filecheck(filecheck_bin, check_file, input_text, prefix, extra):
    proc = subprocess.run(
        [filecheck_bin, check_file, f"-check-prefix={prefix}", "-dump-input=fail"] + extra,
        input=input_text, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if proc.returncode != 0:
        fail(f"FileCheck {prefix} failed", proc.stdout)


def compiles(clang, path, compile_args, cwd):
    return run([clang, "-fsyntax-only"] + compile_args + [path], cwd=cwd)


def keep_promise(args, cmd, temp_file, cleaned, fixed, compile_args, temp_dir, ext):
    """The fixed file builds as well as the original, and is a fixed point."""
    before = f"{args.temp}.original{ext}"
    with open(before, "w", encoding="utf-8") as f:
        f.write(cleaned)
    if compiles(args.clang, before, compile_args, temp_dir).returncode == 0:
        proc = compiles(args.clang, temp_file, compile_args, temp_dir)
        if proc.returncode != 0:
            fail("the fixed file does not compile with the flags it was analysed "
                 "with", proc.stdout + "\n------ fixed file ------\n" + fixed)
    proc = run(cmd, cwd=temp_dir)
    with open(temp_file, encoding="utf-8") as f:
        again = f.read()
    if again != fixed:
        fail("a second -fix changed the fixed file again", proc.stdout)


def main():
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--clang-tidy", required=True)
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--driver", required=True)
    parser.add_argument("--filecheck", required=True)
    parser.add_argument("--clang", required=True)
    parser.add_argument("-check-suffix", "-check-suffixes", dest="suffix", default="")
    parser.add_argument("--only", choices=["plugin", "driver"], default=None)
    parser.add_argument("-ignore-fixes", dest="ignore_fixes", action="store_true")
    parser.add_argument("source")
    parser.add_argument("check")
    parser.add_argument("temp")
    argv = sys.argv[1:]
    rest = []
    if "--" in argv:
        i = argv.index("--")
        argv, rest = argv[:i], argv[i + 1:]
    args = parser.parse_args(argv)
    # The tools run from the temp file's directory: make paths absolute.
    for attr in ("plugin", "driver"):
        setattr(args, attr, os.path.abspath(getattr(args, attr)))
    tidy_args, compile_args = rest, []
    if "--" in tidy_args:
        i = tidy_args.index("--")
        tidy_args, compile_args = tidy_args[:i], tidy_args[i + 1:]

    ext = os.path.splitext(args.source)[1]
    if ext not in (".c", ".cpp", ".cc", ".h", ".hpp"):
        fail(f"unsupported test file extension {ext}")
    if not compile_args:
        compile_args = ["-std=c11"] if ext == ".c" else ["-std=c++17"]
    if ext in (".h", ".hpp"):
        compile_args = ["-x", "c++-header" if ext == ".hpp" else "c-header"] + compile_args

    with open(args.source, encoding="utf-8") as f:
        original = f.read()
    suffix = f"-{args.suffix}" if args.suffix else ""
    msg_prefix, fix_prefix, note_prefix = (f"CHECK-MESSAGES{suffix}", f"CHECK-FIXES{suffix}",
                                           f"CHECK-NOTES{suffix}")
    has_messages = re.search(rf"\b{msg_prefix}:", original) is not None
    has_notes = re.search(rf"\b{note_prefix}:", original) is not None
    has_fixes = re.search(rf"\b{fix_prefix}:", original) is not None
    cleaned = CHECK_LINE.sub("//", original)

    temp_dir = os.path.dirname(os.path.abspath(args.temp)) or "."
    os.makedirs(temp_dir, exist_ok=True)
    modes = [("plugin", [args.clang_tidy, "-load", args.plugin]), ("driver", [args.driver])]
    if args.only:
        modes = [m for m in modes if m[0] == args.only]
    results = {}
    for mode, tool in modes:
        temp_file = f"{args.temp}.{mode}{ext}"
        with open(temp_file, "w", encoding="utf-8") as f:
            f.write(cleaned)
        cmd = tool + [temp_file, "-fix", f"--checks=-*,{args.check}", "--header-filter=.*",
                      "--system-headers=0"] + tidy_args + ["--"] + compile_args
        proc = run(cmd, cwd=temp_dir)
        output = proc.stdout
        if proc.returncode != 0 and "error:" not in output:
            fail(f"{mode}: clang-tidy exited with {proc.returncode}: {' '.join(cmd)}", output)
        with open(temp_file, encoding="utf-8") as f:
            fixed = f.read()
        # Diagnostics in the test file itself, with the path removed so
        # patterns read `:[[@LINE-1]]:col: warning: ...`.
        diags = []
        for line in output.splitlines():
            if line.startswith(temp_file + ":"):
                diags.append(line[len(temp_file):])
            elif re.match(r"^[^ ]+:\d+:\d+: (warning|error|note):", line):
                diags.append(line)
        results[mode] = ("\n".join(diags) + "\n", fixed, output)
        if fixed != cleaned and mode == modes[-1][0]:
            keep_promise(args, cmd, temp_file, cleaned, fixed, compile_args, temp_dir, ext)

        warnings = [d for d in diags if re.search(r": (warning|error):", d)]
        if has_notes:
            filecheck(args.filecheck, args.source, "\n".join(diags) + "\n", note_prefix,
                      ["-implicit-check-not={{note|warning|error}}:"])
        elif has_messages:
            only_warnings = "\n".join(d for d in diags if not re.search(r": note:", d)) + "\n"
            filecheck(args.filecheck, args.source, only_warnings, msg_prefix,
                      ["-implicit-check-not={{warning|error}}:"])
        elif warnings:
            fail(f"{mode}: expected no diagnostics, got:\n" + "\n".join(warnings), output)
        if has_fixes:
            filecheck(args.filecheck, args.source, fixed, fix_prefix,
                      ["-match-full-lines"])
        elif fixed != cleaned and not args.ignore_fixes:
            fail(f"{mode}: the file was changed although the test has no {fix_prefix} lines",
                 fixed)
    if len(results) == 2:
        (d1, f1, o1), (d2, f2, o2) = results["plugin"], results["driver"]
        if f1 != f2:
            fail("the plugin and freethreading-tidy produced different fixes", o1 + "\n" + o2)
        norm = lambda d: re.sub(r"\.(plugin|driver)\.", ".", d)
        if norm(d1) != norm(d2):
            fail("the plugin and freethreading-tidy printed different diagnostics", d1 + "\n" + d2)


if __name__ == "__main__":
    main()
