//===--- Hazards.cpp - what every freethreading check reports -------------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "lib/Hazards.h"
#include "lib/LibcCalls.h"
#include "lib/MutableStatics.h"
#include "lib/UnlockedState.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "clang/AST/ASTContext.h"
#include "llvm/ADT/STLExtras.h"

namespace clang::tidy::freethreading {

std::string borrowedHazardMessage(const BorrowedUse &Use) {
  return ("borrowed reference from '" + Use.Api->Name +
          "' may be invalidated by another thread; " + Use.Api->remedy())
      .str();
}

/// The options \p Context holds for the check \p CheckName.
static ClangTidyCheck::OptionsView optionsOf(llvm::StringRef CheckName,
                                             ClangTidyContext &Context) {
  return ClangTidyCheck::OptionsView(
      CheckName, Context.getOptions().CheckOptions, &Context);
}

static void addBorrowed(ExtensionAnalysis &A, std::vector<Hazard> &Out) {
  for (const BorrowedUse &U : A.borrowedUses())
    Out.push_back({U.Loc,
                   ("free-threading hazard: borrowed reference from '" +
                    U.Api->Name + "'; " + U.Api->remedy())
                       .str(),
                   ("borrowed reference from '" + U.Api->Name + "'").str()});
}

static void addLibc(ExtensionAnalysis &A, ClangTidyContext &Context,
                    std::vector<Hazard> &Out) {
  ClangTidyCheck::OptionsView View =
      optionsOf("freethreading-unsafe-libc-call", Context);
  ConfiguredLibcRows Configured;
  for (const LibcUse &U :
       unsafeLibcCalls(A, LibcOptions::read(View), Configured))
    Out.push_back({U.Loc,
                   ("free-threading hazard: '" + U.Function->Name + "' uses " +
                    U.Function->Shared + " shared by all threads; use " +
                    U.Function->Remedy)
                       .str(),
                   ("call to '" + U.Function->Name + "'").str()});
}

static void addStatics(ExtensionAnalysis &A, ClangTidyContext &Context,
                       std::vector<Hazard> &Out) {
  llvm::StringRef Check = "freethreading-mutable-static-state";
  ClangTidyCheck::OptionsView View = optionsOf(Check, Context);
  for (const MutableStatic &S :
       mutableStatics(A, StaticOptions::read(View, Check)))
    Out.push_back({S.Var->getLocation(),
                   "free-threading hazard: " + staticHazardMessage(S),
                   staticHazardShort(S)});
}

static void addSections(ExtensionAnalysis &A, ClangTidyContext &Context,
                        std::vector<Hazard> &Out) {
  llvm::StringRef Check = "freethreading-missing-critical-section";
  ClangTidyCheck::OptionsView View = optionsOf(Check, Context);
  const ObjectStateFindings &Found =
      A.objectState(SectionOptions::read(View, Check));
  for (const UnlockedFunction &U : Found.Unlocked)
    Out.push_back({U.Accesses.front()->Loc,
                   "free-threading hazard: " + unlockedMessage(U, A),
                   unlockedShort(U, A)});
  for (const BorrowedField &B : Found.Borrowed)
    Out.push_back({B.Load->getMemberLoc(),
                   "free-threading hazard: " + borrowedFieldMessage(B),
                   "borrowed field in " + A.model().describe(B.Function)});
  for (const SectionMistake &M : A.sectionMistakes())
    Out.push_back({M.Problem->Loc, "free-threading hazard: " + M.Message,
                   "critical section misused in " +
                       A.model().describe(M.Function)});
}

std::vector<Hazard> translationUnitHazards(ExtensionAnalysis &A,
                                           ClangTidyContext &Context) {
  std::vector<Hazard> Hazards;
  addBorrowed(A, Hazards);
  addLibc(A, Context, Hazards);
  addStatics(A, Context, Hazards);
  addSections(A, Context, Hazards);
  const SourceManager &SM = A.context().getSourceManager();
  llvm::stable_sort(Hazards, [&](const Hazard &X, const Hazard &Y) {
    return SM.isBeforeInTranslationUnit(X.Loc, Y.Loc);
  });
  return Hazards;
}

} // namespace clang::tidy::freethreading
