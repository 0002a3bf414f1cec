//===--- FreeThreadingTidyMain.cpp - the freethreading-tidy driver --------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Stock clang-tidy with the freethreading module linked in, for users whose
/// clang-tidy cannot load plugins. Same command line as clang-tidy, plus:
/// runs that name no checks get `freethreading-*`; runs with neither `-p`
/// nor `--` find a compilation database in the project's build folders or
/// guess flags from Python; `--sarif` and `--port-report` write reports; the
/// exit code tells findings, usage errors and compiler errors apart
/// (docs/exit-codes.md).
///
//===----------------------------------------------------------------------===//

#include "clang-tidy/tool/ClangTidyMain.h"
#include "tools/ResourceDir.h"
#include "tools/freethreading-clangd/DocLinks.h"
#include "tools/freethreading-tidy/CommandLine.h"
#include "tools/freethreading-tidy/CompileSetup.h"
#include "tools/freethreading-tidy/Findings.h"
#include "tools/freethreading-tidy/InputChecks.h"
#include "tools/freethreading-tidy/Reports.h"
#include "tools/freethreading-tidy/TidyConfig.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/raw_ostream.h"
#include <string>
#include <vector>

namespace clang::tidy {
// Defined next to the module's registration; referencing it keeps it linked.
extern volatile int FreeThreadingModuleAnchorSource;
} // namespace clang::tidy

namespace clang::tidy::freethreading {
namespace {

/// The driver's exit codes (docs/exit-codes.md). 0 and 1 mean what they
/// mean for clang-tidy, so CMake's CMAKE_<LANG>_CLANG_TIDY and
/// run-clang-tidy read them as before.
enum ExitCode : int {
  ExitClean = 0,            ///< Nothing found, or warnings that stay warnings.
  ExitPromotedFindings = 1, ///< --warnings-as-errors promoted a finding.
  ExitUsageError = 2,       ///< Bad input, option or configuration.
  ExitCompileError = 3,     ///< The compiler reported errors.
};

constexpr llvm::StringLiteral Version = FREETHREADING_TIDY_VERSION;

int usageError(const llvm::Twine &Message) {
  llvm::errs() << "freethreading-tidy: error: " << Message << "\n";
  return ExitUsageError;
}

void printIntroduction() {
  llvm::outs()
      << "freethreading-tidy " << Version
      << ": clang-tidy with the freethreading-* checks for CPython extension "
         "sources linked in; adds zero-config runs, --python, --sarif and "
         "--port-report.\n\n"
         "  With no --checks and no .clang-tidy, --config or --config-file "
         "naming checks, it runs\n"
         "  "
      << DefaultChecks
      << ". With neither -p nor '--', it uses the "
         "compile_commands.json beside the\n"
         "  file or in a parent, else one in the project's build folders "
         "(build*/, builddir/,\n"
         "  build/cp3*/, build/<wheel tag>/, .mesonpy-*/), else guesses flags "
         "from Python's include\n"
         "  folders and says so on stderr.\n\n"
         "  --python=<path>       the interpreter whose headers guessed flags "
         "use (default: python3 on PATH)\n"
         "  --sarif=<file>        also write the findings as SARIF 2.1.0, for "
         "code scanning\n"
         "  --port-report=<file>  also write a markdown port report per "
         "module, for a tracking issue\n\n"
         "  Exit codes: 0 clean or warnings only; 1 findings promoted by "
         "--warnings-as-errors;\n"
         "  2 usage or configuration error; 3 compiler errors (a source "
         "does not parse).\n\n";
}

int runClangTidy(const ToolCommandLine &CommandLine) {
  std::vector<const char *> Argv = CommandLine.argv();
  return clangTidyMain(static_cast<int>(Argv.size()), Argv.data());
}

/// Decides the exit code from clang-tidy's status and what it exported.
int exitCode(int TidyStatus, llvm::ArrayRef<Finding> Findings) {
  if (TidyStatus == 0)
    return ExitClean; // Also with compiler errors under --fix-errors.
  if (llvm::any_of(Findings,
                   [](const Finding &F) { return F.isCompilerError(); }))
    return ExitCompileError;
  // clang-tidy fails with findings and no error only for promoted ones;
  // with nothing exported, it stopped before analysing.
  return Findings.empty() ? ExitUsageError : ExitPromotedFindings;
}

/// The edits clang-tidy wrote to files in this run.
std::vector<Edit> appliedEdits(const ToolCommandLine &CommandLine,
                               llvm::ArrayRef<Finding> Findings) {
  bool CompileErrors = llvm::any_of(
      Findings, [](const Finding &F) { return F.isCompilerError(); });
  std::vector<Edit> Applied;
  if (!CommandLine.appliesFixes() ||
      (CompileErrors && !CommandLine.has("fix-errors")))
    return Applied;
  for (const Finding &F : Findings) {
    llvm::append_range(Applied, F.Main.Edits);
    if (!F.hasFix() && CommandLine.has("fix-notes"))
      for (const FindingMessage &Note : F.Notes)
        llvm::append_range(Applied, Note.Edits);
  }
  return Applied;
}

/// Writes the reports asked for; returns an error message or empty.
std::string writeReports(const DriverOptions &Driver, llvm::StringRef DocsUrl,
                         const ToolCommandLine &CommandLine,
                         llvm::ArrayRef<Finding> Findings,
                         SourceTexts &Sources) {
  ReportSettings Settings;
  for (const std::string &File : CommandLine.sourceFiles())
    Settings.Modules.push_back(absolutePath(File));
  Settings.ToolVersion = Version.str();
  Settings.DocsUrl = DocsUrl;
  std::vector<Edit> Applied = appliedEdits(CommandLine, Findings);
  Settings.FixesApplied = !Applied.empty();
  Sources.setAppliedEdits(Applied);
  if (!Driver.Sarif.empty())
    if (llvm::Error E = writeSarif(Driver.Sarif, Findings, Settings, Sources))
      return llvm::toString(std::move(E));
  if (!Driver.PortReport.empty())
    if (llvm::Error E =
            writePortReport(Driver.PortReport, Findings, Settings, Sources))
      return llvm::toString(std::move(E));
  return "";
}

/// Reads the sources before clang-tidy runs, so that the reports place
/// findings in the text that was analysed: the files named, and when fixes
/// are applied, the project's sources and headers too.
void snapshotSources(const ToolCommandLine &CommandLine, SourceTexts &Sources) {
  std::vector<std::string> Files = CommandLine.sourceFiles();
  Sources.snapshot(Files);
  if (!CommandLine.appliesFixes())
    return;
  constexpr size_t MaxSnapshotBytes = 256 << 20;
  std::vector<std::string> Roots;
  for (const std::string &File : Files)
    if (!llvm::is_contained(Roots, projectRoot(File)))
      Roots.push_back(projectRoot(File));
  for (const std::string &Root : Roots)
    Sources.snapshotTree(Root, isSourceFileName, MaxSnapshotBytes);
}

/// Runs clang-tidy with its findings exported to a temporary file (and
/// copied where the user asked for them), then writes the reports.
int analyse(ToolCommandLine &CommandLine, const DriverOptions &Driver,
            const char *Argv0) {
  std::optional<std::string> UserExport = CommandLine.value("export-fixes");
  CommandLine.removeOption("export-fixes");
  llvm::SmallString<128> Export;
  if (std::error_code EC = llvm::sys::fs::getPotentiallyUniqueTempFileName(
          "freethreading-tidy-fixes", "yaml", Export))
    return usageError("cannot name a temporary file: " + EC.message());
  llvm::sys::RemoveFileOnSignal(Export);
  llvm::FileRemover RemoveExport(Export);
  CommandLine.prependOption(("--export-fixes=" + Export).str());

  bool WantsReports = !Driver.Sarif.empty() || !Driver.PortReport.empty();
  SourceTexts Sources;
  if (WantsReports)
    snapshotSources(CommandLine, Sources);

  int Status = runClangTidy(CommandLine);
  if (UserExport && llvm::sys::fs::exists(Export))
    if (std::error_code EC = llvm::sys::fs::copy_file(Export, *UserExport))
      return usageError("cannot write '" + *UserExport + "': " + EC.message());
  // A clean run with no report to write needs nothing from the export.
  if (Status == 0 && !WantsReports)
    return ExitClean;
  ConfiguredGlobs Globs = configuredGlobs(CommandLine);
  llvm::Expected<std::vector<Finding>> Findings =
      loadFindings(Export, Globs.Checks, Globs.WarningsAsErrors);
  if (!Findings)
    return usageError(llvm::toString(Findings.takeError()));
  int Exit = exitCode(Status, *Findings);
  if (Exit == ExitUsageError || !WantsReports)
    return Exit;
  // The check pages freethreading-clangd links to, too.
  std::string DocsUrl = ::freethreading::docsBaseUrl(Argv0);
  if (!DocsUrl.empty())
    DocsUrl += '/';
  std::string Problem =
      writeReports(Driver, DocsUrl, CommandLine, *Findings, Sources);
  return Problem.empty() ? Exit : usageError(Problem);
}

/// Adds the resource directory clang-tidy needs for Clang's builtin headers
/// when the executable does not sit where they are.
void addResourceDir(ToolCommandLine &CommandLine, const char *Argv0) {
  std::vector<const char *> Argv = CommandLine.argv();
  if (std::optional<std::string> Dir = ::freethreading::resourceDirFlagNeeded(
          Argv0, static_cast<int>(Argv.size()), Argv.data()))
    CommandLine.prependOption("--extra-arg-before=-resource-dir=" + *Dir);
}

/// `--list-checks src/spam.c` and the like only read the configuration for
/// the file; without `--` clang-tidy would still look for a compilation
/// database and print half a screen of load errors when there is none. An
/// empty `--` answers that question, unless `-p` names the database.
void quietInformationalRun(ToolCommandLine &CommandLine) {
  if (!CommandLine.sourceFiles().empty() && !CommandLine.hasCompileFlags() &&
      !CommandLine.has("p"))
    CommandLine.appendCompileFlags({});
}

} // namespace

static int driverMain(int Argc, const char **Argv) {
  DriverOptions Driver;
  llvm::Expected<ToolCommandLine> Parsed =
      ToolCommandLine::create(Argc, Argv, Driver);
  if (!Parsed)
    return usageError(llvm::toString(Parsed.takeError()));
  ToolCommandLine &CommandLine = *Parsed;
  // clang-tidy prints LLVM's version and its help, and exits.
  if (CommandLine.has("version")) {
    llvm::outs() << "freethreading-tidy version " << Version
                 << " (clang-tidy with the freethreading-* checks, LLVM "
                 << LLVM_VERSION_STRING << ")\n";
    return runClangTidy(CommandLine);
  }
  if (llvm::any_of(llvm::ArrayRef<llvm::StringRef>{"help", "help-hidden",
                                                   "help-list",
                                                   "help-list-hidden"},
                   [&](llvm::StringRef H) { return CommandLine.has(H); })) {
    printIntroduction();
    return runClangTidy(CommandLine);
  }

  bool Informational = CommandLine.isInformational();
  if (!Informational) {
    std::string Problem = checkInputs(CommandLine.sourceFiles());
    if (!Problem.empty())
      return usageError(Problem);
  }
  if (!choosesChecks(CommandLine))
    CommandLine.prependOption(("--checks=" + DefaultChecks).str());
  if (!Informational) {
    llvm::Expected<CompileSetup> Setup =
        findCompileSetup(CommandLine, Driver.Python);
    if (!Setup)
      return usageError(llvm::toString(Setup.takeError()));
    if (!Setup->BuildDir.empty())
      CommandLine.prependOption("-p=" + Setup->BuildDir);
    if (Setup->PassFlags)
      CommandLine.appendCompileFlags(Setup->Flags);
    if (!Setup->Notice.empty())
      llvm::errs() << "freethreading-tidy: " << Setup->Notice << "\n";
  }
  addResourceDir(CommandLine, Argv[0]);
  if (Informational) {
    quietInformationalRun(CommandLine);
    return runClangTidy(CommandLine) == 0 ? ExitClean : ExitUsageError;
  }
  return analyse(CommandLine, Driver, Argv[0]);
}

} // namespace clang::tidy::freethreading

int main(int argc, const char **argv) {
  (void)clang::tidy::FreeThreadingModuleAnchorSource;
  return clang::tidy::freethreading::driverMain(argc, argv);
}
