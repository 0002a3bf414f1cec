//===--- UnsafeLibcCallFixes.h - rewrites to reentrant calls ----*- C++ -*-===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Plans the fix-its of freethreading-unsafe-libc-call: strtok to strtok_r
/// with one save pointer per walk, the *_r forms with a buffer in the block,
/// strerror_r in a form right for GNU and XSI, inet_ntop, and a local
/// mbstate_t for the restartable conversions. When no rewrite is provably
/// right the plan says why.
///
//===----------------------------------------------------------------------===//

#ifndef FREETHREADING_TIDY_CHECKS_UNSAFELIBCCALLFIXES_H
#define FREETHREADING_TIDY_CHECKS_UNSAFELIBCCALLFIXES_H

#include "lib/AstHelpers.h"
#include "lib/LibcCalls.h"
#include "lib/SourceEdits.h"
#include "clang/Basic/Diagnostic.h"
#include "llvm/ADT/DenseMap.h"
#include <memory>
#include <string>
#include <vector>

namespace clang::tidy::freethreading {

/// The fix-its of one call, or why it has none.
struct LibcFixPlan {
  std::vector<FixItHint> Fixes;
  /// A header to include for the replacement ("<wchar.h>"), or "".
  std::string Header;
  /// Why there is no fix-it (a note), or "".
  std::string Refusal;
};

class LibcFixPlanner {
public:
  explicit LibcFixPlanner(ASTContext &Ctx) : Ctx(Ctx), Names(Ctx) {}
  /// Plans every use; the strtok calls of one function share one save
  /// pointer.
  llvm::DenseMap<const CallExpr *, LibcFixPlan>
  plan(llvm::ArrayRef<LibcUse> Uses);

private:
  struct Scope {
    const CompoundStmt *Block;
    const Stmt *Child; ///< The statement of Block holding the call.
  };
  /// Where a call sits: its enclosing blocks (innermost first) and the
  /// function, lambda call operator or block around it.
  struct Site {
    std::vector<Scope> Scopes;
    const Decl *Function = nullptr;
    const LocalParents *Parents = nullptr;
  };

  Site siteOf(const LibcUse &Use);
  const LocalParents &parentsOf(const FunctionDecl *F);
  std::string siteRefusal(const LibcUse &Use, const Site &S) const;
  void planStrtok(llvm::ArrayRef<const LibcUse *> Uses,
                  llvm::DenseMap<const CallExpr *, LibcFixPlan> &Plans);
  LibcFixPlan planSingle(const LibcUse &Use);
  std::string replacementRefusal(const LibcUse &Use, const Site &S,
                                 llvm::StringRef Replacement,
                                 LibcFixPlan &P) const;
  void rewrite(const LibcUse &Use, const Site &S, llvm::StringRef Replacement,
               LibcFixPlan &P);

  ASTContext &Ctx;
  FreshNames Names;
  llvm::DenseMap<const FunctionDecl *, std::unique_ptr<LocalParents>> Parents;
};

} // namespace clang::tidy::freethreading

#endif // FREETHREADING_TIDY_CHECKS_UNSAFELIBCCALLFIXES_H
