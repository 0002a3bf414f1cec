//===--- MissingGilDeclarationCheck.cpp - freethreading-tidy --------------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "checks/MissingGilDeclarationCheck.h"
#include "lib/ModuleFacts.h"
#include "lib/ModuleSourceScan.h"
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

/// A finding of another freethreading finder in the same file.
struct Hazard {
  SourceLocation Loc;
  std::string Text;  ///< For a note at the hazard.
  std::string Short; ///< For the list of what to fix first.
};

/// A place where a module declares whether it needs the GIL.
struct Declaration {
  SourceLocation Loc;
  bool NotUsed = false;
};

/// What a PyModuleDef's m_slots member holds.
struct SlotsInfo {
  enum { Unknown, None, Array } Kind = Unknown;
  const VarDecl *ArrayVar = nullptr;
  const InitListExpr *Written = nullptr; ///< The def's initializer as written.
  unsigned FieldIndex = 0;               ///< Of m_slots in PyModuleDef.
  const Expr *WrittenNull = nullptr;     ///< m_slots written as NULL.
};

/// Raw scans of the files of one translation unit, made on demand.
class ScanCache {
public:
  ScanCache(const SourceManager &SM, const LangOptions &LO,
            llvm::ArrayRef<SkippedRange> Skipped)
      : SM(SM), LO(LO), Skipped(Skipped) {}
  const RawFileScan &get(FileID File) {
    std::unique_ptr<RawFileScan> &Scan = Scans[File];
    if (!Scan)
      Scan = std::make_unique<RawFileScan>(SM, File, LO, Skipped);
    return *Scan;
  }

private:
  const SourceManager &SM;
  const LangOptions &LO;
  llvm::ArrayRef<SkippedRange> Skipped;
  std::map<FileID, std::unique_ptr<RawFileScan>> Scans;
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

/// Reads a true/false option. OptionsView::get<bool> is not used: its
/// enable_if return type mangles differently under GCC and Clang, so a GCC
/// build of the checks cannot link Debian's Clang-built libclangTidy.
static bool readBool(ClangTidyCheck &Check, llvm::StringRef Text,
                     llvm::StringRef Option, bool Default) {
  if (Text.equals_insensitive("true") || Text == "1")
    return true;
  if (Text.equals_insensitive("false") || Text == "0")
    return false;
  Check.configurationDiag("invalid configuration value '%0' for option '%1'; "
                          "expected 'true' or 'false'")
      << Text << Option;
  return Default;
}

MissingGilDeclarationCheck::MissingGilDeclarationCheck(
    llvm::StringRef Name, ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      FixOnlyWithoutHazards(
          readBool(*this, Options.get("FixOnlyWithoutHazards", "true"),
                   (Name + ".FixOnlyWithoutHazards").str(), true)),
      SlotGuard(Options.get("SlotGuard", SlotGuardStyle::Macro)),
      Analysis(Context), TidyContext(Context) {}

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
  Borrowed.registerMatchers(Finder, this);
  Analysis.registerMatchers(Finder);
}

void MissingGilDeclarationCheck::registerPPCallbacks(const SourceManager &SM,
                                                     Preprocessor *PP,
                                                     Preprocessor *) {
  Borrowed.registerPPCallbacks(SM, PP);
  Analysis.registerPPCallbacks(SM, PP);
  Facts.attach(SM, *PP, [](llvm::StringRef Name) {
    return Name == moduleFact(ModuleFact::GilSlot) ||
           Name == moduleFact(ModuleFact::GilNotUsed) ||
           Name == moduleFact(ModuleFact::Pybind11Macro) ||
           Name == moduleFact(ModuleFact::NanobindMacro);
  });
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
    return;
  }
  // Both finders index function definitions from the same matches; each
  // takes what is its own.
  Borrowed.handle(Result);
}

static SourceLocation locAt(const SourceManager &SM, FileID File,
                            unsigned Offset) {
  return SM.getLocForStartOfFile(File).getLocWithOffset(Offset);
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

/// The range [Begin, End] of \p R's file locations in one file, as offsets.
static std::optional<std::pair<unsigned, unsigned>>
fileOffsets(const SourceManager &SM, SourceLocation B, SourceLocation E,
            FileID &File) {
  B = SM.getFileLoc(B);
  E = SM.getFileLoc(E);
  if (B.isInvalid() || E.isInvalid())
    return std::nullopt;
  std::pair<FileID, unsigned> DB = SM.getDecomposedLoc(B);
  std::pair<FileID, unsigned> DE = SM.getDecomposedLoc(E);
  if (DB.first != DE.first || DB.second > DE.second)
    return std::nullopt;
  File = DB.first;
  return std::make_pair(DB.second, DE.second + 1);
}

/// The initializer list \p V itself carries, if any: null for a forward or
/// extern declaration of a variable defined elsewhere.
static const InitListExpr *ownInitList(const VarDecl *V) {
  const Expr *Init = V->getInit();
  return Init ? dyn_cast<InitListExpr>(Init->IgnoreImplicit()) : nullptr;
}

static const InitListExpr *semanticForm(const InitListExpr *ILE) {
  return ILE->isSemanticForm() ? ILE : ILE->getSemanticForm();
}

static const InitListExpr *syntacticForm(const InitListExpr *ILE) {
  const InitListExpr *Sem = semanticForm(ILE);
  return Sem->getSyntacticForm() ? Sem->getSyntacticForm() : Sem;
}

/// NULL, 0 or nullptr, under the implicit conversion to a pointer that
/// C++ keeps in the AST.
static bool isNull(const Expr *E, ASTContext &Ctx) {
  return E->IgnoreParenImpCasts()->isNullPointerConstant(
             Ctx, Expr::NPC_ValueDependentIsNotNull) != Expr::NPCK_NotNull;
}

static SlotsInfo slotsOf(const VarDecl *Def, ASTContext &Ctx) {
  SlotsInfo Info;
  const InitListExpr *ILE = ownInitList(Def);
  const RecordDecl *RD = Def->getType()->getAsRecordDecl();
  if (!ILE || !RD)
    return Info;
  const InitListExpr *Sem = semanticForm(ILE);
  Info.Written = syntacticForm(ILE);
  bool FoundField = false;
  for (const FieldDecl *F : RD->fields()) {
    if (F->getName() == moduleFact(ModuleFact::SlotsField)) {
      FoundField = true;
      break;
    }
    ++Info.FieldIndex;
  }
  if (!FoundField)
    return Info;
  const Expr *Init =
      Info.FieldIndex < Sem->getNumInits() ? Sem->getInit(Info.FieldIndex)
                                           : nullptr;
  if (!Init || isa<ImplicitValueInitExpr>(Init)) {
    Info.Kind = SlotsInfo::None;
    return Info;
  }
  if (isNull(Init, Ctx)) {
    Info.Kind = SlotsInfo::None;
    Info.WrittenNull = Init;
    return Info;
  }
  const Expr *E = Init->IgnoreParenCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(E);
      UO && UO->getOpcode() == UO_AddrOf)
    E = UO->getSubExpr()->IgnoreParenCasts();
  if (const auto *ASE = dyn_cast<ArraySubscriptExpr>(E))
    E = ASE->getBase()->IgnoreParenCasts();
  const auto *DRE = dyn_cast<DeclRefExpr>(E);
  const auto *V = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  if (!V || !V->getType()->isArrayType())
    return Info;
  const VarDecl *InitDecl = nullptr;
  if (!V->getAnyInitializer(InitDecl) || !InitDecl)
    return Info;
  Info.Kind = SlotsInfo::Array;
  Info.ArrayVar = InitDecl;
  return Info;
}

/// True for an all-zero slot entry, the `{0, NULL}` that ends m_slots.
static bool isSentinel(const Expr *E, ASTContext &Ctx) {
  const auto *ILE = dyn_cast<InitListExpr>(E->IgnoreImplicit());
  if (!ILE)
    return false;
  return llvm::all_of(ILE->inits(), [&](const Expr *Init) {
    if (isa<ImplicitValueInitExpr>(Init))
      return true;
    // The written entries are not converted yet: nullptr is still a
    // nullptr_t, NULL may be an integer.
    if (Init->getType()->isPointerType() || Init->getType()->isNullPtrType())
      return isNull(Init, Ctx);
    Expr::EvalResult R;
    return Init->EvaluateAsInt(R, Ctx) && R.Val.getInt().isZero();
  });
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

/// `{Py_mod_gil, Py_MOD_GIL_NOT_USED}`, with a comma for a fix-it.
static std::string slotEntry(bool Comma = true) {
  return ("{" + moduleFact(ModuleFact::GilSlot) + ", " +
          moduleFact(ModuleFact::GilNotUsed) + "}" + (Comma ? "," : ""))
      .str();
}

/// Inserts the guarded Py_mod_gil entry before the terminating entry of the
/// slots array \p Array.
static std::optional<FixItHint> slotFix(const VarDecl *Array,
                                        llvm::StringRef Guard,
                                        ASTContext &Ctx, ScanCache &Scans) {
  const SourceManager &SM = Ctx.getSourceManager();
  const InitListExpr *ILE = ownInitList(Array);
  if (!ILE)
    return std::nullopt;
  const InitListExpr *Written = syntacticForm(ILE);
  // An array of written size needs room for one more entry.
  if (TypeSourceInfo *TSI = Array->getTypeSourceInfo())
    if (auto CATL = TSI->getTypeLoc().getAs<ConstantArrayTypeLoc>();
        CATL && CATL.getSizeExpr()) {
      const auto *CAT = Ctx.getAsConstantArrayType(Array->getType());
      if (!CAT || CAT->getSize().getZExtValue() < Written->getNumInits() + 1)
        return std::nullopt;
    }
  const Expr *Sentinel = nullptr;
  for (const Expr *E : Written->inits())
    if (isSentinel(E, Ctx)) {
      Sentinel = E;
      break;
    }
  if (!Sentinel || Sentinel->getBeginLoc().isMacroID())
    return std::nullopt;
  FileID File;
  std::optional<std::pair<unsigned, unsigned>> Range =
      fileOffsets(SM, Sentinel->getBeginLoc(), Sentinel->getBeginLoc(), File);
  if (!Range)
    return std::nullopt;
  const RawFileScan &Scan = Scans.get(File);
  unsigned At = Range->first;
  if (Scan.startsLine(At)) {
    llvm::StringRef Indent = Scan.indentation(At);
    return FixItHint::CreateInsertion(
        locAt(SM, File, Scan.startOfLine(At)),
        (Guard + "\n" + Indent + slotEntry() + "\n#endif\n").str());
  }
  // The directives need lines of their own: break the line before the
  // sentinel, replacing the blanks that separate it from the entry before.
  unsigned From = At;
  while (From > 0 && (Scan.buffer()[From - 1] == ' ' ||
                      Scan.buffer()[From - 1] == '\t'))
    --From;
  return FixItHint::CreateReplacement(
      CharSourceRange::getCharRange(locAt(SM, File, From),
                                    locAt(SM, File, At)),
      ("\n" + Guard + "\n" + slotEntry() + "\n#endif\n").str());
}

/// Creates a slots array holding only the guarded Py_mod_gil entry and
/// points the def's m_slots at it.
static std::vector<FixItHint> newSlotsFix(const VarDecl *Def,
                                          const SlotsInfo &Slots,
                                          llvm::StringRef Guard,
                                          ASTContext &Ctx, ScanCache &Scans) {
  const SourceManager &SM = Ctx.getSourceManager();
  const LangOptions &LO = Ctx.getLangOpts();
  std::vector<FixItHint> None;
  if (Def->getBeginLoc().isMacroID() || !Slots.Written)
    return None;
  // A name nobody uses yet.
  std::string Name;
  for (llvm::StringRef Suffix : {"_slots", "_gil_slots"}) {
    std::string Candidate = (Def->getName() + Suffix).str();
    if (Ctx.getTranslationUnitDecl()
            ->lookup(&Ctx.Idents.get(Candidate))
            .empty()) {
      Name = Candidate;
      break;
    }
  }
  if (Name.empty())
    return None;
  FileID File;
  std::optional<std::pair<unsigned, unsigned>> DefRange =
      fileOffsets(SM, Def->getBeginLoc(), Def->getBeginLoc(), File);
  if (!DefRange)
    return None;
  const RawFileScan &Scan = Scans.get(File);
  if (!Scan.startsLine(DefRange->first))
    return None;
  llvm::StringRef Indent = Scan.indentation(DefRange->first);
  std::string Array =
      (Indent + "static " + moduleFact(ModuleFact::SlotType) + " " + Name +
       "[] = {\n" + Guard + "\n" + Indent + "    " + slotEntry() +
       "\n#endif\n" + Indent + "    {0, NULL},\n" + Indent + "};\n\n")
          .str();
  std::vector<FixItHint> Fixes;
  Fixes.push_back(FixItHint::CreateInsertion(
      locAt(SM, File, Scan.startOfLine(DefRange->first)), Array));

  // Point m_slots at it.
  if (Slots.WrittenNull) {
    CharSourceRange R = CharSourceRange::getTokenRange(
        SM.getFileLoc(Slots.WrittenNull->getBeginLoc()),
        SM.getFileLoc(Slots.WrittenNull->getEndLoc()));
    if (Slots.WrittenNull->getBeginLoc().isMacroID() &&
        !SM.isMacroArgExpansion(Slots.WrittenNull->getBeginLoc()) &&
        Lexer::getImmediateMacroName(Slots.WrittenNull->getBeginLoc(), SM,
                                     LO) != "NULL")
      return None;
    Fixes.push_back(FixItHint::CreateReplacement(R, Name));
    return Fixes;
  }
  const InitListExpr *W = Slots.Written;
  if (W->getNumInits() == 0)
    return None;
  bool Designated = llvm::any_of(
      W->inits(), [](const Expr *E) { return isa<DesignatedInitExpr>(E); });
  std::string Member = Designated ? ("." + moduleFact(ModuleFact::SlotsField) +
                                     " = " + Name)
                                        .str()
                                  : Name;
  // Designated: before the first member written after m_slots, else last.
  // Positional: only when exactly the members before m_slots are written.
  if (Designated) {
    const RecordDecl *RD = Def->getType()->getAsRecordDecl();
    for (const Expr *E : W->inits()) {
      const auto *DIE = dyn_cast<DesignatedInitExpr>(E);
      if (!DIE || DIE->size() == 0 || !DIE->getDesignator(0)->isFieldDesignator())
        continue;
      const FieldDecl *F = DIE->getDesignator(0)->getFieldDecl();
      if (!F) {
        const IdentifierInfo *II = DIE->getDesignator(0)->getFieldName();
        for (const FieldDecl *Candidate : RD->fields())
          if (Candidate->getIdentifier() == II)
            F = Candidate;
      }
      if (!F || F->getFieldIndex() <= Slots.FieldIndex)
        continue;
      SourceLocation B = SM.getFileLoc(DIE->getBeginLoc());
      if (DIE->getBeginLoc().isMacroID())
        return None;
      unsigned Off = SM.getFileOffset(B);
      Fixes.push_back(FixItHint::CreateInsertion(
          B, Scan.startsLine(Off)
                 ? (Member + ",\n" + Scan.indentation(Off)).str()
                 : Member + ", "));
      return Fixes;
    }
  } else if (W->getNumInits() != Slots.FieldIndex) {
    return None;
  }
  const Expr *Last = W->inits().back();
  SourceLocation LastEnd = SM.getFileLoc(Last->getEndLoc());
  SourceLocation LastBegin = SM.getFileLoc(Last->getBeginLoc());
  if (LastEnd.isInvalid() || SM.getFileID(LastEnd) != File)
    return None;
  unsigned BeginOff = SM.getFileOffset(LastBegin);
  bool OwnLine = Scan.startsLine(BeginOff);
  llvm::StringRef Indent2 = Scan.indentation(BeginOff);
  std::optional<Token> Next = Lexer::findNextToken(LastEnd, SM, LO);
  if (!Next)
    return None;
  if (Next->is(tok::comma)) {
    Fixes.push_back(FixItHint::CreateInsertion(
        Next->getEndLoc(), OwnLine ? ("\n" + Indent2 + Member + ",").str()
                                   : " " + Member + ","));
  } else {
    Fixes.push_back(FixItHint::CreateInsertion(
        Lexer::getLocForEndOfToken(LastEnd, 0, SM, LO),
        OwnLine ? (",\n" + Indent2 + Member).str() : ", " + Member));
  }
  return Fixes;
}

/// The expression refers to \p V, directly or as `(V = ...)`.
static bool refersTo(const Expr *E, const VarDecl *V) {
  E = E->IgnoreParenImpCasts();
  if (const auto *BO = dyn_cast<BinaryOperator>(E);
      BO && BO->getOpcode() == BO_Assign)
    E = BO->getLHS()->IgnoreParenImpCasts();
  const auto *DRE = dyn_cast<DeclRefExpr>(E);
  return DRE && DRE->getDecl() == V;
}

/// `!m`, `m == NULL`, `NULL == m` (and the same around `(m = ...)`).
static bool isNullTest(const Expr *Cond, const VarDecl *V, ASTContext &Ctx) {
  Cond = Cond->IgnoreParenImpCasts();
  if (const auto *UO = dyn_cast<UnaryOperator>(Cond))
    return UO->getOpcode() == UO_LNot && refersTo(UO->getSubExpr(), V);
  const auto *BO = dyn_cast<BinaryOperator>(Cond);
  if (!BO || BO->getOpcode() != BO_EQ)
    return false;
  return (refersTo(BO->getLHS(), V) && isNull(BO->getRHS(), Ctx)) ||
         (refersTo(BO->getRHS(), V) && isNull(BO->getLHS(), Ctx));
}

/// The statement leaves the function (return or goto to cleanup).
static bool exits(const Stmt *S) {
  if (const auto *CS = dyn_cast<CompoundStmt>(S))
    return !CS->body_empty() && exits(CS->body_back());
  return isa<ReturnStmt>(S) || isa<GotoStmt>(S);
}

/// Inserts the guarded SetGIL call after the module's creation and its NULL
/// check: `m = PyModule_Create(&def); if (m == NULL) return NULL;` or
/// `if ((m = PyModule_Create(&def)) == NULL) return NULL;`.
static std::optional<FixItHint> setGilFix(const CallExpr *Call,
                                          ASTContext &Ctx, ScanCache &Scans) {
  const SourceManager &SM = Ctx.getSourceManager();
  const VarDecl *Module = nullptr;
  DynTypedNode Node = DynTypedNode::create(*Call);
  const Stmt *Current = Call;
  auto Bare = [](const Stmt *S) -> const Stmt * {
    if (const auto *E = dyn_cast<Expr>(S))
      return E->IgnoreParenCasts();
    return S;
  };
  // Up to the statement that is a child of a compound statement.
  const CompoundStmt *Block = nullptr;
  const Stmt *Statement = nullptr;
  while (true) {
    DynTypedNodeList Parents = Ctx.getParents(Node);
    if (Parents.size() != 1)
      return std::nullopt;
    const DynTypedNode &P = Parents[0];
    if (const auto *VD = P.get<VarDecl>()) {
      if (!Module && VD->getInit() &&
          VD->getInit()->IgnoreParenCasts() == Bare(Current))
        Module = VD;
      Node = P;
      continue;
    }
    if (const auto *BO = P.get<BinaryOperator>();
        BO && BO->getOpcode() == BO_Assign && !Module &&
        BO->getRHS()->IgnoreParenCasts() == Bare(Current)) {
      if (const auto *DRE =
              dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts()))
        Module = dyn_cast<VarDecl>(DRE->getDecl());
    }
    if (const auto *CS = P.get<CompoundStmt>()) {
      Block = CS;
      break;
    }
    const Stmt *S = P.get<Stmt>();
    if (!S && !P.get<VarDecl>())
      return std::nullopt;
    if (S)
      Current = S;
    Node = P;
  }
  if (!Module || !Block || !Current)
    return std::nullopt;
  Statement = Current;
  const IfStmt *Check = dyn_cast<IfStmt>(Statement);
  if (!Check) {
    auto It = llvm::find(Block->body(), Statement);
    if (It == Block->body_end() || std::next(It) == Block->body_end())
      return std::nullopt;
    Check = dyn_cast<IfStmt>(*std::next(It));
  }
  if (!Check || Check->getElse() || !Check->getCond() ||
      !isNullTest(Check->getCond(), Module, Ctx) || !exits(Check->getThen()) ||
      Statement->getBeginLoc().isMacroID() || Check->getBeginLoc().isMacroID())
    return std::nullopt;
  // The end of the check: its closing brace, or the `;` after its return.
  SourceLocation End = SM.getFileLoc(Check->getEndLoc());
  FileID File = SM.getFileID(End);
  if (File != SM.getFileID(SM.getFileLoc(Call->getBeginLoc())))
    return std::nullopt;
  const RawFileScan &Scan = Scans.get(File);
  size_t I = Scan.firstTokenAt(SM.getFileOffset(End));
  llvm::ArrayRef<RawFileScan::RawToken> Tokens = Scan.tokens();
  if (I >= Tokens.size())
    return std::nullopt;
  if (!isa<CompoundStmt>(Check->getThen())) {
    if (I + 1 >= Tokens.size() || Tokens[I + 1].Text != ";")
      return std::nullopt;
    ++I;
  }
  unsigned AfterCheck = Tokens[I].Offset + Tokens[I].Text.size();
  std::optional<unsigned> NextLine = Scan.startOfNextLine(AfterCheck);
  if (!NextLine)
    return std::nullopt;
  unsigned LineEnd = *NextLine;
  llvm::StringRef Rest = Scan.buffer().slice(AfterCheck, LineEnd).trim();
  if (!Rest.empty() && !Rest.starts_with("//"))
    return std::nullopt;
  llvm::StringRef Indent =
      Scan.indentation(SM.getFileOffset(SM.getFileLoc(Statement->getBeginLoc())));
  std::string Text = (moduleFact(ModuleFact::SetGilGuard) + "\n" + Indent +
                      moduleFact(ModuleFact::SetGil) + "(" + Module->getName() +
                      ", " + moduleFact(ModuleFact::GilNotUsed) + ");\n#endif\n")
                         .str();
  return FixItHint::CreateInsertion(locAt(SM, File, LineEnd), Text);
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
  ExtensionContext &Ext = Borrowed.context();
  ScanCache Scans(SM, LO, Facts.skippedRanges());
  llvm::StringRef Guard = slotGuardText(SlotGuard);

  // What the other finders report, which a promise of Py_MOD_GIL_NOT_USED
  // would hide.
  std::vector<Hazard> Hazards;
  for (const BorrowedUse &U : Borrowed.hazards(Ctx))
    Hazards.push_back(
        {U.Loc,
         ("free-threading hazard: borrowed reference from '" + U.Api->Name +
          "'; " + U.Api->remedy())
             .str(),
         ("borrowed reference from '" + U.Api->Name + "'").str()});
  // The C library calls the unsafe-libc-call check reports, with its
  // options.
  ClangTidyCheck::OptionsView LibcView("freethreading-unsafe-libc-call",
                                       TidyContext->getOptions().CheckOptions,
                                       TidyContext);
  ConfiguredLibcRows Configured;
  for (const LibcUse &U :
       unsafeLibcCalls(Analysis.get(), LibcOptions::read(LibcView), Configured))
    Hazards.push_back({U.Loc,
                       ("free-threading hazard: '" + U.Function->Name +
                        "' uses " + U.Function->Shared +
                        " shared by all threads; use " + U.Function->Remedy)
                           .str(),
                       ("call to '" + U.Function->Name + "'").str()});
  llvm::stable_sort(Hazards, [&](const Hazard &A, const Hazard &B) {
    return SM.isBeforeInTranslationUnit(A.Loc, B.Loc);
  });
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
          D << F;
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
  Borrowed.clear();
  Facts.clear();
  ModuleDefs.clear();
  Creations.clear();
  Context = nullptr;
}

} // namespace freethreading
} // namespace clang::tidy
