//===--- MutableStaticStateFixes.h - freethreading-tidy --------*- C++ -*-===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The fix-its of freethreading-mutable-static-state: an integer or flag
/// static whose every use is a load, a store, `++`, `--`, `+=` or `-=`
/// becomes atomic (C11 `_Atomic`, C++ `std::atomic<T>`); anything else gets
/// a note saying why no rewrite is safe.
///
//===----------------------------------------------------------------------===//

#ifndef FREETHREADING_TIDY_CHECKS_MUTABLESTATICSTATEFIXES_H
#define FREETHREADING_TIDY_CHECKS_MUTABLESTATICSTATEFIXES_H

#include "lib/AstHelpers.h"
#include "lib/ExtensionModel.h"
#include "lib/MutableStatics.h"
#include "clang/Basic/Diagnostic.h"
#include <string>
#include <vector>

namespace clang::tidy::freethreading {

/// The fix of one static: edits and a header, or a note.
struct StaticFixPlan {
  std::vector<FixItHint> Fixes;
  std::string Header; ///< Included with the fix ("stdatomic.h", "atomic").
  std::string Note;   ///< Why there is no fix-it; empty when there is one.
};

class StaticFixPlanner {
public:
  /// \p AtomicFixes: offer the atomic rewrite (the option of the same
  /// name); the notes for the other statics are given either way.
  StaticFixPlanner(ASTContext &Ctx, const ExtensionModel &Model,
                   BodyParents &Bodies, bool AtomicFixes)
      : Ctx(Ctx), Model(Model), Bodies(Bodies), AtomicFixes(AtomicFixes) {}
  /// The plans of \p Statics, in the same order.
  std::vector<StaticFixPlan> plan(llvm::ArrayRef<MutableStatic> Statics);

private:
  /// Why \p S cannot simply become atomic; empty when it can.
  std::string atomicProblem(const MutableStatic &S);
  /// Why the declaration of \p V cannot be rewritten in place.
  std::string declarationProblem(const VarDecl *V) const;
  /// Why the use \p R of \p V is not a load, a store or an atomic update.
  std::string useProblem(const DeclRefExpr *R, const VarDecl *V) const;
  /// Why the load \p Load cannot read a std::atomic (C++ only).
  std::string loadProblem(const Expr *Load) const;
  /// The write \p W is decided by a test of the same static.
  bool isTestedFirst(const Expr *W, const VarDecl *V) const;
  std::vector<FixItHint> atomicEdits(const VarDecl *V) const;
  const Stmt *parentOf(const Stmt *S) const;

  ASTContext &Ctx;
  const ExtensionModel &Model;
  BodyParents &Bodies;
  const bool AtomicFixes;
  /// The parents of the body of the reference being looked at.
  const LocalParents *Parents = nullptr;
};

} // namespace clang::tidy::freethreading

#endif // FREETHREADING_TIDY_CHECKS_MUTABLESTATICSTATEFIXES_H
