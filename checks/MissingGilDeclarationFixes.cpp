//===--- MissingGilDeclarationFixes.cpp - freethreading-tidy --------------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "checks/MissingGilDeclarationFixes.h"
#include "lib/AstHelpers.h"
#include "lib/ModuleFacts.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/TypeLoc.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/STLExtras.h"

namespace clang::tidy::freethreading {

SourceLocation locAt(const SourceManager &SM, FileID File,
                            unsigned Offset) {
  return SM.getLocForStartOfFile(File).getLocWithOffset(Offset);
}

/// The range [Begin, End] of \p R's file locations in one file, as offsets.
std::optional<std::pair<unsigned, unsigned>>
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
const InitListExpr *ownInitList(const VarDecl *V) {
  const Expr *Init = V->getInit();
  return Init ? dyn_cast<InitListExpr>(Init->IgnoreImplicit()) : nullptr;
}

static const InitListExpr *semanticForm(const InitListExpr *ILE) {
  return ILE->isSemanticForm() ? ILE : ILE->getSemanticForm();
}

const InitListExpr *syntacticForm(const InitListExpr *ILE) {
  const InitListExpr *Sem = semanticForm(ILE);
  return Sem->getSyntacticForm() ? Sem->getSyntacticForm() : Sem;
}

SlotsInfo slotsOf(const VarDecl *Def, ASTContext &Ctx) {
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
  if (isNullPointer(Init, Ctx)) {
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
      return isNullPointer(Init, Ctx);
    Expr::EvalResult R;
    return Init->EvaluateAsInt(R, Ctx) && R.Val.getInt().isZero();
  });
}


/// `{Py_mod_gil, Py_MOD_GIL_NOT_USED}`, with a comma for a fix-it.
std::string slotEntry(bool Comma) {
  return ("{" + moduleFact(ModuleFact::GilSlot) + ", " +
          moduleFact(ModuleFact::GilNotUsed) + "}" + (Comma ? "," : ""))
      .str();
}

/// Inserts the guarded Py_mod_gil entry before the terminating entry of the
/// slots array \p Array.
std::optional<FixItHint> slotFix(const VarDecl *Array,
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
  unsigned At = Range->first;
  // Only the text of the sentinel's line is read: no tokens are needed.
  const RawFileScan &Scan = Scans.get(File, At, At);
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
std::vector<FixItHint> newSlotsFix(const VarDecl *Def,
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
  // Only the text of the def's first line is read: no tokens are needed.
  const RawFileScan &Scan = Scans.get(File, DefRange->first, DefRange->first);
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
  return (refersTo(BO->getLHS(), V) && isNullPointer(BO->getRHS(), Ctx)) ||
         (refersTo(BO->getRHS(), V) && isNullPointer(BO->getLHS(), Ctx));
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
std::optional<FixItHint> setGilFix(const CallExpr *Call,
                                   const FunctionDecl *Creator,
                                   const LocalParents &Parents,
                                   ASTContext &Ctx, ScanCache &Scans) {
  if (!Creator || !Creator->getBody())
    return std::nullopt;
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
    DynTypedNode P = Parents.parentNode(Node);
    if (P.getNodeKind().isNone())
      return std::nullopt;
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
  // The creator's body is all the fix reads (singlePhase scanned the same).
  FileID BodyFile;
  std::optional<std::pair<unsigned, unsigned>> Body =
      fileOffsets(SM, Creator->getBody()->getBeginLoc(),
                  Creator->getBody()->getEndLoc(), BodyFile);
  if (!Body || BodyFile != File)
    return std::nullopt;
  const RawFileScan &Scan = Scans.get(File, Body->first, Body->second);
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


} // namespace clang::tidy::freethreading
