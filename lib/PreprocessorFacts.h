//===--- PreprocessorFacts.h - what the preprocessor saw ------------------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Records the preprocessor facts the checks need and the AST cannot give:
/// critical sections (whatever the headers expand Py_BEGIN_CRITICAL_SECTION
/// to, including sections written in branches the preprocessor skipped),
/// uses of C-API macros, the strong-reference API defined as macros, the
/// branches of #if chains that only build without free threading, and the
/// skipped source itself.
///
//===----------------------------------------------------------------------===//

#ifndef FREETHREADING_TIDY_LIB_PREPROCESSORFACTS_H
#define FREETHREADING_TIDY_LIB_PREPROCESSORFACTS_H

#include "clang/Basic/SourceLocation.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include <functional>
#include <string>
#include <vector>

namespace clang {
class Preprocessor;
namespace tidy::freethreading {

/// One expansion of a macro the owner asked for.
struct MacroUse {
  std::string Name;
  /// Where a user sees it: the outermost expansion point in a file.
  SourceLocation Loc;
  /// The invocation `NAME(args)` as written, when it is written in a file and
  /// not produced by another macro's body; invalid otherwise.
  CharSourceRange Invocation;
  /// The unexpanded arguments, as spelled.
  std::vector<std::string> Args;
  /// The name itself comes from the body of a (user) macro.
  bool InMacroBody = false;
  /// Where the name is spelled: in the macro definition when InMacroBody.
  SourceLocation Spelled;
};

/// A `#define` of a strong-reference API name (a shim for old Pythons).
struct StrongApiMacro {
  FileID File;
  /// The identifiers of its body: the functions it maps the API onto.
  std::vector<std::string> BodyNames;
};

/// A branch of an `#if` chain that is compiled only without free threading:
/// for CPython before 3.13 (`#if PY_VERSION_HEX < 0x030D0000`, or the `#else`
/// of `>= 0x030D0000`) or without Py_GIL_DISABLED.
struct GilOnlyBranch {
  FileID File;
  unsigned Begin = 0; ///< Offset of the directive that opens the branch.
  unsigned End = 0;   ///< Offset of the directive that closes it.
};

/// A `Py_BEGIN_CRITICAL_SECTION*` ... `Py_END_CRITICAL_SECTION*` pair.
struct CriticalSection {
  FileID File;
  unsigned Begin = 0; ///< Offset of the BEGIN macro name.
  unsigned End = 0;   ///< Offset of the END macro name.
  /// The locked objects (or mutexes), normalised with normalizeObjectText.
  std::vector<std::string> Objects;
  bool Skipped = false; ///< Seen only in source the preprocessor skipped.
};

/// A function-like macro defined in a branch the preprocessor skipped whose
/// body takes or releases a lock: `#ifdef Py_GIL_DISABLED` / `#define
/// LOCK(o) PyMutex_Lock(&(o)->mutex)`, with `(void)0` in the build seen.
struct SkippedLockMacro {
  std::string Name;
  std::vector<std::string> Params;
  std::string Call;              ///< The lock call or section macro named.
  std::vector<std::string> Args; ///< Its arguments, in terms of Params.
};

/// A use, in the code compiled, of a SkippedLockMacro: the lock call the
/// other build makes there, with the use's arguments substituted.
struct LockMacroUse {
  FileID File;
  unsigned Offset = 0; ///< Of the macro name.
  std::string Call;
  std::vector<std::string> Args;
};

/// A source range the preprocessor skipped, with its text.
struct SkippedRange {
  FileID File;
  unsigned Begin = 0;
  llvm::StringRef Text;
};

/// Where the user wrote the code that spans \p Range.
struct WrittenAt {
  /// In a macro's arguments, where the tokens are spelled; from a macro's
  /// body, where that macro is used.
  SourceLocation Loc;
  /// The code comes from a macro body: no rewrite can be made there.
  bool InMacroBody = false;
  /// The code as written in one file, or invalid (a macro body, or ends in
  /// different files).
  CharSourceRange Written;
};
WrittenAt writtenAt(SourceRange Range, const SourceManager &SM);

/// True if \p Loc comes from the body (not the arguments) of a macro whose
/// name satisfies \p IsNamed, at any depth of macro expansion.
bool inBodyOfMacro(SourceLocation Loc, const SourceManager &SM,
                   const LangOptions &LO,
                   llvm::function_ref<bool(llvm::StringRef)> IsNamed);

/// Text of an object expression reduced for comparison: white space, outer
/// parentheses, C casts and _PyObject_CAST wrappers removed.
std::string normalizeObjectText(llvm::StringRef Text);

/// True when a critical section on \p Locked protects accesses to
/// \p Container: the same object, or a member reached through it
/// (`self` protects `self->items`).
bool lockCovers(llvm::StringRef Locked, llvm::StringRef Container);

class PreprocessorFacts {
public:
  using MacroFilter = std::function<bool(llvm::StringRef)>;

  /// Installs the callbacks on \p PP. Macros for which RecordMacro returns
  /// true are recorded as MacroUses.
  void attach(const SourceManager &SourceMgr, Preprocessor &PP);

  llvm::ArrayRef<MacroUse> macroUses() const { return MacroUses; }
  llvm::ArrayRef<SkippedRange> skippedRanges() const { return Skipped; }
  /// The uses of lock macros that take a lock only in a build the
  /// preprocessor skipped, in the order seen.
  llvm::ArrayRef<LockMacroUse> lockMacroUses() const { return LockMacroUses; }

  /// All critical sections of the translation unit, BEGIN/END paired by
  /// nesting within each file.
  const std::vector<CriticalSection> &criticalSections();

  /// The innermost critical section around the file location \p Loc that
  /// covers \p Container (see lockCovers); any section if \p Container is
  /// empty. Null if none.
  const CriticalSection *sectionCovering(SourceLocation Loc,
                                         llvm::StringRef Container);

  /// True when the file location \p Loc lies in a GilOnlyBranch.
  bool isGilOnly(SourceLocation Loc) const;

  // Used by the callbacks.
  struct SectionEvent {
    FileID File;
    unsigned Offset;
    bool IsBegin;
    std::vector<std::string> Objects;
    bool Skipped;
    /// Py_BEGIN_CRITICAL_SECTION2 / Py_END_CRITICAL_SECTION2.
    bool Two = false;
  };
  std::vector<SectionEvent> Events;
  std::vector<MacroUse> MacroUses;
  std::vector<SkippedRange> Skipped;
  /// Macros named as a strong-reference API: they implement it for old
  /// Pythons (see ExtensionContext::addStrongApiMacro).
  std::vector<StrongApiMacro> StrongApiMacros;
  std::vector<GilOnlyBranch> GilOnlyBranches;
  /// By name: looked up at every macro expansion.
  llvm::StringMap<SkippedLockMacro> SkippedLockMacros;
  std::vector<LockMacroUse> LockMacroUses;
  MacroFilter RecordMacro;
  const SourceManager *SM = nullptr;

private:
  std::vector<CriticalSection> Sections;
  bool Paired = false;
};

} // namespace tidy::freethreading
} // namespace clang

#endif // FREETHREADING_TIDY_LIB_PREPROCESSORFACTS_H
