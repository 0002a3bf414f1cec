//===--- InputChecks.cpp - clear errors for inputs clang-tidy cannot use --===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "tools/freethreading-tidy/InputChecks.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

namespace clang::tidy::freethreading {

bool isSourceFileName(llvm::StringRef File) {
  static constexpr llvm::StringLiteral Extensions[] = {
      ".c",   ".h",   ".cc",  ".cpp", ".cxx", ".c++", ".hh",  ".hpp", ".hxx",
      ".h++", ".inc", ".ipp", ".inl", ".tcc", ".cu",  ".cuh", ".m",   ".mm"};
  return llvm::is_contained(Extensions,
                            llvm::sys::path::extension(File).lower());
}

/// The problem with one source file, or an empty string.
static std::string checkInput(llvm::StringRef File) {
  if (!llvm::sys::fs::exists(File))
    return ("no such file: '" + File + "'").str();
  if (llvm::sys::fs::is_directory(File))
    return ("'" + File + "' is a directory; name the source files").str();
  if (!isSourceFileName(File))
    return ("'" + File +
            "' is not a C or C++ source file (expected .c, .cpp, .h, ...)")
        .str();
  auto Buffer = llvm::MemoryBuffer::getFile(File, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!Buffer)
    return ("cannot read '" + File + "': " + Buffer.getError().message()).str();
  constexpr size_t SniffBytes = size_t{64} * 1024;
  if ((*Buffer)->getBuffer().take_front(SniffBytes).contains('\0'))
    return ("'" + File + "' is a binary file, not C or C++ source").str();
  return "";
}

std::string checkInputs(llvm::ArrayRef<std::string> Files) {
  for (const std::string &File : Files) {
    std::string Problem = checkInput(File);
    if (!Problem.empty())
      return Problem;
  }
  return "";
}

} // namespace clang::tidy::freethreading
