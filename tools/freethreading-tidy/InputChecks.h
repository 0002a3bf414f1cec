//===--- InputChecks.h - clear errors for inputs clang-tidy cannot use ----===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Before handing over to clang-tidy, the driver rejects inputs it would
/// only answer with confusing compiler errors: absent files, directories,
/// binary files and files that are not C or C++.
///
//===----------------------------------------------------------------------===//

#ifndef FREETHREADING_TIDY_TOOLS_INPUTCHECKS_H
#define FREETHREADING_TIDY_TOOLS_INPUTCHECKS_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <string>

namespace clang::tidy::freethreading {

/// Returns an empty string when every file of \p Files can be analysed,
/// otherwise the one-line error message to print (without the program
/// name).
std::string checkInputs(llvm::ArrayRef<std::string> Files);

/// True when \p File's extension is one of C, C++ or their headers.
bool isSourceFileName(llvm::StringRef File);

} // namespace clang::tidy::freethreading

#endif // FREETHREADING_TIDY_TOOLS_INPUTCHECKS_H
