//===--- MissingCriticalSectionCheck.h - freethreading-tidy ----*- C++ -*-===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#ifndef FREETHREADING_TIDY_CHECKS_MISSINGCRITICALSECTIONCHECK_H
#define FREETHREADING_TIDY_CHECKS_MISSINGCRITICALSECTIONCHECK_H

#include "clang-tidy/ClangTidyCheck.h"
#include "clang-tidy/utils/IncludeInserter.h"
#include "checks/MissingCriticalSectionFixes.h"
#include "lib/ExtensionAnalysis.h"
#include "lib/UnlockedState.h"

namespace clang::tidy::freethreading {

/// Finds the functions of an extension type (methods, getters, setters,
/// live slots, and through them the helpers they hand `self` to) that read
/// or write the fields of an instance that something writes on a live
/// object, without a critical section on it or a mutex; and critical
/// sections used wrongly. Offers the lock-held split as a fix-it where the
/// headers in use provide Py_BEGIN_CRITICAL_SECTION.
///
/// For the user-facing documentation see:
/// docs/checks/freethreading-missing-critical-section.md
class MissingCriticalSectionCheck : public ClangTidyCheck {
public:
  MissingCriticalSectionCheck(llvm::StringRef Name, ClangTidyContext *Context);
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
  /// Why no split can be written in this translation unit; empty when
  /// Py_BEGIN_CRITICAL_SECTION is there or CompatHeader provides it.
  std::string macroProblem(bool &IncludeCompat);
  /// The findings and the split of each unlocked function.
  struct Plans {
    const ObjectStateFindings *Found = nullptr;
    std::vector<SplitPlan> Splits; ///< One per Found.Unlocked.
    bool IncludeCompat = false;
  };
  /// Planned once per translation unit, when this check reports or
  /// missing-gil-declaration asks what this run repairs.
  const Plans &plans();
  void reportUnlocked(ExtensionAnalysis &A, const Plans &P);
  void reportBorrowedFields(llvm::ArrayRef<BorrowedField> Borrowed);
  void reportMistakes(ExtensionAnalysis &A);

  std::vector<std::string> OptionProblems;
  const SectionOptions Settings;
  /// Included by a split where the headers in use lack the section macros.
  const std::string CompatHeader;
  const bool SplitFixes;
  utils::IncludeInserter Inserter;
  SharedAnalysis Analysis;
  ASTContext *Context = nullptr;
  Preprocessor *PP = nullptr;
  std::optional<Plans> Planned;
};

} // namespace clang::tidy::freethreading

#endif // FREETHREADING_TIDY_CHECKS_MISSINGCRITICALSECTIONCHECK_H
