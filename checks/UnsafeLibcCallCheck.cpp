//===--- UnsafeLibcCallCheck.cpp - freethreading-tidy ---------------------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "checks/UnsafeLibcCallCheck.h"
#include "clang-tidy/utils/OptionsUtils.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/MapVector.h"

using namespace clang::ast_matchers;

namespace clang::tidy {

llvm::ArrayRef<
    std::pair<freethreading::UnsafeLibcCallCheck::FunctionSetKind, StringRef>>
OptionEnumMapping<
    freethreading::UnsafeLibcCallCheck::FunctionSetKind>::getEnumMapping() {
  using Kind = freethreading::UnsafeLibcCallCheck::FunctionSetKind;
  static constexpr std::pair<Kind, StringRef> Mapping[] = {
      {Kind::Posix, "posix"}, {Kind::Glibc, "glibc"}, {Kind::Any, "any"}};
  return Mapping;
}

namespace freethreading {

/// The fix-its of one call, or why it has none.
struct UnsafeLibcCallCheck::Plan {
  std::vector<FixItHint> Fixes;
  /// A header to include for the replacement ("<wchar.h>"), or "".
  std::string Header;
  /// Why there is no fix-it (a note), or "".
  std::string Refusal;
};

namespace {

/// A block the call is in, and the statement of that block holding it.
struct Scope {
  const CompoundStmt *Block;
  const Stmt *Child;
};

/// Where a call sits: its enclosing blocks (innermost first) and function.
struct Site {
  std::vector<Scope> Scopes;
  /// The function, lambda call operator or block around the call; null at
  /// file scope.
  const Decl *Function = nullptr;
};

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

} // namespace

static Site siteOf(const Stmt *S, ASTContext &Ctx) {
  Site Result;
  DynTypedNode Node = DynTypedNode::create(*S);
  const Stmt *Last = S;
  while (true) {
    DynTypedNodeList Parents = Ctx.getParents(Node);
    if (Parents.empty())
      return Result;
    const DynTypedNode &P = Parents[0];
    if (const auto *FD = P.get<FunctionDecl>()) {
      Result.Function = FD;
      return Result;
    }
    if (const auto *BD = P.get<BlockDecl>()) {
      Result.Function = BD;
      return Result;
    }
    if (const auto *LE = P.get<LambdaExpr>()) {
      Result.Function = LE->getCallOperator();
      return Result;
    }
    if (const auto *CS = P.get<CompoundStmt>())
      Result.Scopes.push_back({CS, Last});
    if (const auto *PS = P.get<Stmt>())
      Last = PS;
    Node = P;
  }
}

static bool isInTemplate(const Decl *Function) {
  for (const DeclContext *DC = dyn_cast<DeclContext>(Function); DC;
       DC = DC->getParent()) {
    if (const auto *FD = dyn_cast<FunctionDecl>(DC))
      if (FD->isTemplated() || FD->isTemplateInstantiation())
        return true;
    if (const auto *RD = dyn_cast<CXXRecordDecl>(DC))
      if (RD->isTemplated() || isa<ClassTemplateSpecializationDecl>(RD))
        return true;
  }
  return false;
}

static bool isNullPointer(const Expr *E, ASTContext &Ctx) {
  return E->IgnoreParenCasts()->isNullPointerConstant(
             Ctx, Expr::NPC_ValueDependentIsNotNull) != Expr::NPCK_NotNull;
}

static unsigned offsetOf(const SourceManager &SM, SourceLocation Loc) {
  return SM.getFileOffset(SM.getFileLoc(Loc));
}

/// The text of \p E as written in the file, or "" if a macro hides it.
static std::string writtenText(const Expr *E, const SourceManager &SM,
                               const LangOptions &LO) {
  CharSourceRange R = Lexer::makeFileCharRange(
      CharSourceRange::getTokenRange(E->getSourceRange()), SM, LO);
  if (R.isInvalid())
    return "";
  return Lexer::getSourceText(R, SM, LO).str();
}

/// True if the replacement function \p Name is declared before \p Loc.
static bool isDeclaredBefore(llvm::StringRef Name, SourceLocation Loc,
                             ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  IdentifierInfo &II = Ctx.Idents.get(Name);
  for (const NamedDecl *D : Ctx.getTranslationUnitDecl()->lookup(&II))
    if (isa<FunctionDecl>(D) &&
        SM.isBeforeInTranslationUnit(D->getLocation(), Loc))
      return true;
  return false;
}

/// Why no fix-it can be made at \p Use, or "" if the call and the block
/// around it can be edited.
static std::string siteRefusal(const LibcUse &Use, const Site &S,
                               ASTContext &Ctx) {
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
  if (isInTemplate(S.Function))
    return "no fix-it: the call is in a template";
  if (!LO.C99 && !LO.CPlusPlus)
    return "no fix-it: the declaration it needs would follow a statement, "
           "which needs C99";
  return "";
}

/// Why no declaration can go right before \p Child, or "".
static std::string insertionRefusal(const Stmt *Child) {
  if (isa<SwitchCase>(Child) || isa<LabelStmt>(Child))
    return "no fix-it: the statement has a label, and a declaration cannot "
           "go between the label and the statement";
  if (!Child->getBeginLoc().isFileID())
    return "no fix-it: the statement starts in a macro";
  return "";
}

/// Inserts \p Decl on its own line before \p Child (or before it on the
/// same line, if something else precedes it there).
static FixItHint declareBefore(const Stmt *Child, llvm::StringRef Decl,
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
static bool isLocalPointer(const VarDecl *V, const DeclRefExpr *Skip,
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
static bool resultStaysIn(const CallExpr *Call, const CompoundStmt *Block,
                          const CompoundStmt *Body, ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  DynTypedNode Node = DynTypedNode::create(*Call);
  const Stmt *Current = Call;
  while (true) {
    DynTypedNodeList Parents = Ctx.getParents(Node);
    if (Parents.empty())
      return false;
    const DynTypedNode &P = Parents[0];
    if (const auto *V = P.get<VarDecl>())
      return isLocalPointer(V, nullptr, Call, Block, Body, SM);
    const auto *S = P.get<Stmt>();
    if (!S)
      return false;
    if (isa<ParenExpr, ImplicitCastExpr, CStyleCastExpr, ExprWithCleanups>(S)) {
      Node = P;
      Current = S;
      continue;
    }
    if (const auto *CO = dyn_cast<ConditionalOperator>(S)) {
      if (CO->getCond() == Current)
        return true;
      Node = P;
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
        Node = P;
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
static bool runsWithStatement(const Expr *E, const Stmt *Child,
                              ASTContext &Ctx) {
  DynTypedNode Node = DynTypedNode::create(*E);
  const Stmt *Current = E;
  while (Current != Child) {
    DynTypedNodeList Parents = Ctx.getParents(Node);
    if (Parents.empty())
      return false;
    Node = Parents[0];
    if (Node.get<VarDecl>())
      continue;
    const auto *S = Node.get<Stmt>();
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
static bool hasJumpTargetAfter(const CompoundStmt *Block, const Stmt *Child,
                               const SourceManager &SM) {
  JumpTargets Targets(offsetOf(SM, Child->getBeginLoc()), SM);
  Targets.TraverseStmt(const_cast<CompoundStmt *>(Block));
  return Targets.Found;
}

/// Replaces the callee's name (with any `std::` qualifier) by \p Name.
static FixItHint renameCallee(const CallExpr *Call, llvm::StringRef Name) {
  const auto *Callee =
      cast<DeclRefExpr>(Call->getCallee()->IgnoreParenImpCasts());
  return FixItHint::CreateReplacement(
      CharSourceRange::getTokenRange(Callee->getSourceRange()), Name);
}

/// True if the char* \p Call returns may be given a `const char *` instead:
/// discarded, converted to a pointer to const, or passed to a variadic
/// parameter.
static bool acceptsConstResult(const CallExpr *Call, ASTContext &Ctx) {
  DynTypedNode Node = DynTypedNode::create(*Call);
  const Stmt *Current = Call;
  while (true) {
    DynTypedNodeList Parents = Ctx.getParents(Node);
    if (Parents.empty())
      return false;
    const auto *S = Parents[0].get<Stmt>();
    if (!S)
      return false;
    if (isa<ParenExpr>(S)) {
      Node = Parents[0];
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

UnsafeLibcCallCheck::UnsafeLibcCallCheck(llvm::StringRef Name,
                                         ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context),
      FunctionSet(Options.get("FunctionSet", FunctionSetKind::Any)),
      AdditionalFunctions(Options.get("AdditionalFunctions", "")),
      IgnoredFunctions(Options.get("IgnoredFunctions", "")),
      Inserter(Options.getLocalOrGlobal("IncludeStyle",
                                        utils::IncludeSorter::IS_LLVM),
               areDiagsSelfContained()) {
  unsigned Sets = LibcPosix | LibcGlibc;
  if (FunctionSet == FunctionSetKind::Posix)
    Sets = LibcPosix;
  else if (FunctionSet == FunctionSetKind::Glibc)
    Sets = LibcGlibc;
  Finder.setSets(Sets | LibcExtra);
  Finder.setFunctionLists(utils::options::parseStringList(AdditionalFunctions),
                          utils::options::parseStringList(IgnoredFunctions));
}

void UnsafeLibcCallCheck::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "FunctionSet", FunctionSet);
  Options.store(Opts, "AdditionalFunctions", AdditionalFunctions);
  Options.store(Opts, "IgnoredFunctions", IgnoredFunctions);
  Options.store(Opts, "IncludeStyle", Inserter.getStyle());
}

void UnsafeLibcCallCheck::registerMatchers(MatchFinder *MatchFinder) {
  Finder.registerMatchers(MatchFinder, this);
}

void UnsafeLibcCallCheck::registerPPCallbacks(const SourceManager &,
                                              Preprocessor *PP,
                                              Preprocessor *) {
  Inserter.registerPreprocessor(PP);
}

void UnsafeLibcCallCheck::check(const MatchFinder::MatchResult &Result) {
  Context = Result.Context;
  Finder.handle(Result);
}

std::string UnsafeLibcCallCheck::freshName(llvm::StringRef Base) {
  for (unsigned N = 0;; ++N) {
    std::string Name = Base.str();
    if (N)
      Name += std::to_string(N);
    // Any identifier the preprocessor has seen (a variable, a macro, a
    // field anywhere in the translation unit) could clash; skip it.
    if (Context->Idents.find(Name) == Context->Idents.end() &&
        UsedNames.insert(Name).second)
      return Name;
  }
}

void UnsafeLibcCallCheck::planStrtok(
    llvm::ArrayRef<const LibcUse *> Uses,
    llvm::DenseMap<const CallExpr *, Plan> &Plans) {
  ASTContext &Ctx = *Context;
  const SourceManager &SM = Ctx.getSourceManager();
  std::string Refusal;
  std::vector<Site> Sites;
  for (const LibcUse *Use : Uses) {
    Sites.push_back(siteOf(Use->Call, Ctx));
    if (Refusal.empty())
      Refusal = siteRefusal(*Use, Sites.back(), Ctx);
  }
  const CallExpr *First = Uses.front()->Call;
  if (Refusal.empty() &&
      (First->getNumArgs() != 2 || isNullPointer(First->getArg(0), Ctx)))
    Refusal = "no fix-it: the first 'strtok' call of this function continues "
              "a walk started elsewhere; pass a save pointer from the caller "
              "to 'strtok_r'";
  if (Refusal.empty() && !isDeclaredBefore("strtok_r", Uses.front()->Loc, Ctx))
    Refusal = "no fix-it: 'strtok_r' is not declared here; define "
              "_POSIX_C_SOURCE to 200809L before the first include";
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
      !runsWithStatement(First, Where->Child, Ctx))
    Refusal = "no fix-it: the call that starts the walk does not always run "
              "before the calls that continue it";
  if (!Refusal.empty()) {
    for (const LibcUse *Use : Uses)
      Plans[Use->Call].Refusal = Refusal;
    return;
  }
  std::string Save = freshName("strtok_save");
  Plan &FirstPlan = Plans[First];
  FirstPlan.Fixes.push_back(
      declareBefore(Where->Child, "char *" + Save + ";", SM));
  for (const LibcUse *Use : Uses) {
    Plan &P = Plans[Use->Call];
    P.Fixes.push_back(renameCallee(Use->Call, "strtok_r"));
    P.Fixes.push_back(
        FixItHint::CreateInsertion(Use->Call->getRParenLoc(), ", &" + Save));
  }
}

UnsafeLibcCallCheck::Plan UnsafeLibcCallCheck::planSingle(const LibcUse &Use) {
  ASTContext &Ctx = *Context;
  const SourceManager &SM = Ctx.getSourceManager();
  const LangOptions &LO = Ctx.getLangOpts();
  const UnsafeLibcFunction &F = *Use.Function;
  const CallExpr *Call = Use.Call;
  Plan P;
  if (F.Fix == LibcFix::None) {
    P.Refusal = F.Note.str();
    return P;
  }
  Site S = siteOf(Call, Ctx);
  P.Refusal = siteRefusal(Use, S, Ctx);
  if (P.Refusal.empty())
    P.Refusal = insertionRefusal(S.Scopes.front().Child);
  if (!P.Refusal.empty())
    return P;
  const Scope &Where = S.Scopes.front();
  const CompoundStmt *Body = S.Scopes.back().Block;

  std::string Replacement;
  switch (F.Fix) {
  case LibcFix::TmBufferR:
  case LibcFix::CharBufferR:
    Replacement = (F.Name + "_r").str();
    break;
  case LibcFix::Strerror:
    Replacement = "strerror_r";
    break;
  case LibcFix::InetNtop:
    Replacement = "inet_ntop";
    break;
  case LibcFix::MbtowcState:
    Replacement = "mbrtowc";
    break;
  case LibcFix::NullState:
  case LibcFix::None:
  case LibcFix::StrtokR:
    break;
  }
  if (!Replacement.empty() && !isDeclaredBefore(Replacement, Use.Loc, Ctx)) {
    if (F.Fix == LibcFix::MbtowcState) {
      P.Header = "<wchar.h>";
    } else if (F.Fix == LibcFix::InetNtop) {
      P.Header = "<arpa/inet.h>";
    } else {
      P.Refusal = "no fix-it: '" + Replacement +
                  "' is not declared here; define _POSIX_C_SOURCE to "
                  "200809L before the first include";
      return P;
    }
  }

  switch (F.Fix) {
  case LibcFix::TmBufferR:
  case LibcFix::CharBufferR:
  case LibcFix::Strerror:
  case LibcFix::InetNtop: {
    // The result points into a buffer that now lives in the block.
    if (!resultStaysIn(Call, Where.Block, Body, Ctx)) {
      P.Refusal = "no fix-it: the result is used after the enclosing block "
                  "ends; give '" +
                  Replacement + "' a buffer that lives as long";
      return P;
    }
    break;
  }
  case LibcFix::MbtowcState:
  case LibcFix::NullState:
    // `mbstate_t s = {0};` must not be jumped over.
    if (hasJumpTargetAfter(Where.Block, Where.Child, SM)) {
      P.Refusal = "no fix-it: a label after the statement could jump past "
                  "the initialised 'mbstate_t'";
      return P;
    }
    break;
  case LibcFix::None:
  case LibcFix::StrtokR:
    break;
  }

  llvm::StringRef Zero = LO.CPlusPlus ? "{}" : "{0}";
  // Declares `Type Name Suffix;` right before the statement, with a name
  // nothing in the file uses, and returns the name.
  auto DeclareLocal = [&](llvm::StringRef Base, llvm::StringRef Type,
                          llvm::StringRef Suffix) {
    std::string Name = freshName(Base);
    P.Fixes.push_back(declareBefore(
        Where.Child, (Type + " " + Name + Suffix + ";").str(), SM));
    return Name;
  };
  // Calls \p Callee instead, with \p Arg appended to the arguments.
  auto CallWithExtraArg = [&](llvm::StringRef Callee, llvm::StringRef Arg) {
    P.Fixes.push_back(renameCallee(Call, Callee));
    P.Fixes.push_back(
        FixItHint::CreateInsertion(Call->getRParenLoc(), (", " + Arg).str()));
  };
  switch (F.Fix) {
  case LibcFix::TmBufferR: {
    std::string Buf = DeclareLocal("tm_buf", "struct tm", "");
    CallWithExtraArg(Replacement, "&" + Buf);
    return P;
  }
  case LibcFix::CharBufferR: {
    // ctime_r and asctime_r write at most 26 bytes.
    CallWithExtraArg(Replacement, DeclareLocal("time_buf", "char", "[26]"));
    return P;
  }
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
      return P;
    }
    std::string Buf = DeclareLocal("err_buf", "char", "[256]");
    std::string R = "strerror_r(" + Arg + ", " + Buf + ", sizeof " + Buf + ")";
    P.Fixes.push_back(FixItHint::CreateReplacement(
        CharSourceRange::getTokenRange(Call->getSourceRange()),
        "_Generic(" + R + ", int: (" + R + ", " + Buf + "), default: " + R +
            ")"));
    return P;
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
      return P;
    }
    if (!isa<DeclRefExpr, MemberExpr, ArraySubscriptExpr, ParenExpr>(Arg))
      Text = "(" + Text + ")";
    std::string Buf = DeclareLocal("addr_buf", "char", "[INET_ADDRSTRLEN]");
    // inet_ntop returns const char *; the buffer is ours, so a caller that
    // wants char * may have it.
    llvm::StringRef Cast = acceptsConstResult(Call, Ctx) ? "" : "(char *)";
    P.Fixes.push_back(FixItHint::CreateReplacement(
        CharSourceRange::getTokenRange(Call->getSourceRange()),
        (Cast + "inet_ntop(AF_INET, &" + Text + ", " + Buf + ", sizeof " + Buf +
         ")")
            .str()));
    return P;
  }
  case LibcFix::MbtowcState: {
    if (Call->getNumArgs() != 3 || isNullPointer(Call->getArg(1), Ctx)) {
      P.Refusal = "no fix-it: a NULL string resets or queries the hidden "
                  "state itself; drop the call once every conversion uses "
                  "its own 'mbstate_t'";
      return P;
    }
    std::string State =
        DeclareLocal("mb_state", "mbstate_t", (" = " + Zero).str());
    // mbrtowc returns size_t; keep the int the code compares with.
    bool Discarded = false;
    DynTypedNodeList Parents = Ctx.getParents(*Call);
    if (!Parents.empty())
      Discarded = Parents[0].get<CompoundStmt>() != nullptr;
    CallWithExtraArg(Discarded ? "mbrtowc" : "(int)mbrtowc", "&" + State);
    return P;
  }
  case LibcFix::NullState: {
    const Expr *Arg = Call->getArg(F.StateArg);
    CharSourceRange R = Lexer::makeFileCharRange(
        CharSourceRange::getTokenRange(Arg->getSourceRange()), SM, LO);
    if (R.isInvalid()) {
      P.Refusal = "no fix-it: the state argument is spelled through a macro";
      return P;
    }
    std::string State =
        DeclareLocal("mb_state", "mbstate_t", (" = " + Zero).str());
    P.Fixes.push_back(FixItHint::CreateReplacement(R, "&" + State));
    return P;
  }
  case LibcFix::None:
  case LibcFix::StrtokR:
    break;
  }
  llvm_unreachable("strtok and rows without a fix-it are handled above");
}

void UnsafeLibcCallCheck::onEndOfTranslationUnit() {
  if (!Context) {
    Finder.clear();
    return;
  }
  ASTContext &Ctx = *Context;
  const SourceManager &SM = Ctx.getSourceManager();
  std::vector<LibcUse> Uses = Finder.hazards(Ctx);

  // The strtok calls of one function share one save pointer.
  llvm::MapVector<const Decl *, std::vector<const LibcUse *>> Walks;
  llvm::DenseMap<const CallExpr *, Plan> Plans;
  for (const LibcUse &Use : Uses) {
    if (Use.Function->Fix == LibcFix::StrtokR)
      Walks[siteOf(Use.Call, Ctx).Function].push_back(&Use);
    else
      Plans[Use.Call] = planSingle(Use);
  }
  for (auto &[Function, Calls] : Walks)
    planStrtok(Calls, Plans);

  for (const LibcUse &Use : Uses) {
    const UnsafeLibcFunction &F = *Use.Function;
    const Plan &P = Plans[Use.Call];
    {
      auto D = diag(Use.Loc, "function '%0' uses %1 shared by all "
                             "threads%select{|, because its state argument "
                             "is NULL}2; use %3")
               << F.Name << F.Shared << (F.Fix == LibcFix::NullState)
               << F.Remedy;
      for (const FixItHint &Fix : P.Fixes)
        D << Fix;
      if (!P.Fixes.empty() && !P.Header.empty())
        D << Inserter.createIncludeInsertion(SM.getFileID(Use.Loc), P.Header);
    }
    if (!P.Refusal.empty())
      diag(Use.Loc, "%0", DiagnosticIDs::Note) << P.Refusal;
  }
  Finder.clear();
  UsedNames.clear();
  Context = nullptr;
}

} // namespace freethreading
} // namespace clang::tidy
