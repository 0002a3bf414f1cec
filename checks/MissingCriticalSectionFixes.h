//===--- MissingCriticalSectionFixes.h - freethreading-tidy ----*- C++ -*-===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The fix-it of freethreading-missing-critical-section: the lock-held
/// split. The function's body is renamed `<name>_lock_held` and `<name>`
/// becomes a wrapper that holds Py_BEGIN_CRITICAL_SECTION(self) around a
/// call of it, so every early return of the body stays correct. Declined,
/// with the reason, wherever the split would not build or would not hold.
///
//===----------------------------------------------------------------------===//

#ifndef FREETHREADING_TIDY_CHECKS_MISSINGCRITICALSECTIONFIXES_H
#define FREETHREADING_TIDY_CHECKS_MISSINGCRITICALSECTIONFIXES_H

#include "lib/SourceEdits.h"
#include "lib/UnlockedState.h"
#include "clang/Basic/Diagnostic.h"
#include <string>
#include <vector>

namespace clang::tidy::freethreading {

/// The split of one function, or why there is none.
struct SplitPlan {
  std::vector<FixItHint> Fixes;
  std::string Reason; ///< Empty when Fixes is not.
};

class SectionFixPlanner {
public:
  /// \p MacroProblem: why the headers in use cannot give the function
  /// Py_BEGIN_CRITICAL_SECTION; empty when they can.
  SectionFixPlanner(ASTContext &Ctx, std::string MacroProblem)
      : Ctx(Ctx), Names(Ctx), MacroProblem(std::move(MacroProblem)) {}

  SplitPlan plan(const UnlockedFunction &U, const FunctionFlow &Flow);

private:
  /// Why \p F's shape rules the split out; empty when it does not.
  std::string shapeProblem(const FunctionDecl *F) const;
  /// Why what \p F does rules the split out.
  std::string bodyProblem(const FunctionDecl *F,
                          const FunctionFlow &Flow) const;
  std::string wrapper(const FunctionDecl *F, llvm::StringRef Header,
                      llvm::StringRef Body, unsigned SelfParam);

  ASTContext &Ctx;
  FreshNames Names;
  const std::string MacroProblem;
};

} // namespace clang::tidy::freethreading

#endif // FREETHREADING_TIDY_CHECKS_MISSINGCRITICALSECTIONFIXES_H
