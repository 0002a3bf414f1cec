//===--- TidyConfig.h - what the user's clang-tidy configuration says -----===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Two questions the driver asks of the configuration clang-tidy will read
/// (`--config`, `--config-file`, or the `.clang-tidy` files of a source):
/// - does it choose checks? clang-tidy's own default
///   (`clang-diagnostic-*,clang-analyzer-*`) is not what someone running
///   freethreading-tidy wants, so with no choice the driver enables
///   `freethreading-*`;
/// - which diagnostics are enabled, and which does `WarningsAsErrors`
///   promote? The exported findings list promoted warnings as errors, like
///   compiler errors.
///
//===----------------------------------------------------------------------===//

#ifndef FREETHREADING_TIDY_TOOLS_TIDYCONFIG_H
#define FREETHREADING_TIDY_TOOLS_TIDYCONFIG_H

#include "tools/freethreading-tidy/CommandLine.h"
#include "llvm/ADT/StringRef.h"
#include <string>

namespace clang::tidy::freethreading {

/// The `--checks` value the driver adds when nobody chose checks.
inline constexpr llvm::StringLiteral DefaultChecks = "-*,freethreading-*";

/// True when \p CommandLine chooses checks: with `--checks`, or through a
/// configuration of any source file (of the working folder when none is
/// named) with a non-empty `Checks`. A configuration that does not parse
/// counts as choosing, so that clang-tidy reports it as it would.
bool choosesChecks(const ToolCommandLine &CommandLine);

/// The globs in force for the first source file of \p CommandLine, in the
/// order clang-tidy joins them (the last matching glob decides).
struct ConfiguredGlobs {
  /// clang-tidy's default, the configuration's `Checks`, then `--checks`.
  std::string Checks;
  /// The configuration's `WarningsAsErrors`, then `--warnings-as-errors`.
  std::string WarningsAsErrors;
};
ConfiguredGlobs configuredGlobs(const ToolCommandLine &CommandLine);

} // namespace clang::tidy::freethreading

#endif // FREETHREADING_TIDY_TOOLS_TIDYCONFIG_H
