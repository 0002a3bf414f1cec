//===--- BorrowedReferenceFinder.cpp - borrowed references at risk --------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "lib/BorrowedReferenceFinder.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/STLExtras.h"
#include <algorithm>

using namespace clang::ast_matchers;

namespace clang::tidy::freethreading {

static constexpr llvm::StringLiteral CallId = "ft-borrowed-call";
static constexpr llvm::StringLiteral FunctionRefId = "ft-borrowed-fnref";

void BorrowedReferenceFinder::registerMatchers(
    MatchFinder *Finder, MatchFinder::MatchCallback *Callback) {
  Context.registerMatchers(Finder, Callback);
  // Only the C API itself, a global function: "::Name" leaves out C++
  // members and namespaced functions of the same name.
  std::vector<std::string> Names;
  for (llvm::StringRef Name : borrowedFunctionNames())
    Names.push_back("::" + Name.str());
  // Narrow by callee name first; calls inside system headers (the C API's
  // own inline functions) are never the user's.
  Finder->addMatcher(
      callExpr(callee(functionDecl(hasAnyName(std::vector<llvm::StringRef>(
                   Names.begin(), Names.end())))),
               unless(isExpansionInSystemHeader()))
          .bind(CallId),
      Callback);
  // Functions whose address is taken may be installed as METH_KEYWORDS
  // methods or tp_init/tp_new/tp_call slots: their third argument is the
  // private **kwargs dict.
  Finder->addMatcher(
      declRefExpr(to(functionDecl(parameterCountIs(3))),
                  unless(isExpansionInSystemHeader()))
          .bind(FunctionRefId),
      Callback);
}

void BorrowedReferenceFinder::registerPPCallbacks(const SourceManager &SM,
                                                  Preprocessor *PP) {
  Facts.attach(SM, *PP, [](llvm::StringRef Name) {
    const BorrowedApi *Api = findBorrowedApi(Name);
    return Api && Api->Spelling == ApiSpelling::Macro;
  });
}

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

bool BorrowedReferenceFinder::handle(const MatchFinder::MatchResult &Result) {
  if (Context.handle(Result))
    return true;
  const SourceManager &SM = *Result.SourceManager;
  const LangOptions &LO = Result.Context->getLangOpts();
  if (const auto *Ref = Result.Nodes.getNodeAs<DeclRefExpr>(FunctionRefId)) {
    // A direct call is not an address-taken use.
    for (const DynTypedNode &P : Result.Context->getParents(*Ref)) {
      const auto *Cast = P.get<ImplicitCastExpr>();
      if (!Cast) {
        AddressTaken.insert(cast<FunctionDecl>(Ref->getDecl()));
        continue;
      }
      bool IsCallee = false;
      for (const DynTypedNode &PP : Result.Context->getParents(*Cast))
        if (const auto *CE = PP.get<CallExpr>())
          IsCallee |= CE->getCallee() == Cast;
      if (!IsCallee)
        AddressTaken.insert(cast<FunctionDecl>(Ref->getDecl()));
    }
    return true;
  }
  const auto *Call = Result.Nodes.getNodeAs<CallExpr>(CallId);
  if (!Call)
    return false;
  const FunctionDecl *Callee = Call->getDirectCallee();
  const BorrowedApi *Api = Callee ? findBorrowedApi(Callee->getName()) : nullptr;
  if (!Api || expandedFromApiMacro(Call->getBeginLoc(), SM, LO))
    return true;
  BorrowedUse Use;
  Use.Api = Api;
  Use.Call = Call;
  WrittenAt At = writtenAt(Call->getSourceRange(), SM);
  Use.Loc = At.Loc;
  Use.InMacroBody = At.InMacroBody;
  Use.Written = At.Written;
  if (Api->ContainerArg >= 0 &&
      static_cast<unsigned>(Api->ContainerArg) < Call->getNumArgs())
    Use.Container = normalizeObjectText(writtenText(
        Call->getArg(Api->ContainerArg)->IgnoreParenImpCasts(), SM, LO));
  Calls.push_back(std::move(Use));
  return true;
}

namespace {

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
  VariableByName(llvm::StringRef Name, unsigned Before,
                 const SourceManager &SM)
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

enum class UseKind { Harmless, Creation, Reassignment, Escape };

} // namespace

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
  return Lexer::getSourceText(CharSourceRange::getTokenRange(Exp, Exp), SM,
                              LO);
}

static bool isNullExpr(const Expr *E, ASTContext &Ctx) {
  return E->IgnoreParenCasts()->isNullPointerConstant(
             Ctx, Expr::NPC_ValueDependentIsNotNull) != Expr::NPCK_NotNull;
}

static UseKind classifyUse(const DeclRefExpr *Ref, ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  llvm::StringRef Macro = outermostMacro(Ref->getBeginLoc(), SM,
                                         Ctx.getLangOpts());
  if (!Macro.empty() &&
      (isPrivateContainerUse(Macro) || findBorrowedApi(Macro)))
    return UseKind::Harmless;
  const Expr *Current = Ref;
  while (true) {
    DynTypedNodeList Parents = Ctx.getParents(*Current);
    if (Parents.empty())
      return UseKind::Escape;
    const DynTypedNode &P = Parents[0];
    if (const auto *E = P.get<Expr>();
        E && (isa<ImplicitCastExpr>(E) || isa<ParenExpr>(E) ||
              isa<CStyleCastExpr>(E))) {
      Current = E;
      continue;
    }
    if (const auto *BO = P.get<BinaryOperator>()) {
      if (BO->isAssignmentOp() && BO->getLHS()->IgnoreParens() == Ref) {
        const auto *RHS =
            dyn_cast<CallExpr>(BO->getRHS()->IgnoreParenCasts());
        const FunctionDecl *F = RHS ? RHS->getDirectCallee() : nullptr;
        return F && F->getIdentifier() && isFreshContainerFactory(F->getName())
                   ? UseKind::Creation
                   : UseKind::Reassignment;
      }
      if (BO->isEqualityOp()) {
        const Expr *Other =
            BO->getLHS()->IgnoreParenCasts() == Current->IgnoreParenCasts()
                ? BO->getRHS()
                : BO->getLHS();
        return isNullExpr(Other, Ctx) ? UseKind::Harmless : UseKind::Escape;
      }
      return UseKind::Escape;
    }
    if (const auto *UO = P.get<UnaryOperator>())
      return UO->getOpcode() == UO_LNot ? UseKind::Harmless : UseKind::Escape;
    if (P.get<IfStmt>() || P.get<WhileStmt>())
      return UseKind::Harmless; // `if (list)`: a NULL test.
    if (const auto *CE = P.get<CallExpr>()) {
      const FunctionDecl *F = CE->getDirectCallee();
      if (!F || !F->getIdentifier())
        return UseKind::Escape;
      llvm::StringRef Name = F->getName();
      if (isPrivateContainerUse(Name))
        return CE->getNumArgs() > 0 &&
                       CE->getArg(0)->IgnoreParenCasts() ==
                           Current->IgnoreParenCasts()
                   ? UseKind::Harmless
                   : UseKind::Escape;
      if (const BorrowedApi *Api = findBorrowedApi(Name))
        return Api->ContainerArg >= 0 &&
                       static_cast<unsigned>(Api->ContainerArg) <
                           CE->getNumArgs() &&
                       CE->getArg(Api->ContainerArg)->IgnoreParenCasts() ==
                           Current->IgnoreParenCasts()
                   ? UseKind::Harmless
                   : UseKind::Escape;
      return UseKind::Escape;
    }
    return UseKind::Escape;
  }
}

/// A local container created in \p F by a factory call and not published
/// (stored, passed on, returned) before \p Access, nor later in a loop that
/// also contains \p Access.
static bool isUnpublishedFreshContainer(const VarDecl *V, const FunctionDecl *F,
                                        SourceLocation Access,
                                        ASTContext &Ctx) {
  if (!V->isLocalVarDecl() || V->isStaticLocal() || isa<ParmVarDecl>(V) ||
      !F->getBody())
    return false;
  const SourceManager &SM = Ctx.getSourceManager();
  unsigned At = offsetOf(SM, Access);
  VariableUses Uses(V);
  Uses.TraverseStmt(F->getBody());
  bool Fresh = false;
  if (const auto *Init =
          dyn_cast_or_null<CallExpr>(V->getInit() ? V->getInit()->IgnoreParenCasts()
                                                  : nullptr))
    if (const FunctionDecl *Fn = Init->getDirectCallee())
      Fresh = Fn->getIdentifier() && isFreshContainerFactory(Fn->getName());
  std::vector<std::pair<unsigned, UseKind>> Events;
  Events.reserve(Uses.Refs.size());
  for (const DeclRefExpr *Ref : Uses.Refs)
    Events.emplace_back(offsetOf(SM, Ref->getBeginLoc()),
                        classifyUse(Ref, Ctx));
  llvm::sort(Events, [](const auto &A, const auto &B) {
    return A.first < B.first;
  });
  for (const auto &[Offset, Kind] : Events) {
    if (Offset >= At)
      break;
    if (Kind == UseKind::Creation)
      Fresh = true;
    else if (Kind != UseKind::Harmless)
      Fresh = false;
  }
  if (!Fresh)
    return false;
  // A later escape inside a loop around the access happens before the
  // access's next iteration.
  for (const Stmt *Loop : Uses.Loops) {
    unsigned LB = offsetOf(SM, Loop->getBeginLoc());
    unsigned LE = offsetOf(SM, Loop->getEndLoc());
    if (At < LB || At > LE)
      continue;
    for (const auto &[Offset, Kind] : Events)
      if (Offset > At && Offset <= LE && Kind != UseKind::Harmless &&
          Kind != UseKind::Creation)
        return false;
  }
  return true;
}

static bool isPyObjectPointer(QualType T) {
  if (!T->isPointerType())
    return false;
  QualType P = T->getPointeeType().getUnqualifiedType();
  std::string Name = P.getAsString();
  return Name == "PyObject" || Name == "struct _object" || Name == "_object";
}

/// The **kwargs dict of a METH_KEYWORDS function, tp_init, tp_new or tp_call:
/// the third of three object parameters, never reassigned, of a function
/// that is installed somewhere (its address is taken) or that names the
/// parameter as keywords.
static bool isKeywordsDict(const VarDecl *V, const FunctionDecl *F,
                           const llvm::DenseSet<const FunctionDecl *> &Taken,
                           ASTContext &Ctx) {
  const auto *Param = dyn_cast<ParmVarDecl>(V);
  if (!Param || F->getNumParams() != 3 || F->getParamDecl(2) != Param ||
      !isPyObjectPointer(F->getParamDecl(1)->getType()) ||
      !isPyObjectPointer(Param->getType()))
    return false;
  VariableUses Uses(V);
  Uses.TraverseStmt(F->getBody());
  for (const DeclRefExpr *Ref : Uses.Refs) {
    UseKind Kind = classifyUse(Ref, Ctx);
    if (Kind == UseKind::Creation || Kind == UseKind::Reassignment)
      return false;
  }
  std::string Lower = Param->getName().lower();
  return Taken.contains(F->getCanonicalDecl()) || Taken.contains(F) ||
         llvm::StringRef(Lower).contains("kw");
}

bool BorrowedReferenceFinder::isSafe(const BorrowedUse &Use, ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  if (Use.Api->ContainerArg < 0)
    return false;
  // PySequence_Fast_* read the items of the *original* sequence, which the
  // tool cannot relate to the fast sequence: any critical section counts.
  bool AnySection = Use.Api->Name.starts_with("PySequence_Fast");
  if (Facts.sectionCovering(Use.Loc, AnySection ? "" : Use.Container) &&
      (AnySection || !Use.Container.empty()))
    return true;
  if (!Use.Function)
    return false;
  const VarDecl *V = nullptr;
  if (Use.Call) {
    V = containerVariable(Use.Call->getArg(Use.Api->ContainerArg));
  } else if (!Use.Container.empty() &&
           llvm::all_of(Use.Container, [](char C) {
             return llvm::isAlnum(C) || C == '_';
           })) {
    VariableByName Finder(Use.Container, offsetOf(SM, Use.Loc), SM);
    for (const ParmVarDecl *P : Use.Function->parameters())
      Finder.VisitVarDecl(const_cast<ParmVarDecl *>(P));
    Finder.TraverseStmt(Use.Function->getBody());
    V = Finder.Found;
  }
  if (!V)
    return false;
  return isKeywordsDict(V, Use.Function, AddressTaken, Ctx) ||
         isUnpublishedFreshContainer(V, Use.Function, Use.Loc, Ctx);
}

std::vector<BorrowedUse> BorrowedReferenceFinder::hazards(ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  for (FileID File : Facts.StrongApiMacroFiles)
    Context.markCompatFile(File);
  std::vector<BorrowedUse> All = Calls;
  for (const MacroUse &M : Facts.macroUses()) {
    BorrowedUse Use;
    Use.Api = findBorrowedApi(M.Name);
    Use.Loc = M.Loc;
    Use.Written = M.Invocation;
    Use.MacroArgs = M.Args;
    Use.InMacroBody = M.InMacroBody;
    if (Use.Api->ContainerArg >= 0 &&
        static_cast<unsigned>(Use.Api->ContainerArg) < M.Args.size())
      Use.Container = normalizeObjectText(M.Args[Use.Api->ContainerArg]);
    All.push_back(std::move(Use));
  }
  std::vector<BorrowedUse> Result;
  for (BorrowedUse &Use :
       Context.reportable(SM, std::move(All),
                          [](const BorrowedUse &U) { return U.Api; })) {
    Use.Function = Context.functionAt(SM, Use.Loc);
    if (!isSafe(Use, Ctx))
      Result.push_back(std::move(Use));
  }
  return Result;
}

void BorrowedReferenceFinder::clear() {
  Context.clear();
  Facts.clear();
  Calls.clear();
  AddressTaken.clear();
}

} // namespace clang::tidy::freethreading
