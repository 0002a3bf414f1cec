#!/usr/bin/env python3
"""How long freethreading-clangd takes to re-diagnose an edit, against clangd.

    bench/clangd_edit.py [--build BUILD] [--edits N] [--clangd clangd-22] FILE [FLAGS...]

Both servers get the same project (a temporary folder holding FILE and a
compile_commands.json with `-I/usr/include/python3.11 -I compat` and
FLAGS), open the file, and wait for its first diagnostics. Then, N times,
the file is edited in its body (a number in the last function changes) and
the time from didChange to the publishDiagnostics of that version is taken.
Prints the median of each server and the ratio. Run both in the same
invocation so that the machine's load is the same for both.
"""

import argparse
import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "test"))
import lsp_client  # noqa: E402  (the test suite's LSP client)


def session(server, path, edits, timeout=300):
    """Milliseconds from each edit to its diagnostics."""
    uri = path.as_uri()
    text = path.read_text(encoding="utf-8")
    process = subprocess.Popen(server, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, cwd=path.parent)
    conn = lsp_client.Connection(process)
    deadline = time.monotonic() + timeout
    try:
        init = conn.request("initialize", {
            "processId": os.getpid(), "rootUri": path.parent.as_uri(),
            "capabilities": {}})
        conn.wait_for(lambda m: m.get("id") == init and "method" not in m,
                      deadline)
        conn.notify("initialized", {})
        conn.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "c", "version": 1, "text": text}})

        def published(version):
            return lambda m: (m.get("method") == "textDocument/publishDiagnostics"
                              and m["params"]["uri"] == uri
                              and m["params"].get("version") == version)
        conn.wait_for(published(1), deadline)
        times = []
        marker = text.rfind("return")
        for n in range(edits):
            version = n + 2
            edited = text[:marker] + f"(void){n};\n  " + text[marker:]
            start = time.monotonic()
            conn.notify("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": edited}]})
            conn.wait_for(published(version), deadline)
            times.append((time.monotonic() - start) * 1000)
        shutdown = conn.request("shutdown", None)
        conn.wait_for(lambda m: m.get("id") == shutdown and "method" not in m,
                      deadline)
        conn.notify("exit", None)
        return times
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=str(ROOT / "build"))
    parser.add_argument("--clangd", default="clangd-22")
    parser.add_argument("--edits", type=int, default=15)
    parser.add_argument("file")
    parser.add_argument("flags", nargs="*")
    args = parser.parse_args()
    ours = pathlib.Path(args.build) / "bin" / "freethreading-clangd"
    stock = shutil.which(args.clangd)
    if not ours.exists() or not stock:
        sys.exit("clangd_edit.py: need both freethreading-clangd and clangd-22")
    results = {}
    with tempfile.TemporaryDirectory(prefix="ft-clangd-") as tmp:
        project = pathlib.Path(tmp)
        path = project / pathlib.Path(args.file).name
        shutil.copy(args.file, path)
        flags = ["-I/usr/include/python3.11", f"-I{ROOT / 'compat'}"] + args.flags
        (project / "compile_commands.json").write_text(json.dumps([{
            "directory": str(project), "file": str(path),
            "arguments": ["clang-22", "-c"] + flags + [str(path)]}]))
        # Interleave the servers so a change in load hits both alike.
        for name, server in [("clangd-22", [stock]),
                             ("freethreading-clangd", [str(ours)]),
                             ("clangd-22 (2)", [stock]),
                             ("freethreading-clangd (2)", [str(ours)])]:
            times = session(server + ["--log=error"], path, args.edits)
            results.setdefault(name.split(" (")[0], []).extend(times)
    for name, times in results.items():
        print(f"{name}: median {statistics.median(times):.0f} ms over "
              f"{len(times)} edits (min {min(times):.0f}, max {max(times):.0f})")
    ratio = (statistics.median(results["freethreading-clangd"]) /
             statistics.median(results["clangd-22"]))
    print(f"re-diagnose ratio freethreading-clangd / clangd-22: {ratio:.2f}")


if __name__ == "__main__":
    main()
