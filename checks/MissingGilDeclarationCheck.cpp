//===--- MissingGilDeclarationCheck.cpp - freethreading-tidy --------------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "checks/MissingGilDeclarationCheck.h"
#include "checks/MissingGilDeclarationFixes.h"
#include "lib/Hazards.h"
#include "lib/ModuleFacts.h"
#include "lib/ModuleSourceScan.h"
#include "lib/OptionValues.h"
#include "lib/SourceEdits.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"
#include <map>
#include <memory>
#include <optional>

using namespace clang::ast_matchers;

namespace clang::tidy {

llvm::ArrayRef<std::pair<
    freethreading::MissingGilDeclarationCheck::SlotGuardStyle, StringRef>>
OptionEnumMapping<freethreading::MissingGilDeclarationCheck::
                      SlotGuardStyle>::getEnumMapping() {
  using Style = freethreading::MissingGilDeclarationCheck::SlotGuardStyle;
  static constexpr std::pair<Style, StringRef> Mapping[] = {
      {Style::Macro, "Py_mod_gil"}, {Style::Version, "PY_VERSION_HEX"}};
  return Mapping;
}

namespace freethreading {

static constexpr llvm::StringLiteral UnitId = "ft-gil-unit";
static constexpr llvm::StringLiteral ModuleDefId = "ft-gil-moduledef";
static constexpr llvm::StringLiteral CreatorId = "ft-gil-creator";

/// Shown in the notes that list what to fix first; the rest is counted.
static constexpr unsigned MaxListedHazards = 5;

namespace {

/// A place where a module declares whether it needs the GIL.
struct Declaration {
  SourceLocation Loc;
  bool NotUsed = false;
};

/// The declaration itself carries an initializer matching \p InnerMatcher.
/// Unlike hasInitializer, which looks at every redeclaration, this skips a
/// forward declaration (`static PyModuleDef def;` before the definition, or
/// an `extern` one in a header), which has none.
AST_MATCHER_P(VarDecl, hasOwnInitializer, ast_matchers::internal::Matcher<Expr>,
              InnerMatcher) {
  const Expr *Init = Node.getInit();
  return Init && InnerMatcher.matches(*Init, Finder, Builder);
}

} // namespace

/// Reads a true/false option, with a configuration warning for any other
/// value.
static bool readBool(ClangTidyCheck &Check, llvm::StringRef Text,
                     llvm::StringRef Option, bool Default) {
  if (std::optional<bool> Value = parseBool(Text))
    return *Value;
  Check.configurationDiag("%0") << notABoolMessage(Text, Option);
  return Default;
}

MissingGilDeclarationCheck::MissingGilDeclarationCheck(
    llvm::StringRef Name, ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      FixOnlyWithoutHazards(
          readBool(*this, Options.get("FixOnlyWithoutHazards", "true"),
                   (Name + ".FixOnlyWithoutHazards").str(), true)),
      SlotGuard(Options.get("SlotGuard", SlotGuardStyle::Macro)),
      Analysis(Context, SharedAnalysis::BorrowedUses), TidyContext(Context) {}

void MissingGilDeclarationCheck::storeOptions(
    ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "FixOnlyWithoutHazards",
                FixOnlyWithoutHazards ? "true" : "false");
  Options.store(Opts, "SlotGuard", SlotGuard);
}

void MissingGilDeclarationCheck::registerMatchers(MatchFinder *Finder) {
  // Seen once per translation unit, so the report runs even when nothing
  // else matched.
  Finder->addMatcher(translationUnitDecl().bind(UnitId), this);
  auto ModuleDefType = qualType(hasUnqualifiedDesugaredType(recordType(
      hasDeclaration(recordDecl(hasName(moduleFact(ModuleFact::ModuleDefType)))))));
  // Only the declaration that carries the initializer: a forward
  // declaration of the def before its methods is no definition to read.
  Finder->addMatcher(
      varDecl(hasType(ModuleDefType),
              hasOwnInitializer(ignoringImplicit(initListExpr())),
              unless(isExpansionInSystemHeader()))
          .bind(ModuleDefId),
      this);
  Finder->addMatcher(
      callExpr(callee(functionDecl(hasAnyName(moduleCreatorNames()))),
               unless(isExpansionInSystemHeader()))
          .bind(CreatorId),
      this);
  // The hazards that make declaring Py_MOD_GIL_NOT_USED premature.
  Analysis.registerMatchers(Finder);
}

void MissingGilDeclarationCheck::registerPPCallbacks(const SourceManager &SM,
                                                     Preprocessor *PP,
                                                     Preprocessor *) {
  Analysis.registerPPCallbacks(SM, PP);
}

/// The variable behind `&def` (or `def` in C++ reference-taking wrappers).
static const VarDecl *moduleDefArgument(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_AddrOf)
    E = UO->getSubExpr()->IgnoreParenImpCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *V = dyn_cast<VarDecl>(DRE->getDecl()))
      return V->getCanonicalDecl();
  return nullptr;
}

void MissingGilDeclarationCheck::check(const MatchFinder::MatchResult &Result) {
  Context = Result.Context;
  if (Result.Nodes.getNodeAs<TranslationUnitDecl>(UnitId))
    return;
  if (const auto *Def = Result.Nodes.getNodeAs<VarDecl>(ModuleDefId)) {
    ModuleDefs.insert({Def->getCanonicalDecl(), Def});
    return;
  }
  if (const auto *Call = Result.Nodes.getNodeAs<CallExpr>(CreatorId)) {
    const FunctionDecl *Callee = Call->getDirectCallee();
    const InitPhase *Phase =
        Callee && Callee->getIdentifier() ? findModuleCreator(Callee->getName())
                                          : nullptr;
    if (!Phase)
      return;
    const VarDecl *Def =
        Call->getNumArgs() > 0 ? moduleDefArgument(Call->getArg(0)) : nullptr;
    Creations.push_back({Call, Def, *Phase == InitPhase::Single});
  }
}

/// The declarations named \p Name (the Py_mod_gil slot, the SetGIL call)
/// written in [Begin, End) of \p File, live or behind a declaration guard.
/// The value is read from the tokens that follow: up to the matching `)`
/// for a call, up to the closing `}` of a slot entry.
static std::vector<Declaration> declarationsIn(const RawFileScan &Scan,
                                               const SourceManager &SM,
                                               FileID File, unsigned Begin,
                                               unsigned End,
                                               llvm::StringRef Name) {
  std::vector<Declaration> Found;
  llvm::ArrayRef<RawFileScan::RawToken> Tokens = Scan.tokens();
  for (size_t I = Scan.firstTokenAt(Begin);
       I < Tokens.size() && Tokens[I].Offset < End; ++I) {
    if (!Tokens[I].IsIdentifier || Tokens[I].Text != Name ||
        !Scan.isLiveOrGuarded(Tokens[I].Offset))
      continue;
    Declaration D;
    D.Loc = locAt(SM, File, Tokens[I].Offset);
    bool Call = I + 1 < Tokens.size() && Tokens[I + 1].Text == "(";
    int Depth = 0;
    for (size_t J = I + 1; J < Tokens.size() && Tokens[J].Offset < End; ++J) {
      llvm::StringRef T = Tokens[J].Text;
      if (T == "(")
        ++Depth;
      else if (T == ")" && --Depth <= 0 && Call)
        break;
      if (!Call && (T == "}" || T == ";"))
        break;
      if (T == moduleFact(ModuleFact::GilNotUsed)) {
        D.NotUsed = true;
        D.Loc = locAt(SM, File, Tokens[J].Offset);
      }
    }
    Found.push_back(D);
  }
  return Found;
}

/// `#ifdef Py_mod_gil` or the version test, as the SlotGuard option says.
static llvm::StringRef
slotGuardText(MissingGilDeclarationCheck::SlotGuardStyle Style) {
  switch (Style) {
  case MissingGilDeclarationCheck::SlotGuardStyle::Macro:
    return moduleFact(ModuleFact::SlotGuardDefault);
  case MissingGilDeclarationCheck::SlotGuardStyle::Version:
    return moduleFact(ModuleFact::SlotGuardVersion);
  }
  llvm_unreachable("covered switch over SlotGuardStyle");
}

/// The C-API name of a module-creating call: the header's macro
/// (PyModule_Create) when the call comes from one, else the function. A
/// macro of the user's around the call is not the API. The header's macro
/// is known by its system header or, for headers found through -I as
/// python3-config gives them, by its name: the function's without the
/// suffix (PyModule_Create for PyModule_Create2).
static llvm::StringRef spelledCreator(const CallExpr *Call,
                                      const SourceManager &SM,
                                      const LangOptions &LO) {
  SourceLocation Loc = Call->getBeginLoc();
  llvm::StringRef Function = Call->getDirectCallee()->getName();
  if (!Loc.isMacroID() || SM.isMacroArgExpansion(Loc))
    return Function;
  llvm::StringRef Macro = Lexer::getImmediateMacroName(Loc, SM, LO);
  if (!Macro.empty() && (SM.isInSystemHeader(SM.getSpellingLoc(Loc)) ||
                         Function.starts_with(Macro)))
    return Macro;
  return Function;
}

void MissingGilDeclarationCheck::report(ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  const LangOptions &LO = Ctx.getLangOpts();
  ExtensionAnalysis &A = Analysis.get();
  ExtensionContext &Ext = A.borrowedFinder().context();
  PreprocessorFacts &Facts = A.preprocessor();
  ScanCache Scans(SM, LO, Facts.skippedRanges());
  llvm::StringRef Guard = slotGuardText(SlotGuard);

  // What the other checks report, which a promise of Py_MOD_GIL_NOT_USED
  // would hide.
  std::vector<Hazard> Hazards = translationUnitHazards(A, *TidyContext);
  auto HazardsIn = [&](FileID File) {
    std::vector<const Hazard *> In;
    for (const Hazard &H : Hazards)
      if (SM.getFileID(SM.getFileLoc(H.Loc)) == File)
        In.push_back(&H);
    return In;
  };

  // Warns about a missing declaration at Loc with Fixes, unless hazards in
  // the file make the promise premature: then a note lists them.
  auto Missing = [&](SourceLocation Loc, llvm::StringRef Message,
                     llvm::ArrayRef<std::string> Args,
                     llvm::ArrayRef<FixItHint> Fixes) {
    std::vector<const Hazard *> In = HazardsIn(SM.getFileID(Loc));
    bool Blocked = FixOnlyWithoutHazards && !In.empty();
    {
      DiagnosticBuilder D = diag(Loc, Message);
      for (const std::string &A : Args)
        D << A;
      if (!Blocked)
        for (const FixItHint &F : Fixes)
          D << inFileLineEndings(F, SM);
    }
    if (!Blocked)
      return;
    std::string List;
    for (unsigned I = 0; I < In.size() && I < MaxListedHazards; ++I) {
      if (I)
        List += "; ";
      List += In[I]->Short + " at line " +
              std::to_string(SM.getExpansionLineNumber(In[I]->Loc));
    }
    if (In.size() > MaxListedHazards)
      List += "; and " + std::to_string(In.size() - MaxListedHazards) + " more";
    diag(Loc,
         "no fix-it: declaring %0 is a promise, and %1 free-threading "
         "%plural{1:hazard remains|:hazards remain}1 in this file; fix "
         "%plural{1:it|:them}1 first: %2",
         DiagnosticIDs::Note)
        << moduleFact(ModuleFact::GilNotUsed) << static_cast<unsigned>(In.size())
        << List;
  };

  std::vector<Declaration> NotUsed;
  auto Record = [&](llvm::ArrayRef<Declaration> Found) {
    for (const Declaration &D : Found)
      if (D.NotUsed)
        NotUsed.push_back(D);
  };

  // Which defs each kind of init builds.
  llvm::DenseSet<const VarDecl *> SingleDefs, MultiDefs;
  for (const Creation &C : Creations)
    if (C.Def)
      (C.SinglePhase ? SingleDefs : MultiDefs).insert(C.Def);

  // 1. Multi-phase init: the def's slots.
  llvm::DenseSet<const VarDecl *> SeenArrays;
  for (const auto &[Key, Def] : ModuleDefs) {
    SourceLocation Loc = SM.getFileLoc(Def->getLocation());
    if (Ext.isExcluded(SM, Loc) || SingleDefs.contains(Key))
      continue;
    SlotsInfo Slots = slotsOf(Def, Ctx);
    if (Slots.Kind == SlotsInfo::Unknown)
      continue;
    if (Slots.Kind == SlotsInfo::None) {
      // Without slots and without PyModuleDef_Init here, nothing says how
      // the def is used (a helper file, or PyModule_Create elsewhere).
      if (!MultiDefs.contains(Key))
        continue;
      Missing(Loc,
              "%0 has no %1, so importing the module re-enables the GIL on "
              "free-threaded CPython; give it a slots array with %2 once the "
              "module is thread-safe",
              {("'" + Def->getName() + "'").str(),
               moduleFact(ModuleFact::SlotsField).str(), slotEntry(false)},
              newSlotsFix(Def, Slots, Guard, Ctx, Scans));
      continue;
    }
    const VarDecl *Array = Slots.ArrayVar;
    if (!SeenArrays.insert(Array->getCanonicalDecl()).second)
      continue;
    const InitListExpr *ArrayInit = ownInitList(Array);
    if (!ArrayInit)
      continue;
    const InitListExpr *Written = syntacticForm(ArrayInit);
    FileID File;
    std::optional<std::pair<unsigned, unsigned>> Range = fileOffsets(
        SM, Written->getLBraceLoc(), Written->getRBraceLoc(), File);
    if (!Range)
      continue;
    std::vector<Declaration> Found =
        declarationsIn(Scans.get(File), SM, File, Range->first, Range->second,
                       moduleFact(ModuleFact::GilSlot));
    // A slot written through a macro of the user's.
    for (const MacroUse &M : Facts.macroUses()) {
      std::pair<FileID, unsigned> D = SM.getDecomposedLoc(M.Loc);
      if (D.first == File && D.second >= Range->first &&
          D.second < Range->second)
        Found.push_back(
            {M.Loc, M.Name == moduleFact(ModuleFact::GilNotUsed)});
    }
    if (!Found.empty()) {
      Record(Found);
      continue;
    }
    std::vector<FixItHint> Fixes;
    if (std::optional<FixItHint> F = slotFix(Array, Guard, Ctx, Scans))
      Fixes.push_back(*F);
    Missing(Loc,
            "%0 has no '%1' slot, so importing the module re-enables the GIL "
            "on free-threaded CPython; add %2 to '%3' once the module is "
            "thread-safe",
            {("'" + Def->getName() + "'").str(),
             moduleFact(ModuleFact::GilSlot).str(), slotEntry(false),
             Array->getName().str()},
            Fixes);
  }

  // 2. Single-phase init: PyUnstable_Module_SetGIL on the created module,
  // in the creating function or in a PyInit_ function of the same file.
  for (const Creation &C : Creations) {
    if (!C.SinglePhase)
      continue;
    SourceLocation Loc = SM.getFileLoc(C.Call->getBeginLoc());
    if (Ext.isExcluded(SM, Loc))
      continue;
    const FunctionDecl *F = Ext.functionAt(SM, Loc);
    if (!F || !F->getBody())
      continue;
    std::vector<const FunctionDecl *> Where = {F};
    if (!F->getName().starts_with(moduleFact(ModuleFact::InitPrefix)))
      for (const Decl *D : Ctx.getTranslationUnitDecl()->decls())
        if (const auto *Init = dyn_cast<FunctionDecl>(D);
            Init && Init->getIdentifier() && Init->hasBody() &&
            Init->getName().starts_with(moduleFact(ModuleFact::InitPrefix)))
          Where.push_back(Init);
    std::vector<Declaration> Found;
    for (const FunctionDecl *W : Where) {
      FileID File;
      std::optional<std::pair<unsigned, unsigned>> Range =
          fileOffsets(SM, W->getBody()->getBeginLoc(),
                      W->getBody()->getEndLoc(), File);
      if (!Range || File != SM.getFileID(Loc))
        continue;
      std::vector<Declaration> In =
          declarationsIn(Scans.get(File), SM, File, Range->first,
                         Range->second, moduleFact(ModuleFact::SetGil));
      Found.insert(Found.end(), In.begin(), In.end());
    }
    if (!Found.empty()) {
      Record(Found);
      continue;
    }
    std::vector<FixItHint> Fixes;
    if (std::optional<FixItHint> Fix = setGilFix(C.Call, Ctx, Scans))
      Fixes.push_back(*Fix);
    Missing(Loc,
            "module created by '%0' never calls '%1', so importing it "
            "re-enables the GIL on free-threaded CPython; call %1(module, "
            "%2) under '%3' once the module is thread-safe",
            {spelledCreator(C.Call, SM, LO).str(),
             moduleFact(ModuleFact::SetGil).str(),
             moduleFact(ModuleFact::GilNotUsed).str(),
             moduleFact(ModuleFact::SetGilGuard).str()},
            Fixes);
  }

  // 3. pybind11 and nanobind module macros.
  std::string Pybind11Arg;
  {
    const IdentifierInfo &Py = Ctx.Idents.get("py");
    bool HasAlias = llvm::any_of(
        Ctx.getTranslationUnitDecl()->lookup(&Py), [](const NamedDecl *D) {
          const auto *A = dyn_cast<NamespaceAliasDecl>(D);
          return A && A->getNamespace()->getName() ==
                          moduleFact(ModuleFact::Pybind11Namespace);
        });
    Pybind11Arg = ((HasAlias ? llvm::StringRef("py")
                             : moduleFact(ModuleFact::Pybind11Namespace)) +
                   "::" + moduleFact(ModuleFact::Pybind11Option) + "()")
                      .str();
  }
  for (const MacroUse &M : Facts.macroUses()) {
    bool Pybind11 = M.Name == moduleFact(ModuleFact::Pybind11Macro);
    bool Nanobind = M.Name == moduleFact(ModuleFact::NanobindMacro);
    if ((!Pybind11 && !Nanobind) || M.Args.empty() ||
        Ext.isExcluded(SM, M.Loc))
      continue;
    llvm::StringRef ModuleName = llvm::StringRef(M.Args[0]).trim();
    if (Nanobind) {
      diag(M.Loc,
           "nanobind module '%0' declares whether it needs the GIL in its "
           "build, not here: %1",
           DiagnosticIDs::Remark)
          << ModuleName << moduleFact(ModuleFact::NanobindWhere);
      continue;
    }
    auto HasOption = [](llvm::StringRef Arg) {
      return Arg.contains(moduleFact(ModuleFact::Pybind11Option));
    };
    if (M.Args.size() < 2)
      continue;
    if (auto Arg = llvm::find_if(llvm::drop_begin(M.Args, 2), HasOption);
        Arg != M.Args.end()) {
      if (!llvm::StringRef(*Arg).contains("false"))
        NotUsed.push_back({M.Loc, true});
      continue;
    }
    // The same module spelled with the option in a guarded skipped branch.
    FileID File = SM.getFileID(M.Loc);
    const RawFileScan &Scan = Scans.get(File);
    llvm::ArrayRef<RawFileScan::RawToken> Tokens = Scan.tokens();
    bool Guarded = false;
    for (size_t I = 0; I + 2 < Tokens.size() && !Guarded; ++I) {
      if (Tokens[I].Text != M.Name || Tokens[I + 1].Text != "(" ||
          !Scan.isSkipped(Tokens[I].Offset) ||
          !Scan.isLiveOrGuarded(Tokens[I].Offset) ||
          Tokens[I + 2].Text != ModuleName)
        continue;
      int Depth = 0;
      for (size_t J = I + 1; J < Tokens.size(); ++J) {
        if (Tokens[J].Text == "(")
          ++Depth;
        else if (Tokens[J].Text == ")" && --Depth == 0)
          break;
        if (Tokens[J].Text == moduleFact(ModuleFact::Pybind11Option)) {
          Guarded = true;
          NotUsed.push_back({locAt(SM, File, Tokens[J].Offset), true});
        }
      }
    }
    if (Guarded)
      continue;
    std::vector<FixItHint> Fixes;
    if (M.Invocation.isValid() && !M.InMacroBody)
      Fixes.push_back(FixItHint::CreateInsertion(M.Invocation.getEnd(),
                                                 ", " + Pybind11Arg));
    Missing(M.Loc,
            "%0(%1) does not pass '%2', so importing the module re-enables "
            "the GIL on free-threaded CPython; add the argument once the "
            "module is thread-safe",
            {M.Name, ModuleName.str(), Pybind11Arg}, Fixes);
  }

  // 4. A promise of Py_MOD_GIL_NOT_USED with hazards left in the same file:
  // once per file, at its first such declaration.
  llvm::stable_sort(NotUsed, [&](const Declaration &A, const Declaration &B) {
    return SM.isBeforeInTranslationUnit(A.Loc, B.Loc);
  });
  llvm::DenseSet<FileID> Reported;
  for (const Declaration &D : NotUsed) {
    FileID File = SM.getFileID(SM.getFileLoc(D.Loc));
    if (Ext.isExcluded(SM, D.Loc) || !Reported.insert(File).second)
      continue;
    std::vector<const Hazard *> In = HazardsIn(File);
    if (In.empty())
      continue;
    diag(D.Loc, "module declares it does not need the GIL but %0 "
                "free-threading %plural{1:hazard remains|:hazards remain}0 "
                "in this file")
        << static_cast<unsigned>(In.size());
    for (const Hazard *H : In)
      diag(H->Loc, "%0", DiagnosticIDs::Note) << H->Text;
  }
}

void MissingGilDeclarationCheck::onEndOfTranslationUnit() {
  if (Context)
    report(*Context);
  ModuleDefs.clear();
  Creations.clear();
  Context = nullptr;
}

} // namespace freethreading
} // namespace clang::tidy
