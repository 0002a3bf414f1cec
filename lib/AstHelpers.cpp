//===--- AstHelpers.cpp - small AST questions every check asks -----------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "lib/AstHelpers.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtVisitor.h"

namespace clang::tidy::freethreading {

bool isNullPointer(const Expr *E, const ASTContext &Ctx) {
  return E->IgnoreParenCasts()->isNullPointerConstant(
             const_cast<ASTContext &>(Ctx),
             Expr::NPC_ValueDependentIsNotNull) != Expr::NPCK_NotNull;
}

bool isPyObjectPointer(QualType T) {
  if (T.isNull() || !T->isPointerType())
    return false;
  const RecordDecl *RD = recordOf(T->getPointeeType());
  return RD && RD->getName() == "_object";
}

const FunctionDecl *namedFunction(const Expr *E) {
  if (!E)
    return nullptr;
  E = E->IgnoreParenCasts();
  if (const auto *U = dyn_cast<UnaryOperator>(E);
      U && U->getOpcode() == UO_AddrOf)
    E = U->getSubExpr()->IgnoreParenCasts();
  if (const auto *R = dyn_cast<DeclRefExpr>(E))
    return dyn_cast<FunctionDecl>(R->getDecl());
  return nullptr;
}

const VarDecl *namedVariable(const Expr *E) {
  if (!E)
    return nullptr;
  E = E->IgnoreParenCasts();
  if (const auto *U = dyn_cast<UnaryOperator>(E);
      U && U->getOpcode() == UO_AddrOf)
    E = U->getSubExpr()->IgnoreParenCasts();
  if (const auto *A = dyn_cast<ArraySubscriptExpr>(E))
    E = A->getBase()->IgnoreParenCasts();
  if (const auto *B = dyn_cast<BinaryOperator>(E); B && B->isAdditiveOp())
    E = B->getLHS()->IgnoreParenCasts();
  if (const auto *R = dyn_cast<DeclRefExpr>(E))
    return dyn_cast<VarDecl>(R->getDecl());
  return nullptr;
}

std::optional<int64_t> integerValue(const Expr *E, const ASTContext &Ctx) {
  if (!E || E->isValueDependent() || E->isTypeDependent())
    return std::nullopt;
  Expr::EvalResult R;
  if (!E->EvaluateAsInt(R, Ctx))
    return std::nullopt;
  return R.Val.getInt().getExtValue();
}

std::optional<llvm::StringRef> stringValue(const Expr *E) {
  if (!E)
    return std::nullopt;
  if (const auto *S = dyn_cast<StringLiteral>(E->IgnoreParenCasts()))
    if (S->getCharByteWidth() == 1)
      return S->getString();
  return std::nullopt;
}

const RecordDecl *sizeofRecord(const Expr *E) {
  if (!E)
    return nullptr;
  E = E->IgnoreParenCasts();
  if (const auto *B = dyn_cast<BinaryOperator>(E))
    return sizeofRecord(B->getLHS());
  const auto *U = dyn_cast<UnaryExprOrTypeTraitExpr>(E);
  if (!U || U->getKind() != UETT_SizeOf)
    return nullptr;
  return recordOf(U->getTypeOfArgument());
}

const FieldDecl *offsetofField(const Expr *E) {
  if (!E)
    return nullptr;
  const auto *O = dyn_cast<OffsetOfExpr>(E->IgnoreParenCasts());
  if (!O || O->getNumComponents() == 0)
    return nullptr;
  const OffsetOfNode &Last = O->getComponent(O->getNumComponents() - 1);
  return Last.getKind() == OffsetOfNode::Field ? Last.getField() : nullptr;
}

const InitListExpr *initList(const Expr *E) {
  if (!E)
    return nullptr;
  const auto *L = dyn_cast<InitListExpr>(E->IgnoreImplicit());
  if (!L)
    return nullptr;
  if (!L->isSemanticForm() && L->getSemanticForm())
    return L->getSemanticForm();
  return L;
}

const Expr *fieldInitializer(const InitListExpr *List, llvm::StringRef Field) {
  if (!List)
    return nullptr;
  const RecordDecl *RD = recordOf(List->getType());
  if (!RD)
    return nullptr;
  unsigned I = 0;
  for (const FieldDecl *F : RD->fields()) {
    if (F->getName() == Field) {
      if (I >= List->getNumInits())
        return nullptr;
      const Expr *Init = List->getInit(I);
      return isa<ImplicitValueInitExpr>(Init) ? nullptr : Init;
    }
    ++I;
  }
  return nullptr;
}

const RecordDecl *recordOf(QualType T) {
  if (T.isNull())
    return nullptr;
  const RecordDecl *RD = T->getAsRecordDecl();
  if (!RD)
    return nullptr;
  if (const RecordDecl *Def = RD->getDefinition())
    return Def;
  return RD;
}

bool isTemplated(const Decl *D) {
  for (const DeclContext *DC = dyn_cast<DeclContext>(D); DC;
       DC = DC->getParent()) {
    if (const auto *FD = dyn_cast<FunctionDecl>(DC))
      if (FD->isTemplated() || FD->isTemplateInstantiation() ||
          FD->getTemplateInstantiationPattern())
        return true;
    if (const auto *RD = dyn_cast<CXXRecordDecl>(DC))
      if (RD->isTemplated() || isa<ClassTemplateSpecializationDecl>(RD))
        return true;
  }
  return false;
}

const VarDecl *accessedVariable(const VarDecl *V) {
  while (const VarDecl *From = V->getInstantiatedFromStaticDataMember())
    V = From;
  return V->getCanonicalDecl();
}

void LocalParents::build() const {
  Built = true;
  if (!Body)
    return;
  llvm::SmallVector<const Stmt *, 64> Work = {Body};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *D : DS->decls())
        if (const auto *V = dyn_cast<VarDecl>(D))
          Declarations[V] = DS;
    for (const Stmt *C : S->children()) {
      if (!C)
        continue;
      Parents[C] = S;
      Work.push_back(C);
    }
  }
}

const DeclStmt *LocalParents::declStmtOf(const VarDecl *V) const {
  if (!Built)
    build();
  return Declarations.lookup(V);
}

DynTypedNode LocalParents::parentNode(const DynTypedNode &N) const {
  if (const auto *V = N.get<VarDecl>()) {
    const DeclStmt *DS = declStmtOf(V);
    return DS ? DynTypedNode::create(*DS) : DynTypedNode();
  }
  const auto *S = N.get<Stmt>();
  const Stmt *P = S ? parent(S) : nullptr;
  if (!P)
    return DynTypedNode();
  if (const auto *DS = dyn_cast<DeclStmt>(P))
    for (const Decl *D : DS->decls())
      if (const auto *V = dyn_cast<VarDecl>(D); V && V->getInit() == S)
        return DynTypedNode::create(*V);
  return DynTypedNode::create(*P);
}

const LocalParents &BodyParents::of(const FunctionDecl *F) {
  if (F)
    F = F->getCanonicalDecl();
  std::unique_ptr<LocalParents> &P = Bodies[F];
  if (!P)
    P = std::make_unique<LocalParents>(F ? F->getBody() : nullptr);
  return *P;
}

const Stmt *LocalParents::parent(const Stmt *S) const {
  if (!Built)
    build();
  return Parents.lookup(S);
}

const Stmt *LocalParents::parentIgnoringCasts(const Stmt *S,
                                              const Stmt **Child) const {
  const Stmt *Cur = S;
  const Stmt *P = parent(Cur);
  while (P && isa<ParenExpr, ImplicitCastExpr, ExplicitCastExpr>(P)) {
    Cur = P;
    P = parent(Cur);
  }
  if (Child)
    *Child = Cur;
  return P;
}

llvm::SmallVector<const DeclRefExpr *, 4> referencesTo(const Stmt *S,
                                                       const VarDecl *V) {
  struct Finder : RecursiveASTVisitor<Finder> {
    const VarDecl *V;
    llvm::SmallVector<const DeclRefExpr *, 4> Found;
    bool VisitDeclRefExpr(DeclRefExpr *E) {
      if (E->getDecl()->getCanonicalDecl() == V->getCanonicalDecl())
        Found.push_back(E);
      return true;
    }
  } F{{}, V, {}};
  F.TraverseStmt(const_cast<Stmt *>(S));
  return F.Found;
}

bool isPresenceTest(const Expr *E, const LocalParents &Parents) {
  const Stmt *Child = nullptr;
  const Stmt *P = Parents.parentIgnoringCasts(E, &Child);
  if (const auto *U = dyn_cast_or_null<UnaryOperator>(P))
    return U->getOpcode() == UO_LNot;
  if (const auto *B = dyn_cast_or_null<BinaryOperator>(P))
    return B->isEqualityOp() || B->isLogicalOp();
  if (const auto *If = dyn_cast_or_null<IfStmt>(P))
    return If->getCond() == Child;
  if (const auto *While = dyn_cast_or_null<WhileStmt>(P))
    return While->getCond() == Child;
  if (const auto *C = dyn_cast_or_null<ConditionalOperator>(P))
    return C->getCond() == Child;
  return false;
}

} // namespace clang::tidy::freethreading
