//===--- DocLinks.h - link diagnostics to this project's check pages -----===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// clangd gives every clang-tidy diagnostic a codeDescription.href it builds
/// from the check name, https://clang.llvm.org/extra/clang-tidy/checks/
/// <module>/<check>.html, and offers no way to change it. Those pages do not
/// exist for our checks, so freethreading-clangd runs clangd in a child
/// process and rewrites that href in the LSP messages clangd writes, on their
/// way to the editor, to the check's page in this project's docs.
///
//===----------------------------------------------------------------------===//

#ifndef FREETHREADING_TIDY_TOOLS_FREETHREADINGCLANGD_DOCLINKS_H
#define FREETHREADING_TIDY_TOOLS_FREETHREADINGCLANGD_DOCLINKS_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/raw_ostream.h"
#include <string>

namespace freethreading {

/// Where the check pages are, as a URL prefix to which `<check>.md` is
/// appended, or "" when there are none to link to. In order: the
/// FREETHREADING_DOCS_BASE_URL environment variable, the URL configured at
/// build time (-DFREETHREADING_DOCS_BASE_URL), the installed docs beside the
/// executable (<prefix>/share/doc/freethreading-tidy/docs/checks) and the
/// source tree's docs/checks, the last two as file:// URIs.
std::string docsBaseUrl(const char *Argv0);

/// Rewrites, in the JSON text \p Body, every codeDescription.href clangd made
/// for a freethreading check to \p BaseUrl + "/<check>.md" (or drops the
/// codeDescription when \p BaseUrl is empty). Returns whether \p Body
/// changed; text that is not JSON is left alone.
bool rewriteDocLinks(std::string &Body, llvm::StringRef BaseUrl);

/// Splits the byte stream clangd writes into LSP messages (a Content-Length
/// header, a blank line, the body) and passes each on with its links
/// rewritten. Bytes that are not an LSP message (--version, --help) pass
/// through unchanged.
class LspLinkRewriter {
public:
  LspLinkRewriter(std::string BaseUrl, llvm::raw_ostream &Out)
      : BaseUrl(std::move(BaseUrl)), Out(Out) {}

  /// Takes the next bytes of clangd's output.
  void feed(llvm::StringRef Bytes);
  /// Passes on whatever is left at the end of the stream.
  void finish();

private:
  /// Passes on what can be passed on; returns false when more is needed.
  bool step();

  std::string BaseUrl;
  llvm::raw_ostream &Out;
  std::string Pending;
};

/// Runs \p Server (clangd's main) in a child process whose standard output
/// goes through an LspLinkRewriter to this process's, and returns the
/// child's exit status. Termination signals are passed on to the child. If
/// the child cannot be started, runs \p Server directly.
int runWithDocLinks(llvm::function_ref<int()> Server, std::string BaseUrl);

} // namespace freethreading

#endif // FREETHREADING_TIDY_TOOLS_FREETHREADINGCLANGD_DOCLINKS_H
