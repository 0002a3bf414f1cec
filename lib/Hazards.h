//===--- Hazards.h - what every freethreading check reports ---------------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The free-threading hazards of a translation unit as the checks that
/// report them see them, each with its check's own options, worded once: the
/// check that reports a hazard and missing-gil-declaration, which counts
/// what remains before a module may promise Py_MOD_GIL_NOT_USED, read the
/// same text.
///
//===----------------------------------------------------------------------===//

#ifndef FREETHREADING_TIDY_LIB_HAZARDS_H
#define FREETHREADING_TIDY_LIB_HAZARDS_H

#include "lib/BorrowedReferenceFinder.h"
#include "lib/ExtensionAnalysis.h"
#include "clang/Basic/SourceLocation.h"
#include <string>
#include <vector>

namespace clang::tidy {
class ClangTidyContext;
namespace freethreading {

/// One finding of a freethreading check.
struct Hazard {
  SourceLocation Loc;
  std::string Text;  ///< For a note at the hazard.
  std::string Short; ///< For a list of what to fix first.
};

/// The warning of freethreading-borrowed-reference for \p Use.
std::string borrowedHazardMessage(const BorrowedUse &Use);

/// Every hazard the hazard-reporting checks find in the translation unit of
/// \p A, with the options \p Context holds for each check (whether or not
/// the check is enabled), in source order.
std::vector<Hazard> translationUnitHazards(ExtensionAnalysis &A,
                                           ClangTidyContext &Context);

} // namespace freethreading
} // namespace clang::tidy

#endif // FREETHREADING_TIDY_LIB_HAZARDS_H
