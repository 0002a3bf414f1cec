//===--- MissingCriticalSectionFixes.cpp - freethreading-tidy -------------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "checks/MissingCriticalSectionFixes.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/STLExtras.h"

namespace clang::tidy::freethreading {

std::string SectionFixPlanner::shapeProblem(const FunctionDecl *F) const {
  if (isa<CXXMethodDecl>(F))
    return "it is a C++ member function; hold the section inside it by hand";
  if (F->isTemplated())
    return "it is a template";
  if (F->isVariadic() || !F->hasWrittenPrototype())
    return "its arguments cannot be passed on (variadic, or no prototype)";
  if (F->getStorageClass() != SC_Static && !F->isInAnonymousNamespace())
    return "it has external linkage: the renamed body would be a new "
           "exported symbol; split it by hand";
  for (const ParmVarDecl *P : F->parameters())
    if (P->getName().empty())
      return "a parameter has no name to pass on";
  QualType R = F->getReturnType();
  if (!R->isVoidType() && !R->isScalarType())
    return "it returns a value the wrapper cannot keep in a local";
  const Stmt *Body = F->getBody();
  if (F->getLocation().isMacroID() || Body->getBeginLoc().isMacroID() ||
      Body->getEndLoc().isMacroID() ||
      F->getOuterLocStart().isMacroID())
    return "it is written in a macro";
  return "";
}

std::string SectionFixPlanner::bodyProblem(const FunctionDecl *F,
                                           const FunctionFlow &Flow) const {
  if (!Flow.allowThreads().empty())
    return "it detaches the thread state (Py_BEGIN_ALLOW_THREADS), which "
           "suspends a critical section: guard what it uses without the "
           "thread state with a PyMutex";
  if (!Flow.sections().empty())
    return "part of it already holds a critical section: widen that one "
           "by hand";
  if (llvm::any_of(Flow.calls(), [&](const CallFact &C) {
        return C.Callee == F->getDefinition();
      }))
    return "it calls itself";
  return "";
}

std::string SectionFixPlanner::wrapper(const FunctionDecl *F,
                                       llvm::StringRef Header,
                                       llvm::StringRef Body,
                                       unsigned SelfParam) {
  const SourceManager &SM = Ctx.getSourceManager();
  const auto *Block = cast<CompoundStmt>(F->getBody());
  std::string Outer = lineIndentation(SM, SM.getExpansionLoc(
                                              F->getOuterLocStart()))
                          .str();
  // The body's own indentation; PEP 7's four spaces when the body starts on
  // the line of its brace.
  std::string Indent = Outer + "    ";
  if (!Block->body_empty()) {
    SourceLocation First =
        SM.getExpansionLoc(Block->body_front()->getBeginLoc());
    if (SM.getExpansionLineNumber(First) !=
        SM.getExpansionLineNumber(Block->getLBracLoc()))
      Indent = lineIndentation(SM, First).str();
  }
  std::string Args;
  for (const ParmVarDecl *P : F->parameters())
    Args += (Args.empty() ? "" : ", ") + P->getName().str();
  std::string Call = Body.str() + "(" + Args + ");";
  std::string Self = F->getParamDecl(SelfParam)->getName().str();
  std::string Text = Header.str() + "{\n";
  bool Void = F->getReturnType()->isVoidType();
  std::string Result = Names.inWrapper("result", F);
  if (!Void) {
    PrintingPolicy Policy(Ctx.getLangOpts());
    Policy.SuppressTagKeyword = false;
    std::string Type = F->getReturnType().getAsString(Policy);
    Text += Indent + Type + (Type.back() == '*' ? "" : " ") + Result + ";\n";
  }
  Text += Indent + "Py_BEGIN_CRITICAL_SECTION(" + Self + ");\n";
  Text += Indent + (Void ? "" : Result + " = ") + Call + "\n";
  Text += Indent + "Py_END_CRITICAL_SECTION();\n";
  if (!Void)
    Text += Indent + "return " + Result + ";\n";
  return Text + Outer + "}";
}

SplitPlan SectionFixPlanner::plan(const UnlockedFunction &U,
                                  const FunctionFlow &Flow) {
  SplitPlan Plan;
  const FunctionDecl *F = U.Function;
  if (U.SelfParam < 0)
    Plan.Reason = "it is handed several instances; lock them together with "
                  "Py_BEGIN_CRITICAL_SECTION2 by hand";
  else if (static_cast<unsigned>(U.SelfParam) >= F->getNumParams())
    Plan.Reason = "the instance it works on is not one of its parameters";
  else if (!MacroProblem.empty())
    Plan.Reason = MacroProblem;
  else if (std::string Shape = shapeProblem(F); !Shape.empty())
    Plan.Reason = Shape;
  else
    Plan.Reason = bodyProblem(F, Flow);
  if (!Plan.Reason.empty())
    return Plan;
  const SourceManager &SM = Ctx.getSourceManager();
  const LangOptions &LO = Ctx.getLangOpts();
  const Stmt *Body = F->getBody();
  CharSourceRange HeaderRange = Lexer::makeFileCharRange(
      CharSourceRange::getCharRange(F->getOuterLocStart(),
                                    Body->getBeginLoc()),
      SM, LO);
  SourceLocation After =
      Lexer::getLocForEndOfToken(Body->getEndLoc(), 0, SM, LO);
  if (HeaderRange.isInvalid() || After.isInvalid()) {
    Plan.Reason = "its definition is not written as a whole in one file";
    return Plan;
  }
  llvm::StringRef Header = Lexer::getSourceText(HeaderRange, SM, LO);
  std::string Renamed = Names.claim(F->getName().str() + "_lock_held");
  Plan.Fixes.push_back(FixItHint::CreateReplacement(
      CharSourceRange::getTokenRange(F->getLocation()), Renamed));
  Plan.Fixes.push_back(FixItHint::CreateInsertion(
      After, "\n\n" + wrapper(F, Header, Renamed, U.SelfParam)));
  return Plan;
}

} // namespace clang::tidy::freethreading
