//===--- BorrowedReferenceCheck.cpp - freethreading-tidy ------------------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "checks/BorrowedReferenceCheck.h"
#include "lib/BorrowedFixIts.h"
#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;

namespace clang::tidy::freethreading {

static constexpr llvm::StringLiteral UnitId = "unit";

BorrowedReferenceCheck::BorrowedReferenceCheck(llvm::StringRef Name,
                                               ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      CompatHeader(Options.get("CompatHeader", "")),
      Inserter(Options.getLocalOrGlobal("IncludeStyle",
                                        utils::IncludeSorter::IS_LLVM),
               areDiagsSelfContained()) {}

void BorrowedReferenceCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "CompatHeader", CompatHeader);
  Options.store(Opts, "IncludeStyle", Inserter.getStyle());
}

void BorrowedReferenceCheck::registerMatchers(MatchFinder *MatchFinder) {
  MatchFinder->addMatcher(translationUnitDecl().bind(UnitId), this);
  Finder.registerMatchers(MatchFinder, this);
}

void BorrowedReferenceCheck::registerPPCallbacks(const SourceManager &SM,
                                                 Preprocessor *PP,
                                                 Preprocessor *) {
  Finder.registerPPCallbacks(SM, PP);
  Inserter.registerPreprocessor(PP);
}

void BorrowedReferenceCheck::check(const MatchFinder::MatchResult &Result) {
  Context = Result.Context;
  if (Result.Nodes.getNodeAs<TranslationUnitDecl>(UnitId))
    return;
  Finder.handle(Result);
}

void BorrowedReferenceCheck::onEndOfTranslationUnit() {
  if (Context) {
    const SourceManager &SM = Context->getSourceManager();
    BorrowedFixPlanner Planner(*Context, Finder.facts());
    std::vector<BorrowedUse> Uses = Finder.hazards(*Context);
    std::vector<BorrowedFix> Fixes;
    for (const BorrowedUse &Use : Uses)
      Fixes.push_back(Planner.plan(Use));
    Planner.finish(Fixes);
    for (size_t I = 0; I < Uses.size(); ++I) {
      const BorrowedUse &Use = Uses[I];
      const BorrowedFix &Fix = Fixes[I];
      {
        auto D = diag(Use.Loc, "borrowed reference from '%0' may be "
                               "invalidated by another thread; %1")
                 << Use.Api->Name << Use.Api->remedy() << Fix.Hints;
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
  Finder.clear();
  Context = nullptr;
}

} // namespace clang::tidy::freethreading
