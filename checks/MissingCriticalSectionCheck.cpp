//===--- MissingCriticalSectionCheck.cpp - freethreading-tidy -------------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "checks/MissingCriticalSectionCheck.h"
#include "checks/MissingCriticalSectionFixes.h"
#include "lib/OptionValues.h"
#include "lib/SourceEdits.h"
#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Preprocessor.h"

using namespace clang::ast_matchers;

namespace clang::tidy::freethreading {

static constexpr llvm::StringLiteral UnitId = "ft-section-unit";

MissingCriticalSectionCheck::MissingCriticalSectionCheck(
    llvm::StringRef Name, ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      Settings(SectionOptions::read(Options, Name, &OptionProblems)),
      CompatHeader(Options.getLocalOrGlobal("CompatHeader", "")),
      SplitFixes(readBoolOption(Options, Name, "SplitFixes", true,
                                &OptionProblems)),
      Inserter(Options.getLocalOrGlobal("IncludeStyle",
                                        utils::IncludeSorter::IS_LLVM),
               areDiagsSelfContained()),
      Analysis(Context) {
  for (const std::string &Problem : OptionProblems)
    configurationDiag("%0") << Problem;
}

void MissingCriticalSectionCheck::storeOptions(
    ClangTidyOptions::OptionMap &Opts) {
  Settings.store(Options, Opts);
  Options.store(Opts, "CompatHeader", CompatHeader);
  Options.store(Opts, "SplitFixes", SplitFixes ? "true" : "false");
  Options.store(Opts, "IncludeStyle", Inserter.getStyle());
}

void MissingCriticalSectionCheck::registerMatchers(MatchFinder *Finder) {
  Analysis.registerMatchers(Finder);
  // Seen once per translation unit; the functions come from the shared
  // analysis.
  Finder->addMatcher(translationUnitDecl().bind(UnitId), this);
  Analysis->addFixer([this] {
    std::vector<SourceLocation> Fixed;
    const Plans &P = plans();
    for (size_t I = 0; I < P.Splits.size(); ++I)
      if (!P.Splits[I].Fixes.empty())
        Fixed.push_back(P.Found->Unlocked[I].Accesses.front()->Loc);
    return Fixed;
  });
}

void MissingCriticalSectionCheck::registerPPCallbacks(const SourceManager &SM,
                                                      Preprocessor *PP,
                                                      Preprocessor *) {
  Analysis.registerPPCallbacks(SM, PP);
  Inserter.registerPreprocessor(PP);
  this->PP = PP;
}

void MissingCriticalSectionCheck::check(
    const MatchFinder::MatchResult &Result) {
  Context = Result.Context;
}

std::string MissingCriticalSectionCheck::macroProblem(bool &IncludeCompat) {
  IncludeCompat = false;
  if (!SplitFixes)
    return "the SplitFixes option is off";
  if (PP->getMacroInfo(&Context->Idents.get("Py_BEGIN_CRITICAL_SECTION")))
    return "";
  if (CompatHeader.empty())
    return "the headers in use do not define Py_BEGIN_CRITICAL_SECTION "
           "(CPython before 3.13); vendor pythoncapi_compat.h, which "
           "defines it for older versions, or set the CompatHeader option";
  if (std::string Vendored = conflictingCompatHeader(CompatHeader, *PP);
      !Vendored.empty())
    return "the file includes " + Vendored +
           ", which does not define Py_BEGIN_CRITICAL_SECTION in this "
           "version; update it (newer versions define the critical-section "
           "macros) rather than add the CompatHeader option's header beside "
           "it, which would define the same functions twice";
  if (std::string Unusable = unusableCompatHeader(getID(), CompatHeader, *PP);
      !Unusable.empty()) {
    configurationDiag("%0") << Unusable;
    return "the CompatHeader option does not name a header on the include "
           "path";
  }
  IncludeCompat = true;
  return "";
}

const MissingCriticalSectionCheck::Plans &
MissingCriticalSectionCheck::plans() {
  if (Planned)
    return *Planned;
  Planned.emplace();
  if (!Context || !PP)
    return *Planned;
  ExtensionAnalysis &A = Analysis.get();
  Planned->Found = &A.objectState(Settings);
  SectionFixPlanner Planner(*Context, macroProblem(Planned->IncludeCompat));
  for (const UnlockedFunction &U : Planned->Found->Unlocked)
    Planned->Splits.push_back(Planner.plan(U, A.flow(U.Function)));
  return *Planned;
}

void MissingCriticalSectionCheck::reportUnlocked(ExtensionAnalysis &A,
                                                 const Plans &P) {
  const SourceManager &SM = Context->getSourceManager();
  for (size_t I = 0; I < P.Found->Unlocked.size(); ++I) {
    const UnlockedFunction &U = P.Found->Unlocked[I];
    const SplitPlan &Plan = P.Splits[I];
    const Access &First = *U.Accesses.front();
    {
      auto D = diag(SM.getFileLoc(First.Loc), "%0") << unlockedMessage(U, A);
      for (const FixItHint &Fix : Plan.Fixes)
        D << inFileLineEndings(Fix, SM);
      if (P.IncludeCompat && !Plan.Fixes.empty())
        D << inFileLineEndings(
            Inserter.createIncludeInsertion(
                SM.getFileID(SM.getExpansionLoc(U.Function->getLocation())),
                CompatHeader),
            SM);
    }
    if (!Plan.Reason.empty())
      diag(SM.getFileLoc(First.Loc), "no fix-it: %0", DiagnosticIDs::Note)
          << Plan.Reason;
    // At the places written in the file: no macro expansion notes.
    for (const Access *Use : llvm::ArrayRef(U.Accesses).drop_front())
      diag(SM.getFileLoc(Use->Loc), "%0", DiagnosticIDs::Note)
          << unlockedAccessNote(U, *Use);
    for (const FieldWriter &W : U.Writers)
      diag(SM.getFileLoc(W.Loc), "%0", DiagnosticIDs::Note) << W.Note;
  }
}

void MissingCriticalSectionCheck::reportBorrowedFields(
    llvm::ArrayRef<BorrowedField> Borrowed) {
  const SourceManager &SM = Context->getSourceManager();
  for (const BorrowedField &B : Borrowed) {
    diag(SM.getFileLoc(B.Load->getMemberLoc()), "%0")
        << borrowedFieldMessage(B);
    diag(SM.getFileLoc(B.Call->getBeginLoc()), "Python code can run here",
         DiagnosticIDs::Note);
    if (!SM.isBeforeInTranslationUnit(SM.getFileLoc(B.Use->getBeginLoc()),
                                      SM.getFileLoc(B.Call->getEndLoc())))
      diag(SM.getFileLoc(B.Use->getBeginLoc()), "'%0' is used here",
           DiagnosticIDs::Note)
          << B.Var->getName();
  }
}

void MissingCriticalSectionCheck::reportMistakes(ExtensionAnalysis &A) {
  const SourceManager &SM = Context->getSourceManager();
  for (const SectionMistake &M : A.sectionMistakes()) {
    diag(SM.getFileLoc(M.Problem->Loc), "%0") << M.Message;
    if (M.Begin.isValid())
      diag(SM.getFileLoc(M.Begin), "the critical section begins here",
           DiagnosticIDs::Note);
  }
}

void MissingCriticalSectionCheck::onEndOfTranslationUnit() {
  if (!Context || !PP)
    return;
  ExtensionAnalysis &A = Analysis.get();
  const Plans &P = plans();
  reportUnlocked(A, P);
  reportBorrowedFields(P.Found->Borrowed);
  reportMistakes(A);
  Context = nullptr;
}

} // namespace clang::tidy::freethreading
