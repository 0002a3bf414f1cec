//===--- UnsafeLibcCallCheck.cpp - freethreading-tidy ---------------------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "checks/UnsafeLibcCallCheck.h"
#include "checks/UnsafeLibcCallFixes.h"
#include "lib/SourceEdits.h"
#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

using namespace clang::ast_matchers;

namespace clang::tidy::freethreading {

static constexpr llvm::StringLiteral UnitId = "ft-libc-unit";

UnsafeLibcCallCheck::UnsafeLibcCallCheck(llvm::StringRef Name,
                                         ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), Settings(LibcOptions::read(Options)),
      Inserter(Options.getLocalOrGlobal("IncludeStyle",
                                        utils::IncludeSorter::IS_LLVM),
               areDiagsSelfContained()),
      Analysis(Context) {}

void UnsafeLibcCallCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Settings.store(Options, Opts);
  Options.store(Opts, "IncludeStyle", Inserter.getStyle());
}

void UnsafeLibcCallCheck::registerMatchers(MatchFinder *Finder) {
  Analysis.registerMatchers(Finder);
  // Seen once per translation unit; the calls come from the shared
  // analysis.
  Finder->addMatcher(translationUnitDecl().bind(UnitId), this);
}

void UnsafeLibcCallCheck::registerPPCallbacks(const SourceManager &SM,
                                              Preprocessor *PP,
                                              Preprocessor *) {
  Analysis.registerPPCallbacks(SM, PP);
  Inserter.registerPreprocessor(PP);
}

void UnsafeLibcCallCheck::check(const MatchFinder::MatchResult &Result) {
  Context = Result.Context;
}

void UnsafeLibcCallCheck::onEndOfTranslationUnit() {
  if (!Context)
    return;
  ExtensionAnalysis &A = Analysis.get();
  const SourceManager &SM = Context->getSourceManager();
  ConfiguredLibcRows Configured;
  std::vector<LibcUse> Uses = unsafeLibcCalls(A, Settings, Configured);
  LibcFixPlanner Planner(*Context);
  llvm::DenseMap<const CallExpr *, LibcFixPlan> Plans = Planner.plan(Uses);
  for (const LibcUse &Use : Uses) {
    const LibcFixPlan &P = Plans[Use.Call];
    {
      auto D = diag(Use.Loc, "%0") << libcHazardMessage(Use);
      for (const FixItHint &Fix : P.Fixes)
        D << inFileLineEndings(Fix, SM);
      if (!P.Fixes.empty() && !P.Header.empty())
        D << inFileLineEndings(
            Inserter.createIncludeInsertion(SM.getFileID(Use.Loc), P.Header),
            SM);
    }
    if (!P.Refusal.empty())
      diag(Use.Loc, "%0", DiagnosticIDs::Note) << P.Refusal;
  }
  Context = nullptr;
}

} // namespace clang::tidy::freethreading
