//===--- CommandLine.cpp - the driver's view of a clang-tidy command line -===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "tools/freethreading-tidy/CommandLine.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Allocator.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace clang::tidy::freethreading {

std::string absolutePath(llvm::StringRef File) {
  llvm::SmallString<256> Abs(File);
  if (llvm::sys::fs::make_absolute(Abs))
    return File.str();
  llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
  return std::string(Abs);
}

/// The option name of \p Arg (`--name=value` and `-name` alike), or empty
/// for a source file or `-`.
static llvm::StringRef optionName(llvm::StringRef Arg) {
  if (Arg.size() < 2 || !Arg.starts_with("-"))
    return {};
  Arg = Arg.drop_front(Arg.starts_with("--") ? 2 : 1);
  return Arg.split('=').first;
}

/// True when option \p Name takes its value from the next argument if it
/// has no `=value`, as LLVM's command-line parser reads it.
static bool takesSeparateValue(llvm::StringRef Name) {
  // CommonOptionsParser registers these only once clang-tidy runs.
  static constexpr llvm::StringLiteral Late[] = {"p", "extra-arg",
                                                 "extra-arg-before"};
  if (llvm::is_contained(Late, Name))
    return true;
  const auto &Registered = llvm::cl::getRegisteredOptions();
  auto It = Registered.find(Name);
  return It != Registered.end() &&
         It->second->getValueExpectedFlag() == llvm::cl::ValueRequired;
}

/// Takes the driver's option \p Name off \p Args into \p Into.
static llvm::Error takeDriverOption(std::vector<std::string> &Args,
                                    llvm::StringRef Name, std::string &Into) {
  for (size_t I = 1; I < Args.size() && Args[I] != "--";) {
    if (optionName(Args[I]) != Name) {
      ++I;
      continue;
    }
    llvm::StringRef Arg = Args[I];
    size_t Count = 1;
    if (Arg.contains('=')) {
      Into = Arg.split('=').second.str();
    } else if (I + 1 < Args.size() && Args[I + 1] != "--") {
      Into = Args[I + 1];
      Count = 2;
    } else {
      Into.clear();
    }
    if (Into.empty())
      return llvm::createStringError(
          "option '--" + Name + "' needs a value, e.g. --" + Name + "=<path>");
    Args.erase(Args.begin() + I, Args.begin() + I + Count);
  }
  return llvm::Error::success();
}

llvm::Expected<ToolCommandLine>
ToolCommandLine::create(int Argc, const char **Argv, DriverOptions &Driver) {
  // The same expansion clang-tidy applies, so what the driver checks is
  // what clang-tidy would see.
  llvm::BumpPtrAllocator Alloc;
  llvm::cl::ExpansionContext Expansion(Alloc, llvm::cl::TokenizeGNUCommandLine);
  llvm::SmallVector<const char *, 32> Expanded(Argv, Argv + Argc);
  if (llvm::Error E = Expansion.expandResponseFiles(Expanded))
    return llvm::createStringError(llvm::toString(std::move(E)));
  std::vector<std::string> Args(Expanded.begin(), Expanded.end());
  for (size_t I = 1; I < Args.size() && Args[I] != "--"; ++I)
    if (Args[I].size() > 1 && Args[I][0] == '@')
      return llvm::createStringError("cannot read response file '" +
                                     Args[I].substr(1) + "'");
  if (llvm::Error E = takeDriverOption(Args, "python", Driver.Python))
    return std::move(E);
  if (llvm::Error E = takeDriverOption(Args, "sarif", Driver.Sarif))
    return std::move(E);
  if (llvm::Error E = takeDriverOption(Args, "port-report", Driver.PortReport))
    return std::move(E);
  return ToolCommandLine(std::move(Args));
}

std::vector<ToolCommandLine::Arg> ToolCommandLine::scan() const {
  std::vector<Arg> Result;
  for (size_t I = 1; I < Args.size() && Args[I] != "--"; ++I) {
    llvm::StringRef Text = Args[I];
    llvm::StringRef Name = optionName(Text);
    if (Name.empty()) {
      Result.push_back({"", Text.str(), I, I});
      continue;
    }
    Arg Option{Name.str(), std::nullopt, I, I};
    if (Text.contains('='))
      Option.Value = Text.split('=').second.str();
    else if (takesSeparateValue(Name) && I + 1 < Args.size())
      Option.Value = Args[Option.Last = ++I];
    Result.push_back(std::move(Option));
  }
  return Result;
}

std::vector<std::string> ToolCommandLine::sourceFiles() const {
  std::vector<std::string> Files;
  for (const Arg &A : scan())
    if (A.Name.empty())
      Files.push_back(A.Value.value_or(""));
  return Files;
}

bool ToolCommandLine::hasCompileFlags() const {
  return llvm::is_contained(llvm::ArrayRef(Args).drop_front(), "--");
}

bool ToolCommandLine::has(llvm::StringRef Name) const {
  return llvm::any_of(scan(), [&](const Arg &A) { return A.Name == Name; });
}

std::optional<std::string> ToolCommandLine::value(llvm::StringRef Name) const {
  std::optional<std::string> Last;
  for (const Arg &A : scan())
    if (A.Name == Name)
      Last = A.Value.value_or("");
  return Last;
}

bool ToolCommandLine::isInformational() const {
  static constexpr llvm::StringLiteral Printing[] = {
      "help",          "help-hidden",   "help-list",        "help-list-hidden",
      "version",       "list-checks",   "dump-config",      "explain-config",
      "verify-config", "print-options", "print-all-options"};
  return llvm::any_of(scan(), [](const Arg &A) {
    return llvm::is_contained(Printing, A.Name);
  });
}

bool ToolCommandLine::appliesFixes() const {
  return has("fix") || has("fix-errors") || has("fix-notes");
}

void ToolCommandLine::prependOption(std::string Arg) {
  Args.insert(Args.begin() + 1, std::move(Arg));
}

void ToolCommandLine::removeOption(llvm::StringRef Name) {
  std::vector<Arg> Scanned = scan();
  for (const Arg &A : llvm::reverse(Scanned))
    if (A.Name == Name)
      Args.erase(Args.begin() + A.First, Args.begin() + A.Last + 1);
}

void ToolCommandLine::appendCompileFlags(llvm::ArrayRef<std::string> Flags) {
  if (!hasCompileFlags())
    Args.emplace_back("--");
  Args.insert(Args.end(), Flags.begin(), Flags.end());
}

std::vector<const char *> ToolCommandLine::argv() const {
  std::vector<const char *> Result;
  Result.reserve(Args.size());
  for (const std::string &A : Args)
    Result.push_back(A.c_str());
  return Result;
}

} // namespace clang::tidy::freethreading
