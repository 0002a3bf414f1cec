//===--- ExtensionContext.h - per-file facts every check needs ------------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Facts about the files of one translation unit that decide whether a
/// finding is reported at all: generated files (Cython, SWIG, ...),
/// compatibility headers that implement the strong-reference API by
/// borrowing on purpose, and the function definition around a location.
///
//===----------------------------------------------------------------------===//

#ifndef FREETHREADING_TIDY_LIB_EXTENSIONCONTEXT_H
#define FREETHREADING_TIDY_LIB_EXTENSIONCONTEXT_H

#include "lib/KnowledgeBase.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include <set>
#include <utility>
#include <vector>

namespace clang::tidy::freethreading {

class ExtensionContext {
public:
  /// Registers the matcher that indexes function definitions.
  void registerMatchers(ast_matchers::MatchFinder *Finder,
                        ast_matchers::MatchFinder::MatchCallback *Callback);
  /// Consumes a match of registerMatchers; false if it was not ours.
  bool handle(const ast_matchers::MatchFinder::MatchResult &Result);

  /// The generator that wrote \p File, or null.
  const Generator *generatorOf(const SourceManager &SM, FileID File);
  /// \p File defines part of the strong-reference API for old Pythons.
  bool isCompatFile(const SourceManager &SM, FileID File) const;
  /// Records that \p File implements part of the strong-reference API (it
  /// defines a macro of that name; function definitions are seen by the
  /// matcher).
  void markCompatFile(FileID File) { CompatFiles.insert(File); }
  /// No check reports at \p Loc: system header, generated or compat file.
  bool isExcluded(const SourceManager &SM, SourceLocation Loc);

  /// The innermost function definition whose body contains \p Loc.
  const FunctionDecl *functionAt(const SourceManager &SM,
                                 SourceLocation Loc) const;

  void clear();

  /// The uses a check reports: those at excluded locations dropped, one per
  /// location and \p KeyOf(use) (a template body is seen once per
  /// instantiation), in source order. UseT has a SourceLocation `Loc`.
  template <typename UseT, typename KeyFn>
  std::vector<UseT> reportable(const SourceManager &SM,
                               std::vector<UseT> Uses, KeyFn KeyOf) {
    std::vector<UseT> Result;
    std::set<std::pair<unsigned, const void *>> Seen;
    for (UseT &Use : Uses)
      if (!isExcluded(SM, Use.Loc) &&
          Seen.insert({Use.Loc.getRawEncoding(), KeyOf(Use)}).second)
        Result.push_back(std::move(Use));
    llvm::stable_sort(Result, [&](const UseT &A, const UseT &B) {
      return SM.isBeforeInTranslationUnit(A.Loc, B.Loc);
    });
    return Result;
  }

private:
  struct FunctionExtent {
    FileID File;
    unsigned Begin, End;
    const FunctionDecl *Decl;
  };
  std::vector<FunctionExtent> Functions;
  llvm::DenseSet<FileID> CompatFiles;
  llvm::DenseMap<FileID, const Generator *> Generated;
};

} // namespace clang::tidy::freethreading

#endif // FREETHREADING_TIDY_LIB_EXTENSIONCONTEXT_H
