//===--- CommandLine.h - the driver's view of a clang-tidy command line ---===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// freethreading-tidy takes clang-tidy's command line plus a few options of
/// its own. Before handing it over, the driver expands response files, takes
/// its own options off, and reads what it needs to know: the source files,
/// whether compile flags follow `--`, and the value of an option.
///
//===----------------------------------------------------------------------===//

#ifndef FREETHREADING_TIDY_TOOLS_COMMANDLINE_H
#define FREETHREADING_TIDY_TOOLS_COMMANDLINE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <optional>
#include <string>
#include <vector>

namespace clang::tidy::freethreading {

/// The absolute, dot-free spelling of \p File, against the working folder
/// (as given when there is none).
std::string absolutePath(llvm::StringRef File);

/// The options freethreading-tidy adds to clang-tidy's.
struct DriverOptions {
  std::string Python;     ///< --python: the interpreter for guessed flags.
  std::string Sarif;      ///< --sarif: where to write SARIF 2.1.0.
  std::string PortReport; ///< --port-report: where to write the markdown.
};

/// A clang-tidy command line (argv[0] first), response files expanded and
/// the driver's own options taken off.
class ToolCommandLine {
public:
  /// Expands `@file` arguments the way clang-tidy does (GNU quoting,
  /// nested files relative to the file naming them), then takes the
  /// driver's options off. Fails on an unreadable response file or a
  /// driver option without a value.
  static llvm::Expected<ToolCommandLine> create(int Argc, const char **Argv,
                                                DriverOptions &Driver);

  /// The source files named (positional arguments before `--`).
  std::vector<std::string> sourceFiles() const;
  /// True when compile flags follow `--`.
  bool hasCompileFlags() const;
  /// True when clang-tidy's option \p Name (without dashes) is given.
  bool has(llvm::StringRef Name) const;
  /// The value of the last occurrence of option \p Name, if given.
  std::optional<std::string> value(llvm::StringRef Name) const;
  /// True for runs that only print (help, version, list or dump config).
  bool isInformational() const;
  /// True when clang-tidy will write fixes to files.
  bool appliesFixes() const;

  /// Adds \p Arg as the first option, before any source file.
  void prependOption(std::string Arg);
  /// Removes every occurrence of option \p Name (and a separate value).
  void removeOption(llvm::StringRef Name);
  /// Appends `--` (unless present) and \p Flags.
  void appendCompileFlags(llvm::ArrayRef<std::string> Flags);

  /// The arguments to hand to clang-tidy; valid while this object lives
  /// and is not changed.
  std::vector<const char *> argv() const;

private:
  /// One option or source file before `--`.
  struct Arg {
    std::string Name; ///< Empty for a source file.
    std::optional<std::string> Value;
    size_t First, Last; ///< Indices in Args (Last > First: separate value).
  };

  explicit ToolCommandLine(std::vector<std::string> Args)
      : Args(std::move(Args)) {}
  /// Splits Args into options and source files, up to `--`.
  std::vector<Arg> scan() const;

  std::vector<std::string> Args;
};

} // namespace clang::tidy::freethreading

#endif // FREETHREADING_TIDY_TOOLS_COMMANDLINE_H
