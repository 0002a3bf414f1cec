//===--- ExtensionAnalysis.cpp - one analysis per translation unit --------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "lib/ExtensionAnalysis.h"
#include "lib/KnowledgeBase.h"
#include "lib/ModuleFacts.h"
#include "lib/UnlockedState.h"
#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Lex/HeaderSearch.h"
#include "clang/Lex/HeaderSearchOptions.h"
#include "clang/Lex/Preprocessor.h"
#include <mutex>

using namespace clang::ast_matchers;

namespace clang::tidy::freethreading {

/// The module-declaration macros every analysis records: the binding
/// libraries' module macros (the model's binding modules) and the GIL
/// declaration's slot and value (what missing-gil-declaration reads).
static bool isModuleMacro(llvm::StringRef Name) {
  return Name == moduleFact(ModuleFact::Pybind11Macro) ||
         Name == moduleFact(ModuleFact::NanobindMacro) ||
         Name == moduleFact(ModuleFact::GilSlot) ||
         Name == moduleFact(ModuleFact::GilNotUsed);
}

struct ExtensionAnalysis::ObjectStateRun {
  SectionOptions Options;
  ObjectStateFindings Found;
};

ExtensionAnalysis::ExtensionAnalysis(PreprocessorFacts::MacroFilter Record)
    : Facts(), Borrowed(Facts) {
  Facts.RecordMacro = [this, Record = std::move(Record)](llvm::StringRef Name) {
    return isModuleMacro(Name) ||
           (BorrowedMacrosWanted && isBorrowedApiMacro(Name)) ||
           (Record && Record(Name));
  };
}

ExtensionAnalysis::~ExtensionAnalysis() = default;

/// Makes CPython's headers system headers even where they come from -I, as
/// python3-config gives them: no check reports in them, and clang-tidy's
/// walk of the translation unit then skips their declarations. Prefixes
/// the user gives (--[no-]system-header-prefix) come after ours and win.
static void treatCPythonAsSystem(Preprocessor &PP) {
  HeaderSearch &HS = PP.getHeaderSearchInfo();
  std::vector<std::pair<std::string, bool>> Prefixes = {
      {CPythonHeader.str(), true}};
  for (const HeaderSearchOptions::SystemHeaderPrefix &P :
       HS.getHeaderSearchOpts().SystemHeaderPrefixes)
    Prefixes.emplace_back(P.Prefix, P.IsSystemHeader);
  HS.SetSystemHeaderPrefixes(Prefixes);
}

void ExtensionAnalysis::attach(const SourceManager &SM, Preprocessor &PP) {
  if (Attached)
    return;
  Attached = true;
  treatCPythonAsSystem(PP);
  Facts.attach(SM, PP);
}

const Generator *ExtensionAnalysis::generatorOf(FileID File) {
  auto It = Generated.find(File);
  if (It != Generated.end())
    return It->second;
  const Generator *G = nullptr;
  if (std::optional<llvm::StringRef> Buffer =
          AST->getSourceManager().getBufferDataOrNone(File))
    G = findGenerator(Buffer->take_front(2048));
  Generated[File] = G;
  return G;
}

bool ExtensionAnalysis::isExcluded(SourceLocation Loc) {
  if (Loc.isInvalid() || !model().isUserCode(Loc))
    return true;
  const SourceManager &SM = AST->getSourceManager();
  FileID File = SM.getFileID(SM.getExpansionLoc(Loc));
  return generatorOf(File) || generatorOf(SM.getMainFileID()) ||
         extensionContext().isCompatFile(SM, File);
}

ExtensionContext &ExtensionAnalysis::extensionContext() {
  if (!FunctionsIndexed) {
    FunctionsIndexed = true;
    Borrowed.context().setFunctions(AST->getSourceManager(),
                                    model().definitions());
  }
  return Borrowed.context();
}

/// The functions that take or release a lock or detach the thread state (a
/// lock call, or a lock macro that locks only in a build the preprocessor
/// skipped): only their flow facts can show a lock held or the thread
/// state detached.
static llvm::DenseSet<const FunctionDecl *>
lockingFunctions(const ExtensionModel &M, const PreprocessorFacts &Facts,
                 const SourceManager &SM) {
  llvm::DenseSet<const FunctionDecl *> Locking;
  for (const ExtensionModel::CallSite &C : M.libraryCalls())
    if (const FunctionDecl *Callee = C.Call->getDirectCallee();
        C.Caller && Callee && Callee->getIdentifier() &&
        isLockCallName(Callee->getName()))
      Locking.insert(C.Caller->getCanonicalDecl());
  if (Facts.lockMacroUses().empty())
    return Locking;
  for (const FunctionDecl *F : M.definitions()) {
    const Stmt *Body = F->getBody();
    if (!Body)
      continue;
    auto [File, Begin] = SM.getDecomposedExpansionLoc(Body->getBeginLoc());
    unsigned End = SM.getDecomposedExpansionLoc(Body->getEndLoc()).second;
    for (const LockMacroUse &U : Facts.lockMacroUses())
      if (U.File == File && U.Offset > Begin && U.Offset < End)
        Locking.insert(F->getCanonicalDecl());
  }
  return Locking;
}

/// The container of \p U is the function's own (a static, a field, a
/// local), not an object its caller passed in: code that takes a lock
/// around it guards it with that lock, where nothing stops the caller's
/// other code from changing a parameter.
static bool ownContainer(const BorrowedUse &U) {
  int Arg = U.Api->ContainerArg;
  if (U.Container.empty() || Arg < 0 ||
      static_cast<unsigned>(Arg) >= U.Call->getNumArgs())
    return false;
  const auto *Ref =
      dyn_cast<DeclRefExpr>(U.Call->getArg(Arg)->IgnoreParenCasts());
  return !Ref || !isa<ParmVarDecl>(Ref->getDecl());
}

/// A mutex or thread lock is held on every path to \p Call.
static bool heldUnderLock(const FunctionFlow &Flow, const CallExpr *Call) {
  LockSet Held = Flow.locksAt(Call);
  return !Held.Detached &&
         llvm::any_of(Held.Locks, [](const HeldLock &L) {
           return L.Kind != HeldLock::CriticalSection;
         });
}

const std::vector<BorrowedUse> &ExtensionAnalysis::borrowedUses() {
  if (BorrowedFound)
    return *BorrowedFound;
  extensionContext(); // The hazards' functions and exclusions.
  BorrowedFound = Borrowed.hazards(*AST, model(), Parents);
  if (locking().empty())
    return *BorrowedFound;
  llvm::erase_if(*BorrowedFound, [&](const BorrowedUse &U) {
    return U.Call && U.Function &&
           locking().contains(U.Function->getCanonicalDecl()) &&
           ownContainer(U) && heldUnderLock(flow(U.Function), U.Call);
  });
  return *BorrowedFound;
}

const ExtensionModel &ExtensionAnalysis::model() {
  if (!Model)
    Model = ExtensionModel::build(*AST, Facts.macroUses());
  return *Model;
}

const llvm::DenseSet<const FunctionDecl *> &ExtensionAnalysis::locking() {
  if (!Locking)
    Locking = lockingFunctions(model(), Facts, AST->getSourceManager());
  return *Locking;
}

const FunctionFlow &ExtensionAnalysis::flow(const FunctionDecl *F) {
  if (const FunctionDecl *Def = F->getDefinition())
    F = Def;
  std::unique_ptr<FunctionFlow> &Slot = Flows[F];
  if (!Slot) {
    const ExtensionModel &M = model();
    // C++ takes locks through guards and members, which only the CFG sees.
    bool LockFree = !ExitsWanted && !AST->getLangOpts().CPlusPlus &&
                    !locking().contains(F->getCanonicalDecl());
    // Computed into a local first: the summaries it asks for may add flows
    // and move the map's storage.
    auto Flow = std::make_unique<FunctionFlow>(
        F, M.selfParams(F), LockFree, *AST, M, Facts, Parents.of(F),
        [this](const FunctionDecl *G) { return summary(G); });
    Flows[F] = std::move(Flow);
  }
  return *Flows[F];
}

const FunctionSummary *ExtensionAnalysis::summary(const FunctionDecl *F) {
  if (const FunctionDecl *Def = F->getDefinition())
    F = Def;
  auto It = Summaries.find(F);
  if (It != Summaries.end())
    return It->second.get(); // Null while F is being summarised.
  Summaries[F] = nullptr;
  auto S = std::make_unique<FunctionSummary>(flow(F).summary());
  Summaries[F] = std::move(S);
  return Summaries[F].get();
}

const ObjectStateFindings &
ExtensionAnalysis::objectState(const SectionOptions &Options) {
  for (const std::unique_ptr<ObjectStateRun> &Run : ObjectStates)
    if (Run->Options == Options)
      return Run->Found;
  auto Run = std::make_unique<ObjectStateRun>();
  Run->Options = Options;
  Run->Found = objectStateFindings(*this, Options);
  ObjectStates.push_back(std::move(Run));
  return ObjectStates.back()->Found;
}

const std::vector<SectionMistake> &ExtensionAnalysis::sectionMistakes() {
  if (!Mistakes)
    Mistakes = std::make_unique<std::vector<SectionMistake>>(
        freethreading::sectionMistakes(*this));
  return *Mistakes;
}

bool ExtensionAnalysis::isFixedInThisRun(SourceLocation Loc) {
  if (!Fixed) {
    Fixed.emplace();
    for (const FixedHazards &Fixer : Fixers)
      for (SourceLocation L : Fixer())
        Fixed->insert(L);
  }
  return Fixed->contains(Loc);
}

namespace {
/// The analyses alive, by the ClangTidyContext of their checks. Checks are
/// made per translation unit and die with it, so at most one analysis per
/// context is alive; clangd builds several files at once on other threads,
/// each with its own context.
struct Registry {
  std::mutex Lock;
  llvm::DenseMap<const ClangTidyContext *, std::weak_ptr<ExtensionAnalysis>>
      Live;

  std::shared_ptr<ExtensionAnalysis> get(const ClangTidyContext *Context) {
    std::lock_guard<std::mutex> Guard(Lock);
    std::weak_ptr<ExtensionAnalysis> &Slot = Live[Context];
    if (std::shared_ptr<ExtensionAnalysis> A = Slot.lock())
      return A;
    auto A = std::make_shared<ExtensionAnalysis>();
    Slot = A;
    // Forget contexts whose analyses are gone.
    for (auto It = Live.begin(); It != Live.end();) {
      auto Next = std::next(It);
      if (It->second.expired())
        Live.erase(It);
      It = Next;
    }
    return A;
  }
};
Registry &registry() {
  static Registry R;
  return R;
}
} // namespace

static constexpr llvm::StringLiteral UnitId = "ft-analysis-unit";

SharedAnalysis::SharedAnalysis(ClangTidyContext *Context, unsigned Needs)
    : Analysis(registry().get(Context)), Needs(Needs) {}

SharedAnalysis::~SharedAnalysis() = default;

void SharedAnalysis::registerMatchers(MatchFinder *Finder) {
  // Every handle registers: each is a callback of its own check's finder,
  // and the first to run sets the context for all. The layers need no
  // matcher of their own: the model's walk sees every definition and call.
  Finder->addMatcher(translationUnitDecl().bind(UnitId), this);
}

void SharedAnalysis::registerPPCallbacks(const SourceManager &SM,
                                         Preprocessor *PP) {
  // Every check registers before the preprocessor runs, so the hook sees
  // the final choice of macros to record.
  if (Needs & BorrowedUses)
    Analysis->BorrowedMacrosWanted = true;
  Analysis->attach(SM, *PP);
}

void SharedAnalysis::run(const MatchFinder::MatchResult &Result) {
  if (!Analysis->hasContext())
    Analysis->setContext(*Result.Context);
}

} // namespace clang::tidy::freethreading
