//===--- Findings.h - what clang-tidy found, read back from its export ----===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The driver runs clang-tidy with `--export-fixes` and reads the YAML back
/// (clang's TranslationUnitDiagnostics) to choose its exit code and write
/// its reports. The export names places by byte offset; SourceTexts turns
/// them into lines and columns of the sources as they were analysed, even
/// after `--fix` rewrote them: from copies read before the run, or else by
/// undoing the applied edits.
///
//===----------------------------------------------------------------------===//

#ifndef FREETHREADING_TIDY_TOOLS_FINDINGS_H
#define FREETHREADING_TIDY_TOOLS_FINDINGS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"
#include <optional>
#include <string>
#include <vector>

namespace clang::tidy::freethreading {

/// One replacement of a fix-it: Length bytes at Offset become Text.
struct Edit {
  std::string File; ///< Absolute.
  unsigned Offset = 0;
  unsigned Length = 0;
  std::string Text;
};

/// A diagnostic's or a note's message and place.
struct FindingMessage {
  std::string Text;
  std::string File; ///< Absolute; empty when the message has no place.
  unsigned Offset = 0;
  /// The end of the first highlighted range starting at Offset, if any.
  std::optional<unsigned> EndOffset;
  std::vector<Edit> Edits; ///< Its fix-it, possibly empty.
};

/// One diagnostic: a check's warning, a remark, or a compiler error.
struct Finding {
  enum class Severity { Remark, Warning, Error };
  std::string Check; ///< e.g. freethreading-borrowed-reference.
  Severity Level = Severity::Warning;
  FindingMessage Main;
  std::vector<FindingMessage> Notes;

  /// True for an error of the compiler, not a warning promoted by
  /// WarningsAsErrors (see loadFindings).
  bool CompilerError = false;

  bool hasFix() const { return !Main.Edits.empty(); }
  bool isCompilerError() const { return CompilerError; }
};

/// Reads the findings of clang-tidy's `--export-fixes` file \p Path; no file
/// means nothing was found (clang-tidy writes none then). The export lists
/// warnings that \p WarningsAsErrors (globs) promoted as errors, like the
/// compiler's errors. An error is the compiler's when it is
/// `clang-diagnostic-error`, or another compiler diagnostic (`-Werror`, an
/// error by default) that was not both enabled by \p Checks and promoted:
/// a compiler warning is reported only when enabled.
llvm::Expected<std::vector<Finding>>
loadFindings(llvm::StringRef Path, llvm::StringRef Checks,
             llvm::StringRef WarningsAsErrors);

/// The sources as clang-tidy analysed them, for turning byte offsets into
/// lines and columns.
class SourceTexts {
public:
  /// A 1-based line and column; the column counts Unicode code points.
  struct Position {
    unsigned Line;
    unsigned Column;
  };

  /// Reads \p Files now, before clang-tidy may rewrite them.
  void snapshot(llvm::ArrayRef<std::string> Files);
  /// Reads the files under \p Root that \p Wanted accepts, skipping hidden
  /// folders, until \p MaxBytes are read: the headers `--fix` may rewrite.
  void snapshotTree(llvm::StringRef Root,
                    llvm::function_ref<bool(llvm::StringRef)> Wanted,
                    size_t MaxBytes);
  /// Records the edits clang-tidy applied, so that files read after the
  /// run (those not snapshotted) are read as they were before.
  void setAppliedEdits(llvm::ArrayRef<Edit> Edits);

  /// The position of \p Offset in \p File, if the file can be read and is
  /// long enough.
  std::optional<Position> position(llvm::StringRef File, unsigned Offset);
  /// The text of \p File as analysed, or empty.
  llvm::StringRef text(llvm::StringRef File);

private:
  struct Text {
    std::string Content;
    std::vector<unsigned> LineStarts; ///< Filled on first use.
  };
  Text &load(llvm::StringRef File);

  llvm::StringMap<Text> Texts;
  llvm::StringMap<std::vector<Edit>> Applied;
};

} // namespace clang::tidy::freethreading

#endif // FREETHREADING_TIDY_TOOLS_FINDINGS_H
