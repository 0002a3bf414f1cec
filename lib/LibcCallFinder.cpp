//===--- LibcCallFinder.cpp - C library calls with hidden shared state ----===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "lib/LibcCallFinder.h"
#include "lib/PreprocessorFacts.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "llvm/ADT/STLExtras.h"

using namespace clang::ast_matchers;

namespace clang::tidy::freethreading {

static constexpr llvm::StringLiteral CallId = "ft-libc-call";

void LibcCallFinder::setFunctionLists(
    llvm::ArrayRef<llvm::StringRef> Additional,
    llvm::ArrayRef<llvm::StringRef> Ignore) {
  Ignored.clear();
  for (llvm::StringRef Name : Ignore)
    Ignored.insert(Name);
  AdditionalRows.clear();
  Configured.clear();
  for (llvm::StringRef Name : Additional) {
    if (Name.empty() || !AdditionalRows.insert(Name).second)
      continue;
    if (findUnsafeLibcFunction(Name))
      continue;
    // The key of the set entry outlives this call; the row refers to it.
    llvm::StringRef Stable = AdditionalRows.find(Name)->getKey();
    Configured.push_back({Stable, LibcExtra, "state", "a reentrant alternative",
                          LibcFix::None, -1, ""});
  }
}

const UnsafeLibcFunction *LibcCallFinder::lookup(llvm::StringRef Name) const {
  if (Ignored.contains(Name))
    return nullptr;
  if (const UnsafeLibcFunction *F = findUnsafeLibcFunction(Name))
    // Our own additions (LibcExtra) belong to every set.
    return (F->Sets & (Sets | LibcExtra)) || AdditionalRows.contains(Name)
               ? F
               : nullptr;
  for (const UnsafeLibcFunction &F : Configured)
    if (F.Name == Name)
      return &F;
  return nullptr;
}

void LibcCallFinder::registerMatchers(MatchFinder *Finder,
                                      MatchFinder::MatchCallback *Callback) {
  Context.registerMatchers(Finder, Callback);
  std::vector<llvm::StringRef> Names;
  for (const UnsafeLibcFunction &F : unsafeLibcFunctions())
    if (lookup(F.Name))
      Names.push_back(F.Name);
  for (const UnsafeLibcFunction &F : Configured)
    if (lookup(F.Name))
      Names.push_back(F.Name);
  if (Names.empty())
    return;
  // Narrow by callee name; the C library's own inline wrappers are not the
  // user's calls. Whether the callee is the C function itself (and not a
  // member or a namespaced function of the same name) is decided in handle.
  Finder->addMatcher(callExpr(callee(functionDecl(hasAnyName(Names))),
                              unless(isExpansionInSystemHeader()))
                         .bind(CallId),
                     Callback);
}

/// True for the C library function itself: C language linkage, which a
/// member or a C++ function in a namespace never has. `std::strtok` is a
/// using-declaration of `::strtok`, so its callee is the C function.
static bool isCLibraryFunction(const FunctionDecl *FD) {
  if (!FD || !FD->getIdentifier() || isa<CXXMethodDecl>(FD))
    return false;
  return FD->isExternC();
}

static bool isNullPointer(const Expr *E, ASTContext &Ctx) {
  return E->IgnoreParenCasts()->isNullPointerConstant(
             Ctx, Expr::NPC_ValueDependentIsNotNull) != Expr::NPCK_NotNull;
}

bool LibcCallFinder::handle(const MatchFinder::MatchResult &Result) {
  if (Context.handle(Result))
    return true;
  const auto *Call = Result.Nodes.getNodeAs<CallExpr>(CallId);
  if (!Call)
    return false;
  const FunctionDecl *Callee = Call->getDirectCallee();
  if (!isCLibraryFunction(Callee))
    return true;
  const UnsafeLibcFunction *F = lookup(Callee->getName());
  if (!F)
    return true;
  // The restartable conversions are safe when given their own state.
  if (F->Fix == LibcFix::NullState) {
    if (F->StateArg < 0 ||
        static_cast<unsigned>(F->StateArg) >= Call->getNumArgs() ||
        !isNullPointer(Call->getArg(F->StateArg), *Result.Context))
      return true;
  }
  const SourceManager &SM = *Result.SourceManager;
  LibcUse Use;
  Use.Function = F;
  Use.Call = Call;
  WrittenAt At = writtenAt(Call->getSourceRange(), SM);
  Use.Loc = At.Loc;
  Use.InMacroBody = At.InMacroBody;
  Calls.push_back(Use);
  return true;
}

std::vector<LibcUse> LibcCallFinder::hazards(ASTContext &Ctx) {
  return Context.reportable(
      Ctx.getSourceManager(), Calls,
      [](const LibcUse &U) { return U.Function; });
}

void LibcCallFinder::clear() {
  Context.clear();
  Calls.clear();
}

} // namespace clang::tidy::freethreading
