//===--- AstHelpers.h - small AST questions every check asks -------------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// One home for the AST questions the checks and the analysis share: is this
/// a null pointer, a `PyObject *`, which function or variable does an
/// initializer name through its casts, what is written for a field of a
/// struct initializer, and a parent map local to one function body (the
/// whole-AST parent map costs about a tenth of the parse).
///
//===----------------------------------------------------------------------===//

#ifndef FREETHREADING_TIDY_LIB_ASTHELPERS_H
#define FREETHREADING_TIDY_LIB_ASTHELPERS_H

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ASTTypeTraits.h"
#include "llvm/ADT/DenseMap.h"
#include <memory>
#include <optional>

namespace clang {
class ASTContext;
namespace tidy::freethreading {

/// NULL, 0 or nullptr (through casts and parentheses).
bool isNullPointer(const Expr *E, const ASTContext &Ctx);

/// A pointer to PyObject (`struct _object`), through typedefs.
bool isPyObjectPointer(QualType T);

/// The function an initializer or argument names: `f`, `&f`, `(cast)f`,
/// `(PyCFunction)(void (*)(void))f`; null otherwise.
const FunctionDecl *namedFunction(const Expr *E);

/// The variable an expression names: `v`, `&v`, `v + 0`, `&v[0]`, through
/// casts; null otherwise.
const VarDecl *namedVariable(const Expr *E);

/// The integer value of a constant expression.
std::optional<int64_t> integerValue(const Expr *E, const ASTContext &Ctx);

/// The contents of a string literal (through casts), or std::nullopt.
std::optional<llvm::StringRef> stringValue(const Expr *E);

/// The record of `sizeof(T)` (or `sizeof(T) + ...`), or null.
const RecordDecl *sizeofRecord(const Expr *E);

/// The field of `offsetof(T, field)`, or null.
const FieldDecl *offsetofField(const Expr *E);

/// The semantic form of \p E's initializer list, or null.
const InitListExpr *initList(const Expr *E);

/// The initializer of the field named \p Field in the semantic initializer
/// \p List of a struct; null when the field does not exist or is left
/// implicit (zero).
const Expr *fieldInitializer(const InitListExpr *List, llvm::StringRef Field);

/// The record a type names through typedefs and elaboration (not through
/// pointers), or null.
const RecordDecl *recordOf(QualType T);

/// True inside a template or one of its instantiations.
bool isTemplated(const Decl *D);

/// The variable every access of \p V names, as its canonical declaration:
/// a static data member of a class template instantiation is the member of
/// the template.
const VarDecl *accessedVariable(const VarDecl *V);

/// A parent map for one function body: a local walk, built on first use.
/// The references to \p V in \p S, in traversal order.
llvm::SmallVector<const DeclRefExpr *, 4> referencesTo(const Stmt *S,
                                                       const VarDecl *V);
/// True when \p S refers to \p V.
inline bool namesVariable(const Stmt *S, const VarDecl *V) {
  return !referencesTo(S, V).empty();
}

class LocalParents;
/// True when the value of \p E, a pointer, is only tested: against NULL or
/// another pointer, by `!`, `&&`, `||`, or as a condition; nothing is read
/// through it and it goes nowhere.
bool isPresenceTest(const Expr *E, const LocalParents &Parents);

class LocalParents {
public:
  explicit LocalParents(const Stmt *Body) : Body(Body) {}
  /// The parent statement of \p S inside the body, or null.
  const Stmt *parent(const Stmt *S) const;
  /// The first ancestor that is not a paren, implicit cast or explicit cast.
  const Stmt *parentIgnoringCasts(const Stmt *S, const Stmt **Child) const;
  /// The declaration statement of the local variable \p V, or null.
  const DeclStmt *declStmtOf(const VarDecl *V) const;
  /// The parent as ASTContext::getParents gives it inside a body, without
  /// its whole-AST map: a variable's initialiser has the variable as its
  /// parent, a variable its DeclStmt, any other statement its statement.
  DynTypedNode parentNode(const DynTypedNode &N) const;

private:
  void build() const;
  const Stmt *Body;
  mutable llvm::DenseMap<const Stmt *, const Stmt *> Parents;
  mutable llvm::DenseMap<const VarDecl *, const DeclStmt *> Declarations;
  mutable bool Built = false;
};

/// The LocalParents of each function body, built on first use and kept, so
/// that the walks of one translation unit share them.
class BodyParents {
public:
  /// The parents inside \p F's body (none for null or a body-less F).
  const LocalParents &of(const FunctionDecl *F);

private:
  llvm::DenseMap<const FunctionDecl *, std::unique_ptr<LocalParents>> Bodies;
};

} // namespace tidy::freethreading
} // namespace clang

#endif // FREETHREADING_TIDY_LIB_ASTHELPERS_H
