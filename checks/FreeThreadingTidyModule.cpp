//===--- FreeThreadingTidyModule.cpp - freethreading-tidy -----------------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "checks/BorrowedReferenceCheck.h"
#include "checks/MissingCriticalSectionCheck.h"
#include "checks/MissingGilDeclarationCheck.h"
#include "checks/MutableStaticStateCheck.h"
#include "checks/UnsafeLibcCallCheck.h"
#include "clang-tidy/ClangTidyModule.h"

namespace clang::tidy {
namespace freethreading {

/// The free-threading checks for CPython extension sources.
class FreeThreadingModule : public ClangTidyModule {
public:
  void addCheckFactories(ClangTidyCheckFactories &CheckFactories) override {
    CheckFactories.registerCheck<BorrowedReferenceCheck>(
        "freethreading-borrowed-reference");
    CheckFactories.registerCheck<MissingCriticalSectionCheck>(
        "freethreading-missing-critical-section");
    CheckFactories.registerCheck<MissingGilDeclarationCheck>(
        "freethreading-missing-gil-declaration");
    CheckFactories.registerCheck<MutableStaticStateCheck>(
        "freethreading-mutable-static-state");
    CheckFactories.registerCheck<UnsafeLibcCallCheck>(
        "freethreading-unsafe-libc-call");
  }
};

} // namespace freethreading

// Registers the module with clang-tidy, clangd and the plugin loader alike.
static ClangTidyModuleRegistry::Add<freethreading::FreeThreadingModule>
    X("freethreading-module",
      "Checks for free-threading hazards in CPython extensions.");

// Referenced by the drivers so that linkers keep this object.
// NOLINTNEXTLINE(misc-use-internal-linkage)
volatile int FreeThreadingModuleAnchorSource = 0;

} // namespace clang::tidy
