//===--- ResourceDir.h - find Clang's builtin headers for our drivers -----===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#ifndef FREETHREADING_TIDY_TOOLS_RESOURCEDIR_H
#define FREETHREADING_TIDY_TOOLS_RESOURCEDIR_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include <optional>
#include <string>

namespace freethreading {

/// The resource directory to pass explicitly, or nullopt when the driver at
/// \p Argv0 finds Clang's builtin headers by itself or the user passed one.
inline std::optional<std::string>
resourceDirFlagNeeded(const char *Argv0, int Argc, const char **Argv) {
  for (int I = 1; I < Argc; ++I)
    if (llvm::StringRef(Argv[I]).contains("resource-dir"))
      return std::nullopt;
  std::string Exe = llvm::sys::fs::getMainExecutable(
      Argv0, reinterpret_cast<void *>(&resourceDirFlagNeeded));
  llvm::SmallString<256> Beside(llvm::sys::path::parent_path(
      llvm::sys::path::parent_path(Exe)));
  llvm::sys::path::append(Beside, "lib", "clang", FREETHREADING_CLANG_MAJOR);
  llvm::sys::path::append(Beside, "include", "stddef.h");
  if (llvm::sys::fs::exists(Beside))
    return std::nullopt;
  return std::string(FREETHREADING_RESOURCE_DIR);
}

} // namespace freethreading

#endif // FREETHREADING_TIDY_TOOLS_RESOURCEDIR_H
