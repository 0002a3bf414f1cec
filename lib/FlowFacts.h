//===--- FlowFacts.h - what one function reads, writes and holds ----------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Per-function flow facts, computed on demand: the critical sections of the
/// function (from the macro expansions and the skipped source the
/// preprocessor saw, so every header version counts), the locks held at each
/// point (PyMutex, PyThread locks, native mutexes and C++ lock guards, by a
/// must/may dataflow over Clang's CFG), the Py_BEGIN_ALLOW_THREADS regions,
/// the paths that leave the function or a section, and every read and write
/// of a static variable or of an object struct's field, directly, through
/// its address, or through a helper the function passes it to.
///
//===----------------------------------------------------------------------===//

#ifndef FREETHREADING_TIDY_LIB_FLOWFACTS_H
#define FREETHREADING_TIDY_LIB_FLOWFACTS_H

#include "lib/AstHelpers.h"
#include "lib/ExtensionModel.h"
#include "lib/PreprocessorFacts.h"
#include "clang/AST/Stmt.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include <memory>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class CFG;
namespace tidy::freethreading {

/// Where a lock or an access points: a variable, an optional field path
/// below it, and whether the variable holds the function's instance (self).
struct ObjectRef {
  std::string Text;              ///< As written, normalised ("self->lock").
  const VarDecl *Root = nullptr; ///< The variable it starts from, if any.
  std::string Path;              ///< Fields below Root ("lock", "st.count").
  bool OnInstance = false;       ///< Root is self or an alias of it.
};

/// A lock held at some point.
struct HeldLock {
  enum KindType { CriticalSection, PyMutex, ThreadLock, Native };
  KindType Kind;
  /// What the lock protects: the object of a critical section, the mutex
  /// itself otherwise ("&self->mutex" becomes Text "self->mutex").
  ObjectRef Object;
  SourceLocation Begin;
};

/// The locks held at a point, and whether other threads may run there.
struct LockSet {
  llvm::SmallVector<HeldLock, 2> Locks;
  /// Inside Py_BEGIN_ALLOW_THREADS (on some path): the thread state is
  /// detached and every critical section suspended.
  bool Detached = false;

  /// True when these locks protect \p Object: a critical section on it
  /// that is not suspended, or any mutex.
  bool protects(const ObjectRef &Object) const;
};

/// One read or write of a static variable or of an object field.
struct Access {
  enum TargetKind { Static, Field };
  enum KindType {
    Read,
    Write,  ///< Assigned, incremented, compound-assigned.
    Modify, ///< Written through: an element, a member of a struct value,
            ///< the pointee, or its address/array passed to a non-const
            ///< pointer parameter or stored away.
  };
  TargetKind Target;
  KindType Kind;
  const VarDecl *Var = nullptr;      ///< For Static (its canonical decl).
  const FieldDecl *Member = nullptr; ///< For Field: the object struct member.
  /// For Field: the object it is reached through, and the member path from
  /// the object struct ("state.count").
  ObjectRef Object;
  std::string FieldPath;
  const Expr *E = nullptr; ///< The reference, or the call for Via.
  SourceLocation Loc;
  /// The access happens inside this helper, called here.
  const FunctionDecl *Via = nullptr;
  LockSet Locks;
  /// A read of a pointer that only tests it (`if (!self->x)`, `p == NULL`):
  /// nothing is read through it and the value goes nowhere.
  bool OnlyTested = false;
  /// A Modify only because the pointer is passed to a non-const pointer
  /// parameter of a function that may or may not write through it (not
  /// memcpy's destination, not free's argument: WRITTEN_ARG).
  bool PassedOn = false;
};

/// A critical section of the function, BEGIN ... END paired by nesting.
struct SectionFact {
  SourceLocation Begin, End; ///< End is invalid when unmatched.
  std::vector<ObjectRef> Objects;
  bool TwoObjects = false; ///< Py_BEGIN_CRITICAL_SECTION2
  bool Skipped = false;    ///< Written in a branch the preprocessor skipped.
  int Parent = -1;         ///< Index of the enclosing section, or -1.
};

/// Something wrong with how the function uses critical sections.
struct SectionProblem {
  enum KindType {
    LeavesSection,  ///< return/goto/break/continue out of an open section.
    UnmatchedBegin, ///< No END in the same function.
    UnmatchedEnd,   ///< END without a BEGIN.
    MismatchedEnd,  ///< BEGIN2 closed by END, or BEGIN by END2.
    NestedSection,  ///< One-object sections nested on different objects.
    ReleasesGil,    ///< Py_BEGIN_ALLOW_THREADS inside a section.
  };
  KindType Kind;
  SourceLocation Loc;
  int Section = -1; ///< The section involved.
  const Stmt *S = nullptr;
};

/// A way out of the function, with the locks that may still be held.
struct ExitFact {
  const Stmt *S = nullptr; ///< A return, or null for the end of the body.
  SourceLocation Loc;
  /// Mutexes and thread locks held on some path to here (critical sections
  /// left open are SectionProblems).
  llvm::SmallVector<HeldLock, 2> MayHold;
};

/// A call of a function defined in the translation unit.
struct CallFact {
  const CallExpr *Call = nullptr;
  const FunctionDecl *Callee = nullptr;
  unsigned InstanceArgs = 0; ///< Bit I: argument I is self or an alias.
  LockSet Locks;
};

/// What a function does to statics and to the fields of its parameters,
/// itself or through the helpers it calls (for the callers' Via accesses).
struct FunctionSummary {
  struct Effect {
    Access::TargetKind Target;
    Access::KindType Kind;
    const VarDecl *Var = nullptr;
    const FieldDecl *Member = nullptr;
    std::string FieldPath;
    unsigned Param = 0; ///< For Field: the parameter the object is.
    /// For Field: done holding a critical section on that parameter, or a
    /// mutex; the caller's access counts as holding a section on the
    /// argument.
    bool Locked = false;
    bool OnlyTested = false; ///< Access::OnlyTested.
    bool PassedOn = false;   ///< Access::PassedOn.
  };
  std::vector<Effect> Effects;
  /// A pointer parameter (Param) used only while a critical section on
  /// another parameter (Owner) is held: `acquire(PyObject *owner,
  /// PyObject **field)`. The caller's `&self->f` with self as Owner is
  /// then accessed under a section on self.
  struct LockedParam {
    unsigned Param, Owner;
  };
  std::vector<LockedParam> LockedParams;
};

class FunctionFlow {
public:
  using SummaryFn =
      llvm::function_ref<const FunctionSummary *(const FunctionDecl *)>;

  /// Computes the facts of \p F, whose instance parameters are
  /// \p SelfParams (ExtensionModel::selfParams). A \p LockFree function
  /// neither takes nor releases a lock nor detaches the thread state: its
  /// only locks are the critical sections around a statement, so it needs
  /// no CFG, and its exits are not listed. \p Summary gives the
  /// summaries of the functions it calls (null while being computed);
  /// \p Parents are those of \p F's body, which must outlive the facts.
  FunctionFlow(const FunctionDecl *F, unsigned SelfParams, bool LockFree,
               ASTContext &Ctx, const ExtensionModel &Model,
               PreprocessorFacts &Facts, const LocalParents &Parents,
               SummaryFn Summary);
  ~FunctionFlow();

  const FunctionDecl *function() const { return F; }
  llvm::ArrayRef<Access> accesses() const { return Accesses; }
  llvm::ArrayRef<SectionFact> sections() const { return Sections; }
  llvm::ArrayRef<SectionProblem> problems() const { return Problems; }
  llvm::ArrayRef<ExitFact> exits() const { return Exits; }
  llvm::ArrayRef<CallFact> calls() const { return Calls; }
  /// Py_BEGIN_ALLOW_THREADS ... Py_END_ALLOW_THREADS regions (the
  /// PyEval_SaveThread and PyEval_RestoreThread calls).
  llvm::ArrayRef<SourceRange> allowThreads() const { return AllowThreads; }

  /// The locks held (on every path) where \p S is evaluated.
  LockSet locksAt(const Stmt *S) const;
  /// The instance aliases of the function (self and its casts).
  bool isInstance(const VarDecl *V) const { return Instances.contains(V); }
  const llvm::SmallPtrSetImpl<const VarDecl *> &instances() const {
    return Instances;
  }

  /// Summary of this function for its callers.
  FunctionSummary summary() const;
  /// The pointer parameters used only under a critical section on another.
  std::vector<FunctionSummary::LockedParam> lockedParams() const;

  /// The computation (FlowFacts.cpp).
  class Impl;

private:
  const FunctionDecl *F;
  std::unique_ptr<Impl> I;
  llvm::SmallPtrSet<const VarDecl *, 4> Instances;
  std::vector<Access> Accesses;
  std::vector<SectionFact> Sections;
  std::vector<SectionProblem> Problems;
  std::vector<ExitFact> Exits;
  std::vector<CallFact> Calls;
  std::vector<SourceRange> AllowThreads;
};

/// True when a critical section or lock on \p Lock protects the object
/// \p Object is reached through: the same variable, or the same instance
/// parameter (directly or through a cast alias).
bool sameObject(const ObjectRef &Lock, const ObjectRef &Object);

/// The name of a lock kind for dumps and messages.
llvm::StringRef lockKindName(HeldLock::KindType Kind);
llvm::StringRef problemKindName(SectionProblem::KindType Kind);

/// True for a type that is itself a lock (LockApis.def LOCK_TYPE).
bool isLockType(QualType T);

} // namespace tidy::freethreading
} // namespace clang

#endif // FREETHREADING_TIDY_LIB_FLOWFACTS_H
