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
  Analysis->addFixer([this] {
    std::vector<SourceLocation> Fixed;
    const Plans &P = plans();
    for (const LibcUse &Use : P.Uses)
      if (auto It = P.Fixes.find(Use.Call);
          It != P.Fixes.end() && !It->second.Fixes.empty())
        Fixed.push_back(Use.Loc);
    return Fixed;
  });
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

const UnsafeLibcCallCheck::Plans &UnsafeLibcCallCheck::plans() {
  if (Planned)
    return *Planned;
  Planned.emplace();
  if (!Context)
    return *Planned;
  Planned->Uses = unsafeLibcCalls(Analysis.get(), Settings, Planned->Configured);
  Planned->Fixes = LibcFixPlanner(*Context).plan(Planned->Uses);
  return *Planned;
}

void UnsafeLibcCallCheck::onEndOfTranslationUnit() {
  if (!Context)
    return;
  const SourceManager &SM = Context->getSourceManager();
  const Plans &Planned = plans();
  for (const LibcUse &Use : Planned.Uses) {
    const LibcFixPlan &P = Planned.Fixes.find(Use.Call)->second;
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
