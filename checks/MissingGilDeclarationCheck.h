//===--- MissingGilDeclarationCheck.h - freethreading-tidy ------*- C++ -*-===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#ifndef FREETHREADING_TIDY_CHECKS_MISSINGGILDECLARATIONCHECK_H
#define FREETHREADING_TIDY_CHECKS_MISSINGGILDECLARATIONCHECK_H

#include "lib/ExtensionAnalysis.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/MapVector.h"
#include <vector>

namespace clang::tidy::freethreading {

/// Finds extension modules that never declare whether they need the GIL
/// (no Py_mod_gil slot, no PyUnstable_Module_SetGIL call, no
/// py::mod_gil_not_used()), which makes free-threaded CPython re-enable the
/// GIL for the whole process when they are imported, and modules that
/// declare Py_MOD_GIL_NOT_USED while free-threading hazards remain.
///
/// For the user-facing documentation see:
/// docs/checks/freethreading-missing-gil-declaration.md
class MissingGilDeclarationCheck : public ClangTidyCheck {
public:
  /// How the fix-it guards a new Py_mod_gil slot.
  enum class SlotGuardStyle {
    Macro,  ///< `#ifdef Py_mod_gil`
    Version ///< `#if PY_VERSION_HEX >= 0x030D0000`
  };

  MissingGilDeclarationCheck(llvm::StringRef Name, ClangTidyContext *Context);
  // Modules are written in C and C++ alike.
  bool isLanguageVersionSupported(const LangOptions &) const override {
    return true;
  }
  // The m_slots field is found in the semantic form of a PyModuleDef
  // initializer (designated, positional and implicit members alike), and
  // PyModule_Create is a macro around the call: work on the AST as it is.
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
  friend class MissingGilReport;
  struct Creation {
    const CallExpr *Call;
    /// The PyModuleDef passed, if it is a variable: its canonical
    /// declaration.
    const VarDecl *Def;
    bool SinglePhase;
  };

  void collectModules();
  void report(ASTContext &Ctx);

  const bool FixOnlyWithoutHazards;
  const SlotGuardStyle SlotGuard;

  SharedAnalysis Analysis;
  ClangTidyContext *TidyContext;
  /// Each PyModuleDef defined here, keyed by its canonical declaration (the
  /// key creations use), to the declaration that carries the initializer.
  llvm::MapVector<const VarDecl *, const VarDecl *> ModuleDefs;
  std::vector<Creation> Creations;
  ASTContext *Context = nullptr;
};

} // namespace clang::tidy::freethreading

namespace clang::tidy {
template <>
struct OptionEnumMapping<
    freethreading::MissingGilDeclarationCheck::SlotGuardStyle> {
  static llvm::ArrayRef<std::pair<
      freethreading::MissingGilDeclarationCheck::SlotGuardStyle,
      llvm::StringRef>>
  getEnumMapping();
};
} // namespace clang::tidy

#endif // FREETHREADING_TIDY_CHECKS_MISSINGGILDECLARATIONCHECK_H
