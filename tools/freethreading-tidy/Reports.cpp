//===--- Reports.cpp - SARIF and the port report --------------------------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "tools/freethreading-tidy/Reports.h"
#include "lib/ModuleFacts.h"
#include "lib/ModuleSourceScan.h"
#include "clang/Basic/LangOptions.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <map>

namespace clang::tidy::freethreading {

//===----------------------------------------------------------------------===//
// Shared by both reports
//===----------------------------------------------------------------------===//

/// The working folder, with a trailing separator.
static std::string workingFolder() {
  llvm::SmallString<256> Cwd;
  if (llvm::sys::fs::current_path(Cwd))
    return "";
  std::string Result(Cwd);
  if (!llvm::StringRef(Result).ends_with("/"))
    Result += '/';
  return Result;
}

/// \p File relative to the working folder when it is inside it.
static std::string displayPath(llvm::StringRef File) {
  std::string Cwd = workingFolder();
  if (llvm::StringRef(File).starts_with(Cwd))
    return File.drop_front(Cwd.size()).str();
  return File.str();
}

/// Where the documentation of \p Check is: this project's page for ours,
/// clang-tidy's for the stock checks, none for compiler diagnostics.
static std::string helpUri(llvm::StringRef Check, llvm::StringRef DocsUrl) {
  if (Check.starts_with("freethreading-"))
    return DocsUrl.empty() ? "" : (DocsUrl + Check + ".md").str();
  if (Check.starts_with("clang-diagnostic-") || !Check.contains('-'))
    return "";
  auto [Module, Name] = Check.starts_with("clang-analyzer-")
                            ? std::make_pair(llvm::StringRef("clang-analyzer"),
                                             Check.drop_front(15))
                            : Check.split('-');
  return ("https://clang.llvm.org/extra/clang-tidy/checks/" + Module + "/" +
          Name + ".html")
      .str();
}

static llvm::Error writeText(llvm::StringRef Path, llvm::StringRef Text) {
  std::error_code EC;
  llvm::raw_fd_ostream Out(Path, EC);
  if (!EC) {
    Out << Text;
    Out.close();
    EC = Out.error();
  }
  if (EC)
    return llvm::createStringError("cannot write '" + Path +
                                   "': " + EC.message());
  return llvm::Error::success();
}

//===----------------------------------------------------------------------===//
// SARIF 2.1.0
//===----------------------------------------------------------------------===//

/// The base id of URIs relative to the working folder.
static constexpr llvm::StringLiteral SourceRoot = "%SRCROOT%";

/// \p Path with the characters a URI may not hold percent-encoded.
static std::string uriEncode(llvm::StringRef Path) {
  std::string Result;
  for (unsigned char C : Path) {
    if (llvm::isAlnum(C) || llvm::StringRef("-._~/").contains(C))
      Result += C;
    else
      Result += llvm::formatv("%{0:X2}", static_cast<unsigned>(C)).str();
  }
  return Result;
}

/// An artifactLocation: relative to %SRCROOT% inside the working folder,
/// an absolute file URI elsewhere.
static llvm::json::Object artifactLocation(llvm::StringRef File) {
  std::string Shown = displayPath(File);
  if (Shown != File)
    return llvm::json::Object{{"uri", uriEncode(Shown)},
                              {"uriBaseId", SourceRoot}};
  return llvm::json::Object{{"uri", "file://" + uriEncode(File)}};
}

/// A text region from \p Begin to \p End (exclusive; none: the point).
static std::optional<llvm::json::Object> region(SourceTexts &Sources,
                                                llvm::StringRef File,
                                                unsigned Begin,
                                                std::optional<unsigned> End) {
  std::optional<SourceTexts::Position> Start = Sources.position(File, Begin);
  if (!Start)
    return std::nullopt;
  llvm::json::Object Region{{"startLine", Start->Line},
                            {"startColumn", Start->Column}};
  if (End)
    if (std::optional<SourceTexts::Position> Stop =
            Sources.position(File, *End)) {
      Region["endLine"] = Stop->Line;
      Region["endColumn"] = Stop->Column;
    }
  return Region;
}

static std::optional<llvm::json::Object>
physicalLocation(SourceTexts &Sources, const FindingMessage &M) {
  if (M.File.empty())
    return std::nullopt;
  llvm::json::Object Physical{{"artifactLocation", artifactLocation(M.File)}};
  if (std::optional<llvm::json::Object> R =
          region(Sources, M.File, M.Offset, M.EndOffset))
    Physical["region"] = std::move(*R);
  return Physical;
}

/// A SARIF fix applying \p Edits, described by \p Description.
static llvm::json::Object sarifFix(SourceTexts &Sources,
                                   llvm::ArrayRef<Edit> Edits,
                                   llvm::StringRef Description) {
  std::map<std::string, llvm::json::Array> ByFile;
  for (const Edit &E : Edits) {
    llvm::json::Object Deleted{{"byteOffset", E.Offset},
                               {"byteLength", E.Length}};
    if (std::optional<llvm::json::Object> R =
            region(Sources, E.File, E.Offset, E.Offset + E.Length))
      for (auto &KV : *R)
        Deleted[KV.first] = std::move(KV.second);
    llvm::json::Object Replacement{{"deletedRegion", std::move(Deleted)}};
    if (!E.Text.empty())
      Replacement["insertedContent"] = llvm::json::Object{{"text", E.Text}};
    ByFile[E.File].push_back(std::move(Replacement));
  }
  llvm::json::Array Changes;
  for (auto &[File, Replacements] : ByFile)
    Changes.push_back(
        llvm::json::Object{{"artifactLocation", artifactLocation(File)},
                           {"replacements", std::move(Replacements)}});
  // json::Value keeps a StringRef unowned: hand it a string it owns.
  return llvm::json::Object{
      {"description", llvm::json::Object{{"text", Description.str()}}},
      {"artifactChanges", std::move(Changes)}};
}

static llvm::StringRef sarifLevel(Finding::Severity Level) {
  switch (Level) {
  case Finding::Severity::Remark:
    return "note";
  case Finding::Severity::Warning:
    return "warning";
  case Finding::Severity::Error:
    return "error";
  }
  llvm_unreachable("unknown severity");
}

/// \p F's place; for a finding without one (the compiler rejecting a flag),
/// the start of \p Fallback, the module it was reported for: code scanning
/// needs a place for every result.
static std::optional<llvm::json::Object>
resultLocation(const Finding &F, llvm::StringRef Fallback,
               SourceTexts &Sources) {
  if (std::optional<llvm::json::Object> Where =
          physicalLocation(Sources, F.Main))
    return Where;
  if (!F.Main.File.empty() || Fallback.empty())
    return std::nullopt;
  return llvm::json::Object{{"artifactLocation", artifactLocation(Fallback)},
                            {"region", llvm::json::Object{{"startLine", 1}}}};
}

static llvm::json::Object sarifResult(const Finding &F, size_t RuleIndex,
                                      llvm::StringRef Fallback,
                                      SourceTexts &Sources) {
  llvm::json::Object Result{
      {"ruleId", F.Check},
      {"ruleIndex", static_cast<int64_t>(RuleIndex)},
      {"level", sarifLevel(F.Level)},
      {"message", llvm::json::Object{{"text", F.Main.Text}}}};
  if (std::optional<llvm::json::Object> Where =
          resultLocation(F, Fallback, Sources))
    Result["locations"] = llvm::json::Array{
        llvm::json::Object{{"physicalLocation", std::move(*Where)}}};
  llvm::json::Array Related;
  for (const FindingMessage &Note : F.Notes)
    if (std::optional<llvm::json::Object> Where =
            physicalLocation(Sources, Note))
      Related.push_back(llvm::json::Object{
          {"id", static_cast<int64_t>(Related.size())},
          {"message", llvm::json::Object{{"text", Note.Text}}},
          {"physicalLocation", std::move(*Where)}});
  if (!Related.empty())
    Result["relatedLocations"] = std::move(Related);
  llvm::json::Array Fixes;
  if (F.hasFix())
    Fixes.push_back(
        sarifFix(Sources, F.Main.Edits, "apply the fix-it of " + F.Check));
  for (const FindingMessage &Note : F.Notes)
    if (!Note.Edits.empty())
      Fixes.push_back(sarifFix(Sources, Note.Edits, Note.Text));
  if (!Fixes.empty())
    Result["fixes"] = std::move(Fixes);
  return Result;
}

llvm::Error writeSarif(llvm::StringRef Path, llvm::ArrayRef<Finding> Findings,
                       const ReportSettings &Settings, SourceTexts &Sources) {
  std::vector<std::string> RuleIds;
  llvm::json::Array Rules, Results;
  for (const Finding &F : Findings) {
    auto It = llvm::find(RuleIds, F.Check);
    size_t Index = It - RuleIds.begin();
    if (It == RuleIds.end()) {
      RuleIds.push_back(F.Check);
      llvm::json::Object Rule{{"id", F.Check}};
      std::string Help = helpUri(F.Check, Settings.DocsUrl);
      if (!Help.empty())
        Rule["helpUri"] = Help;
      Rules.push_back(std::move(Rule));
    }
    Results.push_back(sarifResult(
        F, Index, Settings.Modules.empty() ? "" : Settings.Modules.front(),
        Sources));
  }
  llvm::json::Object Driver{{"name", "freethreading-tidy"},
                            {"version", Settings.ToolVersion},
                            {"semanticVersion", Settings.ToolVersion},
                            {"rules", std::move(Rules)}};
  if (!Settings.DocsUrl.empty())
    Driver["informationUri"] = Settings.DocsUrl;
  llvm::json::Object Run{
      {"tool", llvm::json::Object{{"driver", std::move(Driver)}}},
      {"originalUriBaseIds",
       llvm::json::Object{
           {SourceRoot,
            llvm::json::Object{
                {"uri", "file://" + uriEncode(workingFolder())}}}}},
      {"columnKind", "unicodeCodePoints"},
      {"results", std::move(Results)}};
  llvm::json::Object Log{
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", llvm::json::Array{std::move(Run)}}};
  return writeText(
      Path, llvm::formatv("{0:2}\n", llvm::json::Value(std::move(Log))).str());
}

//===----------------------------------------------------------------------===//
// The port report
//===----------------------------------------------------------------------===//

namespace {
/// What a module's source says about GIL support.
struct GilDeclaration {
  std::string ModuleName; ///< Empty: no module is initialised in the file.
  bool Pybind11 = false;
  bool Nanobind = false;
  bool DeclaresNotUsed = false;
  bool DeclaresUsed = false;
};
} // namespace

/// The identifier after `Macro(` at token \p I of \p Tokens, or empty.
static llvm::StringRef
macroArgument(llvm::ArrayRef<RawFileScan::RawToken> Tokens, size_t I) {
  if (I + 2 < Tokens.size() && Tokens[I + 1].Text == "(" &&
      Tokens[I + 2].IsIdentifier)
    return Tokens[I + 2].Text;
  return "";
}

/// Reads \p Text's code (comments and directive lines left out) for a
/// module's initialisation and the spellings of ModuleDeclarations.def.
static GilDeclaration readGilDeclaration(llvm::StringRef FileName,
                                         llvm::StringRef Text) {
  SourceManagerForFile Source(FileName, Text);
  SourceManager &SM = Source.get();
  LangOptions LO;
  LO.CPlusPlus = LO.CPlusPlus11 = true; // Lexes C as well.
  RawFileScan Scan(SM, SM.getMainFileID(), LO, {});
  GilDeclaration Result;
  llvm::ArrayRef<RawFileScan::RawToken> Tokens = Scan.tokens();
  for (size_t I = 0; I < Tokens.size(); ++I) {
    llvm::StringRef Tok = Tokens[I].Text;
    if (!Tokens[I].IsIdentifier)
      continue;
    llvm::StringRef Name;
    if (Tok.starts_with(moduleFact(ModuleFact::InitPrefix))) {
      Name = Tok.drop_front(moduleFact(ModuleFact::InitPrefix).size());
    } else if (Tok == moduleFact(ModuleFact::Pybind11Macro)) {
      Name = macroArgument(Tokens, I);
      Result.Pybind11 = true;
    } else if (Tok == moduleFact(ModuleFact::NanobindMacro)) {
      Name = macroArgument(Tokens, I);
      Result.Nanobind = true;
    }
    if (!Name.empty() && Result.ModuleName.empty())
      Result.ModuleName = Name.str();
    if (Tok == moduleFact(ModuleFact::GilNotUsed) ||
        Tok == moduleFact(ModuleFact::Pybind11Option))
      Result.DeclaresNotUsed = true;
    if (Tok == moduleFact(ModuleFact::GilUsed))
      Result.DeclaresUsed = true;
  }
  return Result;
}

/// One sentence on the GIL declaration of the module in \p File.
static std::string describeGil(const GilDeclaration &G) {
  if (G.ModuleName.empty())
    return "no module is initialised in this file (no `" +
           moduleFact(ModuleFact::InitPrefix).str() + "*`, `" +
           moduleFact(ModuleFact::Pybind11Macro).str() + "` or `" +
           moduleFact(ModuleFact::NanobindMacro).str() + "`)";
  std::string Module = "module `" + G.ModuleName + "`";
  if (G.Nanobind)
    return Module +
           " uses nanobind: " + moduleFact(ModuleFact::NanobindWhere).str();
  if (G.DeclaresNotUsed && G.DeclaresUsed)
    return Module + " declares both `" +
           moduleFact(ModuleFact::GilNotUsed).str() + "` and `" +
           moduleFact(ModuleFact::GilUsed).str() +
           "` (under different conditions)";
  if (G.DeclaresNotUsed)
    return Module + " declares that it does not need the GIL (`" +
           (G.Pybind11 ? moduleFact(ModuleFact::Pybind11Option).str() + "()"
                       : moduleFact(ModuleFact::GilNotUsed).str()) +
           "`)";
  if (G.DeclaresUsed)
    return Module + " declares that it needs the GIL (`" +
           moduleFact(ModuleFact::GilUsed).str() +
           "`): free-threaded CPython keeps the GIL on while it is loaded";
  return Module + " does not declare GIL support: free-threaded CPython "
                  "re-enables the GIL when it is imported";
}

namespace {
/// The report's view of one file: its findings and how they split.
struct FileReport {
  std::string File;
  std::vector<const Finding *> Findings;
};
} // namespace

static std::string whereText(SourceTexts &Sources, const FindingMessage &M) {
  if (M.File.empty())
    return "(the compile command)";
  std::string Where = displayPath(M.File);
  if (std::optional<SourceTexts::Position> P =
          Sources.position(M.File, M.Offset))
    Where += ":" + std::to_string(P->Line);
  return Where;
}

/// Says so when a finding is not a warning.
static llvm::StringRef severityPrefix(Finding::Severity Level) {
  switch (Level) {
  case Finding::Severity::Remark:
    return "remark: ";
  case Finding::Severity::Warning:
    return "";
  case Finding::Severity::Error:
    return "error: ";
  }
  llvm_unreachable("unknown severity");
}

/// A markdown list item for \p F: a task with the check's name and notes,
/// or a plain item.
static void writeItem(llvm::raw_ostream &OS, const Finding &F,
                      SourceTexts &Sources, bool Task) {
  OS << (Task ? "- [ ] " : "- ") << "`" << whereText(Sources, F.Main) << "` "
     << (Task ? F.Check + ": " : "") << severityPrefix(F.Level) << F.Main.Text
     << "\n";
  if (!Task)
    return;
  for (const FindingMessage &Note : F.Notes)
    OS << "  - note, `" << whereText(Sources, Note) << "`: " << Note.Text
       << (Note.Edits.empty() ? "" : " (fix-it with `--fix-notes`)") << "\n";
}

/// The counts of one file: findings, with fix-its, compiler errors.
static std::string countsRow(const FileReport &R) {
  size_t Fixable =
      llvm::count_if(R.Findings, [](const Finding *F) { return F->hasFix(); });
  return llvm::formatv("{0} | {1} | {2}", R.Findings.size(), Fixable,
                       R.Findings.size() - Fixable)
      .str();
}

static void writeFileSection(llvm::raw_ostream &OS, const FileReport &R,
                             bool IsModule, const ReportSettings &Settings,
                             SourceTexts &Sources) {
  OS << "\n## `" << displayPath(R.File) << "`"
     << (IsModule ? "" : " (included)") << "\n\n";
  if (IsModule) {
    GilDeclaration Gil = readGilDeclaration(R.File, Sources.text(R.File));
    OS << "**GIL declaration:** " << describeGil(Gil) << ".\n\n";
  }
  if (R.Findings.empty()) {
    OS << "No findings.\n";
    return;
  }
  size_t Errors = llvm::count_if(
      R.Findings, [](const Finding *F) { return F->isCompilerError(); });
  if (Errors)
    OS << "**Does not compile:** " << Errors
       << " compiler error(s); the findings below may be incomplete.\n\n";

  OS << "### Findings by check\n";
  std::map<std::string, std::vector<const Finding *>> ByCheck;
  for (const Finding *F : R.Findings)
    ByCheck[F->Check].push_back(F);
  for (const auto &[Check, List] : ByCheck) {
    OS << "\n**" << Check << "** (" << List.size() << ")\n\n";
    for (const Finding *F : List)
      writeItem(OS, *F, Sources, /*Task=*/false);
  }

  OS << "\n### "
     << (Settings.FixesApplied ? "Repaired by `--fix` in this run"
                               : "What `--fix` can do")
     << "\n\n";
  bool Any = false;
  for (const Finding *F : R.Findings)
    if (F->hasFix()) {
      writeItem(OS, *F, Sources, /*Task=*/true);
      Any = true;
    }
  if (!Any)
    OS << "Nothing: no finding here has a fix-it.\n";

  OS << "\n### Left for a human\n\n";
  Any = false;
  for (const Finding *F : R.Findings)
    if (!F->hasFix()) {
      writeItem(OS, *F, Sources, /*Task=*/true);
      Any = true;
    }
  if (!Any)
    OS << "Nothing: `--fix` handles every finding here.\n";
}

llvm::Error writePortReport(llvm::StringRef Path,
                            llvm::ArrayRef<Finding> Findings,
                            const ReportSettings &Settings,
                            SourceTexts &Sources) {
  std::vector<FileReport> Modules, Included;
  for (const std::string &M : Settings.Modules)
    if (llvm::none_of(Modules,
                      [&](const FileReport &R) { return R.File == M; }))
      Modules.push_back({M, {}});
  for (const Finding &F : Findings) {
    // A compiler error without a place (a bad flag) goes to the first module.
    llvm::StringRef File = F.Main.File.empty() && !Modules.empty()
                               ? llvm::StringRef(Modules.front().File)
                               : llvm::StringRef(F.Main.File);
    auto Is = [&](const FileReport &R) { return R.File == File; };
    auto It = llvm::find_if(Modules, Is);
    if (It == Modules.end()) {
      It = llvm::find_if(Included, Is);
      if (It == Included.end())
        It = Included.insert(Included.end(), {File.str(), {}});
    }
    It->Findings.push_back(&F);
  }
  llvm::sort(Included, [](const FileReport &A, const FileReport &B) {
    return A.File < B.File;
  });

  std::string Text;
  llvm::raw_string_ostream OS(Text);
  OS << "# Free-threading port report\n\nWritten by freethreading-tidy "
     << Settings.ToolVersion << " for the move to free-threaded CPython ("
     << "[PEP 703](https://peps.python.org/pep-0703/))";
  if (!Settings.DocsUrl.empty())
    OS << "; the checks are documented at <" << Settings.DocsUrl << ">";
  OS << ".\n\n"
     << "| file | findings | with fix-its | left for a human |\n"
     << "|---|---|---|---|\n";
  for (const FileReport &R : Modules)
    OS << "| `" << displayPath(R.File) << "` | " << countsRow(R) << " |\n";
  for (const FileReport &R : Included)
    OS << "| `" << displayPath(R.File) << "` (included) | " << countsRow(R)
       << " |\n";
  for (const FileReport &R : Modules)
    writeFileSection(OS, R, /*IsModule=*/true, Settings, Sources);
  for (const FileReport &R : Included)
    writeFileSection(OS, R, /*IsModule=*/false, Settings, Sources);
  return writeText(Path, Text);
}

} // namespace clang::tidy::freethreading
