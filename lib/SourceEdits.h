//===--- SourceEdits.h - what fix-its need to know of the text ------------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// One home for the questions every fix-it planner asks of the source text:
/// a name nothing in the translation unit uses yet, the text the user wrote
/// for an expression, and where a declaration can go.
///
//===----------------------------------------------------------------------===//

#ifndef FREETHREADING_TIDY_LIB_SOURCEEDITS_H
#define FREETHREADING_TIDY_LIB_SOURCEEDITS_H

#include "clang/AST/Expr.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include <optional>
#include <string>

namespace clang {
class ASTContext;
class Preprocessor;
namespace tidy::freethreading {

/// Fresh names for the variables fix-its declare. The rule, for every check:
/// \p Base itself, else Base1, Base2, ...: the first that no identifier of
/// the translation unit spells (a variable, a field, a macro: anything the
/// preprocessor saw) and, for names that share a scope with others
/// (claim), that no earlier fix of the translation unit took.
class FreshNames {
public:
  explicit FreshNames(const ASTContext &Ctx) : Ctx(Ctx) {}
  /// A name for a declaration other fixes may share a scope with.
  std::string claim(llvm::StringRef Base);
  /// A name for a declaration in a block of its own (`{ T x_result = ...;
  /// }`): only the translation unit's identifiers count.
  std::string local(llvm::StringRef Base) const;
  /// A name for a local of a new function with \p F's parameters (a
  /// wrapper): no macro, no file-scope declaration and no parameter of \p F
  /// spells it.
  std::string inWrapper(llvm::StringRef Base, const FunctionDecl *F) const;

private:
  std::string next(llvm::StringRef Base, unsigned &From) const;
  const ASTContext &Ctx;
  llvm::StringSet<> Claimed;
  llvm::StringMap<unsigned> NextSuffix;
};

/// The text of \p E as written in one file, or "" if a macro hides it.
std::string writtenText(const Expr *E, const SourceManager &SM,
                        const LangOptions &LO);

/// True when the lines of \p File end in CR LF (judged by its first line).
bool usesCrlf(const SourceManager &SM, FileID File);

/// \p Hint with its inserted text written in the line endings of the file it
/// edits: planners write "\n", a CR LF file gets "\r\n".
FixItHint inFileLineEndings(FixItHint Hint, const SourceManager &SM);
std::optional<FixItHint> inFileLineEndings(std::optional<FixItHint> Hint,
                                           const SourceManager &SM);

/// True when \p File itself has `#include Header` (\p Header with its
/// brackets or quotes, "<atomic>").
bool includesHeader(const SourceManager &SM, FileID File,
                    llvm::StringRef Header);

/// The leading white space of the line holding the file location \p Loc.
llvm::StringRef lineIndentation(const SourceManager &SM, SourceLocation Loc);

/// The comments right before \p Loc (only white space between, a block
/// comment or a run of line comments), as written; "" if none.
llvm::StringRef commentBefore(const SourceManager &SM, SourceLocation Loc);

/// Why `#include Header` cannot be added to the main file of \p PP
/// (\p Header is "name.h" or "<name.h>"): not a header name, a directory,
/// not found on the include path; empty when it can.
std::string includableHeaderProblem(llvm::StringRef Header, Preprocessor &PP);

/// The configuration warning for check \p Check's CompatHeader option when
/// \p Header cannot be included (includableHeaderProblem); empty when it
/// can.
std::string unusableCompatHeader(llvm::StringRef Check, llvm::StringRef Header,
                                 Preprocessor &PP);

/// "pythoncapi_compat.h" when the translation unit of \p PP includes it and
/// \p Header is another header: a second compatibility header beside it
/// would define the same functions twice. Empty otherwise.
std::string conflictingCompatHeader(llvm::StringRef Header, Preprocessor &PP);

/// The file offset of the expansion location of \p Loc.
unsigned fileOffset(const SourceManager &SM, SourceLocation Loc);

} // namespace tidy::freethreading
} // namespace clang

#endif // FREETHREADING_TIDY_LIB_SOURCEEDITS_H
