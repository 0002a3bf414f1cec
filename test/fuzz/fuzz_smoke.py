#!/usr/bin/env python3
"""Mutation smoke test: damaged sources must not crash, hang, or be fixed
into code that no longer compiles.

    fuzz_smoke.py --plugin SO --clang-tidy BIN --driver BIN --clang BIN
                  --src-root DIR --out DIR [--mutants N] [--seed S] [-j N]
                  [--known LIST] [--subst NAME=VALUE]...

The inputs are the checker tests (test/checkers/*.c, *.cpp), compiled with
the flags of their first %check_freethreading_tidy RUN line, and the bundled
example (examples/spam/spammodule.c, against the %py311 flags). Headers under
test/Inputs are include directories only, never mutated. --subst gives the
lit substitutions the RUN lines use (mock_py=..., inputs=...); a source whose
flags need one that is not given is left out.

Mutant i mutates input i modulo the number of inputs with one or two of:
deleting a line, deleting a token, unbalancing braces or parentheses,
renaming a C-API or libc call to a neighbour (PyList_GetItem ->
PyList_GetItemRef, PyDict_GetItem -> PyDict_Next, swapped both ways),
wrapping lines in `#if 0`, converting line ends to CRLF, truncating. The
random generator is seeded, so the mutants are the same on every run.

Each mutant is checked with every freethreading-* check by the plugin
(clang-tidy -load) and by the freethreading-tidy driver, without and with
--fix on copies. A failure is a crash (signal, assertion, "PLEASE submit a
bug report"), a hang (a run over --timeout seconds), or a broken fix: a
mutant that compiled before (clang -fsyntax-only, no errors) has errors
after --fix. Failing mutants are kept in --out.

--known names inputs whose own --fix, unmutated, already breaks the build
(a bug with an XFAIL reproduction): a mutant's broken fix that adds only the
errors the input's own fix adds is counted as known, not as a failure, and
a listed input whose fix compiles again is a failure (a stale entry).

The last line is `fuzz: N mutants, C crashes, H hangs, B broken fixes`; the
exit status is 1 when any of them, or the count of stale entries, is not
zero.
"""

import argparse
import concurrent.futures
import os
import pathlib
import random
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

CHECKS = "--checks=-*,freethreading-*"
CRASH = re.compile(r"PLEASE submit a bug report|Assertion `.*' failed|LLVM ERROR:")
ERROR = re.compile(r"^.*?:\d+:\d+: (?:fatal )?error: (.*)$", re.M)
TOKEN = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|'
                   r'[A-Za-z_]\w*|\d[\w.]*|->|\+\+|--|&&|\|\||==|!=|<=|>=|##|\S', re.S)
# Neighbouring names: one is renamed to the other, or the two swapped.
RENAMES = [
    ("PyList_GetItem", "PyList_GetItemRef"),
    ("PyList_GetItem", "PyList_GET_ITEM"),
    ("PyDict_GetItem", "PyDict_Next"),
    ("PyDict_GetItem", "PyDict_GetItemRef"),
    ("PyDict_GetItemWithError", "PyDict_GetItemRef"),
    ("PyDict_GetItemString", "PyDict_GetItemStringRef"),
    ("PyDict_SetDefault", "PyDict_SetDefaultRef"),
    ("PyWeakref_GetObject", "PyWeakref_GetRef"),
    ("PyImport_AddModule", "PyImport_AddModuleRef"),
    ("PySequence_Fast_GET_ITEM", "PyTuple_GET_ITEM"),
    ("Py_BEGIN_CRITICAL_SECTION", "Py_END_CRITICAL_SECTION"),
    ("Py_XINCREF", "Py_XDECREF"),
    ("Py_NewRef", "Py_XNewRef"),
    ("PyModule_Create", "PyModuleDef_Init"),
    ("PyModule_Create", "PyModule_Create2"),
    ("Py_mod_gil", "Py_mod_exec"),
    ("Py_MOD_GIL_NOT_USED", "Py_MOD_GIL_USED"),
    ("PyUnstable_Module_SetGIL", "PyModule_AddIntConstant"),
    ("Py_GIL_DISABLED", "Py_mod_gil"),
    ("strtok", "strtok_r"),
    ("localtime", "localtime_r"),
    ("gmtime", "gmtime_r"),
    ("strerror", "strerror_r"),
    ("getenv", "secure_getenv"),
    ("rand", "rand_r"),
    ("NULL", "0"),
]


def run_line_flags(text, subst):
    """(tidy options, compile flags) of the first %check_freethreading_tidy
    RUN line, or None when it needs a substitution not given."""
    joined = re.sub(r"\\\n\s*//\s*RUN:\s*", " ", text)
    m = re.search(r"RUN:\s*%check_freethreading_tidy\b(.*)", joined)
    if not m:
        return None
    words = shlex.split(m.group(1))
    if words.count("--") < 1:
        return None
    first = words.index("--")
    rest = words[first + 1:]
    tidy, flags = (rest[:rest.index("--")], rest[rest.index("--") + 1:]) if "--" in rest else ([], rest)
    out = []
    for word in flags:
        for name in sorted(subst, key=len, reverse=True):
            word = word.replace("%" + name, subst[name])
        if "%" in word:
            return None
        out += shlex.split(word)
    tidy = [w for w in tidy if w.startswith("-config=")]
    return tidy, out


def inputs(src_root, subst):
    """[(path, tidy options, compile flags)] in a fixed order."""
    found = []
    for path in sorted((src_root / "test" / "checkers").glob("*.c*")):
        if path.suffix not in (".c", ".cpp"):
            continue
        flags = run_line_flags(path.read_text(encoding="utf-8"), subst)
        if flags:
            # Where a CompatHeader option's include is found.
            found.append((path, flags[0], flags[1] + ["-I", str(src_root / "compat")]))
    example = src_root / "examples" / "spam" / "spammodule.c"
    if example.exists() and "py311" in subst and os.path.exists("/usr/include/python3.11/Python.h"):
        found.append((example, [], shlex.split(subst["py311"])))
    return found


# Mutations: each takes (text, rng) and returns the new text and a label.

def delete_line(text, rng):
    lines = text.splitlines(keepends=True)
    if not lines:
        return text, "delete-line (empty)"
    i = rng.randrange(len(lines))
    return "".join(lines[:i] + lines[i + 1:]), f"delete line {i + 1}"


def code_tokens(text):
    return [m for m in TOKEN.finditer(text) if not m.group(0).startswith(("//", "/*"))]


def delete_token(text, rng):
    tokens = code_tokens(text)
    if not tokens:
        return text, "delete-token (none)"
    m = rng.choice(tokens)
    return text[:m.start()] + text[m.end():], f"delete token {m.group(0)!r} at {m.start()}"


def unbalance(text, rng):
    spots = [m for m in code_tokens(text) if m.group(0) in "{}()"]
    if not spots:
        return text + "{\n", "append {"
    m = rng.choice(spots)
    if rng.random() < 0.5:
        return text[:m.start()] + text[m.end():], f"delete {m.group(0)!r} at {m.start()}"
    return text[:m.start()] + m.group(0) + text[m.start():], f"double {m.group(0)!r} at {m.start()}"


def rename(text, rng):
    present = [(a, b) for a, b in RENAMES for x in (a, b)
               if re.search(rf"\b{re.escape(x)}\b", text)]
    if not present:
        return delete_token(text, rng)
    a, b = rng.choice(present)
    if not re.search(rf"\b{re.escape(a)}\b", text) or rng.random() < 0.5:
        a, b = b, a
    if not re.search(rf"\b{re.escape(a)}\b", text):
        a, b = b, a
    mode = rng.choice(["one", "all", "swap"])
    if mode == "swap":
        swapped = re.sub(rf"\b({re.escape(a)}|{re.escape(b)})\b",
                         lambda m: b if m.group(1) == a else a, text)
        return swapped, f"swap {a} <-> {b}"
    spots = list(re.finditer(rf"\b{re.escape(a)}\b", text))
    if mode == "all":
        return re.sub(rf"\b{re.escape(a)}\b", b, text), f"rename all {a} -> {b}"
    m = rng.choice(spots)
    return text[:m.start()] + b + text[m.end():], f"rename {a} -> {b} at {m.start()}"


def if_zero(text, rng):
    lines = text.splitlines(keepends=True)
    i = rng.randrange(len(lines) + 1)
    j = min(len(lines), i + rng.randrange(1, 12))
    if rng.random() < 0.2:
        return "".join(lines[:i] + ["#if 0\n"] + lines[i:]), f"unterminated #if 0 at line {i + 1}"
    return ("".join(lines[:i] + ["#if 0\n"] + lines[i:j] + ["#endif\n"] + lines[j:]),
            f"#if 0 around lines {i + 1}-{j}")


def crlf(text, rng):
    if rng.random() < 0.5:
        return text.replace("\n", "\r\n"), "CRLF"
    lines = text.splitlines(keepends=True)
    mixed = [line.replace("\n", "\r\n") if rng.random() < 0.5 else line for line in lines]
    return "".join(mixed), "CRLF on some lines"


def truncate(text, rng):
    at = rng.randrange(len(text) + 1)
    return text[:at], f"truncate at {at}"


MUTATIONS = [delete_line, delete_token, unbalance, rename, rename, if_zero, crlf, truncate]


def make_mutants(sources, count, seed):
    rng = random.Random(seed)
    mutants = []
    for i in range(count):
        path, tidy, flags = sources[i % len(sources)]
        text = path.read_text(encoding="utf-8")
        labels = []
        for _ in range(1 if rng.random() < 0.7 else 2):
            text, label = rng.choice(MUTATIONS)(text, rng)
            labels.append(label)
        mutants.append((i, path, tidy, flags, text, labels))
    return mutants


def run(cmd, timeout, cwd):
    try:
        p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout)
        return p.returncode, p.stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return None, ""


class Fuzzer:
    def __init__(self, args):
        self.args = args
        self.tools = {"plugin": [args.clang_tidy, "-load", args.plugin],
                      "driver": [args.driver]}

    def errors(self, path, flags, cwd):
        """The compiler's error messages, without their positions."""
        rc, out = run([self.args.clang, "-fsyntax-only", "-ferror-limit=0"] + flags + [str(path)],
                      self.args.timeout, cwd)
        return None if rc is None else ERROR.findall(out)

    def fix_errors(self, path, tidy, flags):
        """The errors --fix adds to an unmutated input that compiles."""
        with tempfile.TemporaryDirectory(prefix="ft-fuzz-") as tmp:
            target = pathlib.Path(tmp) / path.name
            shutil.copyfile(path, target)
            if self.errors(target, flags, tmp):
                return None
            run(self.tools["driver"] + [CHECKS, str(target), "--fix"] + tidy + ["--"] + flags,
                self.args.timeout, tmp)
            return set(self.errors(target, flags, tmp) or [])

    def run_tool(self, tool, target, fix, tidy, flags, failures):
        """Runs one tool on target; records a crash or a hang."""
        cmd = self.tools[tool] + [CHECKS, str(target)] + (["--fix"] if fix else []) + tidy
        rc, out = run(cmd + ["--"] + flags, self.args.timeout, target.parent)
        mode = f"{tool}{' --fix' if fix else ''}"
        if rc is None:
            failures.append(("hang", f"{mode}: over {self.args.timeout} s"))
        elif rc < 0 or CRASH.search(out):
            frame = re.search(r"#\d+ 0x[0-9a-f]+ (clang::tidy::freethreading::\S+?)\(", out)
            where = frame.group(1) if frame else "outside freethreading code"
            failures.append(("crash", f"{mode}: exit {rc} in {where}"))

    def check(self, mutant):
        """The (kind, detail) failures of one mutant, whether it compiled
        before, and whether a fix changed it."""
        index, path, tidy, flags, text, labels = mutant
        data = text.encode("utf-8")
        failures, fixed = [], {}
        known = self.known.get(path, set())
        with tempfile.TemporaryDirectory(prefix="ft-fuzz-") as tmp:
            tmp = pathlib.Path(tmp)
            name = f"{path.stem}.m{index}{path.suffix}"
            original = tmp / name
            original.write_bytes(data)
            compiled = self.errors(original, flags, tmp) == []
            for tool in self.tools:
                self.run_tool(tool, original, False, tidy, flags, failures)
                if original.read_bytes() != data:
                    failures.append(("broken fix", f"{tool}: changed the file without --fix"))
                    original.write_bytes(data)
                target = tmp / tool / name
                target.parent.mkdir()
                target.write_bytes(data)
                self.run_tool(tool, target, True, tidy, flags, failures)
                if target.read_bytes() != data:
                    fixed.setdefault(target.read_bytes(), []).append(tool)
            # Each distinct fixed text compiled once (the tools agree, mostly).
            for result, tools in fixed.items() if compiled else ():
                target = tmp / tools[0] / name
                after = self.errors(target, flags, target.parent)
                mode = " and ".join(tools) + " --fix"
                if after and known and set(after) <= known:
                    failures.append(("known broken fix", f"{mode}: {after[0]}"))
                elif after:
                    failures.append(("broken fix", f"{mode}: {len(after)} errors after, "
                                     f"first: {after[0]}"))
            if any(kind != "known broken fix" for kind, _ in failures):
                keep = pathlib.Path(self.args.out) / name
                keep.parent.mkdir(parents=True, exist_ok=True)
                keep.write_bytes(data)
        return index, path, labels, failures, compiled, bool(fixed)


def known_broken(path, src_root):
    """{input path: reproduction} from the list of known broken fixes."""
    listed = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) == 2:
            listed[src_root / words[0]] = words[1]
    return listed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    for name in ("--plugin", "--clang-tidy", "--driver", "--clang", "--src-root", "--out"):
        parser.add_argument(name, required=True)
    parser.add_argument("--mutants", type=int, default=120)
    parser.add_argument("--seed", type=int, default=703)
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=30)
    parser.add_argument("--known", default=None,
                        help="the list of inputs with known broken fixes")
    parser.add_argument("--subst", action="append", default=[],
                        help="NAME=VALUE: a lit substitution RUN lines use")
    args = parser.parse_args()
    # The tools run from the mutants' directories.
    for name in ("plugin", "clang_tidy", "driver", "clang"):
        value = getattr(args, name)
        if os.sep in value:
            setattr(args, name, os.path.abspath(value))
    subst = dict(s.split("=", 1) for s in args.subst)
    src_root = pathlib.Path(args.src_root)
    sources = inputs(src_root, subst)
    if not sources:
        sys.exit("fuzz: no inputs found")
    shutil.rmtree(args.out, ignore_errors=True)
    mutants = make_mutants(sources, args.mutants, args.seed)
    start = time.monotonic()
    counts = {"crash": 0, "hang": 0, "broken fix": 0, "known broken fix": 0}
    compiled = fixed = 0
    fuzzer = Fuzzer(args)
    fuzzer.known = {}
    stale = 0
    listed = known_broken(pathlib.Path(args.known), src_root) if args.known else {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        flags_of = {path: (tidy, flags) for path, tidy, flags in sources}
        listed = {p: r for p, r in listed.items() if p in flags_of}
        for path, added in zip(listed, pool.map(
                lambda p: fuzzer.fix_errors(p, *flags_of[p]), listed)):
            if added:
                fuzzer.known[path] = added
            else:
                stale += 1
                print(f"fuzz: stale entry: --fix on {path.relative_to(src_root)} compiles now "
                      f"(or it does not compile unfixed); remove it from {args.known} and "
                      f"the XFAIL of {listed[path]}")
        for index, path, labels, failures, was_compiled, was_fixed in pool.map(fuzzer.check, mutants):
            compiled += was_compiled
            fixed += was_fixed
            for kind, detail in failures:
                counts[kind] += 1
                kept = "" if kind == "known broken fix" else (
                    f"; kept as {pathlib.Path(args.out) / f'{path.stem}.m{index}{path.suffix}'}")
                print(f"fuzz: {kind}: mutant {index} of {path.relative_to(src_root)} "
                      f"({'; '.join(labels)}): {detail}{kept}")
    print(f"fuzz: {len(sources)} inputs, seed {args.seed}, {compiled} mutants compiled, "
          f"{fixed} changed by --fix, {counts['known broken fix']} known broken fixes, "
          f"{stale} stale known entries, {time.monotonic() - start:.0f} s")
    print(f"fuzz: {len(mutants)} mutants, {counts['crash']} crashes, {counts['hang']} hangs, "
          f"{counts['broken fix']} broken fixes")
    return 1 if counts["crash"] or counts["hang"] or counts["broken fix"] or stale else 0


if __name__ == "__main__":
    sys.exit(main())
