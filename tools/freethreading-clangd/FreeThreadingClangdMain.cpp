//===--- FreeThreadingClangdMain.cpp - clangd with our checks -----------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// clangd cannot load clang-tidy plugins; this is clangd itself with the
/// freethreading module linked in. What it adds to clangd is a default: the
/// `freethreading-*` checks run unless the user's configuration says
/// otherwise.
///
/// clangd has no command-line switch for checks, and its fast-check filter
/// drops checks it does not know. Both are settled through clangd's user
/// configuration layer: freethreading-clangd writes a config.yaml whose first
/// fragment enables the checks (through the marker glob `freethreading-**`)
/// and relaxes the fast-check filter to `Loose`, followed by a copy of the
/// user's own config.yaml, and points clangd at it through XDG_CONFIG_HOME.
/// A watcher thread keeps the copy in step with the user's file.
///
/// clangd applies project .clangd fragments before the user layer and
/// .clang-tidy files before either, so that fragment alone would override
/// every project's choice. The precedence is restored when the checks are
/// created. If any configuration names freethreading checks (a .clang-tidy
/// `-freethreading-*`, a .clangd `Remove: [freethreading-borrowed-reference]`,
/// a .clang-tidy `-*,freethreading-unsafe-libc-call`), it is in charge: the
/// default is moved below all of it and clang-tidy's glob rules decide. If
/// none does, the default holds even against a generic `-*`, which projects
/// write against clang-tidy's own defaults, not against checks they may not
/// know about.
///
/// clangd links each clang-tidy diagnostic to a clang.llvm.org page, which
/// does not exist for our checks; DocLinks.h rewrites those links to this
/// project's check pages.
///
//===----------------------------------------------------------------------===//

#include "clang-tidy/ClangTidyCheck.h"
#include "clang-tidy/ClangTidyDiagnosticConsumer.h"
#include "clang-tidy/ClangTidyModule.h"
#include "clang-tidy/GlobList.h"
#include "tools/ResourceDir.h"
#include "tools/freethreading-clangd/DocLinks.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"
#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace clang {
namespace clangd {
int clangdMain(int argc, char *argv[]);
} // namespace clangd
namespace tidy {
extern volatile int FreeThreadingModuleAnchorSource;
} // namespace tidy
} // namespace clang

using namespace clang;

namespace {

/// The glob our fragment adds. It selects exactly what `freethreading-*` does
/// but is spelled so that it can be told apart from the user's own globs.
constexpr llvm::StringLiteral DefaultGlob = "freethreading-**";

constexpr llvm::StringLiteral CheckPrefix = "freethreading-";

/// How often the watcher looks at the user's config.yaml. clangd itself
/// rereads a changed config file after at most five seconds.
constexpr std::chrono::seconds WatchInterval(2);

/// Stands in for a freethreading check that the configuration turned off:
/// clangd drops a check that supports no language.
class DisabledCheck : public tidy::ClangTidyCheck {
public:
  using ClangTidyCheck::ClangTidyCheck;
  bool isLanguageVersionSupported(const LangOptions &) const override {
    return false;
  }
};

/// Splits a clang-tidy `Checks` value into trimmed globs.
llvm::SmallVector<llvm::StringRef> splitGlobs(llvm::StringRef Checks) {
  llvm::SmallVector<llvm::StringRef> Globs;
  while (!Checks.empty()) {
    auto [Glob, Rest] = Checks.split(',');
    for (llvm::StringRef Line : llvm::split(Glob, '\n'))
      if (!Line.trim().empty())
        Globs.push_back(Line.trim());
    Checks = Rest;
  }
  return Globs;
}

/// Whether the check \p Name, enabled by clangd's combined check list
/// \p Checks, should run. When no glob but our marker names freethreading
/// checks, the default holds: generic globs (`-*`) were written against
/// clang-tidy's own defaults, not against checks the project may not know.
/// Otherwise the configuration is in charge: our default goes below all of
/// it, and clang-tidy's rule (the last matching glob wins) decides.
bool shouldRun(llvm::StringRef Name, llvm::StringRef Checks) {
  std::string List = "freethreading-*";
  bool NamesOurChecks = false;
  for (llvm::StringRef Glob : splitGlobs(Checks)) {
    if (Glob == DefaultGlob)
      continue;
    if (Glob.ltrim("-").trim().starts_with("freethreading"))
      NamesOurChecks = true;
    List += ',';
    List += Glob;
  }
  return !NamesOurChecks || tidy::GlobList(List).contains(Name);
}

/// Wraps the freethreading check factories registered before it so that each
/// consults shouldRun() first: clangd only calls a factory for a check its
/// configuration enables, and drops a check that supports no language.
/// Registered from main(), after every module registered during static
/// initialization, so it sees all of them.
class ConfigPrecedenceModule : public tidy::ClangTidyModule {
public:
  void addCheckFactories(tidy::ClangTidyCheckFactories &Factories) override {
    std::vector<
        std::pair<std::string, tidy::ClangTidyCheckFactories::CheckFactory>>
        Ours;
    for (const auto &Entry : Factories)
      if (Entry.getKey().starts_with(CheckPrefix))
        Ours.emplace_back(Entry.getKey().str(), Entry.getValue());
    for (auto &[Name, Create] : Ours)
      Factories.registerCheckFactory(
          Name,
          [Create = std::move(Create)](llvm::StringRef CheckName,
                                       tidy::ClangTidyContext *Context)
              -> std::unique_ptr<tidy::ClangTidyCheck> {
            const std::optional<std::string> &Checks =
                Context->getOptions().Checks;
            if (Checks && !shouldRun(CheckName, *Checks))
              return std::make_unique<DisabledCheck>(CheckName, Context);
            return Create(CheckName, Context);
          });
  }
};

/// The user's own clangd config.yaml, as clangd would find it, or "".
std::string userConfigPath() {
  llvm::SmallString<256> Path;
  if (!llvm::sys::path::user_config_directory(Path))
    return "";
  llvm::sys::path::append(Path, "clangd", "config.yaml");
  return std::string(Path);
}

/// The text of the combined user layer: our fragment, then the user's file.
std::string combinedConfig(llvm::StringRef UserConfig) {
  std::string Text =
      (llvm::Twine(
           "# Written by freethreading-clangd; regenerated when your config\n"
           "# changes. The first fragment runs the freethreading checks and "
           "lets\n"
           "# clangd's fast-check filter keep them. Globs naming "
           "freethreading\n"
           "# checks, in your config.yaml below or in a project's .clangd or\n"
           "# .clang-tidy, override it.\n"
           "Diagnostics:\n"
           "  ClangTidy:\n"
           "    Add: ['") +
       DefaultGlob +
       "']\n"
       "    FastCheckFilter: Loose\n")
          .str();
  if (UserConfig.empty())
    return Text;
  if (auto Buffer = llvm::MemoryBuffer::getFile(UserConfig)) {
    Text += "---\n# Copied from " + UserConfig.str() + "\n";
    Text += (*Buffer)->getBuffer();
    if (!Text.empty() && Text.back() != '\n')
      Text += '\n';
  }
  return Text;
}

/// Where the combined layer for \p UserConfig lives: one directory per user
/// config path under the user's cache directory (or the temporary directory),
/// so that instances sharing a user config share the file.
std::string layerHome(llvm::StringRef UserConfig, bool InTempDir) {
  llvm::SmallString<256> Home;
  if (InTempDir || !llvm::sys::path::cache_directory(Home))
    llvm::sys::path::system_temp_directory(/*ErasedOnReboot=*/true, Home);
  llvm::sys::path::append(Home, "freethreading-clangd",
                          llvm::utohexstr(llvm::xxh3_64bits(UserConfig)));
  return std::string(Home);
}

/// Writes \p Text to XDG_CONFIG_HOME-style \p Home (as clangd/config.yaml),
/// replacing the file atomically, and only when its contents differ.
llvm::Error writeLayer(llvm::StringRef Home, llvm::StringRef Text) {
  llvm::SmallString<256> Dir(Home);
  llvm::sys::path::append(Dir, "clangd");
  if (std::error_code EC = llvm::sys::fs::create_directories(Dir))
    return llvm::createStringError(EC, "cannot create '%s': %s", Dir.c_str(),
                                   EC.message().c_str());
  llvm::SmallString<256> File(Dir);
  llvm::sys::path::append(File, "config.yaml");
  if (auto Existing = llvm::MemoryBuffer::getFile(File))
    if ((*Existing)->getBuffer() == Text)
      return llvm::Error::success();
  llvm::SmallString<256> Temp;
  int FD;
  if (std::error_code EC = llvm::sys::fs::createUniqueFile(
          llvm::Twine(Dir) + "/config-%%%%%%.yaml.tmp", FD, Temp))
    return llvm::createStringError(EC, "cannot write in '%s': %s", Dir.c_str(),
                                   EC.message().c_str());
  {
    llvm::raw_fd_ostream Out(FD, /*shouldClose=*/true);
    Out << Text;
    Out.close();
    if (Out.has_error()) {
      std::error_code EC = Out.error();
      Out.clear_error();
      (void)llvm::sys::fs::remove(Temp); // Best effort; the error is EC.
      return llvm::createStringError(EC, "cannot write '%s': %s", Temp.c_str(),
                                     EC.message().c_str());
    }
  }
  if (std::error_code EC = llvm::sys::fs::rename(Temp, File)) {
    (void)llvm::sys::fs::remove(Temp); // Best effort; the error is EC.
    return llvm::createStringError(EC, "cannot replace '%s': %s", File.c_str(),
                                   EC.message().c_str());
  }
  return llvm::Error::success();
}

/// Writes the combined layer, in the cache directory or failing that the
/// temporary directory, and returns the directory to use as XDG_CONFIG_HOME.
llvm::Expected<std::string> prepareConfigHome(llvm::StringRef UserConfig) {
  std::string Text = combinedConfig(UserConfig);
  std::string Home = layerHome(UserConfig, /*InTempDir=*/false);
  llvm::Error First = writeLayer(Home, Text);
  if (!First)
    return Home;
  std::string TempHome = layerHome(UserConfig, /*InTempDir=*/true);
  if (TempHome == Home)
    return std::move(First);
  if (llvm::Error Second = writeLayer(TempHome, Text)) {
    std::string Message = llvm::toString(std::move(First)) + "; " +
                          llvm::toString(std::move(Second));
    return llvm::createStringError(llvm::inconvertibleErrorCode(), Message);
  }
  llvm::consumeError(std::move(First));
  return TempHome;
}

/// What the watcher compares to notice an edit of the user's config.
std::optional<std::pair<llvm::sys::TimePoint<>, uint64_t>>
fileStamp(llvm::StringRef Path) {
  llvm::sys::fs::file_status Status;
  if (llvm::sys::fs::status(Path, Status))
    return std::nullopt;
  return std::make_pair(Status.getLastModificationTime(), Status.getSize());
}

/// Keeps the layer in \p Home in step with the user's config, so that edits
/// take effect without a restart, as they do in clangd.
void watchUserConfig(std::string UserConfig, std::string Home) {
  std::thread([UserConfig = std::move(UserConfig), Home = std::move(Home)] {
    auto Seen = fileStamp(UserConfig);
    while (true) {
      std::this_thread::sleep_for(WatchInterval);
      auto Now = fileStamp(UserConfig);
      if (Now == Seen)
        continue;
      Seen = Now;
      if (llvm::Error Err = writeLayer(Home, combinedConfig(UserConfig)))
        llvm::errs() << "freethreading-clangd: warning: "
                     << llvm::toString(std::move(Err)) << '\n';
    }
  }).detach();
}

/// clangd itself, with the configuration layer in place.
int runClangd(int argc, char *argv[]) {
  static tidy::ClangTidyModuleRegistry::Add<ConfigPrecedenceModule> Precedence(
      "freethreading-clangd-precedence",
      "Lets configuration that names freethreading checks override the "
      "default that enables them.");

  std::string UserConfig = userConfigPath();
  llvm::Expected<std::string> Home = prepareConfigHome(UserConfig);
  if (Home) {
    ::setenv("XDG_CONFIG_HOME", Home->c_str(), /*overwrite=*/1);
    watchUserConfig(UserConfig, *Home);
  } else {
    llvm::errs() << "freethreading-clangd: warning: cannot write the "
                    "configuration that enables the freethreading checks: "
                 << llvm::toString(Home.takeError())
                 << "\nfreethreading-clangd: note: running with your clangd "
                    "configuration alone; to run the checks, add to it:\n"
                    "  Diagnostics: {ClangTidy: {Add: [freethreading-*], "
                    "FastCheckFilter: Loose}}\n";
  }

  std::vector<char *> Args(argv, argv + argc);
  std::string ResourceArg;
  if (std::optional<std::string> Dir = freethreading::resourceDirFlagNeeded(
          argv[0], argc, const_cast<const char **>(argv))) {
    ResourceArg = "--resource-dir=" + *Dir;
    Args.insert(Args.begin() + 1, ResourceArg.data());
  }
  Args.push_back(nullptr);
  return clangd::clangdMain(static_cast<int>(Args.size() - 1), Args.data());
}

} // namespace

int main(int argc, char *argv[]) {
  (void)tidy::FreeThreadingModuleAnchorSource;
  // clangd links our checks' diagnostics to clang.llvm.org pages that do not
  // exist; the links are rewritten on the way to the editor.
  return freethreading::runWithDocLinks([&] { return runClangd(argc, argv); },
                                        freethreading::docsBaseUrl(argv[0]));
}
