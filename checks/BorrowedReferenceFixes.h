//===--- BorrowedReferenceFixes.h - rewrites to strong refs ----*- C++ -*-===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Plans the fix-it for one borrowed-reference hazard: the call rewritten to
/// the strong-reference API, and the reference now owned handed on or
/// released on every path out of its scope; or a critical section around a
/// loop. When no rewrite is provably right the plan says why instead.
/// The rules are documented in docs/checks/freethreading-borrowed-reference.md
/// ("Fix-its").
///
//===----------------------------------------------------------------------===//

#ifndef FREETHREADING_TIDY_CHECKS_BORROWEDREFERENCEFIXES_H
#define FREETHREADING_TIDY_CHECKS_BORROWEDREFERENCEFIXES_H

#include "lib/AstHelpers.h"
#include "lib/BorrowedReferenceFinder.h"
#include "clang/Basic/Diagnostic.h"
#include "llvm/ADT/DenseMap.h"
#include <functional>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class CompoundStmt;
namespace tidy::freethreading {

/// The fix for one use, or the reason there is none.
/// A release the reference needs before a jump out of its block. Several
/// references may leave by the same jump; finish() writes their releases as
/// one edit.
struct ExitRelease {
  const Stmt *Exit = nullptr;
  const FunctionDecl *Function = nullptr; ///< The one Exit is in.
  std::string Release;  ///< `Py_DECREF(x);`
  std::string TempName; ///< Non-empty when the returned value uses x.
};

struct BorrowedFix {
  std::vector<FixItHint> Hints;
  std::vector<ExitRelease> Exits;
  /// Why no fix-it is offered; empty when Hints is not.
  std::string Reason;
  /// Set when the critical section planned for an earlier use covers this
  /// one too (Hints and Reason are then empty).
  SourceLocation CoveredBy;
  /// The APIs and macros the fix writes that not every CPython declares
  /// (the replacement, Py_BEGIN_CRITICAL_SECTION).
  std::vector<std::string> Needs;
};

/// Why the API or macro \p Name cannot be written by a fix in this
/// translation unit; empty when it can.
using MissingApi = std::function<std::string(llvm::StringRef Name)>;

class BorrowedFixPlanner {
public:
  /// \p Parents walk up function bodies.
  BorrowedFixPlanner(ASTContext &Ctx, PreprocessorFacts &Facts,
                     BodyParents &Parents, MissingApi Missing)
      : Ctx(Ctx), Facts(Facts), Parents(Parents), Missing(std::move(Missing)) {}
  /// Plans the fix for \p Use; call once per use, in source order.
  BorrowedFix plan(const BorrowedUse &Use);
  /// Turns the exit releases of all planned fixes into fix-its, one edit per
  /// jump statement, kept with the first fix that needs it.
  void finish(std::vector<BorrowedFix> &Fixes);

private:
  struct Region {
    const CompoundStmt *Block;
    unsigned First, Last;
  };
  BorrowedFix planCriticalSection(const BorrowedUse &Use, const Expr *E);
  BorrowedFix planDictNext(const BorrowedUse &Use);
  BorrowedFix lockRegion(const BorrowedUse &Use, Region R,
                         llvm::StringRef Object);

  ASTContext &Ctx;
  PreprocessorFacts &Facts;
  BodyParents &Parents;
  MissingApi Missing;
  /// Regions already wrapped in a critical section: (block, first, last) to
  /// the use whose fix wraps it.
  std::vector<std::pair<Region, SourceLocation>> Locked;
};

} // namespace tidy::freethreading
} // namespace clang

#endif // FREETHREADING_TIDY_CHECKS_BORROWEDREFERENCEFIXES_H
