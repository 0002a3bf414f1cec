//===--- FlowFacts.cpp - what one function reads, writes and holds --------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "lib/FlowFacts.h"
#include "lib/AstHelpers.h"
#include "lib/KnowledgeBase.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Analysis/CFG.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"

namespace clang::tidy::freethreading {

namespace {

enum class LockAction { Acquire, Release, Detach, Attach };

struct LockCall {
  llvm::StringRef Name;
  LockAction Action;
  HeldLock::KindType Kind;
  int KeyArg, ObjectArg;
};

// `None` locks (PyEval_SaveThread) are never held; any kind will do.
constexpr HeldLock::KindType None = HeldLock::Native;
constexpr HeldLock::KindType CriticalSection = HeldLock::CriticalSection;
constexpr HeldLock::KindType PyMutex = HeldLock::PyMutex;
constexpr HeldLock::KindType ThreadLock = HeldLock::ThreadLock;
constexpr HeldLock::KindType Native = HeldLock::Native;
constexpr LockAction Acquire = LockAction::Acquire;
constexpr LockAction Release = LockAction::Release;
constexpr LockAction Detach = LockAction::Detach;
constexpr LockAction Attach = LockAction::Attach;

const LockCall LockCalls[] = {
#define LOCK_CALL(Name, Action, Kind, KeyArg, ObjectArg)                       \
  {#Name, Action, Kind, KeyArg, ObjectArg},
#include "lib/LockApis.def"
};

struct NamedAction {
  llvm::StringRef Name;
  LockAction Action;
};
const NamedAction LockMembers[] = {
#define LOCK_MEMBER(Name, Action) {#Name, Action},
#include "lib/LockApis.def"
};
const NamedAction LockGuards[] = {
#define LOCK_GUARD(Name, Action) {#Name, Action},
#include "lib/LockApis.def"
};
const llvm::StringRef LockTypes[] = {
#define LOCK_TYPE(Name) #Name,
#include "lib/LockApis.def"
};

const LockCall *findLockCallNamed(llvm::StringRef Name) {
  for (const LockCall &L : LockCalls)
    if (L.Name == Name)
      return &L;
  return nullptr;
}

const LockCall *findLockCall(const CallExpr *C) {
  const FunctionDecl *F = C->getDirectCallee();
  if (!F || !F->getIdentifier() || isa<CXXMethodDecl>(F))
    return nullptr;
  return findLockCallNamed(F->getName());
}

const NamedAction *findNamed(llvm::ArrayRef<NamedAction> Table,
                             llvm::StringRef Name) {
  for (const NamedAction &A : Table)
    if (A.Name == Name)
      return &A;
  return nullptr;
}

/// The unqualified name of the class or typedef a type is spelled with.
llvm::StringRef typeName(QualType T) {
  T = T.getNonReferenceType();
  if (const auto *TT = T->getAs<TypedefType>())
    return TT->getDecl()->getName();
  if (const RecordDecl *RD = recordOf(T))
    return RD->getName();
  return "";
}

/// A lock's state key and what it protects, read off an expression.
ObjectRef objectRefOf(const Expr *E,
                      const llvm::SmallPtrSetImpl<const VarDecl *> &Inst) {
  ObjectRef R;
  if (!E)
    return R;
  E = E->IgnoreParenCasts();
  if (const auto *U = dyn_cast<UnaryOperator>(E);
      U && U->getOpcode() == UO_AddrOf)
    E = U->getSubExpr()->IgnoreParenCasts();
  llvm::SmallVector<std::pair<llvm::StringRef, bool>, 4> Members;
  while (const auto *M = dyn_cast<MemberExpr>(E)) {
    Members.push_back({M->getMemberDecl()->getName(), M->isArrow()});
    E = M->getBase()->IgnoreParenCasts();
  }
  if (const auto *D = dyn_cast<DeclRefExpr>(E)) {
    R.Root = dyn_cast<VarDecl>(D->getDecl());
    R.Text = D->getDecl()->getName().str();
  } else if (isa<CXXThisExpr>(E)) {
    R.Text = "this";
    R.OnInstance = true;
  } else {
    return R;
  }
  for (const auto &[Name, Arrow] : llvm::reverse(Members)) {
    R.Text += (Arrow ? "->" : ".") + Name.str();
    if (!R.Path.empty())
      R.Path += ".";
    R.Path += Name.str();
  }
  R.OnInstance |= R.Root && Inst.contains(R.Root);
  return R;
}

/// The same, from text the preprocessor saw (a section's argument).
ObjectRef objectRefOfText(llvm::StringRef Text, const FunctionDecl *F,
                          const llvm::SmallPtrSetImpl<const VarDecl *> &Inst) {
  ObjectRef R;
  R.Text = normalizeObjectText(Text);
  llvm::StringRef T(R.Text);
  T.consume_front("&");
  size_t End = 0;
  while (End < T.size() && (llvm::isAlnum(T[End]) || T[End] == '_'))
    ++End;
  llvm::StringRef Root = T.take_front(End);
  llvm::StringRef Rest = T.drop_front(End);
  if (Rest.consume_front("->") || Rest.consume_front("."))
    R.Path = Rest.str();
  else if (!Rest.empty())
    return R;
  for (const ParmVarDecl *P : F->parameters())
    if (P->getName() == Root)
      R.Root = P;
  if (!R.Root && F->hasBody()) {
    struct Named : RecursiveASTVisitor<Named> {
      llvm::StringRef Name;
      const VarDecl *Found = nullptr;
      bool VisitVarDecl(VarDecl *V) {
        if (!Found && V->getName() == Name)
          Found = V;
        return true;
      }
    } N;
    N.Name = Root;
    N.TraverseStmt(F->getBody());
    R.Root = N.Found;
  }
  if (!R.Root) {
    ASTContext &Ctx = F->getASTContext();
    for (const NamedDecl *D :
         Ctx.getTranslationUnitDecl()->lookup(&Ctx.Idents.get(Root)))
      if (const auto *V = dyn_cast<VarDecl>(D))
        R.Root = V;
  }
  R.OnInstance = R.Root && Inst.contains(R.Root);
  return R;
}

/// A dataflow fact: the locks held on every path (Must) and on some path
/// (May), by key, and whether the thread state may be detached.
struct State {
  llvm::SmallVector<std::string, 2> Must, May;
  bool Detached = false;
  bool Reached = false;

  static void add(llvm::SmallVectorImpl<std::string> &Set,
                  const std::string &Key) {
    if (!llvm::is_contained(Set, Key))
      Set.push_back(Key);
  }
  static void remove(llvm::SmallVectorImpl<std::string> &Set,
                     const std::string &Key) {
    llvm::erase(Set, Key);
  }
  bool operator==(const State &O) const {
    auto Same = [](auto A, auto B) {
      llvm::sort(A);
      llvm::sort(B);
      return A == B;
    };
    return Reached == O.Reached && Detached == O.Detached &&
           Same(Must, O.Must) && Same(May, O.May);
  }
};

} // namespace

/// The CFG, the dataflow over it and the walk collecting the facts.
class FunctionFlow::Impl {
public:
  Impl(FunctionFlow &Out, unsigned SelfParams, ASTContext &Ctx,
       const ExtensionModel &Model, PreprocessorFacts &Facts,
       const LocalParents &Parents, SummaryFn Summary)
      : Out(Out), Ctx(Ctx), SM(Ctx.getSourceManager()), Model(Model),
        Facts(Facts), Summary(Summary), Parents(Parents) {}

  void run(bool LockFree);
  LockSet locksAt(const Stmt *S) const;
  /// The dataflow state where \p S is evaluated; unreached without a CFG.
  State stateAt(const Stmt *S) const;
  /// The locks of \p Keys, with what they protect.
  void locksOf(llvm::ArrayRef<std::string> Keys,
               llvm::SmallVectorImpl<HeldLock> &Out) const;

  // Used by the walk.
  FunctionFlow &Out;
  ASTContext &Ctx;
  const SourceManager &SM;
  const ExtensionModel &Model;
  PreprocessorFacts &Facts;
  SummaryFn Summary;
  const LocalParents &Parents;

  /// The file and offset a statement is written at.
  std::pair<FileID, unsigned> at(SourceLocation L) const {
    return SM.getDecomposedLoc(SM.getExpansionLoc(L));
  }
  /// The sections around \p L, innermost last.
  llvm::SmallVector<int, 2> sectionsAround(SourceLocation L) const;
  bool inside(int Section, SourceLocation L) const;
  /// How \p Top is used; \p PassedOn is set for a pointer handed to a
  /// parameter that may or may not write through it.
  Access::KindType classify(const Expr *Top, bool *PassedOn = nullptr) const;
  Access::KindType addressUse(const Stmt *AddrOf,
                              bool *PassedOn = nullptr) const;
  /// The critical section a helper holds on an argument while it uses the
  /// address of \p Field passed to it (FunctionSummary::LockedParams).
  std::optional<HeldLock> calleeLock(const Expr *Field) const;

private:
  void pairSections();
  void sectionProblems();
  void buildCfg();
  void dataflow();
  void transfer(const CFGElement &E, State &S) const;
  void acquire(State &S, const ObjectRef &Key, HeldLock Lock) const;
  void applyLock(const LockCall &L, const ObjectRef &Key,
                 const ObjectRef &Object, SourceLocation Loc, State &S) const;
  void applyMacroLock(const LockMacroUse &Use, SourceLocation Loc,
                      State &S) const;
  const Stmt *elementOf(const Stmt *St) const;
  const Stmt *firstElementOf(const Stmt *St) const;
  /// Applies the lock macros anchored at \p Element (MacroLocks).
  void macroLocksBefore(const Stmt *Element, State &S) const;
  void findMacroLocks();
  /// Lock macro uses, by the CFG element they apply before.
  llvm::DenseMap<const Stmt *, llvm::SmallVector<const LockMacroUse *, 1>>
      MacroLocks;
  void collect();
  void viaHelpers();
  void exitsAndJumps();
  /// What collect() found besides the accesses and calls (AccessWalker).
  std::vector<const Stmt *> Jumps;
  std::vector<const CallExpr *> ThreadStateCalls;
  void endExit();

  std::unique_ptr<CFG> Cfg;
  std::vector<const CFGBlock *> Blocks; ///< By id.
  /// Statement -> (block id, element index).
  llvm::DenseMap<const Stmt *, std::pair<unsigned, unsigned>> Elements;
  std::vector<State> In;
  mutable llvm::StringMap<HeldLock> Keys;
  /// Guard variables of C++ lock guards and the key they hold.
  mutable llvm::DenseMap<const VarDecl *, std::pair<std::string, bool>> Guards;
  std::vector<std::pair<unsigned, unsigned>> SectionSpans; ///< Offsets.
  FileID File;
  unsigned BodyBegin = 0, BodyEnd = 0;
};

void FunctionFlow::Impl::run(bool LockFree) {
  const Stmt *Body = Out.F->getBody();
  std::pair<FileID, unsigned> B = at(Body->getBeginLoc());
  std::pair<FileID, unsigned> E = at(Body->getEndLoc());
  File = B.first;
  BodyBegin = B.second;
  BodyEnd = B.first == E.first ? E.second : B.second;
  pairSections();
  if (!LockFree) {
    buildCfg();
    findMacroLocks();
    dataflow();
  }
  collect();
  viaHelpers();
  exitsAndJumps();
  sectionProblems();
}

void FunctionFlow::Impl::pairSections() {
  std::vector<const PreprocessorFacts::SectionEvent *> Events;
  for (const PreprocessorFacts::SectionEvent &Ev : Facts.Events)
    if (Ev.File == File && Ev.Offset > BodyBegin && Ev.Offset < BodyEnd)
      Events.push_back(&Ev);
  llvm::stable_sort(Events, [](const auto *A, const auto *B) {
    return A->Offset < B->Offset;
  });
  SourceLocation Start = SM.getLocForStartOfFile(File);
  std::vector<int> Open;
  for (const PreprocessorFacts::SectionEvent *Ev : Events) {
    SourceLocation L = Start.getLocWithOffset(Ev->Offset);
    if (Ev->IsBegin) {
      SectionFact S;
      S.Begin = L;
      S.TwoObjects = Ev->Two;
      S.Skipped = Ev->Skipped;
      S.Parent = Open.empty() ? -1 : Open.back();
      for (const std::string &O : Ev->Objects)
        S.Objects.push_back(objectRefOfText(O, Out.F, Out.Instances));
      Open.push_back(Out.Sections.size());
      Out.Sections.push_back(std::move(S));
      SectionSpans.push_back({Ev->Offset, BodyEnd});
      continue;
    }
    if (Open.empty()) {
      Out.Problems.push_back({SectionProblem::UnmatchedEnd, L, -1, nullptr});
      continue;
    }
    int I = Open.back();
    Open.pop_back();
    Out.Sections[I].End = L;
    Out.Sections[I].Skipped &= Ev->Skipped;
    SectionSpans[I].second = Ev->Offset;
    if (Out.Sections[I].TwoObjects != Ev->Two)
      Out.Problems.push_back({SectionProblem::MismatchedEnd, L, I, nullptr});
  }
  for (int I : Open)
    Out.Problems.push_back(
        {SectionProblem::UnmatchedBegin, Out.Sections[I].Begin, I, nullptr});
}

bool FunctionFlow::Impl::inside(int Section, SourceLocation L) const {
  std::pair<FileID, unsigned> D = at(L);
  return D.first == File && D.second > SectionSpans[Section].first &&
         D.second < SectionSpans[Section].second;
}

llvm::SmallVector<int, 2>
FunctionFlow::Impl::sectionsAround(SourceLocation L) const {
  llvm::SmallVector<int, 2> Result;
  for (int I = 0, N = Out.Sections.size(); I < N; ++I)
    if (inside(I, L))
      Result.push_back(I);
  return Result;
}

void FunctionFlow::Impl::buildCfg() {
  CFG::BuildOptions Opts;
  Opts.AddImplicitDtors = true;
  Cfg = CFG::buildCFG(Out.F, const_cast<Stmt *>(Out.F->getBody()), &Ctx, Opts);
  if (!Cfg)
    return;
  Blocks.assign(Cfg->getNumBlockIDs(), nullptr);
  for (const CFGBlock *B : *Cfg)
    Blocks[B->getBlockID()] = B;
  for (const CFGBlock *B : *Cfg)
    for (unsigned I = 0; I < B->size(); ++I)
      if (std::optional<CFGStmt> S = (*B)[I].getAs<CFGStmt>())
        Elements.try_emplace(S->getStmt(), B->getBlockID(), I);
  // A declaration of several variables is split into one synthetic
  // DeclStmt each; map the written one to the first.
  for (const auto &[Synthetic, Written] : Cfg->synthetic_stmts())
    if (auto It = Elements.find(Synthetic); It != Elements.end())
      Elements.try_emplace(Written, It->second);
}

void FunctionFlow::Impl::acquire(State &S, const ObjectRef &Key,
                                 HeldLock Lock) const {
  if (Key.Text.empty())
    return;
  State::add(S.Must, Key.Text);
  State::add(S.May, Key.Text);
  Keys.try_emplace(Key.Text, std::move(Lock));
}

/// Calls that come from the critical-section macros are the lexical
/// sections already; only the user's own PyCriticalSection_* calls count.
static bool fromSectionMacro(const Stmt *S, const SourceManager &SM,
                             const LangOptions &LO) {
  return inBodyOfMacro(S->getBeginLoc(), SM, LO, [](llvm::StringRef Name) {
    return isCriticalSectionBegin(Name) || isCriticalSectionEnd(Name);
  });
}

void FunctionFlow::Impl::transfer(const CFGElement &E, State &S) const {
  if (std::optional<CFGAutomaticObjDtor> D = E.getAs<CFGAutomaticObjDtor>()) {
    auto It = Guards.find(D->getVarDecl());
    if (It == Guards.end())
      return;
    if (It->second.second) {
      S.Detached = false;
    } else {
      State::remove(S.Must, It->second.first);
      State::remove(S.May, It->second.first);
    }
    return;
  }
  std::optional<CFGStmt> CS = E.getAs<CFGStmt>();
  if (!CS)
    return;
  const Stmt *St = CS->getStmt();
  macroLocksBefore(St, S);
  if (const auto *DS = dyn_cast<DeclStmt>(St)) {
    for (const Decl *D : DS->decls()) {
      const auto *V = dyn_cast<VarDecl>(D);
      const NamedAction *G =
          V ? findNamed(LockGuards, typeName(V->getType())) : nullptr;
      if (!G)
        continue;
      if (G->Action == LockAction::Detach) {
        S.Detached = true;
        Guards[V] = {"", true};
        continue;
      }
      const auto *Ctor =
          dyn_cast_or_null<CXXConstructExpr>(V->getInit()->IgnoreImplicit());
      if (!Ctor || Ctor->getNumArgs() == 0)
        continue;
      ObjectRef Key = objectRefOf(Ctor->getArg(0), Out.Instances);
      acquire(S, Key, {HeldLock::Native, Key, V->getLocation()});
      Guards[V] = {Key.Text, false};
    }
    return;
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(St)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    const NamedAction *A = M && M->getIdentifier()
                               ? findNamed(LockMembers, M->getName())
                               : nullptr;
    if (!A || !isLockType(MC->getImplicitObjectArgument()->getType()))
      return;
    ObjectRef Key = objectRefOf(MC->getImplicitObjectArgument(), Out.Instances);
    if (A->Action == LockAction::Acquire) {
      acquire(S, Key, {HeldLock::Native, Key, MC->getBeginLoc()});
    } else {
      State::remove(S.Must, Key.Text);
      State::remove(S.May, Key.Text);
    }
    return;
  }
  const auto *C = dyn_cast<CallExpr>(St);
  const LockCall *L = C ? findLockCall(C) : nullptr;
  if (!L || (L->Kind == HeldLock::CriticalSection &&
             fromSectionMacro(C, SM, Ctx.getLangOpts())))
    return;
  auto Arg = [&](int I) -> const Expr * {
    return I >= 0 && static_cast<unsigned>(I) < C->getNumArgs() ? C->getArg(I)
                                                                : nullptr;
  };
  if (L->Action != LockAction::Detach && L->Action != LockAction::Attach &&
      !Arg(L->KeyArg))
    return;
  ObjectRef Key = Arg(L->KeyArg) ? objectRefOf(Arg(L->KeyArg), Out.Instances)
                                 : ObjectRef();
  ObjectRef Object = Arg(L->ObjectArg)
                         ? objectRefOf(Arg(L->ObjectArg), Out.Instances)
                         : Key;
  applyLock(*L, Key, Object, C->getBeginLoc(), S);
}

void FunctionFlow::Impl::applyLock(const LockCall &L, const ObjectRef &Key,
                                   const ObjectRef &Object, SourceLocation Loc,
                                   State &S) const {
  switch (L.Action) {
  case LockAction::Detach:
    S.Detached = true;
    return;
  case LockAction::Attach:
    S.Detached = false;
    return;
  case LockAction::Release:
    State::remove(S.Must, Key.Text);
    State::remove(S.May, Key.Text);
    return;
  case LockAction::Acquire:
    acquire(S, Key, {L.Kind, Object, Loc});
    return;
  }
}

void FunctionFlow::Impl::applyMacroLock(const LockMacroUse &Use,
                                        SourceLocation Loc, State &S) const {
  const LockCall *L = findLockCallNamed(Use.Call);
  if (!L)
    return;
  auto Ref = [&](int I) {
    if (I < 0 || static_cast<unsigned>(I) >= Use.Args.size())
      return ObjectRef();
    // `&(o)->mutex` names the mutex as `o->mutex` does in a call.
    llvm::StringRef Text = llvm::StringRef(Use.Args[I]).trim();
    Text.consume_front("&");
    return objectRefOfText(normalizeObjectText(Text), Out.F, Out.Instances);
  };
  ObjectRef Key = Ref(L->KeyArg);
  if (Key.Text.empty() && L->Action != LockAction::Detach &&
      L->Action != LockAction::Attach)
    return;
  ObjectRef Object = L->ObjectArg >= 0 ? Ref(L->ObjectArg) : Key;
  applyLock(*L, Key, Object, Loc, S);
}

/// The CFG element a lock macro's statement is applied at: the statement
/// itself (parentheses and a `do { } while (0)` shell removed), or null when
/// it leaves none (an empty expansion).
const Stmt *FunctionFlow::Impl::elementOf(const Stmt *St) const {
  if (const auto *Do = dyn_cast<DoStmt>(St))
    St = Do->getCond();
  if (const auto *E = dyn_cast<Expr>(St))
    St = E->IgnoreParens();
  return Elements.count(St) ? St : nullptr;
}

/// The first CFG element evaluated for \p St: of its sub-statements, the
/// one in the earliest block (Clang numbers blocks backwards), earliest in
/// it; null when it has none.
const Stmt *FunctionFlow::Impl::firstElementOf(const Stmt *St) const {
  const Stmt *Best = nullptr;
  std::pair<unsigned, unsigned> BestAt;
  llvm::SmallVector<const Stmt *, 16> Work{St};
  while (!Work.empty()) {
    const Stmt *S = Work.pop_back_val();
    if (!S || isa<LambdaExpr>(S))
      continue;
    if (auto It = Elements.find(S); It != Elements.end()) {
      std::pair<unsigned, unsigned> At = It->second;
      if (!Best || At.first > BestAt.first ||
          (At.first == BestAt.first && At.second < BestAt.second)) {
        Best = S;
        BestAt = At;
      }
    }
    llvm::append_range(Work, S->children());
  }
  return Best;
}

/// The statements of the body that are uses of lock macros the skipped
/// build defines (PreprocessorFacts::lockMacroUses), each anchored at the
/// CFG element that evaluates it, or at the next statement's when the
/// active build expands it to nothing.
void FunctionFlow::Impl::findMacroLocks() {
  llvm::SmallVector<const LockMacroUse *, 4> Uses;
  for (const LockMacroUse &U : Facts.lockMacroUses())
    if (U.File == File && U.Offset > BodyBegin && U.Offset < BodyEnd)
      Uses.push_back(&U);
  if (Uses.empty())
    return;
  struct Compounds : RecursiveASTVisitor<Compounds> {
    llvm::SmallVector<const CompoundStmt *, 16> Found;
    bool VisitCompoundStmt(CompoundStmt *CS) {
      Found.push_back(CS);
      return true;
    }
    bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  } W;
  W.TraverseStmt(const_cast<Stmt *>(Out.F->getBody()));
  for (const CompoundStmt *CS : W.Found) {
    llvm::ArrayRef<Stmt *> Body(CS->body_begin(), CS->body_end());
    unsigned After = at(CS->getLBracLoc()).second;
    for (size_t I = 0; I < Body.size(); ++I) {
      std::pair<FileID, unsigned> At = at(Body[I]->getBeginLoc());
      // An expansion to nothing leaves only its `;`: the use lies between
      // the statement before and that semicolon.
      bool Empty = isa<NullStmt>(Body[I]);
      unsigned Before = After;
      After = at(Body[I]->getEndLoc()).second;
      for (const LockMacroUse *U : Uses) {
        bool Here = At.second == U->Offset ||
                    (Empty && U->Offset > Before && U->Offset < At.second);
        if (At.first != U->File || !Here)
          continue;
        const Stmt *Anchor = elementOf(Body[I]);
        for (size_t J = I + 1; J < Body.size() && !Anchor; ++J)
          Anchor = firstElementOf(Body[J]);
        if (Anchor)
          MacroLocks[Anchor].push_back(U);
      }
    }
  }
}

void FunctionFlow::Impl::dataflow() {
  if (!Cfg)
    return;
  In.assign(Cfg->getNumBlockIDs(), State());
  In[Cfg->getEntry().getBlockID()].Reached = true;
  // Clang numbers the entry block highest and the exit block 0, so
  // descending ids visit most blocks after their predecessors.
  std::vector<const CFGBlock *> Order = Blocks;
  std::reverse(Order.begin(), Order.end());
  for (unsigned Round = 0; Round < 8; ++Round) {
    bool Changed = false;
    for (const CFGBlock *B : Order) {
      if (!B)
        continue;
      State Next;
      if (B == &Cfg->getEntry()) {
        Next.Reached = true;
      } else {
        for (const CFGBlock *P : B->preds()) {
          if (!P || !In[P->getBlockID()].Reached)
            continue;
          State Pred = In[P->getBlockID()];
          for (const CFGElement &E : *P)
            transfer(E, Pred);
          if (!Next.Reached) {
            Next = Pred;
            continue;
          }
          llvm::erase_if(Next.Must, [&](const std::string &K) {
            return !llvm::is_contained(Pred.Must, K);
          });
          for (const std::string &K : Pred.May)
            State::add(Next.May, K);
          Next.Detached |= Pred.Detached;
        }
      }
      if (!(Next == In[B->getBlockID()])) {
        In[B->getBlockID()] = std::move(Next);
        Changed = true;
      }
    }
    if (!Changed)
      break;
  }
}

State FunctionFlow::Impl::stateAt(const Stmt *S) const {
  if (!Cfg || !S)
    return State();
  // The statement the CFG evaluates that holds S.
  const Stmt *Cur = S;
  auto It = Elements.find(Cur);
  while (It == Elements.end() && (Cur = Parents.parent(Cur)))
    It = Elements.find(Cur);
  if (It == Elements.end())
    return State();
  const CFGBlock *Block = Blocks[It->second.first];
  State St = In[It->second.first];
  for (unsigned I = 0; Block && I < It->second.second; ++I)
    transfer((*Block)[I], St);
  // A lock macro anchored at S itself takes effect before it.
  macroLocksBefore(It->first, St);
  return St;
}

void FunctionFlow::Impl::macroLocksBefore(const Stmt *Element,
                                          State &S) const {
  if (auto It = MacroLocks.find(Element); It != MacroLocks.end())
    for (const LockMacroUse *U : It->second)
      applyMacroLock(*U, Element->getBeginLoc(), S);
}

void FunctionFlow::Impl::locksOf(llvm::ArrayRef<std::string> Held,
                                 llvm::SmallVectorImpl<HeldLock> &Out) const {
  for (const std::string &K : Held)
    if (auto KI = Keys.find(K); KI != Keys.end())
      Out.push_back(KI->second);
}

LockSet FunctionFlow::Impl::locksAt(const Stmt *S) const {
  LockSet Result;
  if (!S)
    return Result;
  for (int I : sectionsAround(S->getBeginLoc()))
    for (const ObjectRef &O : Out.Sections[I].Objects)
      Result.Locks.push_back(
          {HeldLock::CriticalSection, O, Out.Sections[I].Begin});
  State St = stateAt(S);
  locksOf(St.Must, Result.Locks);
  Result.Detached = St.Detached;
  return Result;
}

Access::KindType FunctionFlow::Impl::addressUse(const Stmt *AddrOf,
                                                bool *PassedOn) const {
  const Stmt *Child = nullptr;
  const Stmt *P = Parents.parentIgnoringCasts(AddrOf, &Child);
  if (const auto *C = dyn_cast_or_null<CallExpr>(P)) {
    const FunctionDecl *F = C->getDirectCallee();
    for (unsigned I = 0; I < C->getNumArgs(); ++I) {
      if (C->getArg(I)->IgnoreParenCasts() != Child && C->getArg(I) != Child)
        continue;
      if (F && F->getIdentifier() && isReadOnlyArgument(F->getName(), I))
        return Access::Read;
      // The parameter's type, from the callee or, for a call through a
      // function pointer, from its prototype.
      const auto *Proto =
          C->getCallee()->getType()->getPointeeOrArrayElementType()
              ->getAs<FunctionProtoType>();
      QualType T = F && I < F->getNumParams() ? F->getParamDecl(I)->getType()
                   : Proto && I < Proto->getNumParams() ? Proto->getParamType(I)
                                                        : QualType();
      if (!T.isNull() && T->isPointerType() &&
          T->getPointeeType().isConstQualified())
        return Access::Read;
      // A pointer value handed on may or may not be written through; an
      // address passed to a variadic or unknown parameter may be written.
      if (PassedOn)
        *PassedOn = !(F && F->getIdentifier() &&
                      isWrittenArgument(F->getName(), I));
      return Access::Modify;
    }
    return Access::Read;
  }
  if (isa_and_nonnull<BinaryOperator>(P) &&
      cast<BinaryOperator>(P)->isComparisonOp())
    return Access::Read;
  // Stored in a variable, returned or kept: it may be written through.
  return Access::Modify;
}

Access::KindType FunctionFlow::Impl::classify(const Expr *Top,
                                              bool *PassedOn) const {
  const Stmt *Child = nullptr;
  const Stmt *P = Parents.parentIgnoringCasts(Top, &Child);
  if (!P)
    return Access::Read;
  if (const auto *B = dyn_cast<BinaryOperator>(P)) {
    if (B->isAssignmentOp() && B->getLHS()->IgnoreParenCasts() == Top)
      return Access::Write;
    return Access::Read;
  }
  if (const auto *U = dyn_cast<UnaryOperator>(P)) {
    if (U->isIncrementDecrementOp())
      return Access::Write;
    if (U->getOpcode() == UO_AddrOf)
      return addressUse(U);
    if (U->getOpcode() == UO_Deref)
      return classify(U, PassedOn) == Access::Read ? Access::Read
                                                   : Access::Modify;
    return Access::Read;
  }
  if (const auto *A = dyn_cast<ArraySubscriptExpr>(P)) {
    if (A->getBase()->IgnoreParenCasts() != Top)
      return Access::Read;
    return classify(A, PassedOn) == Access::Read ? Access::Read
                                                 : Access::Modify;
  }
  if (const auto *M = dyn_cast<MemberExpr>(P)) // Through a pointer member.
    return classify(M, PassedOn) == Access::Read ? Access::Read
                                                 : Access::Modify;
  if (const auto *C = dyn_cast<CallExpr>(P)) {
    QualType T = Top->getType();
    bool Buffer =
        T->isArrayType() || (T->isPointerType() && !isPyObjectPointer(T) &&
                             !Model.pointeeObjectStruct(T));
    if (!Buffer || C->getCallee()->IgnoreParenCasts() == Top)
      return Access::Read;
    // The pointer's value is handed on: what it points to may be written.
    return addressUse(Child, PassedOn);
  }
  return Access::Read;
}

namespace {

/// Walks a function body for accesses to statics and object fields, for
/// the calls of the translation unit's functions, and for the statements
/// that leave the function or a loop and the thread-state calls, outside
/// lambdas.
class AccessWalker : public RecursiveASTVisitor<AccessWalker> {
public:
  explicit AccessWalker(FunctionFlow::Impl &I) : I(I) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  // Unevaluated operands read nothing.
  bool TraverseUnaryExprOrTypeTraitExpr(UnaryExprOrTypeTraitExpr *) {
    return true;
  }
  // A lambda's returns and jumps are its own.
  bool TraverseLambdaExpr(LambdaExpr *L) {
    ++InLambda;
    bool Result = RecursiveASTVisitor::TraverseLambdaExpr(L);
    --InLambda;
    return Result;
  }
  bool VisitDeclRefExpr(DeclRefExpr *R);
  bool VisitMemberExpr(MemberExpr *M);
  bool VisitCallExpr(CallExpr *C);
  bool VisitReturnStmt(ReturnStmt *S) { return jump(S); }
  bool VisitGotoStmt(GotoStmt *S) { return jump(S); }
  bool VisitBreakStmt(BreakStmt *S) { return jump(S); }
  bool VisitContinueStmt(ContinueStmt *S) { return jump(S); }

  std::vector<Access> Accesses;
  std::vector<CallFact> Calls;
  std::vector<const Stmt *> Jumps;
  std::vector<const CallExpr *> ThreadStateCalls;

private:
  /// The outermost `.member` chain above \p E (`st.a.b` for `st`), and
  /// the path it names.
  const Expr *memberChain(const Expr *E, std::string &Path) const;
  bool jump(const Stmt *S) {
    if (!InLambda)
      Jumps.push_back(S);
    return true;
  }
  FunctionFlow::Impl &I;
  unsigned InLambda = 0;
};

} // namespace

const Expr *AccessWalker::memberChain(const Expr *E, std::string &Path) const {
  const Expr *Top = E;
  while (true) {
    const Stmt *Child = nullptr;
    const auto *M = dyn_cast_or_null<MemberExpr>(
        I.Parents.parentIgnoringCasts(Top, &Child));
    if (!M || M->isArrow())
      return Top;
    Path += (Path.empty() ? "" : ".") + M->getMemberDecl()->getName().str();
    Top = M;
  }
}

bool AccessWalker::VisitDeclRefExpr(DeclRefExpr *R) {
  const auto *V = dyn_cast<VarDecl>(R->getDecl());
  if (!V || !V->hasGlobalStorage() || isa<ParmVarDecl>(V) ||
      !I.Model.isUserCode(V->getLocation()))
    return true;
  Access A;
  A.Target = Access::Static;
  A.Var = V->getCanonicalDecl();
  A.E = R;
  A.Loc = R->getBeginLoc();
  const Expr *Top = memberChain(R, A.FieldPath);
  A.Kind = I.classify(Top);
  // Writing a member of a static struct writes the static.
  if (Top != R && A.Kind == Access::Modify && !cast<MemberExpr>(Top)->isArrow())
    A.Kind = Access::Write;
  A.Locks = I.locksAt(R);
  Accesses.push_back(std::move(A));
  return true;
}

bool AccessWalker::VisitMemberExpr(MemberExpr *M) {
  const auto *Field = dyn_cast<FieldDecl>(M->getMemberDecl());
  if (!Field || !I.Model.objectStruct(Field->getParent()) ||
      !I.Model.isUserCode(Field->getLocation()))
    return true;
  Access A;
  A.Target = Access::Field;
  A.Member = Field;
  A.Object = objectRefOf(M->getBase(), I.Out.instances());
  A.E = M;
  A.Loc = M->getMemberLoc();
  A.FieldPath = Field->getName().str();
  const Expr *Top = memberChain(M, A.FieldPath);
  A.Kind = I.classify(Top, &A.PassedOn);
  if (Top != M && A.Kind == Access::Modify && !cast<MemberExpr>(Top)->isArrow())
    A.Kind = Access::Write;
  A.Locks = I.locksAt(M);
  A.OnlyTested = A.Kind == Access::Read && Top->getType()->isPointerType() &&
                 isPresenceTest(Top, I.Parents);
  if (std::optional<HeldLock> L = I.calleeLock(Top))
    A.Locks.Locks.push_back(*L);
  Accesses.push_back(std::move(A));
  return true;
}

std::optional<HeldLock>
FunctionFlow::Impl::calleeLock(const Expr *Field) const {
  const Stmt *Child = nullptr;
  const auto *Addr =
      dyn_cast_or_null<UnaryOperator>(Parents.parentIgnoringCasts(Field, &Child));
  if (!Addr || Addr->getOpcode() != UO_AddrOf)
    return std::nullopt;
  const auto *Call =
      dyn_cast_or_null<CallExpr>(Parents.parentIgnoringCasts(Addr, &Child));
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  Callee = Callee ? Callee->getDefinition() : nullptr;
  if (!Callee || !Model.isUserCode(Callee->getLocation()))
    return std::nullopt;
  const FunctionSummary *S = Summary(Callee);
  if (!S)
    return std::nullopt;
  for (const FunctionSummary::LockedParam &P : S->LockedParams)
    if (P.Param < Call->getNumArgs() && P.Owner < Call->getNumArgs() &&
        Call->getArg(P.Param) == Child) {
      ObjectRef Owner = objectRefOf(Call->getArg(P.Owner), Out.Instances);
      if (!Owner.Text.empty())
        return HeldLock{HeldLock::CriticalSection, Owner, Call->getBeginLoc()};
    }
  return std::nullopt;
}

bool AccessWalker::VisitCallExpr(CallExpr *C) {
  if (const LockCall *L = findLockCall(C);
      L && !InLambda &&
      (L->Action == LockAction::Detach || L->Action == LockAction::Attach))
    ThreadStateCalls.push_back(C);
  const FunctionDecl *G = C->getDirectCallee();
  G = G ? G->getDefinition() : nullptr;
  if (!G || !I.Model.isUserCode(G->getLocation()))
    return true;
  CallFact Fact;
  Fact.Call = C;
  Fact.Callee = G;
  for (unsigned A = 0; A < C->getNumArgs() && A < 32; ++A)
    if (const auto *R = dyn_cast<DeclRefExpr>(C->getArg(A)->IgnoreParenCasts()))
      if (const auto *V = dyn_cast<VarDecl>(R->getDecl());
          V && I.Out.isInstance(V))
        Fact.InstanceArgs |= 1U << A;
  Fact.Locks = I.locksAt(C);
  Calls.push_back(std::move(Fact));
  return true;
}

void FunctionFlow::Impl::collect() {
  AccessWalker W(*this);
  W.TraverseStmt(const_cast<Stmt *>(Out.F->getBody()));
  Out.Accesses = std::move(W.Accesses);
  Out.Calls = std::move(W.Calls);
  Jumps = std::move(W.Jumps);
  ThreadStateCalls = std::move(W.ThreadStateCalls);
}

/// What the helpers called here do to statics and to the objects passed.
void FunctionFlow::Impl::viaHelpers() {
  for (const CallFact &C : Out.Calls) {
    const FunctionSummary *S = Summary(C.Callee);
    if (!S)
      continue;
    for (const FunctionSummary::Effect &E : S->Effects) {
      Access A;
      A.Target = E.Target;
      A.Kind = E.Kind;
      A.Var = E.Var;
      A.Member = E.Member;
      A.FieldPath = E.FieldPath;
      A.E = C.Call;
      A.Loc = C.Call->getBeginLoc();
      A.Via = C.Callee;
      A.Locks = C.Locks;
      A.OnlyTested = E.OnlyTested;
      A.PassedOn = E.PassedOn;
      if (E.Target == Access::Field) {
        if (E.Param >= C.Call->getNumArgs())
          continue;
        A.Object = objectRefOf(C.Call->getArg(E.Param), Out.Instances);
        if (A.Object.Text.empty())
          continue;
        // The helper locks the object itself.
        if (E.Locked)
          A.Locks.Locks.push_back(
              {HeldLock::CriticalSection, A.Object, A.Loc});
      }
      Out.Accesses.push_back(std::move(A));
    }
  }
}

void FunctionFlow::Impl::exitsAndJumps() {
  for (const Stmt *S : Jumps) {
    if (isa<ReturnStmt>(S)) {
      ExitFact E;
      E.S = S;
      E.Loc = S->getBeginLoc();
      locksOf(stateAt(S).May, E.MayHold);
      Out.Exits.push_back(std::move(E));
    }
    llvm::SmallVector<int, 2> Around = sectionsAround(S->getBeginLoc());
    if (Around.empty())
      continue;
    int Innermost = Around.back();
    // Where the jump lands.
    const Stmt *Target = nullptr;
    if (const auto *G = dyn_cast<GotoStmt>(S)) {
      Target = G->getLabel()->getStmt();
    } else if (!isa<ReturnStmt>(S)) {
      for (const Stmt *P = Parents.parent(S); P; P = Parents.parent(P))
        if (isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(P) ||
            (isa<SwitchStmt>(P) && isa<BreakStmt>(S))) {
          Target = P;
          break;
        }
    }
    if (Target && inside(Innermost, Target->getBeginLoc()))
      continue;
    Out.Problems.push_back(
        {SectionProblem::LeavesSection, S->getBeginLoc(), Innermost, S});
  }
  endExit();
  // Py_BEGIN_ALLOW_THREADS regions: a save paired with the next restore.
  std::optional<SourceLocation> Save;
  for (const CallExpr *C : ThreadStateCalls) {
    if (findLockCall(C)->Action == LockAction::Detach) {
      Save = C->getBeginLoc();
      continue;
    }
    if (Save)
      Out.AllowThreads.push_back({*Save, C->getBeginLoc()});
    Save.reset();
  }
}

/// Falling off the end of the body: an edge into the exit block from a
/// block that does not end in a return.
void FunctionFlow::Impl::endExit() {
  if (!Cfg)
    return;
  ExitFact End;
  End.Loc = Out.F->getBody()->getEndLoc();
  bool Reaches = false;
  for (const CFGBlock *P : Cfg->getExit().preds()) {
    if (!P || !In[P->getBlockID()].Reached)
      continue;
    std::optional<CFGStmt> Last =
        P->empty() ? std::nullopt : P->back().getAs<CFGStmt>();
    if (Last && isa<ReturnStmt>(Last->getStmt()))
      continue;
    Reaches = true;
    State St = In[P->getBlockID()];
    for (const CFGElement &E : *P)
      transfer(E, St);
    locksOf(St.May, End.MayHold);
  }
  if (Reaches)
    Out.Exits.push_back(std::move(End));
}

void FunctionFlow::Impl::sectionProblems() {
  for (int I = 0, N = Out.Sections.size(); I < N; ++I) {
    const SectionFact &S = Out.Sections[I];
    if (S.Parent < 0 || S.TwoObjects)
      continue;
    const SectionFact &P = Out.Sections[S.Parent];
    if (P.TwoObjects || S.Objects.empty() || P.Objects.empty() ||
        sameObject(P.Objects[0], S.Objects[0]))
      continue;
    Out.Problems.push_back(
        {SectionProblem::NestedSection, S.Begin, I, nullptr});
  }
  for (const SourceRange &R : Out.AllowThreads) {
    llvm::SmallVector<int, 2> Around = sectionsAround(R.getBegin());
    if (!Around.empty())
      Out.Problems.push_back(
          {SectionProblem::ReleasesGil, R.getBegin(), Around.back(), nullptr});
  }
  llvm::stable_sort(Out.Problems,
                    [&](const SectionProblem &A, const SectionProblem &B) {
                      return SM.isBeforeInTranslationUnit(A.Loc, B.Loc);
                    });
}

FunctionFlow::FunctionFlow(const FunctionDecl *F, unsigned SelfParams,
                           bool LockFree, ASTContext &Ctx,
                           const ExtensionModel &Model,
                           PreprocessorFacts &Facts,
                           const LocalParents &Parents, SummaryFn Summary)
    : F(F) {
  Instances = Model.instanceAliases(F, SelfParams);
  if (!F->hasBody())
    return;
  I = std::make_unique<Impl>(*this, SelfParams, Ctx, Model, Facts, Parents,
                             Summary);
  I->run(LockFree);
}

FunctionFlow::~FunctionFlow() = default;

LockSet FunctionFlow::locksAt(const Stmt *S) const {
  return I ? I->locksAt(S) : LockSet();
}

FunctionSummary FunctionFlow::summary() const {
  FunctionSummary S;
  for (const Access &A : Accesses) {
    FunctionSummary::Effect E;
    E.Target = A.Target;
    E.Kind = A.Kind;
    E.Var = A.Var;
    E.Member = A.Member;
    E.FieldPath = A.FieldPath;
    E.OnlyTested = A.OnlyTested;
    E.PassedOn = A.PassedOn;
    if (A.Target == Access::Field) {
      // Only fields of objects the caller passes in.
      const auto *P = dyn_cast_or_null<ParmVarDecl>(A.Object.Root);
      if (!P && A.Object.OnInstance)
        for (const ParmVarDecl *Q : F->parameters())
          if (Instances.contains(Q))
            P = Q;
      if (!P || !A.Object.Path.empty())
        continue;
      E.Param = P->getFunctionScopeIndex();
      E.Locked = A.Locks.protects(A.Object);
    }
    S.Effects.push_back(std::move(E));
  }
  S.LockedParams = lockedParams();
  return S;
}

std::vector<FunctionSummary::LockedParam> FunctionFlow::lockedParams() const {
  std::vector<FunctionSummary::LockedParam> Out;
  if (Sections.empty())
    return Out;
  for (const ParmVarDecl *P : F->parameters()) {
    if (!P->getType()->isPointerType())
      continue;
    llvm::SmallVector<const DeclRefExpr *, 4> Uses =
        referencesTo(F->getBody(), P);
    std::optional<unsigned> Owner;
    for (const DeclRefExpr *R : Uses) {
      LockSet Held = locksAt(R);
      std::optional<unsigned> Here;
      for (const HeldLock &L : Held.Locks)
        if (const auto *O = dyn_cast_or_null<ParmVarDecl>(L.Object.Root);
            O && O != P && L.Kind == HeldLock::CriticalSection &&
            L.Object.Path.empty() && !Held.Detached)
          Here = O->getFunctionScopeIndex();
      if (!Here || (Owner && *Owner != *Here)) {
        Owner.reset();
        break;
      }
      Owner = Here;
    }
    if (Owner)
      Out.push_back({P->getFunctionScopeIndex(), *Owner});
  }
  return Out;
}

bool LockSet::protects(const ObjectRef &Object) const {
  return llvm::any_of(Locks, [&](const HeldLock &L) {
    return L.Kind != HeldLock::CriticalSection ||
           (!Detached && sameObject(L.Object, Object));
  });
}

/// The instance parameter an instance alias stands for: the parameter
/// itself, or the one a local was initialised from through casts
/// (instanceAliases); null for `this`.
static const VarDecl *instanceParamOf(const VarDecl *V) {
  while (V && !isa<ParmVarDecl>(V)) {
    const auto *R = V->getInit() ? dyn_cast<DeclRefExpr>(
                                       V->getInit()->IgnoreParenCasts())
                                 : nullptr;
    const auto *From = R ? dyn_cast<VarDecl>(R->getDecl()) : nullptr;
    V = From != V ? From : nullptr;
  }
  return V;
}

bool sameObject(const ObjectRef &Lock, const ObjectRef &Object) {
  if (Lock.Text.empty() || Object.Text.empty())
    return false;
  // `self` and `(FooObject *)self` are one object; the two instances of
  // nb_add or tp_richcompare are two.
  if (Lock.OnInstance && Object.OnInstance && Lock.Path.empty() &&
      Object.Path.empty())
    return instanceParamOf(Lock.Root) == instanceParamOf(Object.Root);
  if (Lock.Root && Lock.Root == Object.Root)
    return Lock.Path == Object.Path;
  return Lock.Text == Object.Text;
}

llvm::StringRef lockKindName(HeldLock::KindType Kind) {
  switch (Kind) {
  case HeldLock::CriticalSection:
    return "critical-section";
  case HeldLock::PyMutex:
    return "pymutex";
  case HeldLock::ThreadLock:
    return "thread-lock";
  case HeldLock::Native:
    return "native-lock";
  }
  llvm_unreachable("covered switch over HeldLock::KindType");
}

llvm::StringRef problemKindName(SectionProblem::KindType Kind) {
  switch (Kind) {
  case SectionProblem::LeavesSection:
    return "leaves-section";
  case SectionProblem::UnmatchedBegin:
    return "unmatched-begin";
  case SectionProblem::UnmatchedEnd:
    return "unmatched-end";
  case SectionProblem::MismatchedEnd:
    return "mismatched-end";
  case SectionProblem::NestedSection:
    return "nested-section";
  case SectionProblem::ReleasesGil:
    return "releases-gil";
  }
  llvm_unreachable("covered switch over SectionProblem::KindType");
}

bool isLockType(QualType T) {
  for (QualType Cur = T.getNonReferenceType(); !Cur.isNull();) {
    if (const auto *TT = Cur->getAs<TypedefType>()) {
      if (llvm::is_contained(LockTypes, TT->getDecl()->getName()))
        return true;
      Cur = TT->desugar();
      continue;
    }
    const RecordDecl *RD = recordOf(Cur);
    return RD && llvm::is_contained(LockTypes, RD->getName());
  }
  return false;
}

} // namespace clang::tidy::freethreading
