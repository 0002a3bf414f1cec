//===--- ExtensionContext.cpp - per-file facts every check needs ----------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "lib/ExtensionContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Stmt.h"
#include "llvm/Support/Path.h"
#include <tuple>

namespace clang::tidy::freethreading {

void ExtensionContext::setFunctions(
    const SourceManager &SM, llvm::ArrayRef<const FunctionDecl *> Definitions) {
  Functions.clear();
  for (const FunctionDecl *FD : Definitions) {
    if (!FD->getBody())
      continue;
    SourceLocation B = SM.getFileLoc(FD->getBeginLoc());
    SourceLocation E = SM.getFileLoc(FD->getBody()->getEndLoc());
    std::pair<FileID, unsigned> DB = SM.getDecomposedLoc(B);
    std::pair<FileID, unsigned> DE = SM.getDecomposedLoc(E);
    if (DB.first.isValid() && DB.first == DE.first)
      Functions.push_back({DB.first, DB.second, DE.second, FD});
    if (const IdentifierInfo *II = FD->getIdentifier())
      if (isStrongApi(II->getName()) && DB.first.isValid())
        StrongApiFiles.insert(DB.first);
  }
  llvm::stable_sort(
      Functions, [](const FunctionExtent &A, const FunctionExtent &B) {
        return std::tie(A.File, A.Begin) < std::tie(B.File, B.Begin);
      });
  indexNesting();
}

void ExtensionContext::indexNesting() {
  Enclosing.assign(Functions.size(), -1);
  llvm::SmallVector<int, 4> Open;
  for (int I = 0, N = Functions.size(); I < N; ++I) {
    while (!Open.empty() && (Functions[Open.back()].File != Functions[I].File ||
                             Functions[Open.back()].End < Functions[I].Begin))
      Open.pop_back();
    if (!Open.empty())
      Enclosing[I] = Open.back();
    Open.push_back(I);
  }
}

void ExtensionContext::addStrongApiMacro(
    FileID File, llvm::ArrayRef<std::string> BodyNames) {
  StrongApiFiles.insert(File);
  for (const std::string &Name : BodyNames)
    ShimNames.insert(Name);
}

/// A function that implements a strong-reference API for old Pythons.
static bool isShim(const FunctionDecl *FD, const llvm::StringSet<> &ShimNames) {
  const IdentifierInfo *II = FD->getIdentifier();
  return II &&
         (isStrongApi(II->getName()) || ShimNames.contains(II->getName()));
}

bool ExtensionContext::isInShim(const SourceManager &SM,
                                SourceLocation Loc) const {
  for (int I = extentAt(SM, Loc); I >= 0; I = Enclosing[I])
    if (isShim(Functions[I].Decl, ShimNames))
      return true;
  return false;
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
  OptionalFileEntryRef Entry = SM.getFileEntryRefForID(File);
  if (!Entry)
    return false;
  llvm::StringRef Name = llvm::sys::path::filename(Entry->getName());
  if (Name == "pythoncapi_compat.h")
    return true;
  // A source file that carries its own shim is still the user's code: only
  // the shim is left alone (isInShim).
  return File != SM.getMainFileID() && StrongApiFiles.contains(File) &&
         Name.contains_insensitive("compat");
}

bool ExtensionContext::isExcluded(const SourceManager &SM, SourceLocation Loc) {
  if (Loc.isInvalid())
    return true;
  Loc = SM.getFileLoc(Loc);
  if (SM.isInSystemHeader(Loc))
    return true;
  FileID File = SM.getFileID(Loc);
  return isCompatFile(SM, File) || isInShim(SM, Loc) || generatorOf(SM, File) ||
         generatorOf(SM, SM.getMainFileID());
}

int ExtensionContext::extentAt(const SourceManager &SM,
                               SourceLocation Loc) const {
  std::pair<FileID, unsigned> D = SM.getDecomposedLoc(SM.getFileLoc(Loc));
  auto After = llvm::upper_bound(
      Functions, D, [](const auto &Key, const FunctionExtent &F) {
        return std::tie(Key.first, Key.second) < std::tie(F.File, F.Begin);
      });
  for (int I = int(After - Functions.begin()) - 1; I >= 0; I = Enclosing[I])
    if (Functions[I].File == D.first && D.second <= Functions[I].End)
      return I;
  return -1;
}

const FunctionDecl *ExtensionContext::functionAt(const SourceManager &SM,
                                                 SourceLocation Loc) const {
  int I = extentAt(SM, Loc);
  return I < 0 ? nullptr : Functions[I].Decl;
}

} // namespace clang::tidy::freethreading
