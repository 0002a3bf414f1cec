//===--- BorrowedReferenceCheck.cpp - freethreading-tidy ------------------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "checks/BorrowedReferenceCheck.h"
#include "checks/BorrowedReferenceFixes.h"
#include "lib/Hazards.h"
#include "lib/SourceEdits.h"
#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/StringMap.h"

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
  Analysis->addFixer([this] {
    std::vector<SourceLocation> Fixed;
    const Plans &P = plans();
    const std::vector<BorrowedUse> &Uses = Analysis->borrowedUses();
    for (size_t I = 0; I < P.Fixes.size(); ++I)
      if (!P.Fixes[I].Hints.empty() || P.Fixes[I].CoveredBy.isValid())
        Fixed.push_back(Uses[I].Loc);
    return Fixed;
  });
}

void BorrowedReferenceCheck::registerPPCallbacks(const SourceManager &SM,
                                                 Preprocessor *PP,
                                                 Preprocessor *) {
  Analysis.registerPPCallbacks(SM, PP);
  Inserter.registerPreprocessor(PP);
  this->PP = PP;
}

BorrowedReferenceCheck::Provider
BorrowedReferenceCheck::providerOf(ExtensionAnalysis &A, llvm::StringRef Name) {
  ASTContext *Context = &A.context();
  // What is visible at the end of the translation unit, whatever header
  // version declared it: a macro of that name, or a function found by name
  // lookup at file scope.
  const SourceManager &SM = Context->getSourceManager();
  auto InCompatFile = [&](SourceLocation Loc) {
    FileID File = SM.getFileID(SM.getFileLoc(Loc));
    return File == SM.getMainFileID() ||
           A.extensionContext().isCompatFile(SM, File);
  };
  IdentifierInfo &II = Context->Idents.get(Name);
  if (const MacroInfo *MI = PP->getMacroInfo(&II)) {
    // CPython's headers declare the strong-reference API as functions; a
    // macro of such a name is a shim. The critical-section macros are
    // CPython's own unless a compatibility header or the file defines them.
    if (isStrongApi(Name) || InCompatFile(MI->getDefinitionLoc()))
      return Provider::Compat;
    return Provider::Python;
  }
  Provider Found = Provider::None;
  for (const NamedDecl *D : Context->getTranslationUnitDecl()->lookup(&II)) {
    const auto *F = dyn_cast<FunctionDecl>(D->getUnderlyingDecl());
    if (!F)
      continue;
    // CPython exports these functions and never defines them in its
    // headers; a definition is a shim (pythoncapi_compat.h's static inline
    // functions, or the file's own).
    if (const FunctionDecl *Def = F->getDefinition();
        (Def && isStrongApi(Name)) || InCompatFile(F->getLocation()))
      return Provider::Compat;
    Found = Provider::Python;
  }
  return Found;
}

const BorrowedReferenceCheck::Plans &BorrowedReferenceCheck::plans() {
  if (Planned)
    return *Planned;
  Planned.emplace();
  ExtensionAnalysis &A = Analysis.get();
  if (!A.hasContext() || !PP)
    return *Planned;
  // A CompatHeader the build cannot include is a configuration error: no
  // fix relies on it.
  bool UseCompat = !CompatHeader.empty();
  if (UseCompat) {
    if (std::string Unusable = unusableCompatHeader(getID(), CompatHeader, *PP);
        !Unusable.empty()) {
      configurationDiag("%0") << Unusable;
      UseCompat = false;
    }
  }
  // A second compatibility header beside a vendored pythoncapi_compat.h
  // would define the same functions twice: what it lacks needs an update.
  std::string Vendored =
      UseCompat ? conflictingCompatHeader(CompatHeader, *PP) : "";
  if (!Vendored.empty())
    UseCompat = false;
  llvm::StringMap<Provider> Providers;
  auto ProviderOf = [&](llvm::StringRef Name) {
    auto [It, New] = Providers.try_emplace(Name, Provider::None);
    if (New)
      It->second = providerOf(A, Name);
    return It->second;
  };
  BorrowedFixPlanner Planner(
      A.context(), A.borrowedFinder().facts(), A.parents(),
      [&](llvm::StringRef Name) -> std::string {
        if (UseCompat || ProviderOf(Name) != Provider::None)
          return "";
        if (!Vendored.empty())
          return "'" + Name.str() + "' is not declared by the headers in "
                 "use, and the file's " + Vendored + " lacks it; update " +
                 Vendored + " (newer versions provide it) rather than add "
                 "the CompatHeader option's header beside it";
        return "'" + Name.str() +
               "' is not declared by the headers in use; vendor "
               "pythoncapi_compat.h (which provides it for CPython 3.9 to "
               "3.12) or " +
               (CompatHeader.empty()
                    ? "set the CompatHeader option"
                    : "make the CompatHeader option name a header on the "
                      "include path");
      });
  std::vector<BorrowedFix> &Fixes = Planned->Fixes;
  for (const BorrowedUse &Use : A.borrowedUses())
    Fixes.push_back(Planner.plan(Use));
  Planner.finish(Fixes);
  // The compatibility header keeps the fix building on CPython before
  // 3.13, unless one already provides what the fix writes.
  for (const BorrowedFix &Fix : Fixes)
    Planned->Include.push_back(
        UseCompat && !Fix.Hints.empty() &&
        llvm::any_of(Fix.Needs, [&](const std::string &N) {
          return ProviderOf(N) != Provider::Compat;
        }));
  return *Planned;
}

void BorrowedReferenceCheck::onEndOfTranslationUnit() {
  ExtensionAnalysis &A = Analysis.get();
  if (!A.hasContext() || !PP)
    return;
  const SourceManager &SM = A.context().getSourceManager();
  const Plans &P = plans();
  const std::vector<BorrowedUse> &Uses = A.borrowedUses();
  for (size_t I = 0; I < Uses.size(); ++I) {
    const BorrowedUse &Use = Uses[I];
    const BorrowedFix &Fix = P.Fixes[I];
    {
      auto D = diag(Use.Loc, "%0") << borrowedHazardMessage(Use);
      for (const FixItHint &H : Fix.Hints)
        D << inFileLineEndings(H, SM);
      if (P.Include[I])
        D << inFileLineEndings(
            Inserter.createIncludeInsertion(
                SM.getFileID(SM.getExpansionLoc(Use.Loc)), CompatHeader),
            SM);
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

} // namespace clang::tidy::freethreading
