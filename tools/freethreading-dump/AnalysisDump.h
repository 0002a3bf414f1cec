//===--- AnalysisDump.h - print the shared analysis as text ---------------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The text form of the extension model and of a function's flow facts that
/// freethreading-dump prints, one fact per line, for lit tests and for
/// anyone who wants to see what the checks see.
///
//===----------------------------------------------------------------------===//

#ifndef FREETHREADING_TIDY_TOOLS_FREETHREADING_DUMP_ANALYSISDUMP_H
#define FREETHREADING_TIDY_TOOLS_FREETHREADING_DUMP_ANALYSISDUMP_H

#include "lib/ExtensionAnalysis.h"
#include "llvm/Support/raw_ostream.h"

namespace clang::tidy::freethreading {

void dumpModel(ExtensionAnalysis &A, llvm::raw_ostream &OS);
void dumpFlow(ExtensionAnalysis &A, const FunctionDecl *F,
              llvm::raw_ostream &OS);

} // namespace clang::tidy::freethreading

#endif // FREETHREADING_TIDY_TOOLS_FREETHREADING_DUMP_ANALYSISDUMP_H
