//===--- MutableStaticStateFixes.cpp - freethreading-tidy -----------------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "checks/MutableStaticStateFixes.h"
#include "clang/AST/ASTContext.h"
#include "clang/Lex/Lexer.h"

namespace clang::tidy::freethreading {

/// The fix to make by hand, for the statics no rewrite can be proved right
/// for.
static std::string shapeOfFix(const MutableStatic &S) {
  if (S.Kind == MutableStatic::InitOnly)
    return S.State == MutableStatic::TypeObject
               ? "no fix-it: turn it into a PyType_Spec, create the type with "
                 "PyType_FromModuleAndSpec in the Py_mod_exec slot and keep "
                 "it in the module's state"
               : "no fix-it: keep it in the module's state (PyModule_GetState) "
                 "so that each interpreter has its own";
  switch (S.State) {
  case MutableStatic::Object:
  case MutableStatic::TypeObject:
    return "no fix-it: create it in the Py_mod_exec slot, store it in the "
           "module's state and read it through PyModule_GetState (or "
           "PyType_GetModuleState) where it is used; or hold a PyMutex "
           "around the test and the fill";
  case MutableStatic::Flag:
  case MutableStatic::Integer:
    return "no fix-it: its test and its write must happen together; use a "
           "compare-exchange (atomic_compare_exchange_strong, "
           "std::atomic::compare_exchange_strong) or hold a PyMutex";
  case MutableStatic::Buffer:
    return "no fix-it: declare it _Thread_local (thread_local in C++) if "
           "each call needs its own scratch space, or hold a PyMutex for as "
           "long as it is in use";
  default:
    return "no fix-it: move it into the module's state, make it "
           "thread-local, or hold one PyMutex at every access";
  }
}

std::vector<StaticFixPlan>
StaticFixPlanner::plan(llvm::ArrayRef<MutableStatic> Statics) {
  std::vector<StaticFixPlan> Plans;
  for (const MutableStatic &S : Statics) {
    StaticFixPlan P;
    if (S.Kind != MutableStatic::WrittenAfterInit ||
        (S.State != MutableStatic::Flag && S.State != MutableStatic::Integer)) {
      P.Note = shapeOfFix(S);
      Plans.push_back(std::move(P));
      continue;
    }
    if (!AtomicFixes) {
      Plans.push_back(std::move(P));
      continue;
    }
    P.Note = atomicProblem(S);
    if (P.Note.empty()) {
      P.Fixes = atomicEdits(S.Var);
      P.Header = Ctx.getLangOpts().CPlusPlus ? "<atomic>" : "<stdatomic.h>";
    }
    Plans.push_back(std::move(P));
  }
  return Plans;
}

const Stmt *StaticFixPlanner::parentOf(const Stmt *S) const {
  return Parents ? Parents->parent(S) : nullptr;
}

std::string StaticFixPlanner::atomicProblem(const MutableStatic &S) {
  const LangOptions &LO = Ctx.getLangOpts();
  const VarDecl *V = S.Var;
  if (!LO.CPlusPlus && !LO.C11)
    return "no fix-it: _Atomic needs C11 or later";
  if (LO.CPlusPlus && (!LO.CPlusPlus11 || (V->hasInit() && !LO.CPlusPlus17)))
    return "no fix-it: initialising a std::atomic with '=' needs C++17";
  if (!S.PartialLock.empty())
    return "no fix-it: some accesses hold a lock; hold it at every access "
           "instead";
  if (std::string Problem = declarationProblem(V); !Problem.empty())
    return Problem;
  for (const ExtensionModel::StaticUse &Use : Model.usesOf(V)) {
    if (!Use.User)
      return "no fix-it: it is named outside a function";
    Parents = &Bodies.of(Use.User);
    if (std::string Problem = useProblem(Use.Ref, V); !Problem.empty())
      return Problem;
  }
  return "";
}

std::string StaticFixPlanner::declarationProblem(const VarDecl *V) const {
  const SourceManager &SM = Ctx.getSourceManager();
  if (V->getType().isVolatileQualified())
    return "no fix-it: a volatile static needs a decision on what it is for";
  if (std::distance(V->redecls_begin(), V->redecls_end()) != 1)
    return "no fix-it: the static is declared more than once; make every "
           "declaration atomic";
  SourceLocation Begin = V->getTypeSpecStartLoc(), End = V->getTypeSpecEndLoc();
  if (Begin.isInvalid() || End.isInvalid() || Begin.isMacroID() ||
      End.isMacroID() || V->getLocation().isMacroID())
    return "no fix-it: the declaration is written by a macro";
  // `static int a, b;`: a qualifier would change both.
  std::optional<Token> Next =
      Lexer::findNextToken(V->getEndLoc(), SM, Ctx.getLangOpts());
  llvm::StringRef Before =
      Lexer::getSourceText(CharSourceRange::getCharRange(End, V->getLocation()),
                           SM, Ctx.getLangOpts());
  if (!Next || Next->isNot(tok::semi) || Before.rtrim().ends_with(","))
    return "no fix-it: the declaration declares other variables too";
  return "";
}

std::string StaticFixPlanner::useProblem(const DeclRefExpr *R,
                                         const VarDecl *V) const {
  const Stmt *P = parentOf(R);
  while (isa_and_nonnull<ParenExpr>(P))
    P = parentOf(P);
  bool IsBool = V->getType()->isBooleanType();
  if (const auto *Cast = dyn_cast_or_null<ImplicitCastExpr>(P);
      Cast && Cast->getCastKind() == CK_LValueToRValue)
    return loadProblem(Cast);
  if (const auto *U = dyn_cast_or_null<UnaryOperator>(P);
      U && U->isIncrementDecrementOp() && !IsBool)
    return isTestedFirst(U, V) ? "no fix-it: it is tested and then updated; "
                                 "keep the test and the update together "
                                 "with a compare-exchange or a PyMutex"
                               : "";
  const auto *B = dyn_cast_or_null<BinaryOperator>(P);
  bool Simple = B && B->getLHS()->IgnoreParens() == R &&
                (B->getOpcode() == BO_Assign ||
                 (!IsBool && (B->getOpcode() == BO_AddAssign ||
                              B->getOpcode() == BO_SubAssign)));
  if (!Simple)
    return "no fix-it: it is used other than by a load, a store, ++, --, += "
           "or -=";
  if (namesVariable(B->getRHS(), V))
    return "no fix-it: a store computed from its own value is a lost update "
           "under atomics; write it as '+=' or '-=', or hold a PyMutex";
  if (isTestedFirst(B, V))
    return "no fix-it: it is tested and then written; keep the test and the "
           "write together with a compare-exchange or a PyMutex";
  return "";
}

std::string StaticFixPlanner::loadProblem(const Expr *Load) const {
  if (!Ctx.getLangOpts().CPlusPlus)
    return "";
  const Stmt *P = parentOf(Load);
  while (isa_and_nonnull<ParenExpr>(P))
    P = parentOf(P);
  // A std::atomic converts to its value only where a conversion applies.
  if (const auto *C = dyn_cast_or_null<CallExpr>(P)) {
    const FunctionDecl *F = C->getDirectCallee();
    for (unsigned I = 0; I < C->getNumArgs(); ++I)
      if (C->getArg(I)->IgnoreParens() == Load &&
          (!F || I >= F->getNumParams() || F->getPrimaryTemplate()))
        return "no fix-it: it is passed to a variadic or template parameter";
  }
  if (isa_and_nonnull<ConditionalOperator>(P))
    return "no fix-it: it is an operand of '?:'";
  if (const auto *D = dyn_cast_or_null<DeclStmt>(P))
    for (const Decl *E : D->decls())
      if (const auto *Var = dyn_cast<VarDecl>(E);
          Var && Var->getType()->getContainedAutoType())
        return "no fix-it: it initialises an 'auto' variable";
  return "";
}

bool StaticFixPlanner::isTestedFirst(const Expr *W, const VarDecl *V) const {
  for (const Stmt *P = parentOf(W); P; P = parentOf(P)) {
    const Expr *Cond = nullptr;
    if (const auto *If = dyn_cast<IfStmt>(P))
      Cond = If->getCond();
    else if (const auto *While = dyn_cast<WhileStmt>(P))
      Cond = While->getCond();
    else if (const auto *Op = dyn_cast<ConditionalOperator>(P))
      Cond = Op->getCond();
    else if (isa<LambdaExpr>(P))
      break;
    if (Cond && namesVariable(Cond, V))
      return true;
  }
  return false;
}

std::vector<FixItHint> StaticFixPlanner::atomicEdits(const VarDecl *V) const {
  const SourceManager &SM = Ctx.getSourceManager();
  SourceLocation Begin = V->getTypeSpecStartLoc();
  if (!Ctx.getLangOpts().CPlusPlus)
    return {FixItHint::CreateInsertion(Begin, "_Atomic ")};
  CharSourceRange Type =
      CharSourceRange::getTokenRange(Begin, V->getTypeSpecEndLoc());
  llvm::StringRef Text = Lexer::getSourceText(Type, SM, Ctx.getLangOpts());
  return {
      FixItHint::CreateReplacement(Type, ("std::atomic<" + Text + ">").str())};
}

} // namespace clang::tidy::freethreading
