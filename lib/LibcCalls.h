//===--- LibcCalls.h - C library calls with hidden shared state -----------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The calls of the C library functions of LibcFunctions.def that race once
/// several threads run extension code, read off the shared analysis and
/// filtered by the unsafe-libc-call check's options. The check reports them;
/// missing-gil-declaration counts them with the same options.
///
//===----------------------------------------------------------------------===//

#ifndef FREETHREADING_TIDY_LIB_LIBCCALLS_H
#define FREETHREADING_TIDY_LIB_LIBCCALLS_H

#include "clang-tidy/ClangTidyCheck.h"
#include "lib/ExtensionAnalysis.h"
#include "lib/KnowledgeBase.h"
#include <deque>
#include <string>
#include <vector>

namespace clang::tidy::freethreading {

/// The options of freethreading-unsafe-libc-call that decide what it reports.
struct LibcOptions {
  /// Which of concurrency-mt-unsafe's lists to report (our own additions
  /// are reported with every list).
  enum class FunctionSetKind { Posix, Glibc, Any };
  FunctionSetKind FunctionSet = FunctionSetKind::Any;
  std::string AdditionalFunctions; ///< `;`-separated names.
  std::string IgnoredFunctions;    ///< `;`-separated names.

  static LibcOptions read(ClangTidyCheck::OptionsView &Options);
  void store(ClangTidyCheck::OptionsView &Options,
             ClangTidyOptions::OptionMap &Map) const;
};

/// One unsafe call.
struct LibcUse {
  const UnsafeLibcFunction *Function = nullptr;
  const CallExpr *Call = nullptr;
  /// The function definition the call is written in, null at file scope.
  const FunctionDecl *Caller = nullptr;
  /// Where the user wrote it (the use of their macro, if inside one).
  SourceLocation Loc;
  bool InMacroBody = false;
};

/// What the fix-it of a LibcFix shape calls and declares (LibcFixes.def).
struct LibcFixShape {
  LibcFix Shape;
  llvm::StringRef Replacement; ///< "_r": the function's name + "_r".
  llvm::StringRef Header;      ///< Included when Replacement is undeclared.
  llvm::StringRef Feature;     ///< Else the feature macro that declares it.
  llvm::StringRef BufferType, BufferName, BufferSuffix;
  bool ZeroInit;

  /// The function the fix calls instead of \p F.
  std::string replacementFor(const UnsafeLibcFunction &F) const {
    return Replacement == "_r" ? (F.Name + "_r").str() : Replacement.str();
  }
};
/// The row of \p Fix, or null for LibcFix::None.
const LibcFixShape *libcFixShape(LibcFix Fix);

/// Rows made for AdditionalFunctions names the table does not know; they
/// must outlive the uses that point to them.
struct ConfiguredLibcRows {
  std::deque<std::string> Names;
  std::deque<UnsafeLibcFunction> Rows;
};

/// The unsafe calls \p Options select, in source order, each once, none in
/// excluded files.
std::vector<LibcUse> unsafeLibcCalls(ExtensionAnalysis &A,
                                     const LibcOptions &Options,
                                     ConfiguredLibcRows &Configured);

/// The warning for \p Use, worded once for every check that reports it.
std::string libcHazardMessage(const LibcUse &Use);

} // namespace clang::tidy::freethreading

namespace clang::tidy {
template <>
struct OptionEnumMapping<freethreading::LibcOptions::FunctionSetKind> {
  static llvm::ArrayRef<
      std::pair<freethreading::LibcOptions::FunctionSetKind, llvm::StringRef>>
  getEnumMapping();
};
} // namespace clang::tidy

#endif // FREETHREADING_TIDY_LIB_LIBCCALLS_H
