//===--- BorrowedReferenceCheck.h - freethreading-tidy ----------*- C++ -*-===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#ifndef FREETHREADING_TIDY_CHECKS_BORROWEDREFERENCECHECK_H
#define FREETHREADING_TIDY_CHECKS_BORROWEDREFERENCECHECK_H

#include "clang-tidy/ClangTidyCheck.h"
#include "clang-tidy/utils/IncludeInserter.h"
#include "checks/BorrowedReferenceFixes.h"
#include "lib/ExtensionAnalysis.h"

namespace clang::tidy::freethreading {

/// Finds borrowed references taken from objects other threads can mutate
/// (list items, dict values, weakref referents, sys.modules entries) that
/// free-threaded CPython may free while the caller still uses them.
///
/// Fix-its switch to the strong-reference APIs and release the reference now
/// owned on every path out of its scope, or lock the container around a
/// loop; where no rewrite is provably right a note says why.
///
/// For the user-facing documentation see:
/// docs/checks/freethreading-borrowed-reference.md
class BorrowedReferenceCheck : public ClangTidyCheck {
public:
  BorrowedReferenceCheck(llvm::StringRef Name, ClangTidyContext *Context);
  // Extension modules are written in C and C++ alike.
  bool isLanguageVersionSupported(const LangOptions &) const override {
    return true;
  }
  // Casts and parentheses matter: a borrowed pointer is often cast to a
  // concrete object type, and the container argument is read through
  // _PyObject_CAST. Work on the AST as it is.
  std::optional<TraversalKind> getCheckTraversalKind() const override {
    return TK_AsIs;
  }
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void registerPPCallbacks(const SourceManager &SM, Preprocessor *PP,
                           Preprocessor *ModuleExpanderPP) override;
  void onEndOfTranslationUnit() override;

private:
  /// Where an API a fix writes comes from in this translation unit.
  enum class Provider {
    None,   ///< Nothing declares it: a fix needs CompatHeader.
    Python, ///< Python's own headers: CompatHeader keeps older ones building.
    Compat, ///< A compatibility header or the file's own shim.
  };
  Provider providerOf(ExtensionAnalysis &A, llvm::StringRef Name);

  /// The fix of each borrowed use, in the order of the analysis' uses.
  struct Plans {
    std::vector<BorrowedFix> Fixes;
    /// Whether each fix includes CompatHeader.
    std::vector<bool> Include;
  };
  /// Planned once per translation unit, when this check reports or
  /// missing-gil-declaration asks what this run repairs.
  const Plans &plans();

  /// Included by every fix so the ported code still builds on CPython
  /// before 3.13 (e.g. "pythoncapi_compat.h"); empty for none.
  const std::string CompatHeader;
  utils::IncludeInserter Inserter;
  SharedAnalysis Analysis;
  Preprocessor *PP = nullptr;
  std::optional<Plans> Planned;
};

} // namespace clang::tidy::freethreading

#endif // FREETHREADING_TIDY_CHECKS_BORROWEDREFERENCECHECK_H
