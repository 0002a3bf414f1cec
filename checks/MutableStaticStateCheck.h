//===--- MutableStaticStateCheck.h - freethreading-tidy --------*- C++ -*-===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#ifndef FREETHREADING_TIDY_CHECKS_MUTABLESTATICSTATECHECK_H
#define FREETHREADING_TIDY_CHECKS_MUTABLESTATICSTATECHECK_H

#include "clang-tidy/ClangTidyCheck.h"
#include "clang-tidy/utils/IncludeInserter.h"
#include "checks/MutableStaticStateFixes.h"
#include "lib/ExtensionAnalysis.h"
#include "lib/MutableStatics.h"

namespace clang::tidy::freethreading {

/// Finds statics (file scope, namespace scope, function local, static data
/// members) that every thread shares and that are written after module
/// initialisation without a lock every access holds: lazily filled caches,
/// counters, flags, scratch buffers. One warning per static, with notes at
/// each racing access; integer counters and flags become atomic where every
/// use allows it.
///
/// For the user-facing documentation see:
/// docs/checks/freethreading-mutable-static-state.md
class MutableStaticStateCheck : public ClangTidyCheck {
public:
  MutableStaticStateCheck(llvm::StringRef Name, ClangTidyContext *Context);
  // Extension modules are written in C and C++ alike.
  bool isLanguageVersionSupported(const LangOptions &) const override {
    return true;
  }
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void registerPPCallbacks(const SourceManager &SM, Preprocessor *PP,
                           Preprocessor *ModuleExpanderPP) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
  void onEndOfTranslationUnit() override;

private:
  /// The statics and the fix of each.
  struct Plans {
    std::vector<MutableStatic> Statics;
    std::vector<StaticFixPlan> Fixes; ///< One per static, or none.
  };
  /// Planned once per translation unit, when this check reports or
  /// missing-gil-declaration asks what this run repairs.
  const Plans &plans();

  std::vector<std::string> OptionProblems;
  const StaticOptions Settings;
  utils::IncludeInserter Inserter;
  SharedAnalysis Analysis;
  ASTContext *Context = nullptr;
  std::optional<Plans> Planned;
};

} // namespace clang::tidy::freethreading

#endif // FREETHREADING_TIDY_CHECKS_MUTABLESTATICSTATECHECK_H
