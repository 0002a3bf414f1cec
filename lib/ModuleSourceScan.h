//===--- ModuleSourceScan.h - a file's code, skipped branches included ----===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// A GIL declaration is often written where the headers in use make the
/// preprocessor skip it: `{Py_mod_gil, ...}` under `#ifdef Py_mod_gil` is
/// not in the AST when compiling against 3.11 headers. RawFileScan lexes a
/// whole file raw (comments and directive lines dropped), records its
/// conditional branches, and tells whether a token is live code or sits in
/// skipped branches that are all guarded by a declaration guard.
///
//===----------------------------------------------------------------------===//

#ifndef FREETHREADING_TIDY_LIB_MODULESOURCESCAN_H
#define FREETHREADING_TIDY_LIB_MODULESOURCESCAN_H

#include "lib/PreprocessorFacts.h"
#include "clang/Basic/LangOptions.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>
#include <vector>

namespace clang::tidy::freethreading {

class RawFileScan {
public:
  /// One token of code (not a comment, not part of a directive line).
  struct RawToken {
    unsigned Offset;
    llvm::StringRef Text;
    bool IsIdentifier;
  };

  /// Scans \p File; \p Skipped are the skipped ranges of the whole
  /// translation unit (those of other files are ignored).
  RawFileScan(const SourceManager &SM, FileID File, const LangOptions &LO,
              llvm::ArrayRef<SkippedRange> Skipped);
  /// Scans only [\p Begin, \p End) of \p File, which no skipped range may
  /// overlap (see overlapsSkipped): every token there is live.
  RawFileScan(const SourceManager &SM, FileID File, const LangOptions &LO,
              unsigned Begin, unsigned End);
  /// True if one of \p Skipped lies in \p File and overlaps
  /// [\p Begin, \p End).
  static bool overlapsSkipped(llvm::ArrayRef<SkippedRange> Skipped,
                              FileID File, unsigned Begin, unsigned End);

  llvm::ArrayRef<RawToken> tokens() const { return Tokens; }
  /// The index of the first token at or after \p Offset.
  size_t firstTokenAt(unsigned Offset) const;

  /// True if the preprocessor skipped \p Offset.
  bool isSkipped(unsigned Offset) const;
  /// True if \p Offset is live code, or every skipped conditional branch
  /// around it is conditioned on a declaration guard (isDeclarationGuard),
  /// counting the conditions of earlier arms for #elif and #else.
  bool isLiveOrGuarded(unsigned Offset) const;

  /// The offset just past the end of the line holding \p Offset (its
  /// newline included), or std::nullopt when that line has no newline (the
  /// last line of the buffer).
  std::optional<unsigned> startOfNextLine(unsigned Offset) const;
  /// The offset where the line holding \p Offset starts.
  unsigned startOfLine(unsigned Offset) const;
  /// The white space that starts the line holding \p Offset.
  llvm::StringRef indentation(unsigned Offset) const;
  /// True if only white space precedes \p Offset on its line.
  bool startsLine(unsigned Offset) const;

  llvm::StringRef buffer() const { return Buffer; }

private:
  struct Arm {
    unsigned BodyBegin; ///< Just after the directive line.
    unsigned End;       ///< The next directive of the same group.
    std::string Conditions; ///< This arm's condition and earlier arms'.
  };

  llvm::StringRef Buffer;
  std::vector<RawToken> Tokens;
  std::vector<Arm> Arms;
  std::vector<std::pair<unsigned, unsigned>> SkippedRanges;
};

} // namespace clang::tidy::freethreading

#endif // FREETHREADING_TIDY_LIB_MODULESOURCESCAN_H
