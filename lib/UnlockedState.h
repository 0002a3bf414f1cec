//===--- UnlockedState.h - object state touched without its lock ----------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The functions of an extension type that read or write the mutable fields
/// of an instance without a critical section on it (or a mutex), and the
/// critical sections used wrongly (a return out of one, BEGIN/END that do
/// not pair, two nested one-object sections, the thread state detached
/// inside one). Read by freethreading-missing-critical-section and by
/// missing-gil-declaration's count of what remains.
///
//===----------------------------------------------------------------------===//

#ifndef FREETHREADING_TIDY_LIB_UNLOCKEDSTATE_H
#define FREETHREADING_TIDY_LIB_UNLOCKEDSTATE_H

#include "clang-tidy/ClangTidyCheck.h"
#include "lib/ExtensionAnalysis.h"
#include <string>
#include <vector>

namespace clang::tidy::freethreading {

/// The options of freethreading-missing-critical-section that decide what
/// it reports.
struct SectionOptions {
  /// Writes in tp_init make a field mutable: Python code can call
  /// `obj.__init__()` again on a live object.
  bool ReinitIsWrite = true;
  /// `;`-separated name suffixes of helpers that expect their caller to
  /// hold the critical section.
  std::string LockHeldSuffixes = "_lock_held;_LockHeld";

  static SectionOptions read(ClangTidyCheck::OptionsView &Options,
                             llvm::StringRef CheckName,
                             std::vector<std::string> *Problems = nullptr);
  void store(ClangTidyCheck::OptionsView &Options,
             ClangTidyOptions::OptionMap &Map) const;
  bool operator==(const SectionOptions &O) const {
    return ReinitIsWrite == O.ReinitIsWrite &&
           LockHeldSuffixes == O.LockHeldSuffixes;
  }
};

/// The comment that marks a helper whose callers hold the critical section
/// on the instance it is handed.
inline constexpr llvm::StringLiteral LockHeldAnnotation =
    "freethreading: lock held";

/// True when \p F expects its caller to hold the critical section: its name
/// ends in one of \p Options' suffixes, or the comment right before it
/// carries LockHeldAnnotation.
bool expectsLockHeld(const FunctionDecl *F, const SectionOptions &Options);

/// The write that makes a field mutable.
struct FieldWriter {
  const FieldDecl *Field = nullptr;
  SourceLocation Loc;
  std::string Note; ///< "'size' is written here, in method 'box_push'"
  bool Reinit = false; ///< In tp_init.
};

/// A function of a type that touches mutable fields of an instance
/// without a lock on it.
struct UnlockedFunction {
  const FunctionDecl *Function = nullptr;
  /// The unprotected accesses, in source order; the first is reported.
  std::vector<const Access *> Accesses;
  /// The calls, among Accesses, of helpers that expect the lock held.
  llvm::SmallPtrSet<const Access *, 2> LockHeldCalls;
  /// For each field among Accesses, a write elsewhere that makes it mutable.
  std::vector<FieldWriter> Writers;
  /// The instance parameter the critical section belongs on (for the
  /// split fix-it), or -1 when the function has several.
  int SelfParam = -1;
};


/// An object field read into a local without a reference of its own, and
/// used by or after a call that can run Python code: that code can replace
/// the field and free the object (a section does not help: the call may
/// suspend it).
struct BorrowedField {
  const FunctionDecl *Function = nullptr;
  const VarDecl *Var = nullptr;   ///< The local.
  const MemberExpr *Load = nullptr; ///< `self->field`.
  const CallExpr *Call = nullptr; ///< The call that can run Python code.
  const DeclRefExpr *Use = nullptr; ///< The use at or after it.
};

/// What the type functions of a translation unit do to their objects'
/// mutable fields, from one pass over the fields every live function writes.
struct ObjectStateFindings {
  /// The functions that touch them without a lock, in source order.
  std::vector<UnlockedFunction> Unlocked;
  /// The locals that borrow them across Python code, in source order.
  std::vector<BorrowedField> Borrowed;
};
ObjectStateFindings objectStateFindings(ExtensionAnalysis &A,
                                        const SectionOptions &Options);

std::string borrowedFieldMessage(const BorrowedField &B);

/// A critical section used wrongly.
struct SectionMistake {
  const FunctionDecl *Function = nullptr;
  const SectionProblem *Problem = nullptr;
  std::string Message;
  /// The BEGIN of the section involved, for a note; invalid if none.
  SourceLocation Begin;
};

/// Every section mistake of the user's functions, in source order.
std::vector<SectionMistake> sectionMistakes(ExtensionAnalysis &A);

/// The warning for \p U, and its notes, worded once for every check.
std::string unlockedMessage(const UnlockedFunction &U, ExtensionAnalysis &A);
std::string unlockedShort(const UnlockedFunction &U, ExtensionAnalysis &A);
/// The note at a later unprotected access of \p U.
std::string unlockedAccessNote(const UnlockedFunction &U, const Access &Use);

} // namespace clang::tidy::freethreading

#endif // FREETHREADING_TIDY_LIB_UNLOCKEDSTATE_H
