//===--- BorrowedReferenceCheck.cpp - freethreading-tidy ------------------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "checks/BorrowedReferenceCheck.h"
#include "lib/BorrowedFixIts.h"
#include "lib/Hazards.h"
#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;

namespace clang::tidy::freethreading {

BorrowedReferenceCheck::BorrowedReferenceCheck(llvm::StringRef Name,
                                               ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      CompatHeader(Options.get("CompatHeader", "")),
      Inserter(Options.getLocalOrGlobal("IncludeStyle",
                                        utils::IncludeSorter::IS_LLVM),
               areDiagsSelfContained()),
      Analysis(Context, SharedAnalysis::BorrowedUses) {}

void BorrowedReferenceCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "CompatHeader", CompatHeader);
  Options.store(Opts, "IncludeStyle", Inserter.getStyle());
}

void BorrowedReferenceCheck::registerMatchers(MatchFinder *MatchFinder) {
  // Once per translation unit: a check without a matcher of its own is not
  // told when the translation unit ends.
  MatchFinder->addMatcher(translationUnitDecl(), this);
  Analysis.registerMatchers(MatchFinder);
}

void BorrowedReferenceCheck::registerPPCallbacks(const SourceManager &SM,
                                                 Preprocessor *PP,
                                                 Preprocessor *) {
  Analysis.registerPPCallbacks(SM, PP);
  Inserter.registerPreprocessor(PP);
}

void BorrowedReferenceCheck::onEndOfTranslationUnit() {
  ExtensionAnalysis &A = Analysis.get();
  if (A.hasContext()) {
    ASTContext &Ctx = A.context();
    const SourceManager &SM = Ctx.getSourceManager();
    BorrowedFixPlanner Planner(Ctx, A.borrowedFinder().facts());
    const std::vector<BorrowedUse> &Uses = A.borrowedUses();
    std::vector<BorrowedFix> Fixes;
    for (const BorrowedUse &Use : Uses)
      Fixes.push_back(Planner.plan(Use));
    Planner.finish(Fixes);
    for (size_t I = 0; I < Uses.size(); ++I) {
      const BorrowedUse &Use = Uses[I];
      const BorrowedFix &Fix = Fixes[I];
      {
        auto D = diag(Use.Loc, "%0") << borrowedHazardMessage(Use) << Fix.Hints;
        if (!Fix.Hints.empty() && !CompatHeader.empty())
          D << Inserter.createIncludeInsertion(
              SM.getFileID(SM.getExpansionLoc(Use.Loc)), CompatHeader);
      }
      if (Fix.CoveredBy.isValid())
        diag(Use.Loc,
             "the critical section added for the access on line %0 "
             "covers this one too",
             DiagnosticIDs::Note)
            << SM.getSpellingLineNumber(Fix.CoveredBy);
      else if (Fix.Hints.empty())
        diag(Use.Loc, "no fix-it: %0", DiagnosticIDs::Note) << Fix.Reason;
    }
  }
}

} // namespace clang::tidy::freethreading
