//===--- FreeThreadingTidyMain.cpp - the freethreading-tidy driver --------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Stock clang-tidy with the freethreading module linked in, for users whose
/// clang-tidy cannot load plugins. Same command line as clang-tidy.
///
//===----------------------------------------------------------------------===//

#include "tools/ResourceDir.h"
#include "tools/freethreading-tidy/InputChecks.h"
#include "llvm/Support/raw_ostream.h"
#include "clang-tidy/tool/ClangTidyMain.h"
#include <string>
#include <vector>

namespace clang::tidy {
// Defined next to the module's registration; referencing it keeps it linked.
extern volatile int FreeThreadingModuleAnchorSource;
} // namespace clang::tidy

int main(int argc, const char **argv) {
  (void)clang::tidy::FreeThreadingModuleAnchorSource;
  std::vector<const char *> Args(argv, argv + argc);
  std::string Problem = freethreading::checkInputs(Args);
  if (!Problem.empty()) {
    llvm::errs() << "freethreading-tidy: error: " << Problem << "\n";
    return 1;
  }
  // Clang's builtin headers are looked up next to the executable; from the
  // build tree (or an install without them) point at the resource directory
  // baked in at configure time, unless the user chose one.
  std::string ExtraArg;
  if (std::optional<std::string> Dir =
          freethreading::resourceDirFlagNeeded(argv[0], argc, argv)) {
    ExtraArg = "--extra-arg-before=-resource-dir=" + *Dir;
    Args.insert(Args.begin() + 1, ExtraArg.c_str());
  }
  return clang::tidy::clangTidyMain(static_cast<int>(Args.size()),
                                    Args.data());
}
