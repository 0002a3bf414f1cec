//===--- MissingGilDeclarationFixes.h - freethreading-tidy ------*- C++ -*-===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The fix-its of freethreading-missing-gil-declaration, and what they and
/// the check read of a module definition: where a PyModuleDef's m_slots
/// points, the raw text of the files (skipped branches included), offsets.
///
//===----------------------------------------------------------------------===//

#ifndef FREETHREADING_TIDY_CHECKS_MISSINGGILDECLARATIONFIXES_H
#define FREETHREADING_TIDY_CHECKS_MISSINGGILDECLARATIONFIXES_H

#include "lib/AstHelpers.h"
#include "lib/ModuleSourceScan.h"
#include "lib/PreprocessorFacts.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/Basic/Diagnostic.h"
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace clang::tidy::freethreading {

/// What a PyModuleDef's m_slots member holds.
struct SlotsInfo {
  enum { Unknown, None, Array } Kind = Unknown;
  const VarDecl *ArrayVar = nullptr;
  const InitListExpr *Written = nullptr; ///< The def's initializer as written.
  unsigned FieldIndex = 0;               ///< Of m_slots in PyModuleDef.
  const Expr *WrittenNull = nullptr;     ///< m_slots written as NULL.
};

/// Raw scans of the files of one translation unit, made on demand.
class ScanCache {
public:
  ScanCache(const SourceManager &SM, const LangOptions &LO,
            llvm::ArrayRef<SkippedRange> Skipped)
      : SM(SM), LO(LO), Skipped(Skipped) {}
  const RawFileScan &get(FileID File) {
    std::unique_ptr<RawFileScan> &Scan = Scans[File];
    if (!Scan)
      Scan = std::make_unique<RawFileScan>(SM, File, LO, Skipped);
    return *Scan;
  }
  /// A scan that holds at least [Begin, End) of \p File: the file's whole
  /// scan if it exists or the preprocessor skipped part of the range,
  /// otherwise the range alone, which costs a fraction of the file.
  const RawFileScan &get(FileID File, unsigned Begin, unsigned End) {
    if (Scans.count(File) ||
        RawFileScan::overlapsSkipped(Skipped, File, Begin, End))
      return get(File);
    std::unique_ptr<RawFileScan> &Scan = Ranges[{File, Begin, End}];
    if (!Scan)
      Scan = std::make_unique<RawFileScan>(SM, File, LO, Begin, End);
    return *Scan;
  }

private:
  const SourceManager &SM;
  const LangOptions &LO;
  llvm::ArrayRef<SkippedRange> Skipped;
  std::map<FileID, std::unique_ptr<RawFileScan>> Scans;
  std::map<std::tuple<FileID, unsigned, unsigned>, std::unique_ptr<RawFileScan>>
      Ranges;
};

SourceLocation locAt(const SourceManager &SM, FileID File, unsigned Offset);

/// The range [Begin, End] of \p R's file locations in one file, as offsets.
std::optional<std::pair<unsigned, unsigned>>
fileOffsets(const SourceManager &SM, SourceLocation B, SourceLocation E,
            FileID &File);

/// The initializer list \p V itself carries, if any: null for a forward or
/// extern declaration of a variable defined elsewhere.
const InitListExpr *ownInitList(const VarDecl *V);
/// The initializer list as the user wrote it.
const InitListExpr *syntacticForm(const InitListExpr *ILE);

/// What the PyModuleDef \p Def's m_slots member holds.
SlotsInfo slotsOf(const VarDecl *Def, ASTContext &Ctx);

/// `{Py_mod_gil, Py_MOD_GIL_NOT_USED}`, with a comma for a fix-it.
std::string slotEntry(bool Comma = true);

/// Inserts the Py_mod_gil entry, under \p Guard, before the terminating
/// entry of the slots array \p Array.
std::optional<FixItHint> slotFix(const VarDecl *Array, llvm::StringRef Guard,
                                 ASTContext &Ctx, ScanCache &Scans);

/// Creates a slots array holding only the guarded Py_mod_gil entry and
/// points the def's m_slots at it.
std::vector<FixItHint> newSlotsFix(const VarDecl *Def, const SlotsInfo &Slots,
                                   llvm::StringRef Guard, ASTContext &Ctx,
                                   ScanCache &Scans);

/// Inserts the guarded SetGIL call after the module's creation and its NULL
/// check: `m = PyModule_Create(&def); if (m == NULL) return NULL;` or
/// `if ((m = PyModule_Create(&def)) == NULL) return NULL;`, in the body of
/// \p Creator, whose \p Parents these are.
std::optional<FixItHint> setGilFix(const CallExpr *Call,
                                   const FunctionDecl *Creator,
                                   const LocalParents &Parents,
                                   ASTContext &Ctx, ScanCache &Scans);

} // namespace clang::tidy::freethreading

#endif // FREETHREADING_TIDY_CHECKS_MISSINGGILDECLARATIONFIXES_H
