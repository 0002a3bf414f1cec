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
  /// No check reports at \p Loc: system header, generated or compat file.
  bool isExcluded(const SourceManager &SM, SourceLocation Loc);

  /// The innermost function definition whose body contains \p Loc.
  const FunctionDecl *functionAt(const SourceManager &SM,
                                 SourceLocation Loc) const;

  void clear();

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
