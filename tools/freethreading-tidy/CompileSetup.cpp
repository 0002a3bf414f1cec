//===--- CompileSetup.cpp - compile flags for runs that name none ---------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "tools/freethreading-tidy/CompileSetup.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include <optional>

namespace clang::tidy::freethreading {

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

static std::string joined(llvm::StringRef Dir, llvm::StringRef Name) {
  llvm::SmallString<256> Result(Dir);
  path::append(Result, Name);
  return std::string(Result);
}

/// True when \p Dir holds a database clang-tidy reads with `-p Dir`.
static bool holdsDatabase(llvm::StringRef Dir) {
  return fs::exists(joined(Dir, "compile_commands.json")) ||
         fs::exists(joined(Dir, "compile_flags.txt"));
}

/// True when clang-tidy finds a database for \p File by itself: in the
/// file's folder or a parent.
static bool databaseInParents(llvm::StringRef File) {
  std::string Abs = absolutePath(File);
  for (llvm::StringRef Dir = path::parent_path(Abs); !Dir.empty();
       Dir = path::parent_path(Dir))
    if (holdsDatabase(Dir))
      return true;
  return false;
}

std::string projectRoot(llvm::StringRef File) {
  static constexpr llvm::StringLiteral Markers[] = {
      "pyproject.toml", "setup.py", "setup.cfg", ".git"};
  static constexpr llvm::StringLiteral NestedMarkers[] = {"meson.build",
                                                          "CMakeLists.txt"};
  std::string Abs = absolutePath(File);
  for (llvm::StringRef Dir = path::parent_path(Abs); !Dir.empty();
       Dir = path::parent_path(Dir)) {
    if (llvm::any_of(Markers, [&](llvm::StringRef M) {
          return fs::exists(joined(Dir, M));
        }))
      return Dir.str();
    for (llvm::StringRef M : NestedMarkers)
      if (fs::exists(joined(Dir, M)) &&
          !fs::exists(joined(path::parent_path(Dir), M)))
        return Dir.str();
  }
  return std::string(path::parent_path(Abs));
}

/// The sub-folders of \p Dir, sorted by name.
static std::vector<std::string> subfolders(llvm::StringRef Dir) {
  std::vector<std::string> Result;
  std::error_code EC;
  for (fs::directory_iterator It(Dir, EC), End; It != End && !EC;
       It.increment(EC))
    if (fs::is_directory(It->path()))
      Result.push_back(It->path());
  llvm::sort(Result);
  return Result;
}

/// True for a folder of the project root that build backends write to.
static bool isBuildFolderName(llvm::StringRef Name) {
  return Name.starts_with("build") || Name.starts_with("_build") ||
         Name.starts_with("cmake-build-") || Name.starts_with(".mesonpy-");
}

/// The compile_commands.json files in the build folders of \p Root and one
/// level below them (scikit-build-core's `build/{wheel_tag}`,
/// meson-python's `build/cp312`).
static std::vector<std::string> buildFolderDatabases(llvm::StringRef Root) {
  std::vector<std::string> Found;
  auto Look = [&](llvm::StringRef Dir) {
    std::string Db = joined(Dir, "compile_commands.json");
    if (fs::exists(Db))
      Found.push_back(Db);
  };
  for (const std::string &Dir : subfolders(Root)) {
    if (!isBuildFolderName(path::filename(Dir)))
      continue;
    Look(Dir);
    for (const std::string &Sub : subfolders(Dir))
      Look(Sub);
  }
  return Found;
}

/// True when the database \p Db has a command for \p File itself.
static bool databaseCompiles(llvm::StringRef Db, llvm::StringRef File) {
  std::string Error;
  std::unique_ptr<tooling::JSONCompilationDatabase> Loaded =
      tooling::JSONCompilationDatabase::loadFromFile(
          Db, Error, tooling::JSONCommandLineSyntax::AutoDetect);
  return Loaded && !Loaded->getCompileCommands(absolutePath(File)).empty();
}

/// The build folder to pass with `-p` for \p File: one whose database
/// compiles the file, else the one written last.
static std::optional<std::string> databaseInBuildFolders(llvm::StringRef Root,
                                                         llvm::StringRef File) {
  std::vector<std::string> Dbs = buildFolderDatabases(Root);
  if (Dbs.empty())
    return std::nullopt;
  for (const std::string &Db : Dbs)
    if (databaseCompiles(Db, File))
      return std::string(path::parent_path(Db));
  auto Newest =
      llvm::max_element(Dbs, [](const std::string &A, const std::string &B) {
        fs::file_status SA, SB;
        if (fs::status(A, SA) || fs::status(B, SB))
          return false;
        return SA.getLastModificationTime() < SB.getLastModificationTime();
      });
  return std::string(path::parent_path(*Newest));
}

namespace {
/// What an interpreter says about its headers.
struct PythonHeaders {
  std::string Interpreter;
  std::string Version;
  std::vector<std::string> IncludeDirs;
};
} // namespace

/// Runs \p Interpreter to ask sysconfig where its C headers are.
static llvm::Expected<PythonHeaders> askPython(llvm::StringRef Interpreter) {
  static constexpr llvm::StringLiteral Script =
      "import sys, sysconfig; print(sys.version.split()[0]); "
      "print(sysconfig.get_path('include')); "
      "print(sysconfig.get_path('platinclude'))";
  llvm::SmallString<128> Output;
  if (std::error_code EC =
          fs::createTemporaryFile("freethreading-tidy-python", "txt", Output))
    return llvm::createStringError("cannot create a temporary file: " +
                                   EC.message());
  llvm::FileRemover RemoveOutput(Output);
  std::string Error;
  std::optional<llvm::StringRef> Redirects[] = {llvm::StringRef(), Output.str(),
                                                llvm::StringRef()};
  int Status = llvm::sys::ExecuteAndWait(
      Interpreter, {Interpreter, "-c", Script}, std::nullopt, Redirects,
      /*SecondsToWait=*/60, 0, &Error);
  auto Text = llvm::MemoryBuffer::getFile(Output);
  if (Status != 0 || !Text)
    return llvm::createStringError("cannot run '" + Interpreter + "'" +
                                   (Error.empty() ? "" : ": " + Error));
  llvm::SmallVector<llvm::StringRef, 3> Lines;
  (*Text)->getBuffer().trim().split(Lines, '\n');
  if (Lines.size() != 3)
    return llvm::createStringError("'" + Interpreter +
                                   "' did not name its include folder");
  PythonHeaders Result{Interpreter.str(), Lines[0].trim().str(), {}};
  for (llvm::StringRef Dir : llvm::ArrayRef(Lines).drop_front()) {
    Dir = Dir.trim();
    if (fs::is_directory(Dir) && !llvm::is_contained(Result.IncludeDirs, Dir))
      Result.IncludeDirs.push_back(Dir.str());
  }
  return Result;
}

/// The interpreter to ask: \p Chosen (a path, or a name looked up on PATH),
/// or `python3` on PATH.
static llvm::Expected<std::string> findPython(llvm::StringRef Chosen) {
  if (Chosen.contains('/'))
    return Chosen.str();
  llvm::StringRef Name = Chosen.empty() ? "python3" : Chosen;
  llvm::ErrorOr<std::string> OnPath = llvm::sys::findProgramByName(Name);
  if (!OnPath)
    return llvm::createStringError("no " + Name +
                                   " on PATH to guess flags from");
  return *OnPath;
}

/// Compile flags for \p Files from \p Py's headers, the files' folders and
/// the project's include folders.
static std::vector<std::string> guessedFlags(const PythonHeaders &Py,
                                             llvm::ArrayRef<std::string> Files,
                                             llvm::StringRef Root) {
  std::vector<std::string> Flags;
  for (const std::string &Dir : Py.IncludeDirs) {
    Flags.emplace_back("-isystem");
    Flags.push_back(Dir);
  }
  std::vector<std::string> Dirs;
  for (const std::string &File : Files)
    Dirs.emplace_back(path::parent_path(absolutePath(File)));
  for (llvm::StringRef Sub : {"include", "src"})
    if (fs::is_directory(joined(Root, Sub)))
      Dirs.push_back(joined(Root, Sub));
  for (const std::string &Dir : Dirs)
    if (!llvm::is_contained(Flags, "-I" + Dir))
      Flags.push_back("-I" + Dir);
  return Flags;
}

/// The notice saying which flags were guessed.
static std::string guessNotice(llvm::StringRef File, const PythonHeaders &Py,
                               llvm::ArrayRef<std::string> Flags) {
  std::string Notice =
      ("no compilation database for '" + File + "'; guessed flags from " +
       Py.Interpreter + " (Python " + Py.Version + "):")
          .str();
  for (const std::string &Flag : Flags)
    Notice += " " + Flag;
  bool HasPythonH = llvm::any_of(Py.IncludeDirs, [](const std::string &Dir) {
    return fs::exists(joined(Dir, "Python.h"));
  });
  if (!HasPythonH)
    Notice += "; it has no Python.h: install the Python development headers "
              "or name another interpreter with --python";
  return Notice;
}

llvm::Expected<CompileSetup>
findCompileSetup(const ToolCommandLine &CommandLine, llvm::StringRef Python) {
  std::vector<std::string> Files = CommandLine.sourceFiles();
  if (CommandLine.hasCompileFlags() || Files.empty())
    return CompileSetup();
  const std::string &File = Files.front();
  if (std::optional<std::string> BuildDir = CommandLine.value("p")) {
    if (holdsDatabase(*BuildDir))
      return CompileSetup();
    return llvm::createStringError(
        "no compilation database for '" + File +
        "': no compile_commands.json or compile_flags.txt in '" + *BuildDir +
        "'; point -p at the build directory or pass the compile flags after "
        "'--'");
  }
  if (databaseInParents(File))
    return CompileSetup();
  std::string Root = projectRoot(File);
  if (std::optional<std::string> Dir = databaseInBuildFolders(Root, File))
    return CompileSetup{
        *Dir, {}, false, "using the compilation database in '" + *Dir + "'"};

  llvm::Expected<std::string> Interpreter = findPython(Python);
  llvm::Expected<PythonHeaders> Py =
      Interpreter ? askPython(*Interpreter)
                  : llvm::Expected<PythonHeaders>(Interpreter.takeError());
  if (!Py) {
    std::string Why = llvm::toString(Py.takeError());
    bool HasExtraArgs =
        CommandLine.has("extra-arg") || CommandLine.has("extra-arg-before");
    if (Python.empty() && HasExtraArgs)
      return CompileSetup{"",
                          {},
                          true,
                          "no compilation database for '" + File + "' and " +
                              Why + "; using only the --extra-arg flags"};
    return llvm::createStringError(
        "no compilation database for '" + File +
        "': no compile_commands.json or compile_flags.txt beside it, in a "
        "parent or in the project's build folders, and " +
        Why +
        "; point -p at the build directory, pass the compile flags after "
        "'--' or name an interpreter with --python");
  }
  std::vector<std::string> Flags = guessedFlags(*Py, Files, Root);
  std::string Notice = guessNotice(File, *Py, Flags);
  return CompileSetup{"", std::move(Flags), true, std::move(Notice)};
}

} // namespace clang::tidy::freethreading
