//===--- ExtensionAnalysis.h - one analysis per translation unit ----------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The analysis every freethreading check reads, built once per translation
/// unit from one preprocessor hook and one walk of the user's declarations,
/// with its layers computed on first use:
///   1. translation-unit facts: what the preprocessor saw (critical sections
///      in any expansion and in skipped branches, C-API macro uses);
///   2. C-API uses: borrowed-reference uses (BorrowedReferenceFinder.h),
///      and C library calls (LibcCalls.h, from the model's library calls);
///   3. the extension model (ExtensionModel.h);
///   4. per-function flow facts (FlowFacts.h), only for the functions a
///      check asks about.
/// The checks of one translation unit share one ExtensionAnalysis through
/// SharedAnalysis.
///
//===----------------------------------------------------------------------===//

#ifndef FREETHREADING_TIDY_LIB_EXTENSIONANALYSIS_H
#define FREETHREADING_TIDY_LIB_EXTENSIONANALYSIS_H

#include "lib/AstHelpers.h"
#include "lib/BorrowedReferenceFinder.h"
#include "lib/ExtensionModel.h"
#include "lib/FlowFacts.h"
#include "lib/KnowledgeBase.h"
#include "lib/PreprocessorFacts.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace clang {
class Preprocessor;
namespace tidy {
class ClangTidyContext;
namespace freethreading {

struct SectionOptions;
struct ObjectStateFindings;
struct SectionMistake;

class ExtensionAnalysis {
public:
  /// \p RecordMacro selects the macros recorded as uses besides those the
  /// analysis needs itself (pybind11 and nanobind module macros).
  explicit ExtensionAnalysis(PreprocessorFacts::MacroFilter RecordMacro = {});
  ~ExtensionAnalysis();

  /// Installs the preprocessor hook; later calls do nothing.
  void attach(const SourceManager &SM, Preprocessor &PP);
  /// The translation unit being analysed; set when it has been parsed.
  void setContext(ASTContext &Ctx) { AST = &Ctx; }
  bool hasContext() const { return AST != nullptr; }
  ASTContext &context() const { return *AST; }

  // 1. What the preprocessor saw, and which files are the user's.
  PreprocessorFacts &preprocessor() { return Facts; }
  /// No check reports at \p Loc: a system header, CPython's own headers, a
  /// file a code generator wrote (or a translation unit whose main file is
  /// generated), a compatibility header (pythoncapi_compat.h and kin).
  bool isExcluded(SourceLocation Loc);
  /// The generator that wrote \p File, or null.
  const Generator *generatorOf(FileID File);
  /// Which function holds a location, and which files and functions are
  /// compatibility code: every definition of the user's code (the model's)
  /// indexed on first use.
  ExtensionContext &extensionContext();

  // 2. C-API uses.
  /// The borrowed-reference finder; the preprocessor records its macro uses
  /// when a check needs them (SharedAnalysis::Layer::BorrowedUses).
  BorrowedReferenceFinder &borrowedFinder() { return Borrowed; }
  /// The borrowed-reference uses another thread can invalidate, in source
  /// order, computed once for every check that reads them.
  const std::vector<BorrowedUse> &borrowedUses();

  // 3. The extension model.
  const ExtensionModel &model();

  // 4. Flow facts and summaries, per function, computed on first use.
  const FunctionFlow &flow(const FunctionDecl *F);
  /// The flow facts computed after this call list the exits of every
  /// function (FunctionFlow::exits). Exits need the function's CFG, which
  /// is otherwise built only where a lock or the thread state can change;
  /// no check reads them, the dump does.
  void wantExits() { ExitsWanted = true; }
  /// What \p F does to statics and to the objects passed to it, itself or
  /// through its helpers; null while being computed (recursion).
  const FunctionSummary *summary(const FunctionDecl *F);

  /// The parents inside each function body, shared by every walk up the
  /// AST of this translation unit.
  BodyParents &parents() { return Parents; }

  // 4b. Findings more than one check reads (UnlockedState.h): the
  // critical-section check reports them, the GIL check counts them.
  /// objectStateFindings under \p Options, computed once per options.
  const ObjectStateFindings &objectState(const SectionOptions &Options);
  /// sectionMistakes, computed once.
  const std::vector<SectionMistake> &sectionMistakes();

  // 5. What this run repairs.
  /// The locations a check reports the hazards at that its fix-its repair
  /// (or cover) in this run.
  using FixedHazards = std::function<std::vector<SourceLocation>()>;
  /// Each check that writes fix-its says which hazards they repair, before
  /// any check reports; only enabled checks are constructed, so only their
  /// fixes count.
  void addFixer(FixedHazards Fixed) { Fixers.push_back(std::move(Fixed)); }
  /// Whether a check of this run writes a fix-it for the hazard reported at
  /// \p Loc.
  bool isFixedInThisRun(SourceLocation Loc);

private:
  PreprocessorFacts Facts;
  BodyParents Parents;
  bool Attached = false;
  friend class SharedAnalysis;
  BorrowedReferenceFinder Borrowed;
  bool BorrowedMacrosWanted = false, FunctionsIndexed = false;
  std::optional<std::vector<BorrowedUse>> BorrowedFound;
  ASTContext *AST = nullptr;
  std::unique_ptr<ExtensionModel> Model;
  llvm::DenseMap<FileID, const Generator *> Generated;
  /// The functions whose lock state can change (lockingFunctions).
  const llvm::DenseSet<const FunctionDecl *> &locking();
  std::optional<llvm::DenseSet<const FunctionDecl *>> Locking;
  bool ExitsWanted = false;
  llvm::DenseMap<const FunctionDecl *, std::unique_ptr<FunctionFlow>> Flows;
  llvm::DenseMap<const FunctionDecl *, std::unique_ptr<FunctionSummary>>
      Summaries;
  struct ObjectStateRun;
  std::vector<std::unique_ptr<ObjectStateRun>> ObjectStates;
  std::unique_ptr<std::vector<SectionMistake>> Mistakes;
  std::vector<FixedHazards> Fixers;
  std::optional<llvm::DenseSet<SourceLocation>> Fixed;
};

/// A check's handle on the analysis of its translation unit. Every check of
/// one ClangTidyContext and translation unit gets the same analysis; the
/// preprocessor hook is installed once.
class SharedAnalysis : public ast_matchers::MatchFinder::MatchCallback {
public:
  /// The layers whose collection needs the preprocessor hook to record more:
  /// BorrowedUses, the uses of the borrowed APIs spelled as macros.
  enum Layer : unsigned { BorrowedUses = 1 };

  explicit SharedAnalysis(ClangTidyContext *Context, unsigned Needs = 0);
  ~SharedAnalysis() override;

  void registerMatchers(ast_matchers::MatchFinder *Finder);
  void registerPPCallbacks(const SourceManager &SM, Preprocessor *PP);
  void run(const ast_matchers::MatchFinder::MatchResult &Result) override;

  ExtensionAnalysis &get() { return *Analysis; }
  ExtensionAnalysis *operator->() { return Analysis.get(); }

private:
  std::shared_ptr<ExtensionAnalysis> Analysis;
  const unsigned Needs;
};

} // namespace freethreading
} // namespace tidy
} // namespace clang

#endif // FREETHREADING_TIDY_LIB_EXTENSIONANALYSIS_H
