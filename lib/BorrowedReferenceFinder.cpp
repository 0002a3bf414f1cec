//===--- BorrowedReferenceFinder.cpp - borrowed references at risk --------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "lib/BorrowedReferenceFinder.h"
#include "lib/AstHelpers.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/STLExtras.h"
#include <algorithm>
#include <optional>

namespace clang::tidy::freethreading {

/// True if \p Loc comes from the body of a macro that is itself a
/// macro-spelled API (the preprocessor already recorded that use), or that
/// implements a strong-reference API for old Pythons (a compatibility macro
/// borrows on purpose; its user does not borrow).
static bool expandedFromApiMacro(SourceLocation Loc, const SourceManager &SM,
                                 const LangOptions &LO) {
  return inBodyOfMacro(Loc, SM, LO, [](llvm::StringRef Name) {
    if (isStrongApi(Name))
      return true;
    const BorrowedApi *Api = findBorrowedApi(Name);
    return Api && Api->Spelling == ApiSpelling::Macro;
  });
}

static std::string writtenText(const Expr *E, const SourceManager &SM,
                               const LangOptions &LO) {
  SourceLocation B = SM.getFileLoc(E->getBeginLoc());
  SourceLocation End = SM.getFileLoc(E->getEndLoc());
  if (B.isInvalid() || End.isInvalid() || !SM.isWrittenInSameFile(B, End))
    return "";
  return Lexer::getSourceText(CharSourceRange::getTokenRange(B, End), SM, LO)
      .str();
}

const VarDecl *containerVariable(const Expr *E) {
  if (!E)
    return nullptr;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenCasts()))
    return dyn_cast<VarDecl>(DRE->getDecl());
  return nullptr;
}

/// Only the C API itself, a global function: C++ members and namespaced
/// functions of the same name are not it.
static bool isGlobalFunction(const FunctionDecl *F) {
  return F->getDeclContext()->getRedeclContext()->isTranslationUnit();
}

void BorrowedReferenceFinder::addCall(const CallExpr *Call,
                                      const SourceManager &SM,
                                      const LangOptions &LO) {
  const FunctionDecl *Callee = Call->getDirectCallee();
  const BorrowedApi *Api = Callee && Callee->getIdentifier()
                               ? findBorrowedApi(Callee->getName())
                               : nullptr;
  if (!Api || Api->Spelling != ApiSpelling::Function ||
      !isGlobalFunction(Callee) ||
      SM.isInSystemHeader(SM.getExpansionLoc(Call->getBeginLoc())) ||
      expandedFromApiMacro(Call->getBeginLoc(), SM, LO))
    return;
  BorrowedUse Use;
  Use.Api = Api;
  Use.Call = Call;
  WrittenAt At = writtenAt(Call->getSourceRange(), SM);
  Use.Loc = At.Loc;
  Use.InMacroBody = At.InMacroBody;
  Use.Written = At.Written;
  Use.Spelled = SM.getSpellingLoc(Call->getBeginLoc());
  if (Api->ContainerArg >= 0 &&
      static_cast<unsigned>(Api->ContainerArg) < Call->getNumArgs())
    Use.Container = normalizeObjectText(writtenText(
        Call->getArg(Api->ContainerArg)->IgnoreParenImpCasts(), SM, LO));
  Calls.push_back(std::move(Use));
}

namespace {

/// Where a container lives: a variable, or a field of a local struct
/// variable (`state.items`).
struct Storage {
  const VarDecl *Var = nullptr;
  const FieldDecl *Field = nullptr;
};

/// The expression that uses a storage, in source order of its offset.
struct StorageRef {
  unsigned Offset;
  const Expr *E;
  /// The whole struct is used (`&state`): its fields may go anywhere.
  bool WholeStruct;
};

/// Collects the references to one variable and the loops of a function.
class VariableUses : public RecursiveASTVisitor<VariableUses> {
public:
  explicit VariableUses(const VarDecl *V) : V(V) {}
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    if (E->getDecl() == V)
      Refs.push_back(E);
    return true;
  }
  bool VisitForStmt(ForStmt *S) { return addLoop(S); }
  bool VisitWhileStmt(WhileStmt *S) { return addLoop(S); }
  bool VisitDoStmt(DoStmt *S) { return addLoop(S); }
  bool addLoop(Stmt *S) {
    Loops.push_back(S);
    return true;
  }

  const VarDecl *V;
  std::vector<const DeclRefExpr *> Refs;
  std::vector<const Stmt *> Loops;
};

/// Finds a parameter or local variable by name in a function.
class VariableByName : public RecursiveASTVisitor<VariableByName> {
public:
  VariableByName(llvm::StringRef Name, unsigned Before, const SourceManager &SM)
      : Name(Name), Before(Before), SM(SM) {}
  bool VisitVarDecl(VarDecl *D) {
    if (D->getName() == Name &&
        SM.getFileOffset(SM.getFileLoc(D->getLocation())) < Before)
      Found = D;
    return true;
  }
  llvm::StringRef Name;
  unsigned Before;
  const SourceManager &SM;
  const VarDecl *Found = nullptr;
};

/// Finds the outermost expression a macro invocation expands to.
class ExpansionExpr : public RecursiveASTVisitor<ExpansionExpr> {
public:
  ExpansionExpr(CharSourceRange Invocation, const SourceManager &SM)
      : Invocation(Invocation), SM(SM) {}
  bool VisitExpr(Expr *E) {
    SourceLocation B = E->getBeginLoc(), End = E->getEndLoc();
    if (!B.isMacroID() || !End.isMacroID() ||
        SM.getExpansionLoc(B) != Invocation.getBegin() ||
        SM.getExpansionRange(End).getEnd() != Invocation.getEnd())
      return true;
    Found = E;
    return false; // Pre-order: the first match is the outermost.
  }
  CharSourceRange Invocation;
  const SourceManager &SM;
  const Expr *Found = nullptr;
};

/// Finds a jump that may leave a block early.
class JumpFinder : public RecursiveASTVisitor<JumpFinder> {
public:
  bool VisitBreakStmt(BreakStmt *) { return found(); }
  bool VisitContinueStmt(ContinueStmt *) { return found(); }
  bool VisitGotoStmt(GotoStmt *) { return found(); }
  bool VisitIndirectGotoStmt(IndirectGotoStmt *) { return found(); }
  bool found() {
    Found = true;
    return false;
  }
  bool Found = false;
};

enum class UseKind { Harmless, Creation, Reassignment, Escape };

/// Answers whether a borrowed use reads a container no other thread can
/// reach, or makes no use of the borrowed pointer but to test it. Holds the
/// caches of one translation unit's analysis.
class UseSafety {
public:
  UseSafety(ASTContext &Ctx, const ExtensionModel &Model, BodyParents &Parents)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), Model(Model), Parents(Parents) {}

  /// The container \p S is private to \p F at \p Access.
  bool isPrivate(Storage S, const FunctionDecl *F, SourceLocation Access,
                 unsigned Depth = 0);
  /// The value of \p E (a pointer, in \p F) is only tested or compared, or
  /// dropped.
  bool isOnlyTested(const Expr *E, const FunctionDecl *F, unsigned Depth = 0);
  /// The storage \p Container names at \p Loc in \p F: a variable, or a
  /// field of a local struct variable.
  Storage storageOf(const Expr *Container);
  Storage storageNamed(llvm::StringRef Text, const FunctionDecl *F,
                       SourceLocation Loc);

private:
  /// The parent of \p S in the body of \p F; null at the top.
  const Stmt *parentIn(const FunctionDecl *F, const Stmt *S);
  UseKind classifyUse(const Expr *Ref, const FunctionDecl *F, unsigned Depth);
  UseKind classifyCall(const CallExpr *CE, const Expr *Arg, unsigned Depth);
  bool keepsPrivate(const FunctionDecl *Callee, unsigned Param, unsigned Depth);
  bool isKeywordsDict(const VarDecl *V, const FunctionDecl *F);
  bool isUnpublished(Storage S, const FunctionDecl *F, SourceLocation Access,
                     bool PrivateAtEntry, unsigned Depth);
  bool isPassedDownPrivate(const ParmVarDecl *P, const FunctionDecl *F,
                           unsigned Depth);
  bool isVariableOnlyTested(const VarDecl *V, unsigned Depth);
  bool endsInReturnBefore(const Expr *Ref, const FunctionDecl *F,
                          unsigned Access);
  std::vector<StorageRef> refsOf(Storage S, const FunctionDecl *F,
                                 std::vector<const Stmt *> &Loops);

  ASTContext &Ctx;
  const SourceManager &SM;
  const ExtensionModel &Model;
  BodyParents &Parents;
  llvm::DenseMap<std::pair<const FunctionDecl *, unsigned>, bool> Keeps;
  llvm::DenseSet<std::pair<const FunctionDecl *, unsigned>> InProgress;
};

} // namespace

/// How deep the analysis follows a container into callees and callers.
static constexpr unsigned MaxDepth = 4;

static unsigned offsetOf(const SourceManager &SM, SourceLocation Loc) {
  return SM.getFileOffset(SM.getFileLoc(Loc));
}

/// The name of the outermost macro whose expansion produced \p Loc, if the
/// macro is invoked in a file.
static llvm::StringRef outermostMacro(SourceLocation Loc,
                                      const SourceManager &SM,
                                      const LangOptions &LO) {
  if (!Loc.isMacroID())
    return "";
  SourceLocation Exp = SM.getExpansionLoc(Loc);
  return Lexer::getSourceText(CharSourceRange::getTokenRange(Exp, Exp), SM, LO);
}

static bool isNullExpr(const Expr *E, ASTContext &Ctx) {
  return E->IgnoreParenCasts()->isNullPointerConstant(
             Ctx, Expr::NPC_ValueDependentIsNotNull) != Expr::NPCK_NotNull;
}

static FreshContainer freshFrom(const Expr *E) {
  const auto *Call =
      dyn_cast_or_null<CallExpr>(E ? E->IgnoreParenCasts() : nullptr);
  const FunctionDecl *F = Call ? Call->getDirectCallee() : nullptr;
  return F && F->getIdentifier() ? freshContainerFrom(F->getName())
                                 : FreshContainer::None;
}

static bool isLocalVariable(const VarDecl *V) {
  return V && V->isLocalVarDecl() && !V->isStaticLocal() &&
         !isa<ParmVarDecl>(V);
}

Storage UseSafety::storageOf(const Expr *Container) {
  if (!Container)
    return {};
  const Expr *E = Container->IgnoreParenCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    return {dyn_cast<VarDecl>(DRE->getDecl()), nullptr};
  const auto *ME = dyn_cast<MemberExpr>(E);
  if (!ME || ME->isArrow())
    return {};
  const auto *Base =
      dyn_cast<DeclRefExpr>(ME->getBase()->IgnoreParenImpCasts());
  const auto *V = Base ? dyn_cast<VarDecl>(Base->getDecl()) : nullptr;
  const auto *Field = dyn_cast<FieldDecl>(ME->getMemberDecl());
  if (!isLocalVariable(V) || !Field)
    return {};
  return {V, Field};
}

static bool isIdentifier(llvm::StringRef S) {
  return !S.empty() &&
         llvm::all_of(S, [](char C) { return llvm::isAlnum(C) || C == '_'; });
}

Storage UseSafety::storageNamed(llvm::StringRef Text, const FunctionDecl *F,
                                SourceLocation Loc) {
  auto [VarName, FieldName] = Text.split('.');
  if (!isIdentifier(VarName) ||
      (!FieldName.empty() && !isIdentifier(FieldName)))
    return {};
  VariableByName Finder(VarName, offsetOf(SM, Loc), SM);
  for (const ParmVarDecl *P : F->parameters())
    Finder.VisitVarDecl(const_cast<ParmVarDecl *>(P));
  Finder.TraverseStmt(F->getBody());
  if (!Finder.Found || FieldName.empty())
    return {Finder.Found, nullptr};
  const auto *Record = Finder.Found->getType()->getAsRecordDecl();
  if (!Record || !isLocalVariable(Finder.Found))
    return {};
  for (const FieldDecl *Field : Record->fields())
    if (Field->getName() == FieldName)
      return {Finder.Found, Field};
  return {};
}

UseKind UseSafety::classifyCall(const CallExpr *CE, const Expr *Arg,
                                unsigned Depth) {
  const FunctionDecl *F = CE->getDirectCallee();
  if (!F || !F->getIdentifier())
    return UseKind::Escape;
  llvm::StringRef Name = F->getName();
  auto IsArg = [&](int Index) {
    return Index >= 0 && static_cast<unsigned>(Index) < CE->getNumArgs() &&
           CE->getArg(Index)->IgnoreParenCasts() == Arg->IgnoreParenCasts();
  };
  if (isPrivateContainerUse(Name))
    return IsArg(0) ? UseKind::Harmless : UseKind::Escape;
  if (const BorrowedApi *Api = findBorrowedApi(Name))
    return IsArg(Api->ContainerArg) ? UseKind::Harmless : UseKind::Escape;
  // A helper of this translation unit that only reads or fills it.
  for (unsigned I = 0; I < CE->getNumArgs(); ++I)
    if (IsArg(I))
      return keepsPrivate(F, I, Depth + 1) ? UseKind::Harmless
                                           : UseKind::Escape;
  return UseKind::Escape;
}

const Stmt *UseSafety::parentIn(const FunctionDecl *F, const Stmt *S) {
  return Parents.of(F).parent(S);
}

UseKind UseSafety::classifyUse(const Expr *Ref, const FunctionDecl *F,
                               unsigned Depth) {
  llvm::StringRef Macro =
      outermostMacro(Ref->getBeginLoc(), SM, Ctx.getLangOpts());
  if (!Macro.empty() &&
      (isPrivateContainerUse(Macro) || findBorrowedApi(Macro)))
    return UseKind::Harmless;
  const Expr *Current = Ref;
  while (true) {
    const Stmt *P = parentIn(F, Current);
    if (!P)
      return UseKind::Escape;
    if (isa<ImplicitCastExpr, ParenExpr, CStyleCastExpr>(P)) {
      Current = cast<Expr>(P);
      continue;
    }
    if (const auto *BO = dyn_cast<BinaryOperator>(P)) {
      if (BO->isAssignmentOp() && BO->getLHS()->IgnoreParens() == Ref)
        return freshFrom(BO->getRHS()) != FreshContainer::None
                   ? UseKind::Creation
                   : UseKind::Reassignment;
      if (BO->isEqualityOp()) {
        const Expr *Other =
            BO->getLHS()->IgnoreParenCasts() == Current->IgnoreParenCasts()
                ? BO->getRHS()
                : BO->getLHS();
        return isNullExpr(Other, Ctx) ? UseKind::Harmless : UseKind::Escape;
      }
      // `list && ...`: a NULL test.
      return BO->isLogicalOp() ? UseKind::Harmless : UseKind::Escape;
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(P))
      return UO->getOpcode() == UO_LNot ? UseKind::Harmless : UseKind::Escape;
    if (const auto *CO = dyn_cast<ConditionalOperator>(P))
      return CO->getCond() == Current ? UseKind::Harmless : UseKind::Escape;
    // `((PyListObject *)list)->ob_item[i]`, what the list macros expand to:
    // the object's own fields are read or filled, the pointer goes nowhere.
    if (const auto *ME = dyn_cast<MemberExpr>(P))
      return ME->isArrow() ? UseKind::Harmless : UseKind::Escape;
    if (isa<IfStmt, WhileStmt>(P))
      return UseKind::Harmless; // `if (list)`: a NULL test.
    if (const auto *CE = dyn_cast<CallExpr>(P))
      return classifyCall(CE, Current, Depth);
    return UseKind::Escape;
  }
}

bool UseSafety::keepsPrivate(const FunctionDecl *Callee, unsigned Param,
                             unsigned Depth) {
  const FunctionDecl *Def = Callee->getDefinition();
  if (!Def || !Def->hasBody() || Param >= Def->getNumParams() ||
      Depth > MaxDepth || SM.isInSystemHeader(Def->getLocation()))
    return false;
  auto Key = std::make_pair(Def, Param);
  if (auto It = Keeps.find(Key); It != Keeps.end())
    return It->second;
  // A recursive call keeps it private if the rest of the body does. An
  // answer that leant on that assumption is not kept: only the outermost.
  if (!InProgress.insert(Key).second)
    return true;
  VariableUses Uses(Def->getParamDecl(Param));
  Uses.TraverseStmt(Def->getBody());
  bool Result = llvm::all_of(Uses.Refs, [&](const DeclRefExpr *Ref) {
    return classifyUse(Ref, Def, Depth) == UseKind::Harmless;
  });
  InProgress.erase(Key);
  if (InProgress.empty())
    Keeps[Key] = Result;
  return Result;
}

std::vector<StorageRef> UseSafety::refsOf(Storage S, const FunctionDecl *F,
                                          std::vector<const Stmt *> &Loops) {
  VariableUses Uses(S.Var);
  Uses.TraverseStmt(F->getBody());
  Loops = Uses.Loops;
  std::vector<StorageRef> Refs;
  for (const DeclRefExpr *Ref : Uses.Refs) {
    const Expr *E = Ref;
    bool Whole = false;
    if (S.Field) {
      const auto *ME = dyn_cast_or_null<MemberExpr>(parentIn(F, Ref));
      if (ME && !ME->isArrow() && ME->getMemberDecl() != S.Field)
        continue; // Another field of the struct.
      Whole = !ME || ME->isArrow();
      if (!Whole)
        E = ME;
    }
    Refs.push_back({offsetOf(SM, Ref->getBeginLoc()), E, Whole});
  }
  llvm::sort(Refs, [](const StorageRef &A, const StorageRef &B) {
    return A.Offset < B.Offset;
  });
  return Refs;
}

/// \p Ref lies in a block that does not contain the offset \p Access and
/// ends with a return, with no jump out before it: what happens to the
/// container there cannot happen before the access.
bool UseSafety::endsInReturnBefore(const Expr *Ref, const FunctionDecl *F,
                                   unsigned Access) {
  const Stmt *Node = Ref;
  while (true) {
    Node = parentIn(F, Node);
    if (!Node)
      return false;
    const auto *Block = dyn_cast<CompoundStmt>(Node);
    if (!Block)
      continue;
    if (offsetOf(SM, Block->getBeginLoc()) <= Access &&
        Access <= offsetOf(SM, Block->getEndLoc()))
      return false;
    if (Block->body_empty() || !isa<ReturnStmt>(Block->body_back()))
      continue;
    JumpFinder Jumps;
    Jumps.TraverseStmt(const_cast<CompoundStmt *>(Block));
    if (!Jumps.Found)
      return true;
  }
}

/// A container private to \p F at entry (a parameter every caller passes
/// privately) or created there by a factory, and not published (stored,
/// passed on, returned) before \p Access, nor later in a loop that also
/// contains \p Access. A new tuple stays safe wherever it goes.
bool UseSafety::isUnpublished(Storage S, const FunctionDecl *F,
                              SourceLocation Access, bool PrivateAtEntry,
                              unsigned Depth) {
  if (!F->getBody() || (!PrivateAtEntry && !isLocalVariable(S.Var)))
    return false;
  enum class State { Shared, Private, Immutable };
  unsigned At = offsetOf(SM, Access);
  std::vector<const Stmt *> Loops;
  std::vector<StorageRef> Refs = refsOf(S, F, Loops);
  State Now = PrivateAtEntry ? State::Private : State::Shared;
  if (!S.Field)
    if (FreshContainer K = freshFrom(S.Var->getInit());
        K != FreshContainer::None)
      Now = K == FreshContainer::Immutable ? State::Immutable : State::Private;
  std::vector<std::pair<unsigned, UseKind>> Events;
  for (const StorageRef &R : Refs) {
    if (endsInReturnBefore(R.E, F, At))
      continue;
    UseKind Kind =
        R.WholeStruct ? UseKind::Escape : classifyUse(R.E, F, Depth);
    Events.emplace_back(R.Offset, Kind);
    if (R.Offset >= At)
      continue;
    if (Kind == UseKind::Creation) {
      const auto *BO = cast<BinaryOperator>(parentIn(F, R.E));
      Now = freshFrom(BO->getRHS()) == FreshContainer::Immutable
                ? State::Immutable
                : State::Private;
    } else if (Kind == UseKind::Reassignment ||
               (Kind == UseKind::Escape && Now == State::Private)) {
      Now = State::Shared;
    }
  }
  if (Now == State::Shared)
    return false;
  // A later escape inside a loop around the access happens before the
  // access's next iteration.
  for (const Stmt *Loop : Loops) {
    unsigned LB = offsetOf(SM, Loop->getBeginLoc());
    unsigned LE = offsetOf(SM, Loop->getEndLoc());
    if (At < LB || At > LE)
      continue;
    for (const auto &[Offset, Kind] : Events)
      if (Offset > At && Offset <= LE &&
          (Kind == UseKind::Reassignment ||
           (Kind == UseKind::Escape && Now == State::Private)))
        return false;
  }
  return true;
}

/// The **kwargs dict of a METH_KEYWORDS function, tp_init, tp_new or tp_call:
/// the third of three object parameters, never pointed elsewhere (a fresh
/// dict in its place when it was NULL is as private), of a function that is
/// installed somewhere (its address is taken) or that names the parameter as
/// keywords.
bool UseSafety::isKeywordsDict(const VarDecl *V, const FunctionDecl *F) {
  const auto *Param = dyn_cast<ParmVarDecl>(V);
  if (!Param || F->getNumParams() != 3 || F->getParamDecl(2) != Param ||
      !isPyObjectPointer(F->getParamDecl(1)->getType()) ||
      !isPyObjectPointer(Param->getType()))
    return false;
  VariableUses Uses(V);
  Uses.TraverseStmt(F->getBody());
  for (const DeclRefExpr *Ref : Uses.Refs)
    if (classifyUse(Ref, F, MaxDepth) == UseKind::Reassignment)
      return false;
  std::string Lower = Param->getName().lower();
  return Model.isAddressTaken(F) || llvm::StringRef(Lower).contains("kw");
}

/// \p P is a parameter of a function with internal linkage, never installed
/// anywhere, whose every caller passes a container private to it.
bool UseSafety::isPassedDownPrivate(const ParmVarDecl *P, const FunctionDecl *F,
                                    unsigned Depth) {
  if (Depth > MaxDepth || F->isExternallyVisible() || Model.isAddressTaken(F))
    return false;
  llvm::ArrayRef<ExtensionModel::CallSite> Sites = Model.callsTo(F);
  if (Sites.empty())
    return false;
  unsigned Index = P->getFunctionScopeIndex();
  return llvm::all_of(Sites, [&](const ExtensionModel::CallSite &Site) {
    const CallExpr *Call = Site.Call;
    const FunctionDecl *Caller = Site.Caller;
    if (!Caller)
      return false;
    // An operator call counts the object as its first argument.
    return !isa<CXXOperatorCallExpr>(Call) && Index < Call->getNumArgs() &&
           isPrivate(storageOf(Call->getArg(Index)), Caller,
                     Call->getBeginLoc(), Depth + 1);
  });
}

bool UseSafety::isPrivate(Storage S, const FunctionDecl *F,
                          SourceLocation Access, unsigned Depth) {
  // A variable of an enclosing function, captured by a lambda or block, is
  // not this function's to judge.
  if (!S.Var || !F || !F->getBody() || S.Var->getDeclContext() != F)
    return false;
  if (const auto *P = dyn_cast<ParmVarDecl>(S.Var)) {
    if (isKeywordsDict(P, F))
      return true;
    return isPassedDownPrivate(P, F, Depth) &&
           isUnpublished(S, F, Access, /*PrivateAtEntry=*/true, Depth);
  }
  return isUnpublished(S, F, Access, /*PrivateAtEntry=*/false, Depth);
}

bool UseSafety::isVariableOnlyTested(const VarDecl *V, unsigned Depth) {
  if (!isLocalVariable(V) || !V->getType()->isPointerType())
    return false;
  const auto *F = dyn_cast<FunctionDecl>(V->getDeclContext());
  if (!F || !F->getBody())
    return false;
  VariableUses Uses(V);
  Uses.TraverseStmt(F->getBody());
  return llvm::all_of(Uses.Refs, [&](const DeclRefExpr *Ref) {
    const auto *BO = dyn_cast_or_null<BinaryOperator>(parentIn(F, Ref));
    if (BO && BO->getOpcode() == BO_Assign && BO->getLHS() == Ref)
      return true; // Pointed elsewhere; the new value is tested too.
    return isOnlyTested(Ref, F, Depth + 1);
  });
}

bool UseSafety::isOnlyTested(const Expr *E, const FunctionDecl *F,
                             unsigned Depth) {
  if (Depth > MaxDepth)
    return false;
  const Expr *Current = E;
  while (true) {
    const Stmt *P = parentIn(F, Current);
    if (!P)
      return false;
    if (const auto *Cast = dyn_cast<CastExpr>(P)) {
      if (Cast->getType()->isVoidType() || Cast->getType()->isBooleanType())
        return true; // (void)call: dropped; (bool)call: tested.
      if (!isa<ImplicitCastExpr>(Cast) && !Cast->getType()->isPointerType())
        return false;
      Current = Cast;
      continue;
    }
    if (const auto *Paren = dyn_cast<ParenExpr>(P)) {
      Current = Paren;
      continue;
    }
    if (const auto *CO = dyn_cast<ConditionalOperator>(P)) {
      if (CO->getCond() == Current)
        return true;
      Current = CO; // The value flows on.
      continue;
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(P))
      return UO->getOpcode() == UO_LNot;
    if (const auto *BO = dyn_cast<BinaryOperator>(P)) {
      if (BO->isComparisonOp() || BO->isLogicalOp())
        return true;
      if (BO->getOpcode() == BO_Comma) {
        if (BO->getLHS() == Current)
          return true;
        Current = BO;
        continue;
      }
      if (BO->getOpcode() != BO_Assign || BO->getRHS() != Current)
        return false;
      const auto *LHS = dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParens());
      return LHS &&
             isVariableOnlyTested(dyn_cast<VarDecl>(LHS->getDecl()), Depth) &&
             isOnlyTested(BO, F, Depth + 1);
    }
    // The initialiser of a variable: tested if the variable only is.
    if (const auto *DS = dyn_cast<DeclStmt>(P)) {
      for (const Decl *D : DS->decls())
        if (const auto *V = dyn_cast<VarDecl>(D); V && V->getInit() == Current)
          return isVariableOnlyTested(V, Depth);
      return false;
    }
    // A condition, or a statement of its own whose value is dropped; not
    // a returned value nor the value of a statement expression.
    if (isa<ReturnStmt>(P) || isa<Expr>(P))
      return false;
    if (const auto *CS = dyn_cast<CompoundStmt>(P))
      if (isa_and_nonnull<StmtExpr>(parentIn(F, CS)) &&
          CS->body_back() == Current)
        return false;
    return true;
  }
}

static bool isSafe(const BorrowedUse &Use, PreprocessorFacts &Facts,
                   ASTContext &Ctx, UseSafety &Safety) {
  const SourceManager &SM = Ctx.getSourceManager();
  // Built only for Pythons without free threading.
  if (Facts.isGilOnly(Use.Loc) || Facts.isGilOnly(Use.Spelled))
    return true;
  // PySequence_Fast_* read the items of the *original* sequence, which the
  // tool cannot relate to the fast sequence: any critical section counts.
  bool AnySection = Use.Api->Name.starts_with("PySequence_Fast");
  if (Use.Api->ContainerArg >= 0 &&
      Facts.sectionCovering(Use.Loc, AnySection ? "" : Use.Container) &&
      (AnySection || !Use.Container.empty()))
    return true;
  if (!Use.Function)
    return false;
  // The borrowed pointer itself is never used, only tested or compared.
  const Expr *Result = Use.Call;
  if (!Result && Use.Written.isValid()) {
    ExpansionExpr Finder(Use.Written, SM);
    Finder.TraverseStmt(Use.Function->getBody());
    Result = Finder.Found;
  }
  if (Result && Result->getType()->isPointerType() &&
      Safety.isOnlyTested(Result, Use.Function))
    return true;
  if (Use.Api->ContainerArg < 0)
    return false;
  Storage S = Use.Call
                  ? Safety.storageOf(Use.Call->getArg(Use.Api->ContainerArg))
                  : Safety.storageNamed(Use.Container, Use.Function, Use.Loc);
  return Safety.isPrivate(S, Use.Function, Use.Loc);
}

std::vector<BorrowedUse>
BorrowedReferenceFinder::hazards(ASTContext &Ctx, const ExtensionModel &Model,
                                 BodyParents &Parents) {
  const SourceManager &SM = Ctx.getSourceManager();
  for (const StrongApiMacro &M : Facts.StrongApiMacros)
    Context.addStrongApiMacro(M.File, M.BodyNames);
  Calls.clear();
  for (const ExtensionModel::CallSite &C : Model.libraryCalls())
    addCall(C.Call, SM, Ctx.getLangOpts());
  std::vector<BorrowedUse> All = Calls;
  for (const MacroUse &M : Facts.macroUses()) {
    if (!isBorrowedApiMacro(M.Name))
      continue;
    BorrowedUse Use;
    Use.Api = findBorrowedApi(M.Name);
    Use.Loc = M.Loc;
    Use.Spelled = M.Spelled;
    Use.Written = M.Invocation;
    Use.MacroArgs = M.Args;
    Use.InMacroBody = M.InMacroBody;
    if (Use.Api->ContainerArg >= 0 &&
        static_cast<unsigned>(Use.Api->ContainerArg) < M.Args.size())
      Use.Container = normalizeObjectText(M.Args[Use.Api->ContainerArg]);
    All.push_back(std::move(Use));
  }
  UseSafety Safety(Ctx, Model, Parents);
  std::vector<BorrowedUse> Result;
  for (BorrowedUse &Use : Context.reportable(
           SM, std::move(All), [](const BorrowedUse &U) { return U.Api; })) {
    Use.Function = Context.functionAt(SM, Use.Loc);
    if (!isSafe(Use, Facts, Ctx, Safety))
      Result.push_back(std::move(Use));
  }
  return Result;
}

} // namespace clang::tidy::freethreading
