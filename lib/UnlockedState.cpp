//===--- UnlockedState.cpp - object state touched without its lock --------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "lib/UnlockedState.h"
#include "lib/AstHelpers.h"
#include "lib/KnowledgeBase.h"
#include "lib/OptionValues.h"
#include "lib/SourceEdits.h"
#include "clang-tidy/utils/OptionsUtils.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"

namespace clang::tidy::freethreading {

SectionOptions SectionOptions::read(ClangTidyCheck::OptionsView &Options,
                                    llvm::StringRef CheckName,
                                    std::vector<std::string> *Problems) {
  SectionOptions O;
  O.ReinitIsWrite =
      readBoolOption(Options, CheckName, "ReinitIsWrite", true, Problems);
  O.LockHeldSuffixes =
      Options.get("LockHeldSuffixes", O.LockHeldSuffixes).str();
  return O;
}

void SectionOptions::store(ClangTidyCheck::OptionsView &Options,
                           ClangTidyOptions::OptionMap &Map) const {
  Options.store(Map, "ReinitIsWrite", ReinitIsWrite ? "true" : "false");
  Options.store(Map, "LockHeldSuffixes", LockHeldSuffixes);
}

bool expectsLockHeld(const FunctionDecl *F, const SectionOptions &Options) {
  llvm::StringRef Name = F->getName();
  for (llvm::StringRef Suffix :
       utils::options::parseStringList(Options.LockHeldSuffixes))
    if (!Suffix.empty() && Name.ends_with(Suffix))
      return true;
  const SourceManager &SM = F->getASTContext().getSourceManager();
  for (const FunctionDecl *D : F->redecls())
    if (commentBefore(SM, D->getBeginLoc()).contains(LockHeldAnnotation))
      return true;
  return false;
}

/// The role that makes \p F run on a live instance (a method, a getter, a
/// live slot), or null: construction, destruction and helpers run on an
/// object no other thread has yet, or only for their callers.
static const FunctionRole *liveRole(const FunctionDecl *F,
                                    const ExtensionModel &M) {
  for (const FunctionRole &R : M.rolesOf(F))
    if (R.SelfParams && R.Kind != FunctionRole::Helper &&
        (!R.Slot || R.Slot->Phase == TypeSlotInfo::Live))
      return &R;
  return nullptr;
}

static bool isReinit(const FunctionDecl *F, const ExtensionModel &M) {
  return llvm::any_of(M.rolesOf(F), [](const FunctionRole &R) {
    return R.Slot && R.Slot->Name == "tp_init";
  });
}

/// Fields no lock needs to guard: locks, atomics, constants and the object
/// header.
static bool needsNoLock(const FieldDecl *FD, const ExtensionModel &M) {
  QualType T = FD->getType();
  if (T.isConstQualified() || T->isAtomicType() || isLockType(T))
    return true;
  if (const auto *RD = T->getAsCXXRecordDecl())
    if (RD->isInStdNamespace() && RD->getName().starts_with("atomic"))
      return true;
  // PyObject_HEAD, PyObject_VAR_HEAD, or the object struct extended.
  if (const RecordDecl *RD = T->getAsRecordDecl()) {
    llvm::StringRef Name = RD->getName();
    if (Name == "_object" || Name == "PyObject" || M.objectStruct(RD))
      return true;
    if (const TypedefNameDecl *TD = RD->getTypedefNameForAnonDecl())
      if (TD->getName() == "PyVarObject" || TD->getName() == "PyObject")
        return true;
  }
  return false;
}

static bool isWrite(const Access &A) { return A.Kind != Access::Read; }

/// "self->size", the field as the function reaches it.
static std::string fieldText(const Access &A) {
  return A.Object.Text + "->" + A.FieldPath;
}

namespace {

/// The fields of object structs something writes on a live object, with
/// the writes.
class MutableFields {
public:
  MutableFields(ExtensionAnalysis &A, const SectionOptions &Options);
  bool isMutable(const FieldDecl *FD) const { return Writes.count(FD); }
  /// A write of \p FD outside \p F, for the note; null if only \p F writes.
  const FieldWriter *writerOutside(const FieldDecl *FD,
                                   const FunctionDecl *F) const;

private:
  void addWriter(const FieldDecl *FD, const FunctionDecl *F, FieldWriter W,
                 bool Reinit);
  llvm::DenseMap<const FieldDecl *,
                 std::vector<std::pair<const FunctionDecl *, FieldWriter>>>
      Writes;
};

} // namespace

MutableFields::MutableFields(ExtensionAnalysis &A,
                             const SectionOptions &Options) {
  const ExtensionModel &M = A.model();
  for (const FunctionDecl *F : M.functions()) {
    const FunctionRole *Live = liveRole(F, M);
    bool Reinit = !Live && Options.ReinitIsWrite && isReinit(F, M);
    if (!Live && !Reinit)
      continue;
    std::string Where = M.describe(F);
    for (const Access &Acc : A.flow(F).accesses()) {
      if (Acc.Target != Access::Field || !Acc.Member ||
          !Acc.Object.OnInstance || !isWrite(Acc) || Acc.PassedOn ||
          needsNoLock(Acc.Member, M))
        continue;
      // A number or flag a second __init__ sets again is at worst stale;
      // an object, a pointer or a buffer it replaces is freed under a
      // reader.
      if (Reinit && Acc.Member->getType()->isArithmeticType())
        continue;
      std::string Note = "'" + Acc.FieldPath + "' is written here, in " + Where;
      if (Acc.Via)
        Note += " (by '" + Acc.Via->getNameAsString() + "')";
      if (Reinit)
        Note += ", which Python code can call again on a live object "
                "(obj.__init__(...))";
      addWriter(Acc.Member, F, {Acc.Member, Acc.Loc, std::move(Note)},
                Reinit);
    }
  }
  for (const std::unique_ptr<TypeInfo> &T : M.types())
    for (const MemberInfo &Member : T->Members)
      if (Member.Field && !Member.ReadOnly && !needsNoLock(Member.Field, M))
        addWriter(Member.Field, nullptr,
                  {Member.Field, Member.Where,
                   "'" + Member.Name +
                       "' is writable from Python code through this "
                       "member"},
                  /*Reinit=*/false);
}

void MutableFields::addWriter(const FieldDecl *FD, const FunctionDecl *F,
                              FieldWriter W, bool Reinit) {
  // The notes name a write on a live object before a tp_init.
  auto &List = Writes[FD];
  auto At = Reinit ? List.end()
                   : llvm::find_if(List, [](const auto &E) {
                       return E.second.Reinit;
                     });
  W.Reinit = Reinit;
  List.insert(At, {F, std::move(W)});
}

const FieldWriter *MutableFields::writerOutside(const FieldDecl *FD,
                                                const FunctionDecl *F) const {
  auto It = Writes.find(FD);
  if (It == Writes.end())
    return nullptr;
  for (const auto &[Writer, W] : It->second)
    if (Writer != F)
      return &W;
  return nullptr;
}

static bool inSourceOrder(const SourceManager &SM, const Access *X,
                          const Access *Y) {
  return SM.isBeforeInTranslationUnit(X->Loc, Y->Loc);
}

/// The unprotected accesses of \p F to mutable fields of its instances.
static UnlockedFunction unlockedIn(const FunctionDecl *F, ExtensionAnalysis &A,
                                   const MutableFields &Fields,
                                   const SectionOptions &Options) {
  const ExtensionModel &M = A.model();
  unsigned Self = M.selfParams(F);
  bool OneInstance = llvm::popcount(Self) == 1;
  UnlockedFunction U;
  U.Function = F;
  U.SelfParam = OneInstance ? llvm::countr_zero(Self) : -1;
  // One access per place and field (a helper's several accesses are one
  // call); a write wins over a read of the same place (Py_XSETREF).
  const SourceManager &SM = A.context().getSourceManager();
  llvm::DenseMap<std::pair<SourceLocation, const FieldDecl *>, size_t> Seen;
  // A test of a pointer field for NULL reads nothing through it, and a
  // word-sized load is not torn on any platform CPython supports (CPython
  // does the same with relaxed atomic loads): not reported.
  for (const Access &Acc : A.flow(F).accesses()) {
    if (Acc.Target != Access::Field || !Acc.Member ||
        !Acc.Object.OnInstance || !Fields.isMutable(Acc.Member) ||
        Acc.OnlyTested || Acc.Locks.protects(Acc.Object))
      continue;
    auto [It, New] = Seen.try_emplace(
        {SM.getFileLoc(Acc.Loc), Acc.Via ? nullptr : Acc.Member},
        U.Accesses.size());
    if (!New) {
      if (isWrite(Acc) && !isWrite(*U.Accesses[It->second]))
        U.Accesses[It->second] = &Acc;
      continue;
    }
    U.Accesses.push_back(&Acc);
  }
  for (const Access *Acc : U.Accesses)
    if (Acc->Via && expectsLockHeld(Acc->Via, Options))
      U.LockHeldCalls.insert(Acc);
  llvm::stable_sort(U.Accesses, [&](const Access *X, const Access *Y) {
    return inSourceOrder(SM, X, Y);
  });
  llvm::SmallPtrSet<const FieldDecl *, 8> Noted;
  for (const Access *Acc : U.Accesses)
    if (Noted.insert(Acc->Member).second)
      if (const FieldWriter *W = Fields.writerOutside(Acc->Member, F))
        U.Writers.push_back(*W);
  return U;
}

/// The type functions that touch mutable fields without a lock.
static std::vector<UnlockedFunction>
unlockedFunctions(ExtensionAnalysis &A, const MutableFields &Fields,
                  const SectionOptions &Options) {
  const ExtensionModel &M = A.model();
  std::vector<UnlockedFunction> Out;
  for (const FunctionDecl *F : M.functions()) {
    if (!liveRole(F, M) || A.isExcluded(F->getLocation()) ||
        expectsLockHeld(F, Options))
      continue;
    UnlockedFunction U = unlockedIn(F, A, Fields, Options);
    if (!U.Accesses.empty())
      Out.push_back(std::move(U));
  }
  return Out;
}

static llvm::StringRef verbOf(const Access &A) {
  if (A.PassedOn)
    return "passes on";
  switch (A.Kind) {
  case Access::Read:
    return "reads";
  case Access::Write:
    return "writes";
  case Access::Modify:
    return "writes through";
  }
  llvm_unreachable("covered switch over Access::KindType");
}

/// "reads 'self->size'", "writes 'self->size' (in 'bump')".
static std::string accessPhrase(const Access &A) {
  std::string Text = (verbOf(A) + " '" + fieldText(A) + "'").str();
  if (A.Via)
    Text += " (in '" + A.Via->getNameAsString() + "')";
  return Text;
}

std::string unlockedMessage(const UnlockedFunction &U, ExtensionAnalysis &A) {
  const Access &First = *U.Accesses.front();
  std::string Who = A.model().describe(U.Function);
  std::string On = "'" + First.Object.Text + "'";
  std::string Text;
  if (U.LockHeldCalls.contains(&First))
    Text = Who + " calls '" + First.Via->getNameAsString() +
           "', which expects its caller to hold the critical section on " +
           On + ", without holding it; another thread can change the "
                "fields it uses at the same time";
  else
    Text = Who + " " + accessPhrase(First) +
           " without a critical section on " + On +
           (First.Locks.Detached
                ? " (the thread state is detached here: "
                  "Py_BEGIN_ALLOW_THREADS suspends every critical section)"
                : "") +
           "; another thread can change it at the same time";
  return Text;
}

std::string unlockedShort(const UnlockedFunction &U, ExtensionAnalysis &A) {
  return "unlocked object state in " + A.model().describe(U.Function);
}

std::string unlockedAccessNote(const UnlockedFunction &U, const Access &Use) {
  if (U.LockHeldCalls.contains(&Use))
    return "also calls '" + Use.Via->getNameAsString() +
           "' here, which expects the critical section held";
  return "also " + accessPhrase(Use) + " here";
}

// Borrowed fields.

namespace {

/// The events of one function body that decide whether a local loaded from
/// a field dangles: the loads, the calls, the references to locals.
struct BodyEvents : RecursiveASTVisitor<BodyEvents> {
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool VisitVarDecl(VarDecl *V) {
    if (V->isLocalVarDecl() && V->getInit())
      Loads.push_back({V, V->getInit()});
    return true;
  }
  bool VisitBinaryOperator(BinaryOperator *B) {
    if (B->getOpcode() == BO_Assign)
      if (const VarDecl *V = namedVariable(B->getLHS()))
        if (V->isLocalVarDecl()) {
          Loads.push_back({V, B->getRHS()});
          Stores.push_back(B);
        }
    return true;
  }
  bool VisitCallExpr(CallExpr *C) {
    Calls.push_back(C);
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *R) {
    Refs.push_back(R);
    return true;
  }
  std::vector<std::pair<const VarDecl *, const Expr *>> Loads;
  std::vector<const BinaryOperator *> Stores;
  std::vector<const CallExpr *> Calls;
  std::vector<const DeclRefExpr *> Refs;
};

} // namespace

static llvm::StringRef calleeName(const CallExpr *C) {
  const FunctionDecl *F = C->getDirectCallee();
  return F && F->getIdentifier() ? F->getName() : "";
}

/// True when \p C makes \p V's reference its own (Py_INCREF(v),
/// Py_NewRef(v)) or releases it as the owner (Py_DECREF(v)).
static bool ownsOrReleases(const CallExpr *C, const VarDecl *V) {
  llvm::StringRef Name = calleeName(C);
  Name.consume_front("_");
  bool Owning = Name == "Py_INCREF" || Name == "Py_XINCREF" ||
                Name == "Py_NewRef" || Name == "Py_XNewRef" ||
                Name == "Py_IncRef" || Name == "Py_DECREF" ||
                Name == "Py_XDECREF" || Name == "Py_DecRef";
  return Owning && C->getNumArgs() == 1 &&
         namedVariable(C->getArg(0)->IgnoreParenCasts()) == V;
}

/// The first call after \p From (in source order) that can run Python code
/// while \p V still borrows the field \p Field, with a use of \p V at or
/// after it; {null, null} when \p V owns its reference first, is assigned
/// again, or the field is replaced (ownership moved to \p V).
static std::pair<const CallExpr *, const DeclRefExpr *>
danglingUse(const BodyEvents &Ev, const VarDecl *V, const FieldDecl *Field,
            SourceLocation From, const SourceManager &SM) {
  auto After = [&](SourceLocation L) {
    return SM.isBeforeInTranslationUnit(From, SM.getExpansionLoc(L));
  };
  SourceLocation Stop;
  auto Before = [&](SourceLocation L) {
    return Stop.isInvalid() ||
           SM.isBeforeInTranslationUnit(SM.getExpansionLoc(L), Stop);
  };
  auto Earlier = [&](SourceLocation L) {
    L = SM.getExpansionLoc(L);
    if (Stop.isInvalid() || SM.isBeforeInTranslationUnit(L, Stop))
      Stop = L;
  };
  for (const BinaryOperator *B : Ev.Stores) {
    const auto *M = dyn_cast<MemberExpr>(B->getLHS()->IgnoreParenCasts());
    if ((namedVariable(B->getLHS()) == V ||
         (M && M->getMemberDecl() == Field)) &&
        After(B->getBeginLoc()))
      Earlier(B->getBeginLoc());
  }
  for (const CallExpr *C : Ev.Calls)
    if (ownsOrReleases(C, V) && After(C->getBeginLoc()))
      Earlier(C->getBeginLoc());
  const CallExpr *Runs = nullptr;
  for (const CallExpr *C : Ev.Calls)
    if (After(C->getBeginLoc()) && Before(C->getBeginLoc()) &&
        mayRunPythonCode(calleeName(C)) &&
        (!Runs || SM.isBeforeInTranslationUnit(
                      SM.getExpansionLoc(C->getBeginLoc()),
                      SM.getExpansionLoc(Runs->getBeginLoc()))))
      Runs = C;
  if (!Runs)
    return {nullptr, nullptr};
  SourceLocation At = SM.getExpansionLoc(Runs->getBeginLoc());
  for (const DeclRefExpr *R : Ev.Refs)
    if (R->getDecl() == V && Before(R->getBeginLoc()) &&
        !SM.isBeforeInTranslationUnit(SM.getExpansionLoc(R->getBeginLoc()),
                                      At))
      return {Runs, R};
  return {nullptr, nullptr};
}

/// The locals that borrow a mutable field across Python code.
static std::vector<BorrowedField> borrowedFields(ExtensionAnalysis &A,
                                                 const MutableFields &Fields) {
  const ExtensionModel &M = A.model();
  const SourceManager &SM = A.context().getSourceManager();
  std::vector<BorrowedField> Out;
  for (const FunctionDecl *F : M.functions()) {
    if (!liveRole(F, M) || A.isExcluded(F->getLocation()))
      continue;
    const FunctionFlow &Flow = A.flow(F);
    // Such a load is a read of the field the flow has seen: no walk for a
    // body that reads none.
    if (llvm::none_of(Flow.accesses(), [&](const Access &Acc) {
          return Acc.Target == Access::Field && !Acc.Via && Acc.Member &&
                 isPyObjectPointer(Acc.Member->getType()) &&
                 Fields.isMutable(Acc.Member);
        }))
      continue;
    BodyEvents Ev;
    Ev.TraverseStmt(const_cast<Stmt *>(F->getBody()));
    for (const auto &[V, Value] : Ev.Loads) {
      const auto *Load = dyn_cast<MemberExpr>(Value->IgnoreParenCasts());
      const auto *Field =
          Load ? dyn_cast<FieldDecl>(Load->getMemberDecl()) : nullptr;
      const VarDecl *Base = Load ? namedVariable(Load->getBase()) : nullptr;
      if (!Field || !Base || !Flow.isInstance(Base) ||
          !isPyObjectPointer(Field->getType()) || !Fields.isMutable(Field))
        continue;
      auto [Call, Use] = danglingUse(Ev, V, Field,
                                     SM.getExpansionLoc(Load->getEndLoc()), SM);
      if (Call)
        Out.push_back({F, V, Load, Call, Use});
    }
  }
  return Out;
}

ObjectStateFindings objectStateFindings(ExtensionAnalysis &A,
                                        const SectionOptions &Options) {
  MutableFields Fields(A, Options);
  return {unlockedFunctions(A, Fields, Options), borrowedFields(A, Fields)};
}

std::string borrowedFieldMessage(const BorrowedField &B) {
  std::string Field = B.Load->getMemberDecl()->getNameAsString();
  return "'" + B.Var->getNameAsString() + "' borrows the object in '" +
         Field + "', and '" + calleeName(B.Call).str() +
         "' can run Python code that replaces '" + Field +
         "' and frees it while it is still used; take a strong reference "
         "(Py_NewRef) where the field is read, and release it after the "
         "last use";
}

// Section mistakes.

static llvm::StringRef jumpName(const Stmt *S) {
  if (isa_and_nonnull<ReturnStmt>(S))
    return "return";
  if (isa_and_nonnull<GotoStmt>(S))
    return "goto";
  if (isa_and_nonnull<BreakStmt>(S))
    return "break";
  if (isa_and_nonnull<ContinueStmt>(S))
    return "continue";
  return "a jump";
}

static std::string objectsOf(const SectionFact &S) {
  std::string Text;
  for (const ObjectRef &O : S.Objects)
    Text += (Text.empty() ? "'" : " and '") + O.Text + "'";
  return Text.empty() ? "its object" : Text;
}

/// The warning for \p P, and where the section it is about begins.
static SectionMistake mistakeOf(const SectionProblem &P,
                                const FunctionFlow &Flow) {
  llvm::ArrayRef<SectionFact> Sections = Flow.sections();
  const SectionFact *S = P.Section >= 0 && P.Section < (int)Sections.size()
                             ? &Sections[P.Section]
                             : nullptr;
  SectionMistake M;
  M.Function = Flow.function();
  M.Problem = &P;
  switch (P.Kind) {
  case SectionProblem::LeavesSection:
    M.Message = "'" + jumpName(P.S).str() +
                "' leaves the critical section without "
                "Py_END_CRITICAL_SECTION: the object stays locked";
    if (S)
      M.Begin = S->Begin;
    break;
  case SectionProblem::UnmatchedBegin:
    M.Message = "critical section begun here is not ended in this function";
    break;
  case SectionProblem::UnmatchedEnd:
    M.Message = "critical section ended here was not begun in this function";
    break;
  case SectionProblem::MismatchedEnd:
    M.Message = S && S->TwoObjects
                    ? "critical section begun with Py_BEGIN_CRITICAL_SECTION2 "
                      "is ended with Py_END_CRITICAL_SECTION; use "
                      "Py_END_CRITICAL_SECTION2"
                    : "critical section begun with Py_BEGIN_CRITICAL_SECTION "
                      "is ended with Py_END_CRITICAL_SECTION2; use "
                      "Py_END_CRITICAL_SECTION";
    break;
  case SectionProblem::NestedSection: {
    const SectionFact *Outer =
        S && S->Parent >= 0 ? &Sections[S->Parent] : nullptr;
    M.Message = "critical section on " +
                (S ? objectsOf(*S) : std::string("another object")) +
                " nested in the one on " +
                (Outer ? objectsOf(*Outer) : std::string("another object")) +
                ": only the innermost section is sure to be held; lock both "
                "at once with Py_BEGIN_CRITICAL_SECTION2";
    if (Outer)
      M.Begin = Outer->Begin;
    break;
  }
  case SectionProblem::ReleasesGil:
    M.Message = "Py_BEGIN_ALLOW_THREADS inside the critical section on " +
                (S ? objectsOf(*S) : std::string("an object")) +
                " suspends it: another thread can lock the object while this "
                "one still uses it; guard state that is used without the "
                "thread state with a PyMutex instead";
    if (S)
      M.Begin = S->Begin;
    break;
  }
  return M;
}

/// Where the critical sections begin, by file and offset, sorted.
using SectionStarts = std::vector<std::pair<FileID, unsigned>>;

/// True when one of \p Starts lies inside \p F's body.
static bool hasSection(const FunctionDecl *F, const SectionStarts &Starts,
                       const SourceManager &SM) {
  SourceRange Body = F->getBody()->getSourceRange();
  SourceLocation B = SM.getExpansionLoc(Body.getBegin());
  SourceLocation E = SM.getExpansionLoc(Body.getEnd());
  FileID File = SM.getFileID(B);
  if (File != SM.getFileID(E))
    return false;
  unsigned From = SM.getFileOffset(B), To = SM.getFileOffset(E);
  auto First = llvm::lower_bound(Starts, std::make_pair(File, From));
  return First != Starts.end() && First->first == File && First->second <= To;
}

std::vector<SectionMistake> sectionMistakes(ExtensionAnalysis &A) {
  const SourceManager &SM = A.context().getSourceManager();
  std::vector<SectionMistake> Out;
  SectionStarts Starts;
  for (const CriticalSection &S : A.preprocessor().criticalSections())
    Starts.emplace_back(S.File, S.Begin);
  if (Starts.empty())
    return Out;
  llvm::sort(Starts);
  for (const FunctionDecl *F : A.model().definitions()) {
    if (F->isDependentContext() || A.isExcluded(F->getLocation()) ||
        !hasSection(F, Starts, SM))
      continue;
    const FunctionFlow &Flow = A.flow(F);
    for (const SectionProblem &P : Flow.problems())
      Out.push_back(mistakeOf(P, Flow));
  }
  return Out;
}

} // namespace clang::tidy::freethreading
