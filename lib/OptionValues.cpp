//===--- OptionValues.cpp - reading the checks' option values ------------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "lib/OptionValues.h"

namespace clang::tidy::freethreading {

std::optional<bool> parseBool(llvm::StringRef Text) {
  if (Text.equals_insensitive("true") || Text == "1")
    return true;
  if (Text.equals_insensitive("false") || Text == "0")
    return false;
  return std::nullopt;
}

std::string notABoolMessage(llvm::StringRef Text, llvm::StringRef Option) {
  return ("invalid configuration value '" + Text + "' for option '" + Option +
          "'; expected 'true' or 'false'")
      .str();
}

bool readBoolOption(ClangTidyCheck::OptionsView &Options,
                    llvm::StringRef CheckName, llvm::StringRef Name,
                    bool Default, std::vector<std::string> *Problems) {
  llvm::StringRef Text = Options.get(Name, Default ? "true" : "false");
  if (std::optional<bool> Value = parseBool(Text))
    return *Value;
  if (Problems)
    Problems->push_back(notABoolMessage(Text, (CheckName + "." + Name).str()));
  return Default;
}

} // namespace clang::tidy::freethreading
