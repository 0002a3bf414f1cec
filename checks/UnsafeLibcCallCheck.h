//===--- UnsafeLibcCallCheck.h - freethreading-tidy ------------*- C++ -*-===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#ifndef FREETHREADING_TIDY_CHECKS_UNSAFELIBCCALLCHECK_H
#define FREETHREADING_TIDY_CHECKS_UNSAFELIBCCALLCHECK_H

#include "clang-tidy/ClangTidyCheck.h"
#include "clang-tidy/utils/IncludeInserter.h"
#include "checks/UnsafeLibcCallFixes.h"
#include "lib/ExtensionAnalysis.h"
#include "lib/LibcCalls.h"

namespace clang::tidy::freethreading {

/// Finds calls of C library functions that keep their results or state in
/// static storage shared by all threads (strtok, localtime, strerror, ...)
/// and rewrites them to the reentrant form where the rewrite is mechanical.
///
/// For the user-facing documentation see:
/// docs/checks/freethreading-unsafe-libc-call.md
class UnsafeLibcCallCheck : public ClangTidyCheck {
public:
  UnsafeLibcCallCheck(llvm::StringRef Name, ClangTidyContext *Context);
  // Extension modules are written in C and C++ alike.
  bool isLanguageVersionSupported(const LangOptions &) const override {
    return true;
  }
  // The fix-its read the AST as it is: the NULL state argument through its
  // implicit cast, and calls in template instantiations (whose arguments may
  // be dependent in the template itself).
  std::optional<TraversalKind> getCheckTraversalKind() const override {
    return TK_AsIs;
  }
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void registerPPCallbacks(const SourceManager &SM, Preprocessor *PP,
                           Preprocessor *ModuleExpanderPP) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
  void onEndOfTranslationUnit() override;

private:
  /// The calls and the fix of each.
  struct Plans {
    ConfiguredLibcRows Configured; ///< What Uses point to.
    std::vector<LibcUse> Uses;
    llvm::DenseMap<const CallExpr *, LibcFixPlan> Fixes;
  };
  /// Planned once per translation unit, when this check reports or
  /// missing-gil-declaration asks what this run repairs.
  const Plans &plans();

  const LibcOptions Settings;
  utils::IncludeInserter Inserter;
  SharedAnalysis Analysis;
  ASTContext *Context = nullptr;
  std::optional<Plans> Planned;
};

} // namespace clang::tidy::freethreading

#endif // FREETHREADING_TIDY_CHECKS_UNSAFELIBCCALLCHECK_H
