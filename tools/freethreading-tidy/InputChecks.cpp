//===--- InputChecks.cpp - clear errors for inputs clang-tidy cannot use --===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "tools/freethreading-tidy/InputChecks.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <vector>

namespace freethreading {

/// clang-tidy options whose value may follow as a separate argument.
static bool takesSeparateValue(llvm::StringRef Arg) {
  static constexpr llvm::StringLiteral Options[] = {
      "p",           "checks",        "config",
      "config-file", "export-fixes",  "extra-arg",
      "extra-arg-before", "header-filter", "exclude-header-filter",
      "line-filter", "format-style",  "load",
      "store-check-profile", "vfsoverlay", "warnings-as-errors"};
  return llvm::is_contained(Options, Arg.ltrim('-'));
}

static bool isSourceExtension(llvm::StringRef Ext) {
  static constexpr llvm::StringLiteral Extensions[] = {
      ".c",  ".h",   ".cc",  ".cpp", ".cxx", ".c++", ".hh",
      ".hpp", ".hxx", ".h++", ".inc", ".ipp", ".inl", ".tcc",
      ".cu", ".cuh", ".m",   ".mm"};
  return llvm::is_contained(Extensions, Ext.lower());
}

/// The directory of a compilation database for \p File: \p BuildDir if given,
/// else the nearest parent holding compile_commands.json or
/// compile_flags.txt. Empty if there is none.
static bool hasCompilationDatabase(llvm::StringRef File,
                                   llvm::StringRef BuildDir) {
  auto Holds = [](llvm::StringRef Dir) {
    llvm::SmallString<256> A(Dir), B(Dir);
    llvm::sys::path::append(A, "compile_commands.json");
    llvm::sys::path::append(B, "compile_flags.txt");
    return llvm::sys::fs::exists(A) || llvm::sys::fs::exists(B);
  };
  if (!BuildDir.empty())
    return Holds(BuildDir);
  llvm::SmallString<256> Abs(File);
  if (llvm::sys::fs::make_absolute(Abs))
    return false; // No working directory: nothing to search from.
  for (llvm::StringRef Dir = llvm::sys::path::parent_path(Abs); !Dir.empty();
       Dir = llvm::sys::path::parent_path(Dir))
    if (Holds(Dir))
      return true;
  return false;
}

std::string checkInputs(llvm::ArrayRef<const char *> Args) {
  std::vector<llvm::StringRef> Files;
  llvm::StringRef BuildDir;
  bool HasFlags = false, Informational = false;
  for (size_t I = 1; I < Args.size(); ++I) {
    llvm::StringRef Arg = Args[I];
    if (Arg == "--") {
      HasFlags = true;
      break;
    }
    if (Arg.starts_with("-")) {
      llvm::StringRef Name = Arg.ltrim('-').split('=').first;
      if (Name == "list-checks" || Name == "dump-config" || Name == "help" ||
          Name == "version" || Name == "explain-config" ||
          Name == "verify-config" || Name == "help-list")
        Informational = true;
      if (Name == "p") {
        if (Arg.contains('='))
          BuildDir = Arg.split('=').second;
        else if (I + 1 < Args.size())
          BuildDir = Args[I + 1];
      }
      if (!Arg.contains('=') && takesSeparateValue(Arg))
        ++I;
      continue;
    }
    Files.push_back(Arg);
  }
  if (Informational)
    return "";
  for (llvm::StringRef File : Files) {
    if (!llvm::sys::fs::exists(File))
      return ("no such file: '" + File + "'").str();
    if (llvm::sys::fs::is_directory(File))
      return ("'" + File + "' is a directory; name the source files").str();
    if (!isSourceExtension(llvm::sys::path::extension(File)))
      return ("'" + File +
              "' is not a C or C++ source file (expected .c, .cpp, .h, ...)")
          .str();
    auto Buffer = llvm::MemoryBuffer::getFile(File, /*IsText=*/false,
                                              /*RequiresNullTerminator=*/false);
    if (!Buffer)
      return ("cannot read '" + File + "': " + Buffer.getError().message())
          .str();
    constexpr size_t SniffBytes = 64 * 1024;
    if ((*Buffer)->getBuffer().take_front(SniffBytes).contains('\0'))
      return ("'" + File + "' is a binary file, not C or C++ source").str();
    if (!HasFlags && !hasCompilationDatabase(File, BuildDir))
      return ("no compilation database for '" + File +
              "': no compile_commands.json or compile_flags.txt in " +
              (BuildDir.empty() ? "its directory or any parent"
                                : "'" + BuildDir.str() + "'") +
              "; point -p at the build directory or pass the compile flags "
              "after '--'")
          .str();
  }
  return "";
}

} // namespace freethreading
