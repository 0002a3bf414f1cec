//===--- ModuleFacts.cpp - how an extension module declares GIL support ---===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "lib/ModuleFacts.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/ErrorHandling.h"

namespace clang::tidy::freethreading {

llvm::StringRef moduleFact(ModuleFact Fact) {
  switch (Fact) {
#define MODULE_FACT(Id, Spelling)                                             \
  case ModuleFact::Id:                                                         \
    return Spelling;
#include "lib/ModuleDeclarations.def"
  }
  llvm_unreachable("covered switch over ModuleFact");
}

namespace {
struct Creator {
  llvm::StringRef Name;
  InitPhase Phase;
};
} // namespace

static const Creator CreatorTable[] = {
#define MODULE_CREATOR(Name, Phase) {#Name, InitPhase::Phase},
#include "lib/ModuleDeclarations.def"
};

const InitPhase *findModuleCreator(llvm::StringRef Name) {
  for (const Creator &C : CreatorTable)
    if (C.Name == Name)
      return &C.Phase;
  return nullptr;
}

std::vector<llvm::StringRef> moduleCreatorNames() {
  std::vector<llvm::StringRef> Names;
  for (const Creator &C : CreatorTable)
    Names.push_back(C.Name);
  return Names;
}

static const llvm::StringRef GuardTable[] = {
#define DECLARATION_GUARD(Macro) #Macro,
#include "lib/ModuleDeclarations.def"
};

bool isDeclarationGuard(llvm::StringRef ConditionText) {
  // Compare whole identifiers: Py_GIL_DISABLED_X is not a guard.
  llvm::SmallVector<llvm::StringRef, 8> Words;
  llvm::SplitString(ConditionText, Words, " \t\r\n()!&|<>=+-*/%,\\#");
  for (llvm::StringRef W : Words)
    for (llvm::StringRef G : GuardTable)
      if (W == G)
        return true;
  return false;
}

} // namespace clang::tidy::freethreading
