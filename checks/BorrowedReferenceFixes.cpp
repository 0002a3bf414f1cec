//===--- BorrowedReferenceFixes.cpp - rewrites to strong references -------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "checks/BorrowedReferenceFixes.h"
#include "lib/SourceEdits.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

namespace clang::tidy::freethreading {

namespace {

/// Source text and positions of one translation unit, in file coordinates.
class Source {
public:
  explicit Source(const ASTContext &Ctx)
      : SM(Ctx.getSourceManager()), LO(Ctx.getLangOpts()) {}

  /// The file character range of \p R, invalid unless it is written as a
  /// whole in one file (a whole macro invocation counts).
  CharSourceRange range(SourceRange R) const {
    return toChar(
        Lexer::makeFileCharRange(CharSourceRange::getTokenRange(R), SM, LO));
  }
  CharSourceRange toChar(CharSourceRange C) const {
    if (C.isInvalid() || !C.isTokenRange())
      return C;
    return CharSourceRange::getCharRange(
        C.getBegin(), Lexer::getLocForEndOfToken(C.getEnd(), 0, SM, LO));
  }
  llvm::StringRef text(CharSourceRange C) const {
    return C.isValid() ? Lexer::getSourceText(C, SM, LO) : "";
  }
  llvm::StringRef text(const Stmt *S) const {
    return text(range(S->getSourceRange()));
  }
  unsigned offset(SourceLocation L) const {
    return SM.getFileOffset(SM.getExpansionLoc(L));
  }
  bool sameFile(SourceLocation A, SourceLocation B) const {
    return SM.getFileID(SM.getExpansionLoc(A)) ==
           SM.getFileID(SM.getExpansionLoc(B));
  }

  /// The first token at or after \p Loc, white space and comments skipped.
  Token tokenAt(SourceLocation Loc) const {
    std::pair<FileID, unsigned> D = SM.getDecomposedLoc(Loc);
    llvm::StringRef Buf = SM.getBufferData(D.first);
    Lexer L(SM.getLocForStartOfFile(D.first), LO, Buf.begin(),
            Buf.begin() + D.second, Buf.end());
    Token T;
    L.LexFromRawLexer(T);
    return T;
  }

  /// The end of statement \p S, after its ';' if it has one; invalid if
  /// \p S is not written as a whole in a file.
  SourceLocation statementEnd(const Stmt *S) const {
    CharSourceRange R = range(S->getSourceRange());
    if (R.isInvalid())
      return {};
    if (isa<DeclStmt>(S) || isa<CompoundStmt>(S))
      return R.getEnd();
    Token T = tokenAt(R.getEnd());
    return T.is(tok::semi) ? T.getEndLoc() : R.getEnd();
  }

  /// The white space before \p Loc on its line; std::nullopt if anything
  /// else precedes it there.
  std::optional<std::string> indentBefore(SourceLocation Loc) const {
    std::pair<FileID, unsigned> D = SM.getDecomposedLoc(Loc);
    llvm::StringRef Buf = SM.getBufferData(D.first);
    unsigned Start = D.second;
    while (Start > 0 && Buf[Start - 1] != '\n')
      --Start;
    llvm::StringRef Lead = Buf.slice(Start, D.second);
    if (!llvm::all_of(Lead, [](char C) { return C == ' ' || C == '\t'; }))
      return std::nullopt;
    return Lead.str();
  }

  std::string lineIndent(SourceLocation Loc) const {
    return lineIndentation(SM, Loc).str();
  }

  /// The range removing statement \p S with its line, when it stands alone
  /// on its line; otherwise just the statement. The line break removed is
  /// the one before the statement: clang merges a removal that leaves white
  /// space on both sides into one more character.
  CharSourceRange removal(const Stmt *S) const {
    CharSourceRange R = range(S->getSourceRange());
    SourceLocation End = statementEnd(S);
    if (R.isInvalid() || End.isInvalid())
      return {};
    SourceLocation Begin = R.getBegin();
    std::optional<std::string> Indent = indentBefore(Begin);
    std::pair<FileID, unsigned> D = SM.getDecomposedLoc(End);
    llvm::StringRef Buf = SM.getBufferData(D.first);
    unsigned After = D.second;
    while (After < Buf.size() && (Buf[After] == ' ' || Buf[After] == '\t'))
      ++After;
    unsigned LineStart =
        SM.getFileOffset(Begin) - (Indent ? Indent->size() : 0);
    if (Indent && LineStart > 0 && Buf[LineStart - 1] == '\n' &&
        After < Buf.size() && Buf[After] == '\n')
      return CharSourceRange::getCharRange(
          Begin.getLocWithOffset(-static_cast<int>(Indent->size()) - 1), End);
    return CharSourceRange::getCharRange(Begin, End);
  }

  const SourceManager &SM;
  const LangOptions &LO;
};

/// The text with all white space removed, for comparing short spellings.
std::string squeeze(llvm::StringRef Text) {
  std::string Out;
  for (char C : Text)
    if (!llvm::isSpace(C))
      Out += C;
  return Out;
}

/// True if \p Text spells one of \p Macros applied to \p Arg alone.
bool spellsCallOn(llvm::StringRef Text, llvm::ArrayRef<llvm::StringRef> Macros,
                  llvm::StringRef Arg) {
  std::string S = squeeze(Text);
  return llvm::any_of(Macros, [&](llvm::StringRef M) {
    return S == (M + "(" + squeeze(Arg) + ")").str();
  });
}

/// A plain object expression (`self`, `self->items`, `st.cache`) that can be
/// repeated in a Py_BEGIN_CRITICAL_SECTION without side effects.
bool isPlainObject(llvm::StringRef Text) {
  std::string S = squeeze(Text);
  if (S.empty() || !(llvm::isAlpha(S[0]) || S[0] == '_'))
    return false;
  return llvm::all_of(S, [](char C) {
    return llvm::isAlnum(C) || C == '_' || C == '.' || C == '-' || C == '>';
  });
}

bool isLoop(const Stmt *S) {
  return isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(S);
}
bool isJump(const Stmt *S) {
  return isa<ReturnStmt, GotoStmt, BreakStmt, ContinueStmt, IndirectGotoStmt>(
      S);
}

/// True if every path through \p S leaves by a jump (return, goto, break,
/// continue) written at its end.
bool endsInJump(const Stmt *S) {
  if (const auto *C = dyn_cast<CompoundStmt>(S))
    return !C->body_empty() && endsInJump(C->body_back());
  return isJump(S);
}

bool isPyObjectPointer(QualType T) {
  if (!T->isPointerType())
    return false;
  const auto *RD = T->getPointeeType()->getAsRecordDecl();
  return RD && RD->getName() == "_object";
}

/// Statements of interest below a node: jumps, labels, case labels and the
/// references to one variable. Lambda and block bodies are other functions.
class Walker : public RecursiveASTVisitor<Walker> {
public:
  explicit Walker(const VarDecl *V = nullptr) : V(V) {}
  bool VisitReturnStmt(ReturnStmt *S) { return add(S); }
  bool VisitGotoStmt(GotoStmt *S) { return add(S); }
  bool VisitIndirectGotoStmt(IndirectGotoStmt *S) { return add(S); }
  bool VisitBreakStmt(BreakStmt *S) { return add(S); }
  bool VisitContinueStmt(ContinueStmt *S) { return add(S); }
  bool VisitLabelStmt(LabelStmt *S) { return add(S); }
  bool VisitCaseStmt(CaseStmt *S) { return add(S); }
  bool VisitDefaultStmt(DefaultStmt *S) { return add(S); }
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    if (V && E->getDecl() == V)
      Refs.push_back(E);
    return true;
  }
  bool TraverseLambdaExpr(LambdaExpr *E) { return closure(E); }
  bool TraverseBlockExpr(BlockExpr *E) { return closure(E); }
  /// A closure is another function: its jumps are its own, but a use of the
  /// variable inside it (or a capture) is recorded apart.
  bool closure(Expr *E) {
    if (!V)
      return true;
    struct Any : RecursiveASTVisitor<Any> {
      const VarDecl *V;
      bool Found = false;
      bool VisitDeclRefExpr(DeclRefExpr *R) {
        Found |= R->getDecl() == V;
        return true;
      }
      bool shouldVisitImplicitCode() const { return true; }
    } A;
    A.V = V;
    A.TraverseStmt(E);
    Captured |= A.Found;
    return true;
  }
  bool add(Stmt *S) {
    Jumps.push_back(S);
    return true;
  }

  const VarDecl *V;
  bool Captured = false; ///< V is used inside a lambda or block.
  std::vector<const Stmt *> Jumps;
  std::vector<const DeclRefExpr *> Refs;
};

/// The variable that will own the strong reference: `T *x = API(...);` or
/// `x = API(...);`, a statement of its own in a block.
struct Binding {
  const VarDecl *Var = nullptr;
  const Stmt *Statement = nullptr;
  const CompoundStmt *Block = nullptr;
  unsigned Index = 0;
  bool IsDecl = false;
  bool Cast = false; ///< An explicit cast sits between call and variable.
};

/// What the expression a use produces flows into.
struct Consumer {
  enum Kind { Bound, NewRefWrap, Returned, StoredAway, Other } K = Other;
  Binding B;
  const Expr *Wrap = nullptr; ///< The Py_NewRef call, for NewRefWrap.
  std::string Why;            ///< For StoredAway and Other.
};

class Planner {
public:
  Planner(ASTContext &Ctx, PreprocessorFacts &Facts, const BorrowedUse &Use,
          const LocalParents &Parents)
      : Ctx(Ctx), Facts(Facts), Src(Ctx), Use(Use), Api(*Use.Api),
        Parents(Parents) {}

  DynTypedNode parent(const DynTypedNode &N) const {
    return Parents.parentNode(N);
  }
  const Stmt *parentStmt(const Stmt *S) const {
    return parent(DynTypedNode::create(*S)).get<Stmt>();
  }

  /// The outermost expression of the use: the call, or the expansion of
  /// the API macro.
  const Expr *useExpr() const;
  Consumer consumer(const Expr *E) const;
  /// The replacement call, \p Out appended as the out-parameter if given.
  std::optional<std::string> replacementCall(llvm::StringRef Out) const;
  /// The statement that leaves the function on error here, if no other
  /// reference can be held at \p At; else std::nullopt, \p Why set.
  std::optional<std::string> errorExit(const Stmt *At, std::string &Why) const;
  BorrowedFix bindingFix(const Binding &B);
  BorrowedFix wrapFix(const Consumer &C);

  ASTContext &Ctx;
  PreprocessorFacts &Facts;
  Source Src;
  const BorrowedUse &Use;
  const BorrowedApi &Api;
  const LocalParents &Parents;
};

/// Adds an insertion, appending to one already planned at the same place so
/// that the edits of one fix never race each other.
void insertAt(std::vector<FixItHint> &Hints, SourceLocation Loc,
              llvm::StringRef Text) {
  for (FixItHint &H : Hints)
    if (H.RemoveRange.getBegin() == Loc && H.RemoveRange.getEnd() == Loc) {
      H.CodeToInsert += Text.str();
      return;
    }
  Hints.push_back(FixItHint::CreateInsertion(Loc, Text));
}

BorrowedFix noFix(llvm::StringRef Why) {
  BorrowedFix F;
  F.Reason = Why.str();
  return F;
}

const Expr *Planner::useExpr() const {
  if (Use.Call)
    return Use.Call;
  // A macro-spelled API: the outermost expression its invocation expands to.
  CharSourceRange Want = Src.toChar(Use.Written);
  struct Finder : RecursiveASTVisitor<Finder> {
    const Source &Src;
    CharSourceRange Want;
    const Expr *Found = nullptr;
    Finder(const Source &Src, CharSourceRange Want) : Src(Src), Want(Want) {}
    bool VisitExpr(Expr *E) {
      if (Found || !E->getBeginLoc().isMacroID())
        return true;
      CharSourceRange R = Src.range(E->getSourceRange());
      if (R.isValid() && R.getBegin() == Want.getBegin() &&
          R.getEnd() == Want.getEnd())
        Found = E;
      return !Found;
    }
  } F(Src, Want);
  F.TraverseStmt(Use.Function->getBody());
  return F.Found;
}

Consumer Planner::consumer(const Expr *E) const {
  Consumer C;
  DynTypedNode Cur = DynTypedNode::create(*E);
  const Stmt *Child = E;
  bool Cast = false;
  while (true) {
    DynTypedNode P = parent(Cur);
    if (const auto *PE = P.get<Expr>()) {
      if (isa<ImplicitCastExpr, ParenExpr>(PE)) {
        Cur = P;
        Child = PE;
        continue;
      }
      if (isa<ExplicitCastExpr>(PE)) {
        Cast = true;
        Cur = P;
        Child = PE;
        continue;
      }
    }
    if (const auto *VD = P.get<VarDecl>()) {
      if (!VD->isLocalVarDecl() || VD->isStaticLocal()) {
        C.K = Consumer::StoredAway;
        C.Why = "the reference is stored in a static or global variable";
        return C;
      }
      const auto *DS = parent(P).get<DeclStmt>();
      const auto *Block =
          DS ? dyn_cast_or_null<CompoundStmt>(parentStmt(DS)) : nullptr;
      if (!DS || !DS->isSingleDecl() || !Block) {
        C.Why = "the declaration is not a statement of its own in a block";
        return C;
      }
      C.K = Consumer::Bound;
      C.B = {VD, DS, Block, 0, true, Cast};
      break;
    }
    if (const auto *BO = P.get<BinaryOperator>()) {
      if (BO->getOpcode() != BO_Assign || BO->getRHS() != Child) {
        C.Why = "the result is used inside a larger expression; assign it to "
                "a local variable first";
        return C;
      }
      const auto *Ref = dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParens());
      const auto *VD = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
      if (!VD || !VD->isLocalVarDecl() || VD->isStaticLocal()) {
        C.K = Consumer::StoredAway;
        C.Why = "the reference is stored in a field or a global; the tool "
                "cannot follow its lifetime";
        return C;
      }
      const auto *Block = dyn_cast_or_null<CompoundStmt>(parentStmt(BO));
      if (!Block) {
        C.Why = "the assignment is not a statement of its own in a block";
        return C;
      }
      C.K = Consumer::Bound;
      C.B = {VD, BO, Block, 0, false, Cast};
      break;
    }
    if (const auto *Call = P.get<CallExpr>()) {
      const FunctionDecl *F = Call->getDirectCallee();
      CharSourceRange R = Src.range(Call->getSourceRange());
      llvm::StringRef Inner = Src.text(Src.toChar(Use.Written));
      if (F && F->getIdentifier() && R.isValid() &&
          llvm::is_contained(
              {"Py_NewRef", "_Py_NewRef", "Py_XNewRef", "_Py_XNewRef"},
              F->getName()) &&
          spellsCallOn(Src.text(R), {"Py_NewRef", "Py_XNewRef"}, Inner)) {
        C.K = Consumer::NewRefWrap;
        C.Wrap = Call;
        return C;
      }
      C.Why = "the result is passed straight to a call; assign it to a local "
              "variable first";
      return C;
    }
    if (P.get<ReturnStmt>()) {
      C.K = Consumer::Returned;
      C.Why = "the borrowed reference is returned to the caller as it is";
      return C;
    }
    C.Why = "the result is used inside a larger expression; assign it to a "
            "local variable first";
    return C;
  }
  // Position of the binding statement in its block.
  unsigned I = 0;
  for (const Stmt *S : C.B.Block->body()) {
    if (S == C.B.Statement)
      break;
    ++I;
  }
  C.B.Index = I;
  return C;
}

std::optional<std::string> Planner::replacementCall(llvm::StringRef Out) const {
  std::vector<std::string> Args;
  if (Use.Call) {
    for (const Expr *A : Use.Call->arguments()) {
      CharSourceRange R = Src.range(A->getSourceRange());
      if (R.isInvalid())
        return std::nullopt;
      Args.push_back(Src.text(R).str());
    }
  } else {
    for (const std::string &A : Use.MacroArgs)
      Args.push_back(llvm::StringRef(A).trim().str());
  }
  if (!Out.empty())
    Args.push_back(Out.str());
  return (Api.Replacement + "(" + llvm::join(Args, ", ") + ")").str();
}

std::optional<std::string> Planner::errorExit(const Stmt *At,
                                              std::string &Why) const {
  const FunctionDecl *F = Use.Function;
  QualType R = F->getReturnType();
  std::string Exit;
  // NULL from a function returning an object, and -1 from an int function
  // that already returns -1 somewhere, mean "error, exception set"; any
  // other function's error convention is unknown.
  struct MinusOne : RecursiveASTVisitor<MinusOne> {
    bool Found = false;
    bool VisitReturnStmt(ReturnStmt *S) {
      const auto *U = dyn_cast_or_null<UnaryOperator>(
          S->getRetValue() ? S->getRetValue()->IgnoreParenImpCasts() : nullptr);
      const auto *L =
          U ? dyn_cast<IntegerLiteral>(U->getSubExpr()->IgnoreParens())
            : nullptr;
      Found |= U && U->getOpcode() == UO_Minus && L && L->getValue() == 1;
      return true;
    }
    bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  } M;
  if (isPyObjectPointer(R)) {
    Exit = "return NULL;";
  } else if (R->isIntegerType() && !R->isBooleanType() &&
             (M.TraverseStmt(F->getBody()), M.Found)) {
    Exit = "return -1;";
  } else {
    Why = "the function has no error return the tool can tell (NULL from "
          "a 'PyObject *' function, -1 from an int function that already "
          "returns -1)";
    return std::nullopt;
  }
  if (Facts.sectionCovering(Src.SM.getExpansionLoc(At->getBeginLoc()), "")) {
    Why = "an error exit here would leave a critical section open";
    return std::nullopt;
  }
  // Any other local that may hold a reference at this point would leak on
  // the new exit: object pointers written before it by anything but NULL,
  // another pointer, or PyArg_Parse* (which hands out borrowed arguments).
  unsigned AtOffset = Src.offset(At->getBeginLoc());
  struct Writes : RecursiveASTVisitor<Writes> {
    const Source &Src;
    ASTContext &Ctx;
    const LocalParents &Parents;
    unsigned Before;
    bool Owned = false;
    Writes(const Source &Src, ASTContext &Ctx, const LocalParents &Parents,
           unsigned Before)
        : Src(Src), Ctx(Ctx), Parents(Parents), Before(Before) {}
    static bool holdsNothing(const Expr *E, ASTContext &Ctx) {
      E = E->IgnoreParenCasts();
      return isa<DeclRefExpr, MemberExpr, ArraySubscriptExpr>(E) ||
             E->isNullPointerConstant(Ctx, Expr::NPC_ValueDependentIsNotNull);
    }
    /// A local that may hold a reference and is still in scope there.
    bool tracked(const VarDecl *V) {
      if (!V || !V->isLocalVarDecl() || V->isStaticLocal())
        return false;
      const DeclStmt *DS = Parents.declStmtOf(V);
      const Stmt *Scope = DS ? Parents.parent(DS) : nullptr;
      if (Scope && (Src.offset(Scope->getBeginLoc()) > Before ||
                    Src.offset(Scope->getEndLoc()) < Before))
        return false;
      QualType T = V->getType();
      if (T->isRecordType())
        return true;
      return T->isPointerType() && !T->getPointeeType()->isAnyCharacterType();
    }
    bool VisitVarDecl(VarDecl *V) {
      if (tracked(V) && Src.offset(V->getLocation()) < Before && V->getInit() &&
          !V->getType()->isRecordType() && !holdsNothing(V->getInit(), Ctx))
        Owned = true;
      return true;
    }
    bool VisitBinaryOperator(BinaryOperator *B) {
      const auto *Ref = dyn_cast<DeclRefExpr>(B->getLHS()->IgnoreParens());
      if (B->isAssignmentOp() && Ref &&
          tracked(dyn_cast<VarDecl>(Ref->getDecl())) &&
          Src.offset(B->getBeginLoc()) < Before &&
          !holdsNothing(B->getRHS(), Ctx))
        Owned = true;
      return true;
    }
    bool VisitUnaryOperator(UnaryOperator *U) {
      const auto *Ref = dyn_cast<DeclRefExpr>(U->getSubExpr()->IgnoreParens());
      if (U->getOpcode() != UO_AddrOf || !Ref ||
          !tracked(dyn_cast<VarDecl>(Ref->getDecl())) ||
          Src.offset(U->getBeginLoc()) >= Before)
        return true;
      // `&obj` handed to PyArg_Parse* (or its _SizeT spelling) receives a
      // borrowed argument.
      if (const auto *Call = dyn_cast_or_null<CallExpr>(Parents.parent(U)))
        if (const FunctionDecl *F = Call->getDirectCallee();
            F && F->getIdentifier() && F->getName().contains("PyArg_"))
          return true;
      Owned = true;
      return true;
    }
  } W(Src, Ctx, Parents, AtOffset);
  W.TraverseStmt(F->getBody());
  if (W.Owned) {
    Why = "an error exit here would have to release references the tool "
          "cannot track";
    return std::nullopt;
  }
  return Exit;
}

/// A `x == NULL`, `NULL == x` or `!x` test.
bool isNullTestOf(const Expr *Cond, const VarDecl *V, ASTContext &Ctx) {
  Cond = Cond->IgnoreParenImpCasts();
  auto IsVar = [&](const Expr *E) {
    const auto *R = dyn_cast<DeclRefExpr>(E->IgnoreParenCasts());
    return R && R->getDecl() == V;
  };
  if (const auto *U = dyn_cast<UnaryOperator>(Cond))
    return U->getOpcode() == UO_LNot && IsVar(U->getSubExpr());
  if (const auto *B = dyn_cast<BinaryOperator>(Cond)) {
    if (B->getOpcode() != BO_EQ)
      return false;
    auto IsNull = [&](const Expr *E) {
      return E->IgnoreParenCasts()->isNullPointerConstant(
                 Ctx, Expr::NPC_ValueDependentIsNotNull) != Expr::NPCK_NotNull;
    };
    return (IsVar(B->getLHS()) && IsNull(B->getRHS())) ||
           (IsVar(B->getRHS()) && IsNull(B->getLHS()));
  }
  return false;
}

BorrowedFix Planner::bindingFix(const Binding &B) {
  const VarDecl *X = B.Var;
  llvm::StringRef Name = X->getName();
  NullResult OnNull = Api.OnNull;
  bool IntForm = Api.Rewrite == RewriteKind::IntWithOutParam;
  if (IntForm && (B.Cast || !isPyObjectPointer(X->getType())))
    return noFix("the variable is not a 'PyObject *', so it cannot receive "
                 "the out-parameter of '" +
                 Api.Replacement.str() + "'");
  if (X->getType()->isRecordType() || !X->getType()->isPointerType())
    return noFix("the variable is not a pointer");
  llvm::SmallVector<const Stmt *, 16> Stmts(B.Block->body());
  const Stmt *Bind = Stmts[B.Index];
  std::optional<std::string> Indent =
      Src.indentBefore(Src.range(Bind->getSourceRange()).getBegin());
  if (!Indent || Src.range(Bind->getSourceRange()).isInvalid())
    return noFix("the statement does not start its own line");
  std::string Unit = "    ";
  {
    std::string Outer =
        Src.lineIndent(Src.SM.getExpansionLoc(B.Block->getLBracLoc()));
    if (Indent->size() > Outer.size() &&
        llvm::StringRef(*Indent).starts_with(Outer))
      Unit = Indent->substr(Outer.size());
  }

  // 1. The call itself, and for the int-returning APIs the statement that
  //    receives the result through the out-parameter.
  std::vector<FixItHint> Hints;
  std::optional<std::string> Call =
      replacementCall(IntForm ? ("&" + Name).str() : "");
  if (!Call)
    return noFix("an argument is not written out in the file");
  std::string Receive; // The statement replacing the binding's value.
  bool NullChecked = false;
  std::string Why;
  if (IntForm) {
    switch (OnNull) {
    case NullResult::Same:
      Receive = "(void)" + *Call;
      break;
    case NullResult::Swallowed: {
      std::optional<std::string> Exit = errorExit(Bind, Why);
      if (!Exit)
        return noFix("'" + Api.Name.str() +
                     "' hid lookup errors that its replacement reports, and " +
                     Why);
      Receive = "if (" + *Call + " < 0)\n" + *Indent + Unit +
                Exit->substr(0, Exit->size() - 1);
      break;
    }
    case NullResult::NoneWhenDead:
      Receive = "if (" + *Call + " == 0)\n" + *Indent + Unit + Name.str() +
                " = Py_NewRef(Py_None)";
      break;
    case NullResult::NeverNull:
      llvm_unreachable("only macros returning objects never fail");
    }
  }
  std::string NullCheck;
  if (OnNull == NullResult::NeverNull) {
    std::optional<std::string> Exit = errorExit(Bind, Why);
    if (!Exit)
      return noFix("'" + Api.Replacement.str() +
                   "' can fail where the macro could not, and " + Why);
    NullCheck = "\n" + *Indent + "if (" + Name.str() + " == NULL)\n" + *Indent +
                Unit + *Exit;
    NullChecked = true;
  }
  CharSourceRange Written = Src.toChar(Use.Written);
  if (!IntForm) {
    Hints.push_back(FixItHint::CreateReplacement(Written, *Call));
    if (!NullCheck.empty())
      insertAt(Hints, Src.statementEnd(Bind), NullCheck);
  } else if (B.IsDecl) {
    // `PyObject *x = API(a);` -> `PyObject *x;` + the receiving statement.
    SourceLocation NameEnd =
        Lexer::getLocForEndOfToken(X->getLocation(), 0, Src.SM, Src.LO);
    CharSourceRange Init =
        CharSourceRange::getCharRange(NameEnd, Written.getEnd());
    llvm::StringRef InitText = Src.text(Init).ltrim();
    if (X->getLocation().isMacroID() || !InitText.consume_front("=") ||
        InitText.trim() != Src.text(Written))
      return noFix("the declaration is not of the form 'PyObject *x = ...'");
    // The receiving statement ends with the declaration's own ';', so
    // edits other fixes add after the declaration come after it.
    Hints.push_back(
        FixItHint::CreateReplacement(Init, ";\n" + *Indent + Receive));
  } else {
    CharSourceRange R = Src.range(Bind->getSourceRange());
    Hints.push_back(FixItHint::CreateReplacement(R, Receive));
  }

  // 2. An INCREF right after the borrow (after its NULL check, if any) means
  //    the code already owns the reference from there on: drop the INCREF.
  unsigned Next = B.Index + 1;
  const IfStmt *NullTest = nullptr;
  if (Next < Stmts.size())
    if (const auto *If = dyn_cast<IfStmt>(Stmts[Next]);
        If && !If->getElse() && !If->getInit() &&
        isNullTestOf(If->getCond(), X, Ctx) && endsInJump(If->getThen())) {
      NullTest = If;
      NullChecked = true;
    }
  unsigned AdoptAt = NullTest ? Next + 1 : Next;
  if (AdoptAt < Stmts.size() && isa<Expr>(Stmts[AdoptAt]) &&
      spellsCallOn(Src.text(Stmts[AdoptAt]), {"Py_INCREF", "Py_XINCREF"},
                   Name)) {
    CharSourceRange R = Src.removal(Stmts[AdoptAt]);
    if (R.isInvalid())
      return noFix("the Py_INCREF after the call is not written in the file");
    Hints.push_back(FixItHint::CreateRemoval(R));
    return BorrowedFix{std::move(Hints), {}, "", {}, {}};
  }

  // 3. Otherwise the reference is released after its last use, and on each
  //    path out of the block before that.
  std::vector<ExitRelease> Exits;
  Walker Refs(X);
  Refs.TraverseStmt(Use.Function->getBody());
  if (Refs.Captured)
    return noFix("the variable is used inside a lambda or block; the tool "
                 "cannot follow the closure's lifetime");
  unsigned BlockBegin = Src.offset(Bind->getBeginLoc());
  unsigned BlockEnd = Src.offset(B.Block->getRBracLoc());
  unsigned Last = B.Index;
  auto StatementIndex = [&](unsigned At) {
    unsigned Found = B.Index;
    for (unsigned I = B.Index + 1; I < Stmts.size(); ++I)
      if (At >= Src.offset(Stmts[I]->getBeginLoc()) &&
          At <= Src.offset(Stmts[I]->getEndLoc()))
        Found = I;
    return Found;
  };
  // The local pointer a value computed from \p From is stored in, unless
  // a call on the way is a known borrowed or strong-reference API (whose
  // result is not borrowed from x once fixed).
  auto DerivedVar = [&](const Stmt *From) -> const VarDecl * {
    DynTypedNode Cur = DynTypedNode::create(*From);
    const Stmt *Child = From;
    while (true) {
      DynTypedNode P = parent(Cur);
      if (const auto *V = P.get<VarDecl>())
        return V->isLocalVarDecl() && V->getType()->isPointerType() ? V
                                                                    : nullptr;
      const auto *E = P.get<Expr>();
      if (!E)
        return nullptr;
      if (const auto *BO = dyn_cast<BinaryOperator>(E);
          BO && BO->isAssignmentOp()) {
        const auto *R = dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParens());
        const auto *V = R ? dyn_cast<VarDecl>(R->getDecl()) : nullptr;
        return BO->getRHS() == Child && V && V->isLocalVarDecl() &&
                       V->getType()->isPointerType()
                   ? V
                   : nullptr;
      }
      if (const auto *Call = dyn_cast<CallExpr>(E)) {
        const FunctionDecl *F = Call->getDirectCallee();
        if (F && F->getIdentifier() &&
            (findBorrowedApi(F->getName()) || isStrongApi(F->getName())))
          return nullptr;
      }
      Cur = P;
      Child = E;
    }
  };
  std::vector<const VarDecl *> Derived;
  for (const DeclRefExpr *Ref : Refs.Refs) {
    unsigned At = Src.offset(Ref->getLocation());
    if (!B.IsDecl &&
        Ref == dyn_cast<DeclRefExpr>(
                   cast<BinaryOperator>(Bind)->getLHS()->IgnoreParens()))
      continue;
    if (At < BlockBegin || At > BlockEnd)
      return noFix("the variable is also used outside the block where the "
                   "reference is taken");
    // Where the value flows.
    DynTypedNode Cur = DynTypedNode::create(*Ref);
    const Stmt *Child = Ref;
    while (true) {
      DynTypedNode P = parent(Cur);
      const auto *PE = P.get<Expr>();
      if (PE && isa<ImplicitCastExpr, ParenExpr, ExplicitCastExpr>(PE)) {
        Cur = P;
        Child = PE;
        continue;
      }
      if (const auto *U = P.get<UnaryOperator>();
          U && U->getOpcode() == UO_AddrOf)
        return noFix("the variable's address is taken");
      if (const auto *BO = P.get<BinaryOperator>();
          BO && BO->isAssignmentOp()) {
        if (BO->getLHS() == Child)
          return noFix("the variable is assigned again");
        return noFix("the reference is copied elsewhere; the tool cannot "
                     "follow the copy");
      }
      if (P.get<VarDecl>())
        return noFix("the reference is copied to another variable; the tool "
                     "cannot follow the copy");
      if (const auto *Ret = P.get<ReturnStmt>();
          Ret && Ret->getRetValue() == Child)
        return noFix("the borrowed reference is returned to the caller as it "
                     "is");
      // `y = f(x)`, `y = x->field`: y may be borrowed from x
      // (PyModule_GetDict(m)), so x is held as long as y is used.
      if (const VarDecl *Y = DerivedVar(Child); Y && Y != X)
        Derived.push_back(Y);
      break;
    }
    Last = std::max(Last, StatementIndex(At));
  }
  for (const VarDecl *Y : Derived) {
    Walker W(Y);
    W.TraverseStmt(Use.Function->getBody());
    if (W.Captured)
      return noFix("a pointer obtained from the reference is used inside a "
                   "lambda or block");
    for (const DeclRefExpr *Ref : W.Refs) {
      unsigned At = Src.offset(Ref->getLocation());
      if (At < BlockBegin || At > BlockEnd)
        return noFix("a pointer obtained from the reference ('" +
                     Y->getName().str() +
                     "') is used outside the block where the reference is "
                     "taken");
      Last = std::max(Last, StatementIndex(At));
    }
  }

  std::string Release =
      (NullChecked ? "Py_DECREF(" : "Py_XDECREF(") + Name.str() + ");";
  unsigned LiveBegin = Src.offset(Bind->getBeginLoc());
  unsigned LiveEnd = Src.offset(Stmts[Last]->getEndLoc());
  auto Inside = [&](const Stmt *S, unsigned Begin, unsigned End) {
    unsigned O = Src.offset(S->getBeginLoc());
    return O >= Begin && O <= End;
  };
  unsigned NullBegin = 0, NullEnd = 0;
  if (NullTest) {
    NullBegin = Src.offset(NullTest->getThen()->getBeginLoc());
    NullEnd = Src.offset(NullTest->getThen()->getEndLoc());
  }
  for (unsigned I = B.Index + 1; I <= Last; ++I) {
    Walker J;
    J.TraverseStmt(const_cast<Stmt *>(Stmts[I]));
    for (const Stmt *S : J.Jumps) {
      if (NullTest && Inside(S, NullBegin, NullEnd))
        continue; // The reference is NULL there.
      if (isa<IndirectGotoStmt>(S))
        return noFix("a computed goto leaves the block");
      if (isa<LabelStmt, SwitchCase>(S)) {
        if (isa<SwitchCase>(S)) {
          // A case of a switch that lies within the live range is fine.
          const Stmt *Sw = S;
          while (Sw && !isa<SwitchStmt>(Sw))
            Sw = parentStmt(Sw);
          if (Sw && Inside(Sw, LiveBegin + 1, LiveEnd))
            continue;
        }
        return noFix("a label inside the reference's live range; the tool "
                     "cannot follow the jumps to it");
      }
      if (const auto *G = dyn_cast<GotoStmt>(S)) {
        const LabelStmt *L = G->getLabel()->getStmt();
        if (!L || Inside(L, LiveBegin, LiveEnd))
          return noFix("a goto the tool cannot follow");
      } else if (isa<BreakStmt, ContinueStmt>(S)) {
        const Stmt *T = parentStmt(S);
        while (T && !isLoop(T) && !(isa<BreakStmt>(S) && isa<SwitchStmt>(T)))
          T = parentStmt(T);
        if (T && Inside(T, LiveBegin + 1, LiveEnd))
          continue; // Stays inside.
      }
      // A path out of the block while the reference is held.
      if (Src.range(S->getSourceRange()).isInvalid() ||
          Src.statementEnd(S).isInvalid())
        return noFix("an exit is produced by a macro the tool cannot edit");
      const auto *Ret = dyn_cast<ReturnStmt>(S);
      const Expr *Value = Ret ? Ret->getRetValue() : nullptr;
      std::string Temp;
      if (Value) {
        CharSourceRange VR = Src.range(Value->getSourceRange());
        if (VR.isValid() &&
            spellsCallOn(Src.text(VR), {"Py_NewRef", "Py_XNewRef"}, Name)) {
          // The reference is handed on: `return Py_NewRef(x)` -> `return x`.
          QualType RT = Use.Function->getReturnType();
          std::string Out = Name.str();
          if (!Ctx.hasSameType(RT, X->getType()))
            Out = "(" + RT.getAsString(Ctx.getPrintingPolicy()) + ")" + Out;
          Hints.push_back(FixItHint::CreateReplacement(VR, Out));
          continue;
        }
        Walker Uses(X);
        Uses.TraverseStmt(const_cast<Expr *>(Value));
        if (!Uses.Refs.empty()) {
          // The value is computed first, then x released.
          if (VR.isInvalid())
            return noFix("a return value is produced by a macro");
          Temp = (Name + "_result").str();
          for (unsigned N = 2; Ctx.Idents.find(Temp) != Ctx.Idents.end(); ++N)
            Temp = (Name + "_result" + llvm::Twine(N)).str();
        }
      }
      Exits.push_back({S, Use.Function, Release, Temp});
    }
  }
  if (!isJump(Stmts[Last])) {
    SourceLocation End = Src.statementEnd(Stmts[Last]);
    if (End.isInvalid())
      return noFix("the last use is produced by a macro the tool cannot edit");
    insertAt(Hints, End, "\n" + *Indent + Release);
  }
  return BorrowedFix{std::move(Hints), std::move(Exits), "", {}, {}};
}

BorrowedFix Planner::wrapFix(const Consumer &C) {
  // `Py_NewRef(borrowed)` is an expression; an API that hands its reference
  // through an out-parameter needs a statement and a variable of its own.
  if (Api.Rewrite == RewriteKind::IntWithOutParam)
    return noFix("'" + Api.Replacement.str() +
                 "' returns its reference through an out-parameter; assign "
                 "the result to a local variable first");
  if (Api.OnNull == NullResult::NeverNull) {
    // The macro never gave NULL; the replacement may. Only a returned value
    // keeps its meaning: NULL with the exception set is an error return.
    const Stmt *Up = parentStmt(C.Wrap);
    while (isa_and_nonnull<ImplicitCastExpr, ParenExpr>(Up))
      Up = parentStmt(Up);
    const auto *Ret = dyn_cast_or_null<ReturnStmt>(Up);
    if (!Ret || !Use.Function->getReturnType()->isPointerType())
      return noFix("'" + Api.Replacement.str() +
                   "' can fail where the macro could not, and the result is "
                   "not returned");
  }
  std::optional<std::string> Call = replacementCall("");
  CharSourceRange R = Src.range(C.Wrap->getSourceRange());
  if (!Call || R.isInvalid())
    return noFix("an argument is not written out in the file");
  return BorrowedFix{
      {FixItHint::CreateReplacement(R, *Call)}, {}, "", {}, {}};
}

} // namespace

BorrowedFix BorrowedFixPlanner::lockRegion(const BorrowedUse &Use, Region R,
                                           llvm::StringRef Object) {
  static constexpr llvm::StringLiteral Begin = "Py_BEGIN_CRITICAL_SECTION";
  if (std::string Why = Missing(Begin); !Why.empty())
    return noFix(Why);
  Source Src(Ctx);
  llvm::SmallVector<const Stmt *, 16> Stmts(R.Block->body());
  const Stmt *First = Stmts[R.First], *Last = Stmts[R.Last];
  unsigned BeginAt = Src.offset(First->getBeginLoc());
  unsigned End = Src.offset(Last->getEndLoc());
  for (const auto &[Other, Loc] : Locked) {
    if (Other.Block == R.Block && Other.First == R.First &&
        Other.Last == R.Last) {
      BorrowedFix F;
      F.CoveredBy = Loc;
      return F;
    }
    llvm::SmallVector<const Stmt *, 16> OS(Other.Block->body());
    unsigned OB = Src.offset(OS[Other.First]->getBeginLoc());
    unsigned OE = Src.offset(OS[Other.Last]->getEndLoc());
    if (Src.sameFile(First->getBeginLoc(), OS[Other.First]->getBeginLoc()) &&
        BeginAt <= OE && OB <= End)
      return noFix("it overlaps the critical section planned for another use");
  }
  CharSourceRange FR = Src.range(First->getSourceRange());
  SourceLocation LastEnd = Src.statementEnd(Last);
  if (FR.isInvalid() || LastEnd.isInvalid())
    return noFix("the statements to lock come from a macro");
  if (Facts.sectionCovering(FR.getBegin(), ""))
    return noFix("it is already inside a critical section on another "
                 "object, which a nested one would suspend");
  auto Inside = [&](const Stmt *S) {
    unsigned O = Src.offset(S->getBeginLoc());
    return O >= BeginAt && O <= End;
  };
  // No path may leave the region other than by falling off its end, and no
  // declaration in it may be used after it.
  for (unsigned I = R.First; I <= R.Last; ++I) {
    Walker J;
    J.TraverseStmt(const_cast<Stmt *>(Stmts[I]));
    for (const Stmt *S : J.Jumps) {
      if (isa<ReturnStmt>(S))
        return noFix("the statements to lock return from the function");
      if (isa<GotoStmt, IndirectGotoStmt, LabelStmt>(S))
        return noFix("the statements to lock contain a goto or a label");
      if (isa<BreakStmt, ContinueStmt, SwitchCase>(S)) {
        // The loop or switch the jump (or case label) belongs to.
        const LocalParents &InBody = Parents.of(Use.Function);
        const Stmt *T = InBody.parent(S);
        while (T && !(isa<SwitchStmt>(T) && !isa<ContinueStmt>(S)) &&
               !(isLoop(T) && !isa<SwitchCase>(S)))
          T = InBody.parent(T);
        if (!T || !Inside(T))
          return noFix("the statements to lock jump out of the loop");
      }
    }
  }
  std::optional<std::string> Indent = Src.indentBefore(FR.getBegin());
  if (!Indent)
    return noFix("the statements to lock do not start their own line");
  Locked.push_back({R, Use.Loc});
  BorrowedFix F;
  F.Needs.push_back(Begin.str());
  insertAt(F.Hints, FR.getBegin(),
           ("Py_BEGIN_CRITICAL_SECTION(" + Object + ");\n").str() + *Indent);
  // After the line break that ends the last statement, if nothing else is
  // on that line: releases other fixes add after that statement then stay
  // inside the section, where their variables are in scope.
  std::pair<FileID, unsigned> D = Src.SM.getDecomposedLoc(LastEnd);
  llvm::StringRef Buf = Src.SM.getBufferData(D.first);
  unsigned After = D.second;
  while (After < Buf.size() && (Buf[After] == ' ' || Buf[After] == '\t'))
    ++After;
  if (After < Buf.size() && Buf[After] == '\n')
    insertAt(F.Hints, LastEnd.getLocWithOffset(After - D.second + 1),
             *Indent + "Py_END_CRITICAL_SECTION();\n");
  else
    insertAt(F.Hints, LastEnd, "\n" + *Indent + "Py_END_CRITICAL_SECTION();");
  return F;
}

/// The local variable the item read by \p E is stored in: `T *x = E;` or
/// `x = E;`, through casts; null otherwise.
static const VarDecl *itemVariable(const LocalParents &Parents,
                                   const Expr *E) {
  const Stmt *Cur = E;
  for (const Stmt *P = Parents.parent(Cur); P; P = Parents.parent(P)) {
    if (isa<ImplicitCastExpr, ParenExpr, ExplicitCastExpr>(P)) {
      Cur = P;
      continue;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(P);
        BO && BO->getOpcode() == BO_Assign && BO->getRHS() == Cur)
      return containerVariable(BO->getLHS());
    break;
  }
  const auto *V = Parents.parentNode(DynTypedNode::create(*Cur)).get<VarDecl>();
  return V && V->getInit() == Cur ? V : nullptr;
}

/// True for `Py_INCREF(V);`, `Py_XINCREF(V);` or `V = Py_NewRef(V);`: from
/// there on the caller owns what V points to.
static bool takesOwnership(const Stmt *S, const VarDecl *V, const Source &Src) {
  llvm::StringRef Name = V->getName();
  if (spellsCallOn(Src.text(S), {"Py_INCREF", "Py_XINCREF"}, Name))
    return true;
  const auto *BO = dyn_cast<BinaryOperator>(S);
  return BO && BO->getOpcode() == BO_Assign &&
         containerVariable(BO->getLHS()) == V &&
         spellsCallOn(Src.text(BO->getRHS()), {"Py_NewRef", "Py_XNewRef"},
                      Name);
}

/// True when \p S refers to \p V, or a lambda or block in it captures it.
static bool mentions(const Stmt *S, const VarDecl *V) {
  Walker W(V);
  W.TraverseStmt(const_cast<Stmt *>(S));
  return !W.Refs.empty() || W.Captured;
}

/// Extends \p Last over the uses of the item variable \p V until the
/// statement that takes ownership of it (or its last use).
static void coverItemUses(unsigned &Last, const VarDecl *V,
                          llvm::ArrayRef<const Stmt *> Stmts,
                          const Source &Src) {
  for (unsigned K = Last + 1; K < Stmts.size(); ++K) {
    if (takesOwnership(Stmts[K], V, Src)) {
      Last = K;
      return;
    }
    if (mentions(Stmts[K], V))
      Last = K;
  }
}

/// Extends \p First back over the statements that compute the index of
/// the access \p E from the container \p Object (`n = PyList_GET_SIZE(l) -
/// 1;`), so index and item are read under one lock.
static void coverIndex(unsigned &First, const Expr *E, llvm::StringRef Object,
                       llvm::ArrayRef<const Stmt *> Stmts, const Source &Src) {
  // The locals the access reads besides the container.
  llvm::SmallPtrSet<const VarDecl *, 4> Index;
  struct Refs : RecursiveASTVisitor<Refs> {
    llvm::SmallPtrSetImpl<const VarDecl *> *Out;
    llvm::StringRef Object;
    bool VisitDeclRefExpr(DeclRefExpr *R) {
      if (const auto *V = dyn_cast<VarDecl>(R->getDecl());
          V && V->hasLocalStorage() && V->getName() != Object)
        Out->insert(V);
      return true;
    }
  } Collect;
  Collect.Out = &Index;
  Collect.Object = Object;
  Collect.TraverseStmt(const_cast<Expr *>(E));
  for (unsigned I = First; I-- > 0;) {
    const Stmt *S = Stmts[I];
    if (!Src.text(S).contains(Object))
      continue;
    const auto *DS = dyn_cast<DeclStmt>(S);
    if (llvm::any_of(Index, [&](const VarDecl *V) {
          if (DS && llvm::is_contained(DS->decls(), V))
            return true;
          Walker W(V);
          W.TraverseStmt(const_cast<Stmt *>(S));
          return !W.Refs.empty();
        }))
      First = I;
  }
}

/// Extends \p R forward over the statements that use what it declares.
static void coverDeclarations(unsigned &Last, unsigned First,
                              llvm::ArrayRef<const Stmt *> Stmts) {
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (unsigned I = First; I <= Last; ++I) {
      const auto *DS = dyn_cast<DeclStmt>(Stmts[I]);
      if (!DS)
        continue;
      for (const Decl *D : DS->decls()) {
        const auto *V = dyn_cast<VarDecl>(D);
        if (!V)
          continue;
        for (unsigned K = Last + 1; K < Stmts.size(); ++K) {
          if (mentions(Stmts[K], V)) {
            Last = K;
            Changed = true;
          }
        }
      }
    }
  }
}

BorrowedFix BorrowedFixPlanner::planCriticalSection(const BorrowedUse &Use,
                                                    const Expr *E) {
  Source Src(Ctx);
  if (Use.Api->ContainerArg < 0 ||
      static_cast<size_t>(Use.Api->ContainerArg) >= Use.MacroArgs.size() ||
      !isPlainObject(Use.MacroArgs[Use.Api->ContainerArg]))
    return noFix("the list is not a plain variable or field");
  llvm::StringRef Object =
      llvm::StringRef(Use.MacroArgs[Use.Api->ContainerArg]).trim();
  const LocalParents &InBody = Parents.of(Use.Function);
  auto Parent = [&](const Stmt *S) { return InBody.parent(S); };
  // The innermost loop around the access, else the access's statement.
  const Stmt *Anchor = E;
  for (const Stmt *S = Parent(E); S && S != Use.Function->getBody();
       S = Parent(S))
    if (isLoop(S)) {
      Anchor = S;
      break;
    }
  const Stmt *Top = Anchor;
  const CompoundStmt *Block = nullptr;
  while (const Stmt *P = Parent(Top)) {
    Block = dyn_cast<CompoundStmt>(P);
    if (Block)
      break;
    Top = P;
  }
  if (!Block)
    return noFix("the access is not inside a block");
  llvm::SmallVector<const Stmt *, 16> Stmts(Block->body());
  unsigned First = llvm::find(Stmts, Top) - Stmts.begin(), Last = First;
  // A loop bounded by a size read just before it: lock from that read, so
  // size and items are seen together.
  if (isLoop(Top) && First > 0) {
    const Stmt *Before = Stmts[First - 1];
    llvm::StringRef Text = Src.text(Before);
    if (Text.contains(Object) &&
        (Text.contains("_GET_SIZE") || Text.contains("_Size")))
      First -= 1;
  }
  if (!isLoop(Top)) {
    coverIndex(First, E, Object, Stmts, Src);
    if (const VarDecl *Item = itemVariable(InBody, E))
      coverItemUses(Last, Item, Stmts, Src);
  }
  coverDeclarations(Last, First, Stmts);
  return lockRegion(Use, Region{Block, First, Last}, Object);
}

BorrowedFix BorrowedFixPlanner::planDictNext(const BorrowedUse &Use) {
  Source Src(Ctx);
  const LocalParents &InBody = Parents.of(Use.Function);
  const CallExpr *Call = Use.Call;
  if (!Call || Call->getNumArgs() != 4)
    return noFix("the call is not written out in the file");
  CharSourceRange DictRange = Src.range(Call->getArg(0)->getSourceRange());
  llvm::StringRef Dict = Src.text(DictRange);
  if (!isPlainObject(Dict))
    return noFix("the dict is not a plain variable or field");
  // The call must be the whole condition of a while or for loop.
  const Stmt *Cur = Call;
  const Stmt *Loop = nullptr;
  while (true) {
    const Stmt *P = InBody.parent(Cur);
    if (P && isa<ImplicitCastExpr, ParenExpr>(P)) {
      Cur = P;
      continue;
    }
    if (const auto *W = dyn_cast_or_null<WhileStmt>(P);
        W && W->getCond() == Cur)
      Loop = W;
    if (const auto *F = dyn_cast_or_null<ForStmt>(P); F && F->getCond() == Cur)
      Loop = F;
    break;
  }
  if (!Loop)
    return noFix("the call is not the condition of a while or for loop");
  const auto *Block = dyn_cast_or_null<CompoundStmt>(InBody.parent(Loop));
  if (!Block)
    return noFix("the loop is not a statement of its own in a block");
  // The borrowed key and value must not outlive the section.
  unsigned LoopEnd = Src.offset(Loop->getEndLoc());
  for (unsigned I : {2U, 3U}) {
    const auto *U =
        dyn_cast<UnaryOperator>(Call->getArg(I)->IgnoreParenImpCasts());
    if (!U || U->getOpcode() != UO_AddrOf)
      continue;
    const VarDecl *V = containerVariable(U->getSubExpr());
    if (!V)
      return noFix("the key or value is not stored in a local variable");
    Walker W(V);
    W.TraverseStmt(Use.Function->getBody());
    for (const DeclRefExpr *Ref : W.Refs) {
      if (Src.offset(Ref->getLocation()) > LoopEnd)
        return noFix("the borrowed key or value is used after the loop");
      const Stmt *P = Ref;
      const Stmt *Up = InBody.parent(P);
      while (isa_and_nonnull<ImplicitCastExpr, ParenExpr, ExplicitCastExpr>(Up)) {
        P = Up;
        Up = InBody.parent(P);
      }
      if (const auto *BO = dyn_cast_or_null<BinaryOperator>(Up);
          BO && BO->isAssignmentOp() && BO->getRHS() == P)
        return noFix("the borrowed key or value is stored where it can "
                     "outlive the loop");
    }
  }
  llvm::SmallVector<const Stmt *, 16> Stmts(Block->body());
  unsigned Index = llvm::find(Stmts, Loop) - Stmts.begin();
  return lockRegion(Use, Region{Block, Index, Index}, Dict);
}

void BorrowedFixPlanner::finish(std::vector<BorrowedFix> &Fixes) {
  Source Src(Ctx);
  // Jumps in first-seen order, each with the fixes releasing before it.
  std::vector<const Stmt *> Order;
  llvm::DenseMap<const Stmt *, std::vector<std::pair<size_t, ExitRelease>>>
      ByExit;
  for (size_t I = 0; I < Fixes.size(); ++I) {
    for (ExitRelease &E : Fixes[I].Exits) {
      auto [It, New] = ByExit.try_emplace(E.Exit);
      if (New)
        Order.push_back(E.Exit);
      It->second.emplace_back(I, std::move(E));
    }
    Fixes[I].Exits.clear();
  }
  for (const Stmt *S : Order) {
    const auto &Releases = ByExit[S];
    std::vector<FixItHint> &Hints = Fixes[Releases.front().first].Hints;
    CharSourceRange R = Src.range(S->getSourceRange());
    SourceLocation End = Src.statementEnd(S);
    std::string All, Temp;
    for (const auto &[I, E] : Releases) {
      All += (All.empty() ? "" : " ") + E.Release;
      if (Temp.empty())
        Temp = E.TempName;
    }
    if (!Temp.empty()) {
      // `return E;` -> `{ T x_result = E; Py_DECREF(x); return x_result; }`
      const auto *Ret = cast<ReturnStmt>(S);
      std::string T =
          Ret->getRetValue()->getType().getAsString(Ctx.getPrintingPolicy());
      llvm::StringRef Value =
          Src.text(Src.range(Ret->getRetValue()->getSourceRange()));
      Hints.push_back(FixItHint::CreateReplacement(
          CharSourceRange::getCharRange(R.getBegin(), End),
          "{ " + T + (llvm::StringRef(T).ends_with("*") ? "" : " ") + Temp +
              " = " + Value.str() + "; " + All + " return " + Temp + "; }"));
      continue;
    }
    if (isa_and_nonnull<CompoundStmt>(
            Parents.of(Releases.front().second.Function).parent(S))) {
      std::optional<std::string> In = Src.indentBefore(R.getBegin());
      std::string Text;
      for (const auto &[I, E] : Releases)
        Text += E.Release + (In ? "\n" + *In : " ");
      insertAt(Hints, R.getBegin(), Text);
    } else {
      insertAt(Hints, R.getBegin(), "{ " + All + " ");
      // The brace closes by replacing the jump's ';', so that releases other
      // fixes insert after the statement land after the brace.
      SourceLocation Semi = End.getLocWithOffset(-1);
      if (Src.text(CharSourceRange::getCharRange(Semi, End)) == ";")
        Hints.push_back(FixItHint::CreateReplacement(
            CharSourceRange::getCharRange(Semi, End), "; }"));
      else
        insertAt(Hints, End, " }");
    }
  }
}

static bool isTemplated(const FunctionDecl *F) {
  return F->isTemplated() || F->isTemplateInstantiation() ||
         F->getTemplateInstantiationPattern() != nullptr;
}

BorrowedFix BorrowedFixPlanner::plan(const BorrowedUse &Use) {
  const BorrowedApi &Api = *Use.Api;
  if (Use.InMacroBody || Use.Written.isInvalid())
    return noFix("the call is spelled in a macro's body, which may expand "
                 "elsewhere");
  if (Api.Rewrite == RewriteKind::None)
    return noFix(Api.Advice.empty()
                     ? "'" + Api.Replacement.str() +
                           "' does not behave the same way; port this by hand"
                     : "choose by hand: " + Api.Advice.str());
  if (!Use.Function || !Use.Function->hasBody())
    return noFix("the call is not inside a function body");
  if (isTemplated(Use.Function))
    return noFix("the call is inside a template; a rewrite right for one "
                 "instantiation may be wrong for another");
  if (Api.Rewrite == RewriteKind::CriticalSection) {
    if (Api.Spelling == ApiSpelling::Function && Api.Replacement.empty() &&
        Use.Call && Use.Call->getNumArgs() == 4)
      return planDictNext(Use);
    return noFix("the items belong to the original sequence, which the tool "
                 "cannot name");
  }
  Planner P(Ctx, Facts, Use, Parents.of(Use.Function));
  const Expr *E = P.useExpr();
  if (!E)
    return noFix("the call is not an expression the tool can rewrite");
  std::string LockWhy;
  if (Api.OnNull == NullResult::NeverNull) {
    BorrowedFix F = planCriticalSection(Use, E);
    if (!F.Hints.empty() || F.CoveredBy.isValid())
      return F;
    LockWhy = "no critical section: " + F.Reason + "; no '" +
              Api.Replacement.str() + "': ";
  }
  if (std::string Why = Missing(Api.Replacement); !Why.empty())
    return noFix(LockWhy + Why);
  Consumer C = P.consumer(E);
  BorrowedFix F;
  switch (C.K) {
  case Consumer::Bound:
    F = P.bindingFix(C.B);
    break;
  case Consumer::NewRefWrap:
    F = P.wrapFix(C);
    break;
  case Consumer::Returned:
  case Consumer::StoredAway:
  case Consumer::Other:
    F = noFix(C.Why);
    break;
  }
  if (F.Hints.empty())
    F.Reason = LockWhy + F.Reason;
  else
    F.Needs.push_back(Api.Replacement.str());
  return F;
}

} // namespace clang::tidy::freethreading
