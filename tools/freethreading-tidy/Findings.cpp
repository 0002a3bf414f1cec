//===--- Findings.cpp - what clang-tidy found, read back from its export --===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "tools/freethreading-tidy/Findings.h"
#include "clang-tidy/GlobList.h"
#include "tools/freethreading-tidy/CommandLine.h"
#include "clang/Tooling/DiagnosticsYaml.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/YAMLTraits.h"

namespace clang::tidy::freethreading {

/// \p File made absolute against the build folder it was named in.
static std::string resolve(llvm::StringRef File, llvm::StringRef BuildDir) {
  if (File.empty() || llvm::sys::path::is_absolute(File) || BuildDir.empty())
    return File.empty() ? std::string() : absolutePath(File);
  llvm::SmallString<256> Joined(BuildDir);
  llvm::sys::path::append(Joined, File);
  return absolutePath(Joined);
}

static FindingMessage convert(const tooling::DiagnosticMessage &M,
                              llvm::StringRef BuildDir) {
  FindingMessage Result;
  Result.Text = M.Message;
  Result.File = resolve(M.FilePath, BuildDir);
  Result.Offset = M.FileOffset;
  for (const tooling::FileByteRange &R : M.Ranges)
    if (resolve(R.FilePath, BuildDir) == Result.File &&
        R.FileOffset == M.FileOffset && R.Length > 0) {
      Result.EndOffset = R.FileOffset + R.Length;
      break;
    }
  for (const auto &FileFix : M.Fix)
    for (const tooling::Replacement &R : FileFix.second)
      Result.Edits.push_back({resolve(R.getFilePath(), BuildDir), R.getOffset(),
                              R.getLength(), R.getReplacementText().str()});
  return Result;
}

static Finding::Severity severity(tooling::Diagnostic::Level Level) {
  switch (Level) {
  case tooling::Diagnostic::Remark:
    return Finding::Severity::Remark;
  case tooling::Diagnostic::Warning:
    return Finding::Severity::Warning;
  case tooling::Diagnostic::Error:
    return Finding::Severity::Error;
  }
  llvm_unreachable("unknown diagnostic level");
}

/// True when \p D is an error of the compiler rather than a promoted warning.
static bool isCompilerError(const tooling::Diagnostic &D,
                            const GlobList &Enabled, const GlobList &Promoted) {
  llvm::StringRef Name = D.DiagnosticName;
  if (D.DiagLevel != tooling::Diagnostic::Error ||
      !Name.starts_with("clang-diagnostic-"))
    return false;
  return Name == "clang-diagnostic-error" ||
         !(Enabled.contains(Name) && Promoted.contains(Name));
}

llvm::Expected<std::vector<Finding>>
loadFindings(llvm::StringRef Path, llvm::StringRef Checks,
             llvm::StringRef WarningsAsErrors) {
  if (!llvm::sys::fs::exists(Path))
    return std::vector<Finding>();
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer)
    return llvm::createStringError("cannot read '" + Path +
                                   "': " + Buffer.getError().message());
  tooling::TranslationUnitDiagnostics Exported;
  llvm::yaml::Input YAML((*Buffer)->getBuffer());
  YAML >> Exported;
  if (YAML.error())
    return llvm::createStringError("cannot parse the findings in '" + Path +
                                   "': " + YAML.error().message());
  GlobList Enabled(Checks), Promoted(WarningsAsErrors);
  std::vector<Finding> Findings;
  for (const tooling::Diagnostic &D : Exported.Diagnostics) {
    Finding F;
    F.Check = D.DiagnosticName;
    F.Level = severity(D.DiagLevel);
    F.CompilerError = isCompilerError(D, Enabled, Promoted);
    F.Main = convert(D.Message, D.BuildDirectory);
    for (const tooling::DiagnosticMessage &Note : D.Notes)
      F.Notes.push_back(convert(Note, D.BuildDirectory));
    Findings.push_back(std::move(F));
  }
  return Findings;
}

void SourceTexts::snapshot(llvm::ArrayRef<std::string> Files) {
  for (const std::string &File : Files)
    load(absolutePath(File));
}

void SourceTexts::snapshotTree(llvm::StringRef Root,
                               llvm::function_ref<bool(llvm::StringRef)> Wanted,
                               size_t MaxBytes) {
  size_t Read = 0;
  std::error_code EC;
  for (llvm::sys::fs::recursive_directory_iterator It(Root, EC), End;
       It != End && !EC && Read < MaxBytes; It.increment(EC)) {
    llvm::StringRef Path = It->path();
    if (llvm::sys::path::filename(Path).starts_with(".")) {
      It.no_push();
      continue;
    }
    if (It->type() == llvm::sys::fs::file_type::regular_file && Wanted(Path))
      Read += load(absolutePath(Path)).Content.size();
  }
}

void SourceTexts::setAppliedEdits(llvm::ArrayRef<Edit> Edits) {
  for (const Edit &E : Edits) {
    std::vector<Edit> &InFile = Applied[E.File];
    bool Seen = llvm::any_of(InFile, [&](const Edit &Other) {
      return Other.Offset == E.Offset && Other.Length == E.Length &&
             Other.Text == E.Text;
    });
    if (!Seen)
      InFile.push_back(E);
  }
}

/// The text \p Fixed had before \p Edits were applied to it, with each
/// replaced span restored as spaces of its length; std::nullopt when the
/// edits are not all in \p Fixed (clang-tidy skipped a conflicting one).
static std::optional<std::string> unapply(llvm::StringRef Fixed,
                                          std::vector<Edit> Edits) {
  llvm::sort(Edits, [](const Edit &A, const Edit &B) {
    return std::tie(A.Offset, A.Length) < std::tie(B.Offset, B.Length);
  });
  std::string Original;
  size_t Copied = 0;        // In Fixed.
  long long Shift = 0;      // Fixed offset minus original offset.
  unsigned OriginalEnd = 0; // End of the last edit in the original.
  for (const Edit &E : Edits) {
    if (E.Offset < OriginalEnd)
      return std::nullopt;
    size_t At = E.Offset + Shift;
    if (At < Copied || Fixed.substr(At, E.Text.size()) != E.Text)
      return std::nullopt;
    Original += Fixed.slice(Copied, At);
    Original.append(E.Length, ' ');
    Copied = At + E.Text.size();
    Shift += static_cast<long long>(E.Text.size()) - E.Length;
    OriginalEnd = E.Offset + E.Length;
  }
  Original += Fixed.substr(Copied);
  return Original;
}

SourceTexts::Text &SourceTexts::load(llvm::StringRef File) {
  auto [It, Inserted] = Texts.try_emplace(File);
  Text &T = It->second;
  if (!Inserted)
    return T;
  auto Buffer = llvm::MemoryBuffer::getFile(File, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (Buffer)
    T.Content = (*Buffer)->getBuffer().str();
  auto Edits = Applied.find(File);
  if (Buffer && Edits != Applied.end())
    if (std::optional<std::string> Before = unapply(T.Content, Edits->second))
      T.Content = std::move(*Before);
  return T;
}

std::optional<SourceTexts::Position> SourceTexts::position(llvm::StringRef File,
                                                           unsigned Offset) {
  if (File.empty())
    return std::nullopt;
  Text &T = load(File);
  if (Offset > T.Content.size())
    return std::nullopt;
  if (T.LineStarts.empty()) {
    T.LineStarts.push_back(0);
    for (size_t I = 0; I < T.Content.size(); ++I)
      if (T.Content[I] == '\n')
        T.LineStarts.push_back(I + 1);
  }
  auto Next = llvm::upper_bound(T.LineStarts, Offset);
  unsigned Line = Next - T.LineStarts.begin();
  unsigned Column = 1;
  // Count code points: every byte that does not continue a UTF-8 sequence.
  for (unsigned I = *(Next - 1); I < Offset; ++I)
    if ((static_cast<unsigned char>(T.Content[I]) & 0xC0) != 0x80)
      ++Column;
  return Position{Line, Column};
}

llvm::StringRef SourceTexts::text(llvm::StringRef File) {
  return load(File).Content;
}

} // namespace clang::tidy::freethreading
