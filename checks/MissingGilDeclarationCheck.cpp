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
OptionEnumMapping<freethreading::MissingGilDeclarationCheck::SlotGuardStyle>::
    getEnumMapping() {
  using Style = freethreading::MissingGilDeclarationCheck::SlotGuardStyle;
  static constexpr std::pair<Style, StringRef> Mapping[] = {
      {Style::Macro, "Py_mod_gil"}, {Style::Version, "PY_VERSION_HEX"}};
  return Mapping;
}

namespace freethreading {

static constexpr llvm::StringLiteral UnitId = "ft-gil-unit";

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
}

/// The module defs and the calls that create modules, from the model.
void MissingGilDeclarationCheck::collectModules() {
  const ExtensionModel &M = Analysis->model();
  for (const VarDecl *Def : M.moduleDefinitions())
    ModuleDefs.insert({Def->getCanonicalDecl(), Def});
  for (const ExtensionModel::CallSite &Site : M.moduleCreations()) {
    const CallExpr *Call = Site.Call;
    const FunctionDecl *Callee = Call->getDirectCallee();
    const InitPhase *Phase = Callee && Callee->getIdentifier()
                                 ? findModuleCreator(Callee->getName())
                                 : nullptr;
    if (!Phase)
      continue;
    const VarDecl *Def =
        Call->getNumArgs() > 0 ? moduleDefArgument(Call->getArg(0)) : nullptr;
    Creations.push_back({Call, Def, *Phase == InitPhase::Single});
  }
}

/// The declarations named \p Name (the Py_mod_gil slot, the SetGIL call)
/// written in [Begin, End) of \p File, live or behind a declaration guard.
/// The value is read from the tokens that follow: up to the matching `)`
/// for a call, up to the closing `}` of a slot entry.
static std::vector<Declaration>
declarationsIn(const RawFileScan &Scan, const SourceManager &SM, FileID File,
               unsigned Begin, unsigned End, llvm::StringRef Name) {
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

/// One run of the check over a translation unit: what the other checks
/// report, the raw scans of the files, and the promises found so far.
class MissingGilReport {
public:
  MissingGilReport(MissingGilDeclarationCheck &Check, ASTContext &Ctx)
      : Check(Check), Ctx(Ctx), SM(Ctx.getSourceManager()),
        LO(Ctx.getLangOpts()), A(Check.Analysis.get()),
        Ext(A.extensionContext()), Facts(A.preprocessor()),
        Scans(SM, LO, Facts.skippedRanges()),
        Guard(slotGuardText(Check.SlotGuard)),
        // What the other checks report, which a promise of
        // Py_MOD_GIL_NOT_USED would hide.
        Hazards(translationUnitHazards(A, *Check.TidyContext)) {}

  void multiPhase();
  void singlePhase();
  void bindings();
  void promisesWithHazards();

private:
  std::vector<const Hazard *> hazardsIn(FileID File) const;
  /// Warns about a missing declaration at \p Loc with \p Fixes, unless
  /// hazards in the file make the promise premature: then a note lists them.
  void missing(SourceLocation Loc, llvm::StringRef Message,
               llvm::ArrayRef<std::string> Args,
               llvm::ArrayRef<FixItHint> Fixes);
  void record(llvm::ArrayRef<Declaration> Found);
  /// The argument that declares a pybind11 module GIL-free, spelled as the
  /// file names pybind11 (`py::mod_gil_not_used()`).
  std::string pybind11Argument() const;
  /// A pybind11 module spelled with the option in a guarded skipped branch.
  bool guardedPybind11Option(const MacroUse &M, llvm::StringRef ModuleName);

  MissingGilDeclarationCheck &Check;
  ASTContext &Ctx;
  const SourceManager &SM;
  const LangOptions &LO;
  ExtensionAnalysis &A;
  ExtensionContext &Ext;
  PreprocessorFacts &Facts;
  ScanCache Scans;
  llvm::StringRef Guard;
  std::vector<Hazard> Hazards;
  std::vector<Declaration> NotUsed;
};

std::vector<const Hazard *> MissingGilReport::hazardsIn(FileID File) const {
  std::vector<const Hazard *> In;
  for (const Hazard &H : Hazards)
    if (SM.getFileID(SM.getFileLoc(H.Loc)) == File)
      In.push_back(&H);
  return In;
}

void MissingGilReport::missing(SourceLocation Loc, llvm::StringRef Message,
                               llvm::ArrayRef<std::string> Args,
                               llvm::ArrayRef<FixItHint> Fixes) {
  std::vector<const Hazard *> All = hazardsIn(SM.getFileID(Loc));
  // The hazards this run's fix-its leave: a --fix run repairs the others
  // together with the declaration, and a second run has nothing to add.
  std::vector<const Hazard *> In;
  for (const Hazard *H : All)
    if (!A.isFixedInThisRun(H->Loc))
      In.push_back(H);
  bool Blocked = Check.FixOnlyWithoutHazards && !In.empty();
  {
    DiagnosticBuilder D = Check.diag(Loc, Message);
    for (const std::string &Arg : Args)
      D << Arg;
    if (!Blocked)
      for (const FixItHint &F : Fixes)
        D << inFileLineEndings(F, SM);
  }
  if (!Blocked) {
    if (Check.FixOnlyWithoutHazards && !All.empty() && !Fixes.empty())
      Check.diag(Loc,
                 "the fix-it declares %0 on the strength of the fix-its for "
                 "the %1 free-threading %plural{1:hazard|:hazards}1 left in "
                 "this file; apply them together",
                 DiagnosticIDs::Note)
          << moduleFact(ModuleFact::GilNotUsed)
          << static_cast<unsigned>(All.size());
    return;
  }
  std::string List;
  for (unsigned I = 0; I < In.size() && I < MaxListedHazards; ++I) {
    if (I)
      List += "; ";
    List += In[I]->Short + " at line " +
            std::to_string(SM.getExpansionLineNumber(In[I]->Loc));
  }
  if (In.size() > MaxListedHazards)
    List += "; and " + std::to_string(In.size() - MaxListedHazards) + " more";
  Check.diag(Loc,
             "no fix-it: declaring %0 is a promise, and %1 free-threading "
             "%plural{1:hazard remains|:hazards remain}1 in this file with "
             "no fix-it in this run; fix %plural{1:it|:them}1 first: %2",
             DiagnosticIDs::Note)
      << moduleFact(ModuleFact::GilNotUsed) << static_cast<unsigned>(In.size())
      << List;
}

void MissingGilReport::record(llvm::ArrayRef<Declaration> Found) {
  for (const Declaration &D : Found)
    if (D.NotUsed)
      NotUsed.push_back(D);
}

/// Multi-phase init: the slots of each PyModuleDef.
void MissingGilReport::multiPhase() {
  // Which defs each kind of init builds.
  llvm::DenseSet<const VarDecl *> SingleDefs, MultiDefs;
  for (const MissingGilDeclarationCheck::Creation &C : Check.Creations)
    if (C.Def)
      (C.SinglePhase ? SingleDefs : MultiDefs).insert(C.Def);

  llvm::DenseSet<const VarDecl *> SeenArrays;
  for (const auto &[Key, Def] : Check.ModuleDefs) {
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
      missing(Loc,
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
    std::optional<std::pair<unsigned, unsigned>> Range =
        fileOffsets(SM, Written->getLBraceLoc(), Written->getRBraceLoc(), File);
    if (!Range)
      continue;
    std::vector<Declaration> Found =
        declarationsIn(Scans.get(File, Range->first, Range->second), SM, File,
                       Range->first, Range->second,
                       moduleFact(ModuleFact::GilSlot));
    // A slot written through a macro of the user's.
    for (const MacroUse &M : Facts.macroUses()) {
      if (M.Name != moduleFact(ModuleFact::GilSlot) &&
          M.Name != moduleFact(ModuleFact::GilNotUsed))
        continue;
      std::pair<FileID, unsigned> D = SM.getDecomposedLoc(M.Loc);
      if (D.first == File && D.second >= Range->first &&
          D.second < Range->second)
        Found.push_back({M.Loc, M.Name == moduleFact(ModuleFact::GilNotUsed)});
    }
    if (!Found.empty()) {
      record(Found);
      continue;
    }
    std::vector<FixItHint> Fixes;
    if (std::optional<FixItHint> F = slotFix(Array, Guard, Ctx, Scans))
      Fixes.push_back(*F);
    missing(Loc,
            "%0 has no '%1' slot, so importing the module re-enables the GIL "
            "on free-threaded CPython; add %2 to '%3' once the module is "
            "thread-safe",
            {("'" + Def->getName() + "'").str(),
             moduleFact(ModuleFact::GilSlot).str(), slotEntry(false),
             Array->getName().str()},
            Fixes);
  }
}

/// Single-phase init: PyUnstable_Module_SetGIL on the created module, in the
/// creating function or in a PyInit_ function of the same file.
void MissingGilReport::singlePhase() {
  for (const MissingGilDeclarationCheck::Creation &C : Check.Creations) {
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
      std::optional<std::pair<unsigned, unsigned>> Range = fileOffsets(
          SM, W->getBody()->getBeginLoc(), W->getBody()->getEndLoc(), File);
      if (!Range || File != SM.getFileID(Loc))
        continue;
      std::vector<Declaration> In =
          declarationsIn(Scans.get(File, Range->first, Range->second), SM,
                         File, Range->first, Range->second,
                         moduleFact(ModuleFact::SetGil));
      Found.insert(Found.end(), In.begin(), In.end());
    }
    if (!Found.empty()) {
      record(Found);
      continue;
    }
    std::vector<FixItHint> Fixes;
    const FunctionDecl *Creator = Ext.functionAt(SM, C.Call->getBeginLoc());
    if (std::optional<FixItHint> Fix = setGilFix(
            C.Call, Creator, A.parents().of(Creator), Ctx, Scans))
      Fixes.push_back(*Fix);
    missing(Loc,
            "module created by '%0' never calls '%1', so importing it "
            "re-enables the GIL on free-threaded CPython; call %1(module, "
            "%2) under '%3' once the module is thread-safe",
            {spelledCreator(C.Call, SM, LO).str(),
             moduleFact(ModuleFact::SetGil).str(),
             moduleFact(ModuleFact::GilNotUsed).str(),
             moduleFact(ModuleFact::SetGilGuard).str()},
            Fixes);
  }
}

/// pybind11 and nanobind module macros.
void MissingGilReport::bindings() {
  std::string Pybind11Arg = pybind11Argument();
  for (const MacroUse &M : Facts.macroUses()) {
    bool Pybind11 = M.Name == moduleFact(ModuleFact::Pybind11Macro);
    bool Nanobind = M.Name == moduleFact(ModuleFact::NanobindMacro);
    if ((!Pybind11 && !Nanobind) || M.Args.empty() || Ext.isExcluded(SM, M.Loc))
      continue;
    llvm::StringRef ModuleName = llvm::StringRef(M.Args[0]).trim();
    if (Nanobind) {
      Check.diag(
          M.Loc,
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
    if (guardedPybind11Option(M, ModuleName))
      continue;
    std::vector<FixItHint> Fixes;
    if (M.Invocation.isValid() && !M.InMacroBody)
      Fixes.push_back(FixItHint::CreateInsertion(M.Invocation.getEnd(),
                                                 ", " + Pybind11Arg));
    missing(M.Loc,
            "%0(%1) does not pass '%2', so importing the module re-enables "
            "the GIL on free-threaded CPython; add the argument once the "
            "module is thread-safe",
            {M.Name, ModuleName.str(), Pybind11Arg}, Fixes);
  }
}

std::string MissingGilReport::pybind11Argument() const {
  const IdentifierInfo &Py = Ctx.Idents.get("py");
  bool HasAlias = llvm::any_of(
      Ctx.getTranslationUnitDecl()->lookup(&Py), [](const NamedDecl *D) {
        const auto *A = dyn_cast<NamespaceAliasDecl>(D);
        return A && A->getNamespace()->getName() ==
                        moduleFact(ModuleFact::Pybind11Namespace);
      });
  return ((HasAlias ? llvm::StringRef("py")
                    : moduleFact(ModuleFact::Pybind11Namespace)) +
          "::" + moduleFact(ModuleFact::Pybind11Option) + "()")
      .str();
}

bool MissingGilReport::guardedPybind11Option(const MacroUse &M,
                                             llvm::StringRef ModuleName) {
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
  return Guarded;
}

/// A promise of Py_MOD_GIL_NOT_USED with hazards left in the same file: once
/// per file, at its first such declaration.
void MissingGilReport::promisesWithHazards() {
  llvm::stable_sort(NotUsed, [&](const Declaration &X, const Declaration &Y) {
    return SM.isBeforeInTranslationUnit(X.Loc, Y.Loc);
  });
  llvm::DenseSet<FileID> Reported;
  for (const Declaration &D : NotUsed) {
    FileID File = SM.getFileID(SM.getFileLoc(D.Loc));
    if (Ext.isExcluded(SM, D.Loc) || !Reported.insert(File).second)
      continue;
    std::vector<const Hazard *> In = hazardsIn(File);
    if (In.empty())
      continue;
    Check.diag(D.Loc,
               "module declares it does not need the GIL but %0 "
               "free-threading %plural{1:hazard remains|:hazards remain}0 "
               "in this file")
        << static_cast<unsigned>(In.size());
    for (const Hazard *H : In)
      Check.diag(H->Loc, "%0", DiagnosticIDs::Note) << H->Text;
  }
}

void MissingGilDeclarationCheck::report(ASTContext &Ctx) {
  collectModules();
  MissingGilReport Report(*this, Ctx);
  Report.multiPhase();
  Report.singlePhase();
  Report.bindings();
  Report.promisesWithHazards();
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
