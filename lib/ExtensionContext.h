//===--- ExtensionContext.h - per-file facts every check needs ------------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Facts about the files of one translation unit that decide whether a
/// finding is reported at all: generated files (Cython, SWIG, ...), the
/// shims that implement the strong-reference API by borrowing on purpose and
/// the compatibility headers made of them, and the function definition
/// around a location.
///
//===----------------------------------------------------------------------===//

#ifndef FREETHREADING_TIDY_LIB_EXTENSIONCONTEXT_H
#define FREETHREADING_TIDY_LIB_EXTENSIONCONTEXT_H

#include "lib/KnowledgeBase.h"
#include "clang/AST/Decl.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace clang::tidy::freethreading {

class ExtensionContext {
public:
  /// Indexes the function definitions \p Definitions (every one of the
  /// user's code, from ExtensionAnalysis::extensionContext): their extents,
  /// and the files that define a strong-reference API.
  void setFunctions(const SourceManager &SM,
                    llvm::ArrayRef<const FunctionDecl *> Definitions);

  /// The generator that wrote \p File, or null.
  const Generator *generatorOf(const SourceManager &SM, FileID File);
  /// \p File is a compatibility header: a file named pythoncapi_compat.h, or
  /// a header (never the main file) whose name contains "compat" and that
  /// defines part of the strong-reference API. Nothing in it is reported.
  bool isCompatFile(const SourceManager &SM, FileID File) const;
  /// Records that \p File defines the strong-reference API \p Name as a
  /// macro, with \p BodyNames the identifiers of its body: a function of one
  /// of those names implements the shim (`#define PyList_GetItemRef
  /// compat_list_get`). Function definitions are given by setFunctions.
  void addStrongApiMacro(FileID File, llvm::ArrayRef<std::string> BodyNames);
  /// \p Loc lies in the body of a shim: a function defining a
  /// strong-reference API, or one that such a macro maps the API onto.
  bool isInShim(const SourceManager &SM, SourceLocation Loc) const;
  /// No check reports at \p Loc: system header, generated file,
  /// compatibility header or shim.
  bool isExcluded(const SourceManager &SM, SourceLocation Loc);

  /// The innermost function definition whose body contains \p Loc.
  const FunctionDecl *functionAt(const SourceManager &SM,
                                 SourceLocation Loc) const;

  /// The uses a check reports: those at excluded locations dropped, one per
  /// location and \p KeyOf(use) (a template body is seen once per
  /// instantiation), in source order. UseT has a SourceLocation `Loc`.
  template <typename UseT, typename KeyFn>
  std::vector<UseT> reportable(const SourceManager &SM, std::vector<UseT> Uses,
                               KeyFn KeyOf) {
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
  /// Sorted by file and start, with the index of each one's nearest
  /// enclosing extent in Enclosing (-1 for none): a lookup walks up from
  /// the last extent starting at or before the location, so it costs the
  /// nesting depth, not the number of functions.
  std::vector<FunctionExtent> Functions;
  std::vector<int> Enclosing;
  /// Fills Enclosing from the sorted Functions.
  void indexNesting();
  /// The innermost extent containing \p Loc's file location, or -1.
  int extentAt(const SourceManager &SM, SourceLocation Loc) const;
  /// Files that define a strong-reference API, as a function or a macro.
  llvm::DenseSet<FileID> StrongApiFiles;
  /// Names a strong-API macro's body maps the API onto.
  llvm::StringSet<> ShimNames;
  llvm::DenseMap<FileID, const Generator *> Generated;
};

} // namespace clang::tidy::freethreading

#endif // FREETHREADING_TIDY_LIB_EXTENSIONCONTEXT_H
