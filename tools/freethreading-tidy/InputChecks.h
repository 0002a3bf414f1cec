//===--- InputChecks.h - clear errors for inputs clang-tidy cannot use ----===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Before handing over to clang-tidy, the driver rejects inputs it would
/// only answer with confusing compiler errors (or silently analyse with no
/// flags): binary files, files that are not C or C++, and sources with no
/// compilation database and no flags after `--`.
///
//===----------------------------------------------------------------------===//

#ifndef FREETHREADING_TIDY_TOOLS_INPUTCHECKS_H
#define FREETHREADING_TIDY_TOOLS_INPUTCHECKS_H

#include "llvm/ADT/ArrayRef.h"
#include <string>

namespace freethreading {

/// Returns an empty string when the command line's inputs can be analysed,
/// otherwise the error message to print (without the program name).
std::string checkInputs(llvm::ArrayRef<const char *> Args);

} // namespace freethreading

#endif // FREETHREADING_TIDY_TOOLS_INPUTCHECKS_H
