#!/usr/bin/env python3
"""Runs every freethreading check over real extension sources and reports
what would go wrong for a user: crashes, hangs, fixes that break the build,
fixes that are not idempotent.

    bench/smoke.py [--build BUILD] [--tool driver|plugin] [-j N] PROJECT_DIR...

Each PROJECT_DIR is a checkout of a public extension (read-only: nothing in
it is ever written). For each C/C++ extension source found in it, the script
copies the project's C/C++ sources and headers to a temporary directory and,
with the same compile flags:

1. compiles the copy with `clang-22 -fsyntax-only` and counts its errors;
2. runs the checks without --fix: exit status, crash signature, findings;
3. runs them with --fix (and --export-fixes): fixes suggested per check and
   applied, crash signature;
4. compiles the fixed copy: a fix that adds an error is a broken fix;
5. runs --fix again on the fixed copy: any change is a non-idempotent fix.

The header filter is the copied project, so the project's own headers and
the .c files a unity build #includes are analysed and fixed with the file
that includes them (and counted once per project in the summary); system
and Python headers are not.

Sources are the project's .c/.cc/.cpp/.cxx files that use the C API
(include Python.h, or name PyObject or PyMODINIT_FUNC), outside test, doc,
benchmark and example directories and other platforms' directories, and not
#included by another such file. Include directories are found by resolving
the project's own #include lines against the project's files; the flags
also hold Debian's CPython 3.11 headers, the repository's compat/ directory
and -DNDEBUG. What cannot be guessed (a source list, defines from setup.py)
is in bench/smoke-projects.json, keyed by the project directory's name:
"sources" and "exclude" (globs relative to the project), "include" (dirs),
"defines" (NAME or NAME=VALUE) and "flags" (anything else).

Writes OUT/summary.md (also printed) and OUT/files.json (per file); OUT
defaults to BUILD/smoke.
"""

import argparse
import collections
import concurrent.futures
import fnmatch
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCE_SUFFIXES = {".c": "c", ".cc": "c++", ".cpp": "c++", ".cxx": "c++"}
HEADER_SUFFIXES = {".h", ".hh", ".hpp", ".hxx", ".inc", ".inl", ".def"}
# Directories whose files are not the extension a user builds on Linux.
SKIPPED_DIRS = {
    ".git", ".github", "test", "tests", "testing", "Tests", "doc", "docs",
    "benchmark", "benchmarks", "benchmarking", "bench", "example", "examples",
    "demo", "build", "dist", "wheels", "winbuild", "depends", "windows",
    "win32", "win", "osx", "macos", "darwin", "bsd", "freebsd", "openbsd",
    "netbsd", "sunos", "solaris", "aix", "cygwin",
}
USES_C_API = re.compile(rb"Python\.h|\bPyObject\b|\bPyMODINIT_FUNC\b")
INCLUDE = re.compile(r'^[ \t]*#[ \t]*include[ \t]*([<"])([^>"\n]+)[>"]', re.M)
SYSTEM_DIRS = ["/usr/include", "/usr/include/x86_64-linux-gnu",
               "/usr/include/python3.11"]
PYTHON_FLAGS = ["-I/usr/include/python3.11", f"-I{ROOT / 'compat'}"]
COMMON_FLAGS = ["-DNDEBUG"]
FINDING = re.compile(r"^(.+?):(\d+):(\d+): warning: (.*) \[(freethreading-[a-z-]+)[,\]]")
ERROR = re.compile(r"^(.+?):(\d+):(\d+): (?:fatal )?error: (.*)$")
APPLIED = re.compile(r"clang-tidy applied (\d+) of (\d+) suggested fixes")
CRASH_MARK = "PLEASE submit a bug report"
OUR_FRAME = re.compile(r"#\d+ 0x[0-9a-f]+ (clang::tidy::freethreading::[^\s(]+)")
ASSERTION = re.compile(r"Assertion `.*' failed|LLVM ERROR: .*")


def load_overrides(path):
    if not path.exists():
        return {}
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return {k: v for k, v in data.items() if not k.startswith("_")}


class Project:
    """A read-only checkout: its C/C++ files, its sources and their flags."""

    def __init__(self, path, override):
        self.path = path
        self.name = path.name
        self.override = override
        self.files = []  # relative paths of every C/C++ source and header
        self.by_name = collections.defaultdict(list)
        for dirpath, dirnames, filenames in os.walk(path):
            dirnames[:] = sorted(d for d in dirnames if d != ".git")
            for name in sorted(filenames):
                full = pathlib.Path(dirpath) / name
                if full.suffix in HEADER_SUFFIXES or full.suffix in SOURCE_SUFFIXES:
                    if full.is_file() and not full.is_symlink():
                        self.files.append(full.relative_to(path).as_posix())
                        self.by_name[name].append(full)

    def excluded(self, rel):
        return any(fnmatch.fnmatch(rel, p) for p in self.override.get("exclude", []))

    def sources(self):
        """The extension's translation units, relative paths, in order."""
        if "sources" in self.override:
            found = set()
            for pattern in self.override["sources"]:
                for full in self.path.glob(pattern):
                    rel = full.relative_to(self.path).as_posix()
                    if full.suffix in SOURCE_SUFFIXES and not self.excluded(rel):
                        found.add(rel)
            return sorted(found)
        candidates = []
        for rel in self.files:
            parts = pathlib.PurePosixPath(rel).parts
            if (pathlib.PurePosixPath(rel).suffix not in SOURCE_SUFFIXES
                    or any(p in SKIPPED_DIRS for p in parts[:-1]) or self.excluded(rel)):
                continue
            if USES_C_API.search((self.path / rel).read_bytes()):
                candidates.append(rel)
        # A file another candidate #includes is part of a unity build.
        included = set()
        for rel in candidates:
            text = (self.path / rel).read_text(encoding="utf-8", errors="replace")
            for kind, spelling in INCLUDE.findall(text):
                target = (self.path / rel).parent / spelling.strip()
                if kind == '"' and target.is_file():
                    included.add(os.path.normpath(target.relative_to(self.path)
                                                  if target.is_relative_to(self.path)
                                                  else target))
        return [rel for rel in candidates if os.path.normpath(rel) not in included]

    def resolve(self, spelling, includer):
        """The project file an #include spelling names, preferring the one
        nearest the including file, or None."""
        tail = pathlib.PurePosixPath(spelling).parts
        best, best_score = None, -1
        for candidate in self.by_name.get(tail[-1], []):
            if candidate.parts[-len(tail):] != tail:
                continue
            common = len(os.path.commonpath([candidate, includer]))
            if common > best_score:
                best, best_score = candidate, common
        return best

    def include_dirs(self, source):
        """Project-relative -I directories under which the source's project
        headers resolve, following the headers' own includes."""
        dirs, seen, queue = [], set(), [self.path / source]
        while queue and len(seen) < 400:
            current = queue.pop()
            if current in seen:
                continue
            seen.add(current)
            try:
                text = current.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            for kind, spelling in INCLUDE.findall(text):
                spelling = spelling.strip()
                local = current.parent / spelling
                if kind == '"' and local.is_file():
                    queue.append(local.resolve())
                    continue
                if kind == "<" and any(os.path.isfile(os.path.join(d, spelling))
                                       for d in SYSTEM_DIRS):
                    continue
                found = self.resolve(spelling, current)
                if found is None:
                    continue
                root = found
                for _ in pathlib.PurePosixPath(spelling).parts:
                    root = root.parent
                rel = root.relative_to(self.path).as_posix()
                if rel not in dirs:
                    dirs.append(rel)
                queue.append(found)
        return dirs

    def flags(self, source, root):
        """The compile flags of a source whose project copy is at root."""
        flags = list(COMMON_FLAGS)
        flags += [f"-D{d}" for d in self.override.get("defines", [])]
        dirs = self.override.get("include", []) + self.include_dirs(source)
        flags += [f"-I{root / d}" for d in dict.fromkeys(dirs)]
        flags += PYTHON_FLAGS + self.override.get("flags", [])
        return list(dict.fromkeys(flags))


def run(cmd, timeout, cwd=None):
    """(returncode or None on timeout, combined output, seconds)."""
    start = time.monotonic()
    try:
        proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=timeout,
                              text=True, errors="replace")
        return proc.returncode, proc.stdout, time.monotonic() - start
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
        return None, out, time.monotonic() - start


def crash_of(rc, output):
    """None, or a one-line signature: the signal or assertion and the first
    stack frame in our code."""
    if rc is None:
        return "hang (timeout)"
    assertion = ASSERTION.search(output)
    if not (rc < 0 or CRASH_MARK in output or assertion):
        return None
    what = []
    if rc < 0:
        try:
            what.append(signal.Signals(-rc).name)
        except ValueError:
            what.append(f"signal {-rc}")
    if assertion:
        what.append(assertion.group(0)[:160])
    frame = OUR_FRAME.search(output)
    what.append(f"in {frame.group(1)}" if frame else "outside freethreading code")
    return " ".join(what)


def errors_of(output, root):
    """The compiler errors, as `file: message` without positions."""
    errors = []
    for line in output.splitlines():
        m = ERROR.match(line)
        if m:
            errors.append(f"{relative(m.group(1), root)}: {m.group(4)}")
    return errors


def relative(path, root):
    try:
        return pathlib.Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return path


def findings(output, root):
    """[(file, line, col, check, message)] of the warnings in the project."""
    found = []
    for line in output.splitlines():
        m = FINDING.match(line)
        if m:
            found.append((relative(m.group(1), root), int(m.group(2)),
                          int(m.group(3)), m.group(5), m.group(4)))
    return found


def suggested_fixes(yaml_path, root):
    """[(file, offset, check, message)] of the diagnostics that carry a
    replacement."""
    if not yaml_path.exists():
        return []
    import yaml  # python3-yaml, a dependency of Debian's clang-tidy scripts
    data = yaml.safe_load(yaml_path.read_text(encoding="utf-8", errors="replace")) or {}
    found = []
    for diag in data.get("Diagnostics") or []:
        message = diag.get("DiagnosticMessage") or {}
        replacements = list(message.get("Replacements") or [])
        for note in diag.get("Notes") or []:
            replacements += note.get("Replacements") or []
        if replacements:
            found.append((relative(message.get("FilePath", "?"), root),
                          message.get("FileOffset", 0), diag.get("DiagnosticName", "?"),
                          message.get("Message", "")))
    return found


def project_files(deps, root):
    """{file: lines} of the project files a translation unit reads, from the
    compiler's dependency output."""
    if not deps.exists():
        return {}
    text = deps.read_text(encoding="utf-8", errors="replace").replace("\\\n", " ")
    files = {}
    for word in text.split(":", 1)[-1].split():
        rel = relative(word, root)
        if rel != word and not rel.startswith("/"):
            files[rel] = (root / rel).read_bytes().count(b"\n")
    return files


def snapshot(root, rels):
    return {rel: (root / rel).read_bytes() for rel in rels}


def changed(before, root):
    return sorted(rel for rel, data in before.items() if (root / rel).read_bytes() != data)


class Runner:
    def __init__(self, args):
        build = pathlib.Path(args.build).resolve()
        if args.tool == "driver":
            self.tool = [str(build / "bin" / "freethreading-tidy")]
        else:
            self.tool = [args.clang_tidy, "-load", str(build / "lib" / "FreeThreadingTidy.so")]
        self.clang = args.clang
        self.timeout = args.timeout
        self.checks = args.checks
        self.tidy_args = args.tidy_arg

    def tidy(self, path, root, flags, fix, export=None):
        # Everything in the copy, nothing outside it: the header filter
        # decides which files --fix may write.
        cmd = self.tool + [f"--checks={self.checks}",
                           f"--header-filter=^{re.escape(str(root))}/"] + self.tidy_args + [str(path)]
        if fix:
            cmd.append("--fix")
        if export:
            cmd.append(f"--export-fixes={export}")
        return run(cmd + ["--"] + flags, self.timeout, cwd=path.parent)

    def compile(self, path, root, flags, deps=None):
        extra = ["-MD", "-MF", str(deps)] if deps else []
        rc, out, _ = run([self.clang, "-fsyntax-only", "-ferror-limit=0"] + flags + extra
                         + [str(path)], self.timeout, cwd=path.parent)
        return errors_of(out, root)

    def check_file(self, project, rel):
        src = project.path / rel
        result = {"project": project.name, "file": rel,
                  "lines": src.read_bytes().count(b"\n")}
        with tempfile.TemporaryDirectory(prefix="ft-smoke-") as tmp:
            root = pathlib.Path(tmp).resolve() / project.name
            for f in project.files:
                (root / f).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(project.path / f, root / f)
            pristine = snapshot(root, project.files)
            work = root / rel
            flags = ["-x", SOURCE_SUFFIXES[src.suffix]] + project.flags(rel, root)
            result["flags"] = [f.replace(str(root), "<copy>") for f in flags]
            deps = pathlib.Path(tmp) / "deps.d"
            before = self.compile(work, root, flags, deps)
            result["errors_before"] = len(before)
            result["project_files"] = project_files(deps, root)

            rc, out, secs = self.tidy(work, root, flags, fix=False)
            result["check"] = {"exit": rc, "crash": crash_of(rc, out),
                               "findings": findings(out, root), "seconds": round(secs, 2),
                               "changed_files": changed(pristine, root)}

            export = pathlib.Path(tmp) / "fixes.yaml"
            rc, out, secs = self.tidy(work, root, flags, fix=True, export=export)
            applied = APPLIED.search(out)
            fixed_files = changed(pristine, root)
            result["fix"] = {"exit": rc, "crash": crash_of(rc, out),
                             "suggested": suggested_fixes(export, root),
                             "applied": int(applied.group(1)) if applied else 0,
                             "of": int(applied.group(2)) if applied else 0,
                             "not_applied_errors": "Fixes have NOT been applied" in out,
                             "changed_files": fixed_files, "seconds": round(secs, 2)}
            if fixed_files:
                after = self.compile(work, root, flags)
                added = list((collections.Counter(after) - collections.Counter(before)).elements())
                result["fix"]["errors_after"] = len(after)
                result["fix"]["broken"] = len(after) > len(before)
                result["fix"]["new_errors"] = added[:10]
                fixed = snapshot(root, project.files)
                rc, out, _ = self.tidy(work, root, flags, fix=True)
                again = changed(fixed, root)
                result["refix"] = {"exit": rc, "crash": crash_of(rc, out),
                                   "changed_files": again}
                if again:
                    diffs = []
                    for f in again:
                        old = pathlib.Path(tmp) / "once"
                        old.write_bytes(fixed[f])
                        diffs += subprocess.run(
                            ["diff", "-u", str(old), str(root / f)], stdout=subprocess.PIPE,
                            text=True, errors="replace").stdout.splitlines()[:40]
                    result["refix"]["diff"] = diffs
        return result


def problems(r):
    """What went wrong for one file, one phrase each."""
    found = []
    for stage in ("check", "fix", "refix"):
        crash = r.get(stage, {}).get("crash")
        if crash:
            found.append(f"{stage} run: {crash}")
    if r["fix"].get("broken"):
        first = list(dict.fromkeys(re.sub(r" \[-W[^]]*\]$", "", e)
                                   for e in r["fix"]["new_errors"]))[:2]
        found.append(f"broken fix, {r['errors_before']} -> {r['fix']['errors_after']} "
                     "errors: " + "; ".join(first))
    if r.get("refix", {}).get("changed_files"):
        found.append("a second --fix changed " + ", ".join(r["refix"]["changed_files"]))
    if r["check"]["changed_files"]:
        found.append("files changed without --fix: " + ", ".join(r["check"]["changed_files"]))
    return found


def summarize(results, checks):
    """The markdown table (findings and fixes counted once per project
    place, however many files include it) and the list of problems."""
    rows = collections.OrderedDict()
    unique = collections.defaultdict(lambda: (set(), set()))
    read = collections.defaultdict(dict)
    for r in results:
        row = rows.setdefault(r["project"], collections.Counter())
        row["files"] += 1
        read[r["project"]].update(r["project_files"] or {r["file"]: r["lines"]})
        row["not compiling"] += r["errors_before"] > 0
        crashes = [r.get(s, {}).get("crash") for s in ("check", "fix", "refix")]
        row["crashes"] += any(c and not c.startswith("hang") for c in crashes)
        row["hangs"] += any(c and c.startswith("hang") for c in crashes)
        seen, fixes = unique[r["project"]]
        seen.update(tuple(f) for f in r["check"]["findings"])
        fixes.update(tuple(f) for f in r["fix"]["suggested"])
        row["unapplied"] += r["fix"]["of"] - r["fix"]["applied"]
        row["broken fixes"] += bool(r["fix"].get("broken"))
        row["non-idempotent"] += bool(r.get("refix", {}).get("changed_files"))
    for name, (seen, fixes) in unique.items():
        for f in seen:
            rows[name][f[3]] += 1
        rows[name]["fixes"] = len(fixes)
        rows[name]["lines"] = sum(read[name].values())
    head = (["project", "files", "lines", "not compiling", "crashes", "hangs"]
            + [c.replace("freethreading-", "") for c in checks]
            + ["fixes", "unapplied", "broken fixes", "non-idempotent"])
    keys = (["files", "lines", "not compiling", "crashes", "hangs"] + list(checks)
            + ["fixes", "unapplied", "broken fixes", "non-idempotent"])
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    total = collections.Counter()
    for name, row in rows.items():
        total.update({k: row[k] for k in keys})
        lines.append("| " + " | ".join([name] + [str(row[k]) for k in keys]) + " |")
    lines.append("| " + " | ".join([f"**total ({len(rows)})**"]
                                   + [f"**{total[k]}**" for k in keys]) + " |")
    details = [f"- {r['project']}/{r['file']}: {p}" for r in results for p in problems(r)]
    return "\n".join(lines), details


def list_checks(runner):
    rc, out, _ = run(runner.tool + [f"--checks={runner.checks}", "--list-checks"], 60)
    return [line.strip() for line in out.splitlines()
            if line.strip().startswith("freethreading-")]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("projects", nargs="*", type=pathlib.Path)
    parser.add_argument("--build", default=str(ROOT / "build"))
    parser.add_argument("--tool", choices=["driver", "plugin"], default="driver")
    parser.add_argument("--clang-tidy", default="clang-tidy-22")
    parser.add_argument("--clang", default="clang-22")
    parser.add_argument("--checks", default="-*,freethreading-*")
    parser.add_argument("--tidy-arg", action="append", default=[],
                        help="one more option for the tool, e.g. --config=...")
    parser.add_argument("--config", type=pathlib.Path,
                        default=ROOT / "bench" / "smoke-projects.json")
    parser.add_argument("--out", type=pathlib.Path, default=None)
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=300,
                        help="seconds per run before it counts as a hang")
    parser.add_argument("--list", action="store_true",
                        help="only print each file and its flags")
    parser.add_argument("--report-only", action="store_true",
                        help="only print the summary of OUT/files.json again")
    args = parser.parse_args()

    if not args.projects and not args.report_only:
        parser.error("give at least one project directory")
    overrides = load_overrides(args.config)
    runner = Runner(args)
    checks = list_checks(runner)
    if not checks:
        sys.exit(f"smoke: {' '.join(runner.tool)} lists no freethreading checks")
    jobs = []
    for path in args.projects:
        path = path.resolve()
        if not path.is_dir():
            sys.exit(f"smoke: {path} is not a directory")
        project = Project(path, overrides.get(path.name, {}))
        jobs += [(project, rel) for rel in project.sources()]
    if args.list:
        for project, rel in jobs:
            print(f"{project.name}/{rel}: {' '.join(project.flags(rel, project.path))}")
        return 0

    out_dir = args.out or pathlib.Path(args.build) / "smoke"
    out_dir.mkdir(parents=True, exist_ok=True)
    results = []
    start = time.monotonic()
    if args.report_only:
        with open(out_dir / "files.json", encoding="utf-8") as f:
            jobs = []
            results = json.load(f)
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(runner.check_file, *job) for job in jobs]
        for n, future in enumerate(concurrent.futures.as_completed(futures), 1):
            r = future.result()
            results.append(r)
            found = problems(r)
            print(f"[{n}/{len(jobs)}] {r['project']}/{r['file']}"
                  + (" -- " + "; ".join(found) if found else ""), file=sys.stderr)
    order = {(p.name, rel): i for i, (p, rel) in enumerate(jobs)}
    results.sort(key=lambda r: order.get((r["project"], r["file"]), 0))
    table, details = summarize(results, checks)
    tool = " ".join([pathlib.Path(runner.tool[0]).name] + runner.tool[1:])
    options = "".join(f" `{a}`" for a in args.tidy_arg)
    took = ("re-read from files.json" if args.report_only
            else f"{time.monotonic() - start:.0f} s with {args.jobs} jobs")
    report = [f"Checks `{args.checks}`{options} through `{tool}`: {len(results)} files, "
              f"{took}.", "", table, "",
              "Crashes, hangs, broken and non-idempotent fixes:", ""]
    report += details or ["- none"]
    text = "\n".join(report) + "\n"
    (out_dir / "summary.md").write_text(text, encoding="utf-8")
    with open(out_dir / "files.json", "w", encoding="utf-8") as f:
        json.dump(results, f, indent=1)
    print(text)
    print(f"per-file results: {out_dir / 'files.json'}", file=sys.stderr)
    return 1 if details else 0


if __name__ == "__main__":
    sys.exit(main())
