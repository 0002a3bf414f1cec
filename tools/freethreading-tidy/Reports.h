//===--- Reports.h - SARIF and the port report ----------------------------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Two reports written from what clang-tidy found:
/// - SARIF 2.1.0 for code scanning (`--sarif`): one result per finding, its
///   notes as related locations, its fix-its as SARIF fixes, one rule per
///   check with a link to the check's documentation;
/// - a markdown port report (`--port-report`) per module, to paste into an
///   upstream tracking issue: how the module declares GIL support, the
///   findings by check, what `--fix` repairs and what is left for a human.
///
//===----------------------------------------------------------------------===//

#ifndef FREETHREADING_TIDY_TOOLS_REPORTS_H
#define FREETHREADING_TIDY_TOOLS_REPORTS_H

#include "tools/freethreading-tidy/Findings.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace clang::tidy::freethreading {

/// What a report says about the run besides the findings.
struct ReportSettings {
  /// The source files named on the command line (absolute, in order): the
  /// modules of the port report.
  std::vector<std::string> Modules;
  std::string ToolVersion;
  /// Where this project's docs/checks/<check>.md pages are (ends in /), or
  /// empty when there are none to link to.
  std::string DocsUrl;
  /// True when clang-tidy applied the fix-its in this run.
  bool FixesApplied = false;
};

/// Writes \p Findings to \p Path as a SARIF 2.1.0 log.
llvm::Error writeSarif(llvm::StringRef Path, llvm::ArrayRef<Finding> Findings,
                       const ReportSettings &Settings, SourceTexts &Sources);

/// Writes the markdown port report of \p Findings to \p Path.
llvm::Error writePortReport(llvm::StringRef Path,
                            llvm::ArrayRef<Finding> Findings,
                            const ReportSettings &Settings,
                            SourceTexts &Sources);

} // namespace clang::tidy::freethreading

#endif // FREETHREADING_TIDY_TOOLS_REPORTS_H
