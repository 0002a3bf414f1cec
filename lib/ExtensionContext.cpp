//===--- ExtensionContext.cpp - per-file facts every check needs ----------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "lib/ExtensionContext.h"
#include "clang/AST/Decl.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "llvm/Support/Path.h"

using namespace clang::ast_matchers;

namespace clang::tidy::freethreading {

static constexpr llvm::StringLiteral FunctionId = "ft-context-function";

void ExtensionContext::registerMatchers(MatchFinder *Finder,
                                        MatchFinder::MatchCallback *Callback) {
  Finder->addMatcher(functionDecl(isDefinition(),
                                  unless(isExpansionInSystemHeader()))
                         .bind(FunctionId),
                     Callback);
}

bool ExtensionContext::handle(const MatchFinder::MatchResult &Result) {
  const auto *FD = Result.Nodes.getNodeAs<FunctionDecl>(FunctionId);
  if (!FD || !FD->getBody())
    return FD != nullptr;
  const SourceManager &SM = *Result.SourceManager;
  SourceLocation B = SM.getFileLoc(FD->getBeginLoc());
  SourceLocation E = SM.getFileLoc(FD->getBody()->getEndLoc());
  std::pair<FileID, unsigned> DB = SM.getDecomposedLoc(B);
  std::pair<FileID, unsigned> DE = SM.getDecomposedLoc(E);
  if (DB.first.isValid() && DB.first == DE.first)
    Functions.push_back({DB.first, DB.second, DE.second, FD});
  if (const IdentifierInfo *II = FD->getIdentifier())
    if (isStrongApi(II->getName()) && DB.first.isValid())
      CompatFiles.insert(DB.first);
  return true;
}

const Generator *ExtensionContext::generatorOf(const SourceManager &SM,
                                               FileID File) {
  auto It = Generated.find(File);
  if (It != Generated.end())
    return It->second;
  const Generator *G = nullptr;
  if (std::optional<llvm::StringRef> Buffer = SM.getBufferDataOrNone(File))
    G = findGenerator(Buffer->take_front(2048));
  Generated[File] = G;
  return G;
}

bool ExtensionContext::isCompatFile(const SourceManager &SM,
                                    FileID File) const {
  if (CompatFiles.contains(File))
    return true;
  if (OptionalFileEntryRef Entry = SM.getFileEntryRefForID(File))
    return llvm::sys::path::filename(Entry->getName()) ==
           "pythoncapi_compat.h";
  return false;
}

bool ExtensionContext::isExcluded(const SourceManager &SM,
                                  SourceLocation Loc) {
  if (Loc.isInvalid())
    return true;
  Loc = SM.getFileLoc(Loc);
  if (SM.isInSystemHeader(Loc))
    return true;
  FileID File = SM.getFileID(Loc);
  return isCompatFile(SM, File) || generatorOf(SM, File) ||
         generatorOf(SM, SM.getMainFileID());
}

const FunctionDecl *ExtensionContext::functionAt(const SourceManager &SM,
                                                 SourceLocation Loc) const {
  std::pair<FileID, unsigned> D = SM.getDecomposedLoc(SM.getFileLoc(Loc));
  const FunctionExtent *Best = nullptr;
  for (const FunctionExtent &F : Functions)
    if (F.File == D.first && F.Begin <= D.second && D.second <= F.End &&
        (!Best || F.Begin >= Best->Begin))
      Best = &F;
  return Best ? Best->Decl : nullptr;
}

void ExtensionContext::clear() {
  Functions.clear();
  CompatFiles.clear();
  Generated.clear();
}

} // namespace clang::tidy::freethreading
