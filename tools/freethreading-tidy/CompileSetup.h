//===--- CompileSetup.h - compile flags for runs that name none -----------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// `freethreading-tidy src/mod.c` with neither `-p` nor `--` should work in
/// a Python project as it comes. The driver looks for a compilation
/// database where clang-tidy does (beside the file and in its parents),
/// then in the project's build folders (CMake's `build*/`, meson's
/// `builddir/`, scikit-build-core's `build/{wheel_tag}/`, meson-python's
/// `build/cp3*/` and `.mesonpy-*/`), and where there is none it builds the
/// flags from the include folders of the Python it finds.
///
//===----------------------------------------------------------------------===//

#ifndef FREETHREADING_TIDY_TOOLS_COMPILESETUP_H
#define FREETHREADING_TIDY_TOOLS_COMPILESETUP_H

#include "tools/freethreading-tidy/CommandLine.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <string>
#include <vector>

namespace clang::tidy::freethreading {

/// What the driver adds to the command line so clang-tidy has flags.
struct CompileSetup {
  /// Non-empty: a build folder holding compile_commands.json, for `-p`.
  std::string BuildDir;
  /// Compile flags to pass after `--` (may be empty).
  std::vector<std::string> Flags;
  /// True when `--` and Flags are to be appended.
  bool PassFlags = false;
  /// One line for stderr saying what was found or guessed, or empty.
  std::string Notice;
};

/// The root of the project holding \p File: the nearest parent with Python
/// packaging metadata or a `.git`, or with a meson.build / CMakeLists.txt
/// whose own parent has none (those are in subfolders too); the file's
/// folder when there is none.
std::string projectRoot(llvm::StringRef File);

/// Decides how clang-tidy gets compile flags for \p CommandLine: nothing to
/// add when it names flags after `--`, a database with `-p` or one clang-tidy
/// finds by itself; otherwise a database in the project's build folders or
/// flags guessed from \p Python (`python3` on PATH when empty). Fails when
/// `-p` names a folder without a database, or nothing is found and no
/// Python answers.
llvm::Expected<CompileSetup>
findCompileSetup(const ToolCommandLine &CommandLine, llvm::StringRef Python);

} // namespace clang::tidy::freethreading

#endif // FREETHREADING_TIDY_TOOLS_COMPILESETUP_H
