//===--- BorrowedReferenceFinder.h - borrowed references at risk ----------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Finds uses of the borrowed-reference APIs of BorrowedApis.def whose
/// result another thread can invalidate, and drops the uses that are safe:
/// inside a critical section on the container; on a container no other
/// thread can reach (one the function created and has not published, a new
/// tuple, the **kwargs dict of a call, or one every caller of a static
/// helper passes privately); where the borrowed pointer is only tested or
/// compared; in code built only for Pythons without free threading; in
/// strong-reference shims, compatibility headers and generated files. Shared
/// by the borrowed-reference check and the checks that count hazards per
/// file.
///
//===----------------------------------------------------------------------===//

#ifndef FREETHREADING_TIDY_LIB_BORROWEDREFERENCEFINDER_H
#define FREETHREADING_TIDY_LIB_BORROWEDREFERENCEFINDER_H

#include "lib/AstHelpers.h"
#include "lib/ExtensionContext.h"
#include "lib/ExtensionModel.h"
#include "lib/KnowledgeBase.h"
#include "lib/PreprocessorFacts.h"
#include "llvm/ADT/DenseSet.h"
#include <string>
#include <vector>

namespace clang {
class Preprocessor;
namespace tidy::freethreading {

/// One use of a borrowed-reference API that is a hazard.
struct BorrowedUse {
  const BorrowedApi *Api = nullptr;
  /// Where the user wrote it (the use of their macro, if it is inside one).
  SourceLocation Loc;
  /// The call or macro invocation as written, invalid when it is produced by
  /// a macro body (no rewrite can be made there).
  CharSourceRange Written;
  /// Where the API's name is spelled: in a macro definition when the use
  /// comes from a macro body.
  SourceLocation Spelled;
  /// The call, for APIs spelled as functions.
  const CallExpr *Call = nullptr;
  /// The arguments' text, for APIs spelled as macros.
  std::vector<std::string> MacroArgs;
  /// The enclosing function definition, if any.
  const FunctionDecl *Function = nullptr;
  /// The shared object's expression, normalised ("" if the API has none).
  std::string Container;
  bool InMacroBody = false;
};

class BorrowedReferenceFinder {
public:
  /// \p Facts are the translation unit's, which record the uses of the
  /// APIs spelled as macros (isBorrowedApiMacro).
  explicit BorrowedReferenceFinder(PreprocessorFacts &Facts) : Facts(Facts) {}
  /// The hazards of the translation unit in source order, each once;
  /// \p Model says which functions are installed somewhere (their address
  /// is taken) and who calls each; \p Parents walk up function bodies.
  std::vector<BorrowedUse> hazards(ASTContext &Ctx,
                                   const ExtensionModel &Model,
                                   BodyParents &Parents);

  ExtensionContext &context() { return Context; }
  PreprocessorFacts &facts() { return Facts; }

private:
  /// Records \p Call if it calls a borrowed-reference API.
  void addCall(const CallExpr *Call, const SourceManager &SM,
               const LangOptions &LO);

  ExtensionContext Context;
  PreprocessorFacts &Facts;
  std::vector<BorrowedUse> Calls;
};

/// The variable a container expression names, ignoring casts; null if it is
/// not a plain variable.
const VarDecl *containerVariable(const Expr *E);

} // namespace tidy::freethreading
} // namespace clang

#endif // FREETHREADING_TIDY_LIB_BORROWEDREFERENCEFINDER_H
