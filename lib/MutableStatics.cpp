//===--- MutableStatics.cpp - statics that threads share without a lock --===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "lib/MutableStatics.h"
#include "clang-tidy/utils/OptionsUtils.h"
#include "lib/AstHelpers.h"
#include "lib/KnowledgeBase.h"
#include "lib/OptionValues.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"

namespace clang::tidy::freethreading {

StaticOptions StaticOptions::read(ClangTidyCheck::OptionsView &Options,
                                  llvm::StringRef CheckName,
                                  std::vector<std::string> *Problems) {
  StaticOptions O;
  auto Bool = [&](llvm::StringRef Name, bool Default) {
    return readBoolOption(Options, CheckName, Name, Default, Problems);
  };
  O.StaticTypes = Bool("StaticTypes", false);
  O.ReportInitOnly = Bool("ReportInitOnly", false);
  O.AtomicFixes = Bool("AtomicFixes", true);
  O.AllowedNames = Options.get("AllowedNames", "").str();
  for (llvm::StringRef Pattern :
       utils::options::parseStringList(O.AllowedNames)) {
    std::string Error;
    if (!llvm::Regex(Pattern).isValid(Error) && Problems)
      Problems->push_back(("invalid regular expression '" + Pattern +
                           "' in option '" + CheckName +
                           ".AllowedNames': " + Error)
                              .str());
  }
  return O;
}

void StaticOptions::store(ClangTidyCheck::OptionsView &Options,
                          ClangTidyOptions::OptionMap &Map) const {
  Options.store(Map, "StaticTypes", StaticTypes ? "true" : "false");
  Options.store(Map, "ReportInitOnly", ReportInitOnly ? "true" : "false");
  Options.store(Map, "AllowedNames", AllowedNames);
  Options.store(Map, "AtomicFixes", AtomicFixes ? "true" : "false");
}

/// True for a name \p Options.AllowedNames matches (whole name, or
/// qualified name).
static bool isAllowedName(const VarDecl *V, const StaticOptions &Options) {
  std::string Qualified = V->getQualifiedNameAsString();
  for (llvm::StringRef Pattern :
       utils::options::parseStringList(Options.AllowedNames)) {
    llvm::Regex R(("^(" + Pattern + ")$").str());
    if (R.isValid() && (R.match(V->getName()) || R.match(Qualified)))
      return true;
  }
  return false;
}

/// What the type of a static makes it: ordinary state, or a table, a type
/// object, an atomic or a lock.
static StaticRecord recordKindOf(QualType Element) {
  if (Element->isAtomicType() || isLockType(Element))
    return StaticRecord::Safe;
  const RecordDecl *RD = recordOf(Element);
  if (!RD || !RD->getIdentifier())
    return StaticRecord::None;
  return staticRecordKind(RD->getName());
}

/// True when \p V can hold state another thread may see change.
static bool isCandidate(const VarDecl *V, const ASTContext &Ctx,
                        const StaticOptions &Options) {
  QualType Element = Ctx.getBaseElementType(V->getType());
  if (V->isConstexpr() || Element.isConstQualified() ||
      V->getType()->isReferenceType() || V->getTLSKind() != VarDecl::TLS_None)
    return false;
  StaticRecord Kind = recordKindOf(Element);
  if (Kind == StaticRecord::ApiTable || Kind == StaticRecord::Safe ||
      (Kind == StaticRecord::TypeObject && !Options.StaticTypes))
    return false;
  return !isAllowedName(V, Options);
}

static MutableStatic::StateKind stateOf(const VarDecl *V,
                                        const ExtensionModel &M) {
  QualType T = V->getType();
  if (T->isArrayType())
    return MutableStatic::Buffer;
  if (isPyObjectPointer(T) || M.pointeeObjectStruct(T))
    return MutableStatic::Object;
  if (recordKindOf(T) == StaticRecord::TypeObject)
    return MutableStatic::TypeObject;
  if (T->isPointerType())
    return MutableStatic::Pointer;
  if (T->isBooleanType())
    return MutableStatic::Flag;
  if (T->isIntegralOrEnumerationType())
    return MutableStatic::Integer;
  if (T->isRealFloatingType())
    return MutableStatic::Number;
  return MutableStatic::Aggregate;
}

namespace {

/// A lock that protects a static: one every thread shares (a static mutex,
/// a critical section on a static object, a mutex in module state), not one
/// of an instance.
struct LockKey {
  std::string Key, Text;
};

} // namespace

static std::optional<LockKey> sharedLockKey(const HeldLock &L, bool Detached) {
  if (L.Object.OnInstance || (Detached && L.Kind == HeldLock::CriticalSection))
    return std::nullopt;
  if (L.Object.Root && L.Object.Root->hasGlobalStorage())
    return LockKey{L.Object.Root->getQualifiedNameAsString() + "/" +
                       L.Object.Path,
                   L.Object.Text};
  // A mutex reached through module state, named by its field path.
  if (!L.Object.Path.empty())
    return LockKey{"*/" + L.Object.Path, L.Object.Text};
  return std::nullopt;
}

using LockKeys = llvm::SmallVector<LockKey, 2>;

static LockKeys sharedLockKeys(const LockSet &Locks) {
  LockKeys Keys;
  for (const HeldLock &L : Locks.Locks)
    if (std::optional<LockKey> K = sharedLockKey(L, Locks.Detached))
      Keys.push_back(std::move(*K));
  return Keys;
}

/// The shared locks held at every call of \p F, when \p F is a helper
/// only called directly in this translation unit ("called with the lock
/// held"); one level of callers.
static LockKeys callerLockKeys(const FunctionDecl *F, ExtensionAnalysis &A) {
  const ExtensionModel &M = A.model();
  llvm::ArrayRef<ExtensionModel::CallSite> Calls = M.callsTo(F);
  if (!M.rolesOf(F).empty() || M.isAddressTaken(F) || Calls.empty())
    return {};
  std::optional<LockKeys> Common;
  for (const ExtensionModel::CallSite &C : Calls) {
    if (!C.Caller)
      return {};
    LockKeys Here;
    for (const CallFact &Fact : A.flow(C.Caller).calls())
      if (Fact.Call == C.Call)
        Here = sharedLockKeys(Fact.Locks);
    if (!Common) {
      Common = std::move(Here);
      continue;
    }
    llvm::erase_if(*Common, [&](const LockKey &K) {
      return llvm::none_of(Here,
                           [&](const LockKey &H) { return H.Key == K.Key; });
    });
  }
  return Common ? *Common : LockKeys();
}

/// The lock most of \p Sites hold (themselves, or every caller of their
/// function), and the sites that do not hold it.
static std::string commonLock(std::vector<StaticSite> &Sites,
                              ExtensionAnalysis &A) {
  llvm::StringMap<unsigned> Count;
  llvm::StringMap<std::string> Text;
  llvm::DenseMap<const FunctionDecl *, LockKeys> FromCallers;
  auto KeysOf = [&](const StaticSite &S) {
    LockKeys Keys = sharedLockKeys(S.Use->Locks);
    auto [It, New] = FromCallers.try_emplace(S.Function);
    if (New)
      It->second = callerLockKeys(S.Function, A);
    Keys.append(It->second.begin(), It->second.end());
    return Keys;
  };
  for (const StaticSite &S : Sites)
    for (const LockKey &K : KeysOf(S)) {
      ++Count[K.Key];
      Text[K.Key] = K.Text;
    }
  std::string Best;
  unsigned BestCount = 0;
  for (const auto &E : Count)
    if (E.second > BestCount || (E.second == BestCount && E.first() < Best)) {
      Best = E.first().str();
      BestCount = E.second;
    }
  if (Best.empty())
    return "";
  llvm::erase_if(Sites, [&](const StaticSite &S) {
    return llvm::any_of(KeysOf(S),
                        [&](const LockKey &K) { return K.Key == Best; });
  });
  return Text[Best];
}

/// True for a condition that tests whether \p V is still unset: `!v`,
/// `v == NULL`, `v != 0`, `v`, and either side of `&&` and `||`.
static bool testsUnset(const Expr *Cond, const VarDecl *V,
                       const ASTContext &Ctx) {
  Cond = Cond->IgnoreParenImpCasts();
  auto Names = [&](const Expr *E) {
    const auto *R = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
    const auto *Var = R ? dyn_cast<VarDecl>(R->getDecl()) : nullptr;
    return Var && accessedVariable(Var) == V;
  };
  if (Names(Cond))
    return true;
  if (const auto *U = dyn_cast<UnaryOperator>(Cond))
    return U->getOpcode() == UO_LNot && testsUnset(U->getSubExpr(), V, Ctx);
  const auto *B = dyn_cast<BinaryOperator>(Cond);
  if (!B)
    return false;
  if (B->isLogicalOp())
    return testsUnset(B->getLHS(), V, Ctx) || testsUnset(B->getRHS(), V, Ctx);
  if (!B->isEqualityOp())
    return false;
  auto IsUnset = [&](const Expr *E) {
    std::optional<int64_t> Value = integerValue(E, Ctx);
    return isNullPointer(E, Ctx) || (Value && *Value == 0);
  };
  return (Names(B->getLHS()) && IsUnset(B->getRHS())) ||
         (Names(B->getRHS()) && IsUnset(B->getLHS()));
}

/// True when \p Write follows a test of whether its static is still unset
/// in the same function: inside `if (!v) { v = ...; }`, or after
/// `if (v) return v;`.
static bool isLazyWrite(const StaticSite &Write, const ASTContext &Ctx) {
  struct Tests : RecursiveASTVisitor<Tests> {
    const VarDecl *V;
    const ASTContext &Ctx;
    SourceLocation Before;
    bool Found = false;
    Tests(const VarDecl *V, const ASTContext &Ctx, SourceLocation Before)
        : V(V), Ctx(Ctx), Before(Before) {}
    bool VisitIfStmt(IfStmt *S) {
      const SourceManager &SM = Ctx.getSourceManager();
      if (S->getCond() && testsUnset(S->getCond(), V, Ctx) &&
          SM.isBeforeInTranslationUnit(S->getBeginLoc(), Before))
        Found = true;
      return !Found;
    }
  } T(Write.Use->Var, Ctx, Write.Use->Loc);
  T.TraverseStmt(const_cast<Stmt *>(Write.Function->getBody()));
  return T.Found;
}

static bool isWrite(const StaticSite &S) {
  return S.Use->Kind != Access::Read && S.Own;
}

/// True when the reference \p R of a static is read as a value before
/// anything else happens to it: `x + 1`, `s.a`, `buf[i]` as an operand, and
/// `*p = 0`, `f(p)`, `s.name[0] = 0`, where what is written is what the
/// loaded value points to, not the static. False for a write of its own
/// storage, its address taken, or its array passed on.
static bool reachesLoad(const Expr *R, const LocalParents &Parents) {
  const Stmt *S = R;
  while (const Stmt *P = Parents.parent(S)) {
    if (const auto *Cast = dyn_cast<ImplicitCastExpr>(P)) {
      if (Cast->getCastKind() == CK_LValueToRValue)
        return true;
    } else if (const auto *Sub = dyn_cast<ArraySubscriptExpr>(P)) {
      if (Sub->getBase() != S)
        return false;
    } else if (const auto *U = dyn_cast<UnaryOperator>(P)) {
      if (U->getOpcode() != UO_Deref)
        return false;
    } else if (!isa<ParenExpr, MemberExpr>(P)) {
      return false;
    }
    S = P;
  }
  return false;
}

/// Every direct access of a candidate static, by static, in source order.
static llvm::DenseMap<const VarDecl *, std::vector<StaticSite>>
collectSites(ExtensionAnalysis &A,
             const llvm::DenseSet<const VarDecl *> &Candidates) {
  const ExtensionModel &M = A.model();
  // The candidates some reference in a function body may write (the others
  // are only ever loaded), and the functions that name one of those.
  auto InBody = [&](const ExtensionModel::StaticUse &Use) {
    return Use.User && !Use.User->isDependentContext() &&
           A.parents().of(Use.User).parent(Use.Ref);
  };
  llvm::DenseSet<const VarDecl *> Written;
  llvm::DenseSet<const FunctionDecl *> Naming;
  for (const VarDecl *V : Candidates)
    for (const ExtensionModel::StaticUse &Use : M.usesOf(V))
      if (InBody(Use) && !reachesLoad(Use.Ref, A.parents().of(Use.User))) {
        Written.insert(V);
        break;
      }
  for (const VarDecl *V : Written)
    for (const ExtensionModel::StaticUse &Use : M.usesOf(V))
      if (InBody(Use))
        Naming.insert(Use.User);
  // Flow facts only where a static that may be written is named: one only
  // ever loaded is shared read-only data.
  llvm::DenseMap<const VarDecl *, std::vector<StaticSite>> Sites;
  llvm::DenseSet<std::pair<const VarDecl *, SourceLocation>> Seen;
  for (const FunctionDecl *F : M.definitions()) {
    if (!Naming.contains(F))
      continue;
    const LocalParents &Parents = A.parents().of(F);
    for (const Access &Acc : A.flow(F).accesses()) {
      if (Acc.Target != Access::Static || Acc.Via)
        continue;
      const VarDecl *V = accessedVariable(Acc.Var);
      if (!Written.contains(V) || !Seen.insert({V, Acc.Loc}).second)
        continue;
      bool Own = Acc.Kind == Access::Read || !reachesLoad(Acc.E, Parents);
      Sites[V].push_back({F, &Acc, Own});
    }
  }
  return Sites;
}

/// True when \p F runs only while no other thread can use the module: while
/// it initialises, or as its m_clear or m_free slot, when the module object
/// is being destroyed.
static bool isLifecycleOnly(const FunctionDecl *F, const ExtensionModel &M) {
  if (M.isInitOnly(F))
    return true;
  llvm::ArrayRef<FunctionRole> Roles = M.rolesOf(F);
  return !Roles.empty() && llvm::all_of(Roles, [](const FunctionRole &R) {
    return R.Kind == FunctionRole::ModuleSlot &&
           (R.Name == "m_clear" || R.Name == "m_free");
  });
}

/// Classifies one static from its accesses; false when it is not reported.
static bool classify(MutableStatic &S, ExtensionAnalysis &A,
                     const StaticOptions &Options) {
  const ExtensionModel &M = A.model();
  std::vector<StaticSite> After;
  for (const StaticSite &Site : S.Uses)
    if (!isLifecycleOnly(Site.Function, M))
      After.push_back(Site);
  if (llvm::none_of(After, isWrite)) {
    bool Reported =
        Options.ReportInitOnly ||
        (S.State == MutableStatic::TypeObject && Options.StaticTypes);
    if (!Reported || llvm::none_of(S.Uses, isWrite))
      return false;
    S.Kind = MutableStatic::InitOnly;
    llvm::copy_if(S.Uses, std::back_inserter(S.Sites), isWrite);
    return true;
  }
  S.Kind = llvm::any_of(After,
                        [&](const StaticSite &W) {
                          return isWrite(W) && isLazyWrite(W, A.context());
                        })
               ? MutableStatic::LazyInit
               : MutableStatic::WrittenAfterInit;
  S.PartialLock = commonLock(After, A);
  S.Sites = std::move(After);
  // Every access holds the same lock; or the unguarded ones only read.
  return llvm::any_of(S.Sites, isWrite) ||
         (!S.Sites.empty() && !S.PartialLock.empty());
}

std::vector<MutableStatic> mutableStatics(ExtensionAnalysis &A,
                                          const StaticOptions &Options) {
  const ExtensionModel &M = A.model();
  const ASTContext &Ctx = A.context();
  llvm::DenseSet<const VarDecl *> Candidates;
  std::vector<const VarDecl *> Order;
  const SourceManager &SM = Ctx.getSourceManager();
  for (const VarDecl *V : M.statics())
    // A declaration only builds without free threading: the free-threaded
    // build compiles another one (`#ifdef Py_GIL_DISABLED` std::atomic
    // `#else` a plain counter).
    if (!A.isExcluded(V->getLocation()) &&
        !A.preprocessor().isGilOnly(SM.getExpansionLoc(V->getLocation())) &&
        isCandidate(V, Ctx, Options) && Candidates.insert(accessedVariable(V)).second)
      Order.push_back(V);
  auto Sites = collectSites(A, Candidates);
  std::vector<MutableStatic> Out;
  for (const VarDecl *V : Order) {
    MutableStatic S;
    S.Var = V;
    S.State = stateOf(V, M);
    S.Uses = std::move(Sites[accessedVariable(V)]);
    if (classify(S, A, Options))
      Out.push_back(std::move(S));
  }
  return Out;
}

static llvm::StringRef stateWord(MutableStatic::StateKind State) {
  switch (State) {
  case MutableStatic::Object:
    return "object";
  case MutableStatic::TypeObject:
    return "type object";
  case MutableStatic::Flag:
    return "flag";
  case MutableStatic::Integer:
    return "integer";
  case MutableStatic::Number:
    return "number";
  case MutableStatic::Buffer:
    return "array";
  case MutableStatic::Pointer:
    return "pointer";
  case MutableStatic::Aggregate:
    return "variable";
  }
  llvm_unreachable("unknown state kind");
}

/// What to do instead, for state written after init.
static llvm::StringRef remedyOf(MutableStatic::StateKind State) {
  switch (State) {
  case MutableStatic::Object:
  case MutableStatic::TypeObject:
    return "create it in the Py_mod_exec slot and keep it in module state "
           "(PyModule_GetState, PyType_GetModuleState), or guard every "
           "access with a PyMutex";
  case MutableStatic::Flag:
  case MutableStatic::Integer:
    return "make it atomic, or guard every access with a PyMutex";
  case MutableStatic::Buffer:
    return "make it thread-local if each thread needs its own, or guard "
           "every access with a PyMutex";
  default:
    return "keep it in module state, make it thread-local, or guard every "
           "access with a PyMutex";
  }
}

std::string staticHazardMessage(const MutableStatic &S) {
  std::string Head =
      ("static " + stateWord(S.State) + " '" + S.Var->getName() + "'").str();
  switch (S.Kind) {
  case MutableStatic::LazyInit:
    return Head + " is initialised lazily on first use; two threads may both "
                  "find it unset and initialise it twice (a leak, a lost "
                  "update or a torn read); create it in the Py_mod_exec slot "
                  "and keep it in module state, or guard the initialisation "
                  "with a PyMutex";
  case MutableStatic::InitOnly:
    if (S.State == MutableStatic::TypeObject)
      return Head + " is shared by every interpreter; create a heap type "
                    "with PyType_FromModuleAndSpec in the Py_mod_exec slot "
                    "and keep it in module state";
    return Head + " is written during module initialisation and shared by "
                  "every interpreter; keep it in module state";
  case MutableStatic::WrittenAfterInit:
    break;
  }
  if (!S.PartialLock.empty())
    return Head + " is guarded by '" + S.PartialLock +
           "' at some accesses but not at all; hold it at every access";
  return Head +
         " is written after module initialisation and shared by "
         "every thread without a lock; " +
         remedyOf(S.State).str();
}

std::string staticHazardShort(const MutableStatic &S) {
  return ("static " + stateWord(S.State) + " '" + S.Var->getName() + "'").str();
}

std::string staticSiteNote(const StaticSite &Site, const ExtensionModel &M) {
  static const char *Verbs[] = {"read", "written", "written through"};
  Access::KindType Kind = Site.Own ? Site.Use->Kind : Access::Read;
  std::string Note = (llvm::Twine(Verbs[Kind]) + " here in " +
                      M.describe(Site.Function))
                         .str();
  if (Site.Use->Locks.Detached)
    Note += ", with the thread state detached (Py_BEGIN_ALLOW_THREADS)";
  return Note;
}

} // namespace clang::tidy::freethreading
