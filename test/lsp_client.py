#!/usr/bin/env python3
"""A minimal Language Server Protocol client for freethreading-clangd tests.

It starts a language server, opens one file, waits for the server to publish
diagnostics for that file, prints them in a stable, FileCheck-friendly form
and shuts the server down:

    lsp_client.py [--root DIR] [--timeout SECONDS] [--links] FILE -- SERVER [ARGS...]

Output, one line per diagnostic, sorted by position:

    diagnostics for ext.c: 2
    4:17: warning: <message> [clang-tidy/freethreading-borrowed-reference]
      note: 3:1: <related message>
      fix: <title of a fix-it>
        4:17-4:31: "<replacement text>"
      link: <codeDescription.href>       (with --links)

Exit status: 0 when diagnostics arrived and the server shut down cleanly,
1 on a timeout, a server that died, or a protocol error.
"""

import argparse
import json
import os
import pathlib
import queue
import subprocess
import sys
import threading
import time

SEVERITIES = {1: "error", 2: "warning", 3: "information", 4: "hint"}
LANGUAGES = {".c": "c", ".h": "c", ".cpp": "cpp", ".cc": "cpp", ".cxx": "cpp",
             ".hpp": "cpp"}


class ProtocolError(Exception):
    pass


class Connection:
    """JSON-RPC 2.0 over a pipe pair, framed with Content-Length headers."""

    def __init__(self, process):
        self.process = process
        self.next_id = 1
        self.incoming = queue.Queue()
        reader = threading.Thread(target=self._read_loop, daemon=True)
        reader.start()

    def _read_message(self, stream):
        length = None
        while True:
            line = stream.readline()
            if not line:
                return None
            line = line.rstrip(b"\r\n")
            if not line:
                break
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        if length is None:
            raise ProtocolError("message without a Content-Length header")
        body = stream.read(length)
        if len(body) != length:
            return None
        return json.loads(body.decode("utf-8"))

    def _read_loop(self):
        stream = self.process.stdout
        try:
            while True:
                message = self._read_message(stream)
                if message is None:
                    break
                self.incoming.put(message)
        except (ProtocolError, ValueError) as error:
            self.incoming.put(error)
        self.incoming.put(None)  # End of stream.

    def send(self, message):
        message["jsonrpc"] = "2.0"
        body = json.dumps(message).encode("utf-8")
        header = f"Content-Length: {len(body)}\r\n\r\n".encode("ascii")
        self.process.stdin.write(header + body)
        self.process.stdin.flush()

    def notify(self, method, params):
        self.send({"method": method, "params": params})

    def request(self, method, params):
        request_id = self.next_id
        self.next_id += 1
        self.send({"id": request_id, "method": method, "params": params})
        return request_id

    def receive(self, deadline):
        """The next message from the server; raises on timeout or EOF."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ProtocolError("timed out waiting for the server")
        try:
            message = self.incoming.get(timeout=remaining)
        except queue.Empty:
            raise ProtocolError("timed out waiting for the server") from None
        if message is None:
            raise ProtocolError("the server closed its output (exit code "
                                f"{self.process.poll()})")
        if isinstance(message, Exception):
            raise ProtocolError(f"unreadable message: {message}")
        if "method" in message and "id" in message:
            # A request from the server (e.g. workspace/configuration): this
            # client supports none, so answer with an empty result.
            self.send({"id": message["id"], "result": None})
        return message

    def wait_for(self, predicate, deadline):
        while True:
            message = self.receive(deadline)
            if predicate(message):
                return message


def format_diagnostic(diagnostic, links=False):
    start = diagnostic["range"]["start"]
    severity = SEVERITIES.get(diagnostic.get("severity"), "unknown")
    tag = "/".join(str(diagnostic[key]) for key in ("source", "code")
                   if key in diagnostic)
    message = diagnostic["message"].replace("\n", "\\n")
    lines = [f"{start['line'] + 1}:{start['character'] + 1}: {severity}: "
             f"{message} [{tag}]"]
    if links and "codeDescription" in diagnostic:
        lines.append(f"  link: {diagnostic['codeDescription']['href']}")
    for related in diagnostic.get("relatedInformation", []):
        where = related["location"]["range"]["start"]
        lines.append(f"  note: {where['line'] + 1}:{where['character'] + 1}: "
                     f"{related['message']}")
    for action in diagnostic.get("codeActions", []):
        lines.append(f"  fix: {action['title']}")
        for edits in action.get("edit", {}).get("changes", {}).values():
            for edit in sorted(edits, key=lambda e: position(e["range"])):
                lines.append(f"    {format_range(edit['range'])}: "
                             f"{json.dumps(edit['newText'])}")
    return lines


def position(lsp_range):
    start = lsp_range["start"]
    return (start["line"], start["character"])


def format_range(lsp_range):
    """1-based line:col-line:col, as in clang's diagnostics."""
    start, end = lsp_range["start"], lsp_range["end"]
    return (f"{start['line'] + 1}:{start['character'] + 1}-"
            f"{end['line'] + 1}:{end['character'] + 1}")


def sort_key(diagnostic):
    start = diagnostic["range"]["start"]
    return (start["line"], start["character"], diagnostic["message"])


def run(args):
    path = pathlib.Path(args.file).resolve()
    root = pathlib.Path(args.root).resolve() if args.root else path.parent
    uri = path.as_uri()
    text = path.read_text(encoding="utf-8")
    deadline = time.monotonic() + args.timeout

    try:
        process = subprocess.Popen(args.server, stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, cwd=root)
    except OSError as error:
        print(f"lsp_client.py: error: cannot start {args.server[0]}: "
              f"{error.strerror}", file=sys.stderr)
        return 1
    connection = Connection(process)
    try:
        init = connection.request("initialize", {
            "processId": os.getpid(),
            "rootUri": root.as_uri(),
            # codeActionsInline is clangd's extension: fix-its are sent
            # with each diagnostic, so they can be printed too.
            "capabilities": {"textDocument": {"publishDiagnostics": {
                "relatedInformation": True, "codeActionsInline": True}}},
        })
        connection.wait_for(lambda m: m.get("id") == init and
                            "method" not in m, deadline)
        connection.notify("initialized", {})
        connection.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": LANGUAGES.get(path.suffix, "c"),
            "version": 1, "text": text}})
        published = connection.wait_for(
            lambda m: m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri, deadline)
        diagnostics = sorted(published["params"]["diagnostics"], key=sort_key)
        print(f"diagnostics for {path.name}: {len(diagnostics)}")
        for diagnostic in diagnostics:
            for line in format_diagnostic(diagnostic, args.links):
                print(line)
        sys.stdout.flush()

        shutdown = connection.request("shutdown", None)
        connection.wait_for(lambda m: m.get("id") == shutdown and
                            "method" not in m, deadline)
        connection.notify("exit", None)
        process.stdin.close()
        status = process.wait(timeout=max(1, deadline - time.monotonic()))
        if status != 0:
            raise ProtocolError(f"the server exited with status {status}")
        return 0
    except (ProtocolError, subprocess.TimeoutExpired, BrokenPipeError) as error:
        print(f"lsp_client.py: error: {error}", file=sys.stderr)
        return 1
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", help="workspace root (default: the file's "
                        "directory); also the server's working directory")
    parser.add_argument("--timeout", type=float, default=120,
                        help="seconds to wait for the whole session")
    parser.add_argument("--links", action="store_true",
                        help="print each diagnostic's documentation link")
    parser.add_argument("file", help="the source file to open")
    parser.add_argument("server", nargs=argparse.REMAINDER,
                        help="-- followed by the server command line")
    args = parser.parse_args()
    if args.server and args.server[0] == "--":
        args.server = args.server[1:]
    if not args.server:
        parser.error("no server command given after --")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
