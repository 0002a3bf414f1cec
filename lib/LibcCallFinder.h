//===--- LibcCallFinder.h - C library calls with hidden shared state ------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Finds calls of the C library functions of LibcFunctions.def that race
/// once several threads run extension code, dropping the safe forms (a
/// restartable function given its own state, a C++ member or namespaced
/// function of the same name, generated and compatibility files). Shared by
/// the unsafe-libc-call check and the checks that count hazards per file.
///
//===----------------------------------------------------------------------===//

#ifndef FREETHREADING_TIDY_LIB_LIBCCALLFINDER_H
#define FREETHREADING_TIDY_LIB_LIBCCALLFINDER_H

#include "lib/ExtensionContext.h"
#include "lib/KnowledgeBase.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "llvm/ADT/StringSet.h"
#include <deque>
#include <string>
#include <vector>

namespace clang::tidy::freethreading {

/// One unsafe call.
struct LibcUse {
  const UnsafeLibcFunction *Function = nullptr;
  const CallExpr *Call = nullptr;
  /// Where the user wrote it (the use of their macro, if inside one).
  SourceLocation Loc;
  bool InMacroBody = false;
};

class LibcCallFinder {
public:
  /// \p Sets selects rows by LibcSet bits (the FunctionSet option).
  explicit LibcCallFinder(unsigned Sets = LibcPosix | LibcGlibc | LibcExtra)
      : Sets(Sets) {}
  void setSets(unsigned S) { Sets = S; }
  /// Reports the functions named in \p Additional too (rows of the table
  /// outside the selected sets, or functions the table does not know), and
  /// never those in \p Ignored. Call before registerMatchers.
  void setFunctionLists(llvm::ArrayRef<llvm::StringRef> Additional,
                        llvm::ArrayRef<llvm::StringRef> Ignored);

  void registerMatchers(ast_matchers::MatchFinder *Finder,
                        ast_matchers::MatchFinder::MatchCallback *Callback);
  /// Consumes a match of registerMatchers; false if it was not ours.
  bool handle(const ast_matchers::MatchFinder::MatchResult &Result);
  /// The unsafe calls of the translation unit in source order.
  std::vector<LibcUse> hazards(ASTContext &Ctx);

  ExtensionContext &context() { return Context; }
  void clear();

private:
  /// The row that applies to a function of this name, or null.
  const UnsafeLibcFunction *lookup(llvm::StringRef Name) const;

  unsigned Sets;
  llvm::StringSet<> Ignored;
  /// Rows made for AdditionalFunctions names the table does not know.
  std::deque<UnsafeLibcFunction> Configured;
  llvm::StringSet<> AdditionalRows;
  ExtensionContext Context;
  std::vector<LibcUse> Calls;
};

} // namespace clang::tidy::freethreading

#endif // FREETHREADING_TIDY_LIB_LIBCCALLFINDER_H
