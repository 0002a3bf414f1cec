//===--- OptionValues.h - reading the checks' option values --------------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Option values every check reads the same way, with the same message for
/// a value that cannot be read.
///
//===----------------------------------------------------------------------===//

#ifndef FREETHREADING_TIDY_LIB_OPTIONVALUES_H
#define FREETHREADING_TIDY_LIB_OPTIONVALUES_H

#include "clang-tidy/ClangTidyCheck.h"
#include <optional>
#include <string>
#include <vector>

namespace clang::tidy::freethreading {

/// "true"/"false" (any case) or "1"/"0"; std::nullopt for anything else.
/// OptionsView::get<bool> is not used: its enable_if return type mangles
/// differently under GCC and Clang, so a GCC build of the checks cannot link
/// Debian's Clang-built libclangTidy.
std::optional<bool> parseBool(llvm::StringRef Text);

/// The configuration warning for a value that is not a boolean.
std::string notABoolMessage(llvm::StringRef Text, llvm::StringRef Option);

/// Reads the boolean option \p Name of \p Options (local, then global); an
/// unreadable value gives \p Default and, when \p Problems is given, a line
/// naming \p CheckName's option.
bool readBoolOption(ClangTidyCheck::OptionsView &Options,
                    llvm::StringRef CheckName, llvm::StringRef Name,
                    bool Default, std::vector<std::string> *Problems);

} // namespace clang::tidy::freethreading

#endif // FREETHREADING_TIDY_LIB_OPTIONVALUES_H
