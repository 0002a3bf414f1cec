//===--- TidyConfig.cpp - what the user's clang-tidy configuration says ---===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "tools/freethreading-tidy/TidyConfig.h"
#include "clang-tidy/ClangTidyOptions.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

namespace clang::tidy::freethreading {

/// A configuration, or an error when it does not parse.
using Config = llvm::ErrorOr<ClangTidyOptions>;

/// Parses a configuration without printing: clang-tidy reports errors.
static Config parseQuietly(llvm::MemoryBufferRef Text) {
  return parseConfigurationWithDiags(Text, [](const llvm::SMDiagnostic &) {});
}

/// The configurations clang-tidy reads for \p File, lowest priority first:
/// `--config` or `--config-file` if given, else the nearest `.clang-tidy`
/// in the file's folder or a parent and those above it while each says
/// InheritParentConfig.
static std::vector<Config> configurations(const ToolCommandLine &CommandLine,
                                          llvm::StringRef File) {
  if (std::optional<std::string> Text = CommandLine.value("config"))
    return {parseQuietly(llvm::MemoryBufferRef(*Text, "--config"))};
  if (std::optional<std::string> Path = CommandLine.value("config-file")) {
    auto Text = llvm::MemoryBuffer::getFile(*Path);
    if (!Text)
      return {Config(Text.getError())};
    return {parseQuietly((*Text)->getMemBufferRef())};
  }
  std::vector<Config> Found;
  std::string Abs = absolutePath(File);
  for (llvm::StringRef Dir = llvm::sys::path::parent_path(Abs); !Dir.empty();
       Dir = llvm::sys::path::parent_path(Dir)) {
    llvm::SmallString<256> Path(Dir);
    llvm::sys::path::append(Path, ".clang-tidy");
    auto Text = llvm::MemoryBuffer::getFile(Path);
    if (!Text)
      continue;
    Found.push_back(parseQuietly((*Text)->getMemBufferRef()));
    if (!Found.back() || !Found.back()->InheritParentConfig.value_or(false))
      break;
  }
  std::reverse(Found.begin(), Found.end());
  return Found;
}

/// The first source file, or what clang-tidy reads without one.
static std::string configuredFile(const ToolCommandLine &CommandLine) {
  std::vector<std::string> Files = CommandLine.sourceFiles();
  return Files.empty() ? "dummy" : Files.front();
}

bool choosesChecks(const ToolCommandLine &CommandLine) {
  if (CommandLine.has("checks"))
    return true;
  std::vector<std::string> Files = CommandLine.sourceFiles();
  if (Files.empty())
    Files.push_back(configuredFile(CommandLine));
  return llvm::any_of(Files, [&](const std::string &File) {
    return llvm::any_of(configurations(CommandLine, File), [](const Config &C) {
      return !C || (C->Checks && !llvm::StringRef(*C->Checks).trim().empty());
    });
  });
}

/// Appends \p More to the glob list \p Globs.
static void addGlobs(std::string &Globs, llvm::StringRef More) {
  if (!Globs.empty() && !More.empty())
    Globs += ',';
  Globs += More.str();
}

ConfiguredGlobs configuredGlobs(const ToolCommandLine &CommandLine) {
  ConfiguredGlobs Result;
  addGlobs(Result.Checks, ClangTidyOptions::getDefaults().Checks.value_or(""));
  for (const Config &C :
       configurations(CommandLine, configuredFile(CommandLine))) {
    if (C && C->Checks)
      addGlobs(Result.Checks, *C->Checks);
    if (C && C->WarningsAsErrors)
      addGlobs(Result.WarningsAsErrors, *C->WarningsAsErrors);
  }
  if (std::optional<std::string> Given = CommandLine.value("checks"))
    addGlobs(Result.Checks, *Given);
  if (std::optional<std::string> Given =
          CommandLine.value("warnings-as-errors"))
    addGlobs(Result.WarningsAsErrors, *Given);
  return Result;
}

} // namespace clang::tidy::freethreading
