//===--- MutableStaticStateCheck.cpp - freethreading-tidy -----------------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "checks/MutableStaticStateCheck.h"
#include "checks/MutableStaticStateFixes.h"
#include "lib/SourceEdits.h"
#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;

namespace clang::tidy::freethreading {

static constexpr llvm::StringLiteral UnitId = "ft-static-unit";

MutableStaticStateCheck::MutableStaticStateCheck(llvm::StringRef Name,
                                                 ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      Settings(StaticOptions::read(Options, Name, &OptionProblems)),
      Inserter(Options.getLocalOrGlobal("IncludeStyle",
                                        utils::IncludeSorter::IS_LLVM),
               areDiagsSelfContained()),
      Analysis(Context) {
  for (const std::string &Problem : OptionProblems)
    configurationDiag("%0") << Problem;
}

void MutableStaticStateCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Settings.store(Options, Opts);
  Options.store(Opts, "IncludeStyle", Inserter.getStyle());
}

void MutableStaticStateCheck::registerMatchers(MatchFinder *Finder) {
  Analysis.registerMatchers(Finder);
  // Seen once per translation unit; the statics come from the shared
  // analysis.
  Finder->addMatcher(translationUnitDecl().bind(UnitId), this);
  Analysis->addFixer([this] {
    std::vector<SourceLocation> Fixed;
    const Plans &P = plans();
    for (size_t I = 0; I < P.Fixes.size() && I < P.Statics.size(); ++I)
      if (!P.Fixes[I].Fixes.empty())
        Fixed.push_back(P.Statics[I].Var->getLocation());
    return Fixed;
  });
}

void MutableStaticStateCheck::registerPPCallbacks(const SourceManager &SM,
                                                  Preprocessor *PP,
                                                  Preprocessor *) {
  Analysis.registerPPCallbacks(SM, PP);
  Inserter.registerPreprocessor(PP);
}

void MutableStaticStateCheck::check(const MatchFinder::MatchResult &Result) {
  Context = Result.Context;
}

const MutableStaticStateCheck::Plans &MutableStaticStateCheck::plans() {
  if (Planned)
    return *Planned;
  Planned.emplace();
  if (!Context)
    return *Planned;
  ExtensionAnalysis &A = Analysis.get();
  Planned->Statics = mutableStatics(A, Settings);
  Planned->Fixes =
      StaticFixPlanner(*Context, A.model(), A.parents(), Settings.AtomicFixes)
          .plan(Planned->Statics);
  return *Planned;
}

void MutableStaticStateCheck::onEndOfTranslationUnit() {
  if (!Context)
    return;
  ExtensionAnalysis &A = Analysis.get();
  const SourceManager &SM = Context->getSourceManager();
  const Plans &Planned = plans();
  const std::vector<MutableStatic> &Statics = Planned.Statics;
  const std::vector<StaticFixPlan> &Plans = Planned.Fixes;
  for (size_t I = 0; I < Statics.size(); ++I) {
    const MutableStatic &S = Statics[I];
    const StaticFixPlan *P = I < Plans.size() ? &Plans[I] : nullptr;
    {
      auto D = diag(S.Var->getLocation(), "%0") << staticHazardMessage(S);
      if (P && !P->Fixes.empty()) {
        for (const FixItHint &Fix : P->Fixes)
          D << inFileLineEndings(Fix, SM);
        FileID File = SM.getFileID(S.Var->getLocation());
        if (!includesHeader(SM, File, P->Header))
          D << inFileLineEndings(
              Inserter.createIncludeInsertion(File, P->Header), SM);
      }
    }
    if (P && !P->Note.empty())
      diag(S.Var->getLocation(), "%0", DiagnosticIDs::Note) << P->Note;
    for (const StaticSite &Site : S.Sites)
      diag(Site.Use->Loc, "%0", DiagnosticIDs::Note)
          << staticSiteNote(Site, A.model());
  }
  Context = nullptr;
}

} // namespace clang::tidy::freethreading
