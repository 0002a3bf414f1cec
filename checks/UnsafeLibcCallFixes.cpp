//===--- UnsafeLibcCallFixes.cpp - rewrites to reentrant calls ------------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "checks/UnsafeLibcCallFixes.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/MapVector.h"

namespace clang::tidy::freethreading {

namespace {

/// Collects the references to one variable.
class VariableRefs : public RecursiveASTVisitor<VariableRefs> {
public:
  explicit VariableRefs(const VarDecl *V) : V(V) {}
  bool VisitDeclRefExpr(DeclRefExpr *E) {
    if (E->getDecl() == V)
      Refs.push_back(E);
    return true;
  }
  const VarDecl *V;
  std::vector<const DeclRefExpr *> Refs;
};

/// Finds a label or a case a jump could reach after \p Insert without
/// passing a declaration placed there. Cases of switches that start after
/// \p Insert are harmless.
class JumpTargets : public RecursiveASTVisitor<JumpTargets> {
public:
  JumpTargets(unsigned Insert, const SourceManager &SM)
      : Insert(Insert), SM(SM) {}
  bool TraverseSwitchStmt(SwitchStmt *S) {
    bool Own = after(S->getBeginLoc());
    OwnSwitches += Own;
    bool Result = RecursiveASTVisitor::TraverseSwitchStmt(S);
    OwnSwitches -= Own;
    return Result;
  }
  bool VisitLabelStmt(LabelStmt *S) {
    Found |= after(S->getBeginLoc());
    return true;
  }
  bool VisitSwitchCase(SwitchCase *S) {
    Found |= OwnSwitches == 0 && after(S->getBeginLoc());
    return true;
  }
  bool after(SourceLocation Loc) const {
    return SM.getFileOffset(SM.getFileLoc(Loc)) > Insert;
  }
  unsigned Insert;
  const SourceManager &SM;
  unsigned OwnSwitches = 0;
  bool Found = false;
};

unsigned offsetOf(const SourceManager &SM, SourceLocation Loc) {
  return SM.getFileOffset(SM.getFileLoc(Loc));
}

/// The variable \p Init initialises in the declaration \p DS, or null.
const VarDecl *initialized(const Stmt *DS, const Stmt *Init) {
  if (const auto *D = dyn_cast_or_null<DeclStmt>(DS))
    for (const Decl *Dcl : D->decls())
      if (const auto *V = dyn_cast<VarDecl>(Dcl); V && V->getInit() == Init)
        return V;
  return nullptr;
}

/// True if the replacement function \p Name is declared before \p Loc.
bool isDeclaredBefore(llvm::StringRef Name, SourceLocation Loc,
                      ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  IdentifierInfo &II = Ctx.Idents.get(Name);
  for (const NamedDecl *D : Ctx.getTranslationUnitDecl()->lookup(&II))
    if (isa<FunctionDecl>(D) &&
        SM.isBeforeInTranslationUnit(D->getLocation(), Loc))
      return true;
  return false;
}

/// Why no declaration can go right before \p Child, or "".
std::string insertionRefusal(const Stmt *Child) {
  if (isa<SwitchCase>(Child) || isa<LabelStmt>(Child))
    return "no fix-it: the statement has a label, and a declaration cannot "
           "go between the label and the statement";
  if (!Child->getBeginLoc().isFileID())
    return "no fix-it: the statement starts in a macro";
  return "";
}

/// Inserts \p Decl on its own line before \p Child (or before it on the
/// same line, if something else precedes it there).
FixItHint declareBefore(const Stmt *Child, llvm::StringRef Decl,
                        const SourceManager &SM) {
  SourceLocation Loc = Child->getBeginLoc();
  std::pair<FileID, unsigned> D = SM.getDecomposedLoc(Loc);
  llvm::StringRef Buffer = SM.getBufferData(D.first);
  llvm::StringRef Before = Buffer.take_front(D.second);
  llvm::StringRef Indent = Before.substr(Before.find_last_of('\n') + 1);
  if (Indent.find_first_not_of(" \t") == llvm::StringRef::npos)
    return FixItHint::CreateInsertion(Loc, (Decl + "\n" + Indent).str());
  return FixItHint::CreateInsertion(Loc, (Decl + " ").str());
}

/// True if every use of the pointer \p V lies in \p Block after \p Call,
/// so the buffer declared in that block outlives them (\p Skip is the
/// assignment's own reference).
bool isLocalPointer(const VarDecl *V, const DeclRefExpr *Skip,
                    const CallExpr *Call, const CompoundStmt *Block,
                    const CompoundStmt *Body, const SourceManager &SM) {
  if (!V->hasLocalStorage() || isa<ParmVarDecl>(V))
    return false;
  VariableRefs Refs(V);
  Refs.TraverseStmt(const_cast<CompoundStmt *>(Body));
  unsigned From = offsetOf(SM, Call->getBeginLoc());
  unsigned BlockEnd = offsetOf(SM, Block->getEndLoc());
  for (const DeclRefExpr *Ref : Refs.Refs) {
    if (Ref == Skip)
      continue;
    unsigned At = offsetOf(SM, Ref->getBeginLoc());
    if (At < From || At > BlockEnd)
      return false;
  }
  return true;
}

/// True if the pointer \p Call returns is used only while a buffer declared
/// in \p Block lives: dereferenced, passed to a call, compared, or kept in a
/// local variable used only there.
bool resultStaysIn(const CallExpr *Call, const CompoundStmt *Block,
                   const CompoundStmt *Body, const LocalParents &Parents,
                   const SourceManager &SM) {
  const Stmt *Current = Call;
  while (true) {
    const Stmt *S = Parents.parent(Current);
    if (!S)
      return false;
    if (const VarDecl *V = initialized(S, Current))
      return isLocalPointer(V, nullptr, Call, Block, Body, SM);
    if (isa<ParenExpr, ImplicitCastExpr, CStyleCastExpr, ExprWithCleanups>(S)) {
      Current = S;
      continue;
    }
    if (const auto *CO = dyn_cast<ConditionalOperator>(S)) {
      if (CO->getCond() == Current)
        return true;
      Current = S;
      continue;
    }
    if (const auto *UO = dyn_cast<UnaryOperator>(S))
      return UO->getOpcode() == UO_Deref || UO->getOpcode() == UO_LNot;
    if (isa<MemberExpr, ArraySubscriptExpr>(S))
      return true;
    if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
      if (BO->isComparisonOp() || BO->isLogicalOp())
        return true;
      if (BO->getOpcode() == BO_Comma) {
        if (BO->getLHS() == Current)
          return true;
        Current = S;
        continue;
      }
      if (BO->getOpcode() != BO_Assign || BO->getRHS() != Current)
        return false;
      const auto *Ref =
          dyn_cast<DeclRefExpr>(BO->getLHS()->IgnoreParenImpCasts());
      const auto *V = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
      return V && isLocalPointer(V, Ref, Call, Block, Body, SM);
    }
    if (const auto *CE = dyn_cast<CallExpr>(S))
      return CE->getCallee() != Current;
    // A discarded value, or a condition.
    return isa<CompoundStmt, IfStmt, WhileStmt, DoStmt, SwitchStmt, ForStmt>(S);
  }
}

/// True if \p E runs whenever \p Child, the statement holding it, runs: it
/// is not in a branch, a loop body or the right side of && or ||.
bool runsWithStatement(const Expr *E, const Stmt *Child,
                       const LocalParents &Parents) {
  const Stmt *Current = E;
  while (Current != Child) {
    const Stmt *S = Parents.parent(Current);
    if (!S)
      return false;
    bool Runs = true;
    if (const auto *BO = dyn_cast<BinaryOperator>(S))
      Runs = !BO->isLogicalOp() || BO->getLHS() == Current;
    else if (const auto *CO = dyn_cast<AbstractConditionalOperator>(S))
      Runs = CO->getCond() == Current;
    else if (const auto *If = dyn_cast<IfStmt>(S))
      Runs = If->getCond() == Current || If->getInit() == Current ||
             If->getConditionVariableDeclStmt() == Current;
    else if (const auto *While = dyn_cast<WhileStmt>(S))
      Runs = While->getCond() == Current ||
             While->getConditionVariableDeclStmt() == Current;
    else if (const auto *For = dyn_cast<ForStmt>(S))
      Runs = For->getInit() == Current || For->getCond() == Current;
    else if (const auto *Switch = dyn_cast<SwitchStmt>(S))
      Runs = Switch->getCond() == Current || Switch->getInit() == Current;
    else
      Runs = isa<Expr, DeclStmt, ReturnStmt, CompoundStmt, DoStmt>(S);
    if (!Runs)
      return false;
    Current = S;
  }
  return true;
}

/// True if a declaration with an initializer placed before \p Child could
/// be jumped over (a goto or a case label after it in \p Block).
bool hasJumpTargetAfter(const CompoundStmt *Block, const Stmt *Child,
                        const SourceManager &SM) {
  JumpTargets Targets(offsetOf(SM, Child->getBeginLoc()), SM);
  Targets.TraverseStmt(const_cast<CompoundStmt *>(Block));
  return Targets.Found;
}

/// Replaces the callee's name (with any `std::` qualifier) by \p Name.
FixItHint renameCallee(const CallExpr *Call, llvm::StringRef Name) {
  const auto *Callee =
      cast<DeclRefExpr>(Call->getCallee()->IgnoreParenImpCasts());
  return FixItHint::CreateReplacement(
      CharSourceRange::getTokenRange(Callee->getSourceRange()), Name);
}

/// True if the char* \p Call returns may be given a `const char *` instead:
/// discarded, converted to a pointer to const, or passed to a variadic
/// parameter.
bool acceptsConstResult(const CallExpr *Call, const LocalParents &Parents) {
  const Stmt *Current = Call;
  while (true) {
    const Stmt *S = Parents.parent(Current);
    if (!S)
      return false;
    if (isa<ParenExpr>(S)) {
      Current = S;
      continue;
    }
    if (const auto *Cast = dyn_cast<ImplicitCastExpr>(S))
      return Cast->getType()->isPointerType() &&
             Cast->getType()->getPointeeType().isConstQualified();
    if (const auto *CE = dyn_cast<CallExpr>(S)) {
      const FunctionDecl *FD = CE->getDirectCallee();
      if (!FD || !FD->isVariadic())
        return false;
      for (unsigned I = FD->getNumParams(); I < CE->getNumArgs(); ++I)
        if (CE->getArg(I) == Current)
          return true;
      return false;
    }
    return isa<CompoundStmt>(S);
  }
}

} // namespace

const LocalParents &LibcFixPlanner::parentsOf(const FunctionDecl *F) {
  std::unique_ptr<LocalParents> &P = Parents[F];
  if (!P)
    P = std::make_unique<LocalParents>(F->getBody());
  return *P;
}

LibcFixPlanner::Site LibcFixPlanner::siteOf(const LibcUse &Use) {
  Site Result;
  if (!Use.Caller || !Use.Caller->getBody())
    return Result;
  Result.Parents = &parentsOf(Use.Caller);
  Result.Function = Use.Caller;
  const Stmt *Last = Use.Call;
  for (const Stmt *P = Result.Parents->parent(Last); P;
       P = Result.Parents->parent(P)) {
    if (const auto *LE = dyn_cast<LambdaExpr>(P)) {
      Result.Function = LE->getCallOperator();
      return Result;
    }
    if (const auto *BE = dyn_cast<BlockExpr>(P)) {
      Result.Function = BE->getBlockDecl();
      return Result;
    }
    if (const auto *CS = dyn_cast<CompoundStmt>(P))
      Result.Scopes.push_back({CS, Last});
    Last = P;
  }
  return Result;
}

/// Why no fix-it can be made at \p Use, or "" if the call and the block
/// around it can be edited.
std::string LibcFixPlanner::siteRefusal(const LibcUse &Use,
                                        const Site &S) const {
  const LangOptions &LO = Ctx.getLangOpts();
  const CallExpr *Call = Use.Call;
  if (Use.InMacroBody)
    return "no fix-it: the call is in a macro body";
  const auto *Callee =
      dyn_cast<DeclRefExpr>(Call->getCallee()->IgnoreParenImpCasts());
  if (!Callee || !Call->getBeginLoc().isFileID() ||
      !Callee->getEndLoc().isFileID() || !Call->getRParenLoc().isFileID())
    return "no fix-it: the call is spelled through a macro";
  if (!S.Function || S.Scopes.empty())
    return "no fix-it: the call is not in a function body";
  if (isTemplated(S.Function))
    return "no fix-it: the call is in a template";
  if (!LO.C99 && !LO.CPlusPlus)
    return "no fix-it: the declaration it needs would follow a statement, "
           "which needs C99";
  return "";
}

void LibcFixPlanner::planStrtok(
    llvm::ArrayRef<const LibcUse *> Uses,
    llvm::DenseMap<const CallExpr *, LibcFixPlan> &Plans) {
  const SourceManager &SM = Ctx.getSourceManager();
  const LibcFixShape &Shape = *libcFixShape(LibcFix::StrtokR);
  std::string Refusal;
  std::vector<Site> Sites;
  for (const LibcUse *Use : Uses) {
    Sites.push_back(siteOf(*Use));
    if (Refusal.empty())
      Refusal = siteRefusal(*Use, Sites.back());
  }
  const CallExpr *First = Uses.front()->Call;
  if (Refusal.empty() &&
      (First->getNumArgs() != 2 || isNullPointer(First->getArg(0), Ctx)))
    Refusal = "no fix-it: the first 'strtok' call of this function continues "
              "a walk started elsewhere; pass a save pointer from the caller "
              "to 'strtok_r'";
  if (Refusal.empty() &&
      !isDeclaredBefore(Shape.Replacement, Uses.front()->Loc, Ctx))
    Refusal = ("no fix-it: '" + Shape.Replacement +
               "' is not declared here; define " + Shape.Feature +
               " to 200809L before the first include")
                  .str();
  // The save pointer goes into the innermost block holding every call,
  // before the statement holding the first.
  const Scope *Where = nullptr;
  if (Refusal.empty()) {
    for (const Scope &Candidate : Sites.front().Scopes) {
      bool InAll = llvm::all_of(Sites, [&](const Site &S) {
        return llvm::any_of(S.Scopes, [&](const Scope &Other) {
          return Other.Block == Candidate.Block;
        });
      });
      if (InAll) {
        Where = &Candidate;
        break;
      }
    }
    if (!Where)
      Refusal = "no fix-it: the calls are in different functions";
  }
  if (Refusal.empty())
    Refusal = insertionRefusal(Where->Child);
  if (Refusal.empty() && Uses.size() > 1 &&
      !runsWithStatement(First, Where->Child, *Sites.front().Parents))
    Refusal = "no fix-it: the call that starts the walk does not always run "
              "before the calls that continue it";
  if (!Refusal.empty()) {
    for (const LibcUse *Use : Uses)
      Plans[Use->Call].Refusal = Refusal;
    return;
  }
  std::string Save = Names.claim(Shape.BufferName);
  Plans[First].Fixes.push_back(
      declareBefore(Where->Child, (Shape.BufferType + Save + ";").str(), SM));
  for (const LibcUse *Use : Uses) {
    LibcFixPlan &P = Plans[Use->Call];
    P.Fixes.push_back(renameCallee(Use->Call, Shape.Replacement));
    P.Fixes.push_back(
        FixItHint::CreateInsertion(Use->Call->getRParenLoc(), ", &" + Save));
  }
}

/// Why the replacement cannot be called or its buffer cannot be declared
/// here, or ""; sets the header to include when one declares it.
std::string LibcFixPlanner::replacementRefusal(const LibcUse &Use,
                                               const Site &S,
                                               llvm::StringRef Replacement,
                                               LibcFixPlan &P) const {
  const LibcFixShape &Shape = *libcFixShape(Use.Function->Fix);
  if (!Replacement.empty() && !isDeclaredBefore(Replacement, Use.Loc, Ctx)) {
    if (Shape.Header.empty())
      return ("no fix-it: '" + Replacement + "' is not declared here; define " +
              Shape.Feature + " to 200809L before the first include")
          .str();
    P.Header = Shape.Header.str();
  }
  const Scope &Where = S.Scopes.front();
  // `mbstate_t s = {0};` must not be jumped over.
  if (Shape.ZeroInit &&
      hasJumpTargetAfter(Where.Block, Where.Child, Ctx.getSourceManager()))
    return "no fix-it: a label after the statement could jump past the "
           "initialised 'mbstate_t'";
  // The result points into a buffer that now lives in the block.
  if (!Shape.ZeroInit &&
      !resultStaysIn(Use.Call, Where.Block, S.Scopes.back().Block, *S.Parents,
                     Ctx.getSourceManager()))
    return ("no fix-it: the result is used after the enclosing block ends; "
            "give '" +
            Replacement + "' a buffer that lives as long")
        .str();
  return "";
}

LibcFixPlan LibcFixPlanner::planSingle(const LibcUse &Use) {
  LibcFixPlan P;
  const UnsafeLibcFunction &F = *Use.Function;
  if (F.Fix == LibcFix::None) {
    P.Refusal = F.Note.str();
    return P;
  }
  Site S = siteOf(Use);
  P.Refusal = siteRefusal(Use, S);
  if (P.Refusal.empty())
    P.Refusal = insertionRefusal(S.Scopes.front().Child);
  std::string Replacement = libcFixShape(F.Fix)->replacementFor(F);
  if (P.Refusal.empty())
    P.Refusal = replacementRefusal(Use, S, Replacement, P);
  if (P.Refusal.empty())
    rewrite(Use, S, Replacement, P);
  return P;
}

/// Writes the rewrite of one call; sets P.Refusal where an argument stands
/// in the way.
void LibcFixPlanner::rewrite(const LibcUse &Use, const Site &S,
                             llvm::StringRef Replacement, LibcFixPlan &P) {
  const SourceManager &SM = Ctx.getSourceManager();
  const LangOptions &LO = Ctx.getLangOpts();
  const CallExpr *Call = Use.Call;
  const LibcFixShape &Shape = *libcFixShape(Use.Function->Fix);
  // Declares the shape's local right before the statement, with a fresh
  // name, and returns the name.
  auto DeclareLocal = [&]() {
    std::string Name = Names.claim(Shape.BufferName);
    std::string Init =
        Shape.ZeroInit ? (LO.CPlusPlus ? " = {}" : " = {0}") : "";
    P.Fixes.push_back(declareBefore(
        S.Scopes.front().Child,
        (Shape.BufferType + " " + Name + Shape.BufferSuffix + Init + ";").str(),
        SM));
    return Name;
  };
  // Calls \p Callee instead, with \p Arg appended to the arguments.
  auto CallWithExtraArg = [&](llvm::StringRef Callee, llvm::StringRef Arg) {
    P.Fixes.push_back(renameCallee(Call, Callee));
    P.Fixes.push_back(
        FixItHint::CreateInsertion(Call->getRParenLoc(), (", " + Arg).str()));
  };
  switch (Use.Function->Fix) {
  case LibcFix::TmBufferR:
    CallWithExtraArg(Replacement, "&" + DeclareLocal());
    return;
  case LibcFix::CharBufferR:
    CallWithExtraArg(Replacement, DeclareLocal());
    return;
  case LibcFix::Strerror: {
    // GNU strerror_r returns the message (not always in the buffer), XSI
    // returns 0 and fills the buffer. _Generic picks the right one for the
    // declaration in scope and evaluates one call.
    std::string Arg = Call->getNumArgs() == 1
                          ? writtenText(Call->getArg(0), SM, LO)
                          : std::string();
    if (LO.CPlusPlus || !LO.C11 || Arg.empty()) {
      P.Refusal = LO.CPlusPlus || !LO.C11
                      ? "no fix-it: the GNU and XSI 'strerror_r' return "
                        "different types, and telling them apart needs C11 "
                        "_Generic; in an extension, 'PyErr_SetFromErrno' "
                        "formats the message for you"
                      : "no fix-it: the argument is spelled through a macro";
      return;
    }
    std::string Buf = DeclareLocal();
    std::string R =
        (Replacement + "(" + Arg + ", " + Buf + ", sizeof " + Buf + ")").str();
    P.Fixes.push_back(FixItHint::CreateReplacement(
        CharSourceRange::getTokenRange(Call->getSourceRange()),
        "_Generic(" + R + ", int: (" + R + ", " + Buf + "), default: " + R +
            ")"));
    return;
  }
  case LibcFix::InetNtop: {
    // The struct is passed by value: look through the lvalue-to-rvalue
    // conversion to the object whose address inet_ntop needs.
    const Expr *Arg =
        Call->getNumArgs() == 1 ? Call->getArg(0)->IgnoreImpCasts() : nullptr;
    std::string Text = Arg ? writtenText(Arg, SM, LO) : std::string();
    if (!Arg || Text.empty() || !Arg->isLValue() || Arg->refersToBitField()) {
      P.Refusal = "no fix-it: 'inet_ntop' needs the address of the argument, "
                  "which is not a variable or field";
      return;
    }
    if (!isa<DeclRefExpr, MemberExpr, ArraySubscriptExpr, ParenExpr>(Arg))
      Text = "(" + Text + ")";
    std::string Buf = DeclareLocal();
    // inet_ntop returns const char *; the buffer is ours, so a caller that
    // wants char * may have it.
    llvm::StringRef Cast =
        acceptsConstResult(Call, *S.Parents) ? "" : "(char *)";
    P.Fixes.push_back(FixItHint::CreateReplacement(
        CharSourceRange::getTokenRange(Call->getSourceRange()),
        (Cast + Replacement + "(AF_INET, &" + Text + ", " + Buf + ", sizeof " +
         Buf + ")")
            .str()));
    return;
  }
  case LibcFix::MbtowcState: {
    if (Call->getNumArgs() != 3 || isNullPointer(Call->getArg(1), Ctx)) {
      P.Refusal = "no fix-it: a NULL string resets or queries the hidden "
                  "state itself; drop the call once every conversion uses "
                  "its own 'mbstate_t'";
      return;
    }
    std::string State = DeclareLocal();
    // mbrtowc returns size_t; keep the int the code compares with.
    bool Discarded = isa_and_nonnull<CompoundStmt>(S.Parents->parent(Call));
    CallWithExtraArg(Discarded ? Replacement : ("(int)" + Replacement).str(),
                     "&" + State);
    return;
  }
  case LibcFix::NullState: {
    const Expr *Arg = Call->getArg(Use.Function->StateArg);
    CharSourceRange R = Lexer::makeFileCharRange(
        CharSourceRange::getTokenRange(Arg->getSourceRange()), SM, LO);
    if (R.isInvalid()) {
      P.Refusal = "no fix-it: the state argument is spelled through a macro";
      return;
    }
    P.Fixes.push_back(FixItHint::CreateReplacement(R, "&" + DeclareLocal()));
    return;
  }
  case LibcFix::None:
  case LibcFix::StrtokR:
    break;
  }
  llvm_unreachable("strtok and rows without a fix-it are planned elsewhere");
}

llvm::DenseMap<const CallExpr *, LibcFixPlan>
LibcFixPlanner::plan(llvm::ArrayRef<LibcUse> Uses) {
  llvm::MapVector<const Decl *, std::vector<const LibcUse *>> Walks;
  llvm::DenseMap<const CallExpr *, LibcFixPlan> Plans;
  for (const LibcUse &Use : Uses) {
    if (Use.Function->Fix == LibcFix::StrtokR)
      Walks[siteOf(Use).Function].push_back(&Use);
    else
      Plans[Use.Call] = planSingle(Use);
  }
  for (auto &[Function, Calls] : Walks)
    planStrtok(Calls, Plans);
  return Plans;
}

} // namespace clang::tidy::freethreading
