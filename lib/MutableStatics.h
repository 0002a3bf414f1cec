//===--- MutableStatics.h - statics that threads share without a lock ----===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The statics of a translation unit (file scope, namespace scope, function
/// local, static data members) that every thread shares and that are written
/// after module initialisation without a lock every access holds: which
/// they are, how they are written, and where the racing accesses are. Read
/// by freethreading-mutable-static-state and by missing-gil-declaration's
/// count of what remains.
///
//===----------------------------------------------------------------------===//

#ifndef FREETHREADING_TIDY_LIB_MUTABLESTATICS_H
#define FREETHREADING_TIDY_LIB_MUTABLESTATICS_H

#include "clang-tidy/ClangTidyCheck.h"
#include "lib/ExtensionAnalysis.h"
#include "llvm/Support/Regex.h"
#include <string>
#include <vector>

namespace clang::tidy::freethreading {

/// The options of freethreading-mutable-static-state that decide what it
/// reports.
struct StaticOptions {
  bool StaticTypes = false;    ///< Report static PyTypeObject definitions.
  bool ReportInitOnly = false; ///< Report statics written only in init.
  std::string AllowedNames;    ///< `;`-separated regular expressions.
  bool AtomicFixes = true;

  /// Reads the options; \p Problems gets one line per invalid value (the
  /// option's default is used instead).
  static StaticOptions read(ClangTidyCheck::OptionsView &Options,
                            llvm::StringRef CheckName,
                            std::vector<std::string> *Problems = nullptr);
  void store(ClangTidyCheck::OptionsView &Options,
             ClangTidyOptions::OptionMap &Map) const;
};

/// One access of a static that takes part in a race.
struct StaticSite {
  const FunctionDecl *Function = nullptr;
  const Access *Use = nullptr;
  /// A write reaches the static's own storage, not only what it points to.
  bool Own = true;
};

/// A static that threads share and write without a common lock.
struct MutableStatic {
  enum KindType {
    WrittenAfterInit, ///< Written by a function that runs after init.
    LazyInit,         ///< Written under a test of its own value.
    InitOnly,         ///< Written only while the module initialises.
  };
  /// What the static holds, for the message and the remedy.
  enum StateKind {
    Object,     ///< A Python object pointer.
    TypeObject, ///< A static PyTypeObject.
    Flag,
    Integer,
    Number, ///< Floating point.
    Buffer, ///< An array.
    Pointer,
    Aggregate, ///< A struct, union or class.
  };
  const VarDecl *Var = nullptr; ///< The definition.
  KindType Kind = WrittenAfterInit;
  StateKind State = Integer;
  /// Every access after init that holds no lock the others hold, in source
  /// order; for InitOnly, the writes.
  std::vector<StaticSite> Sites;
  /// Every access of the static, init included (for the atomic fix-it).
  std::vector<StaticSite> Uses;
  /// The lock most accesses hold, when some accesses do not ("cache_lock").
  std::string PartialLock;
};

/// The statics of \p A's translation unit that \p Options report, in source
/// order.
std::vector<MutableStatic> mutableStatics(ExtensionAnalysis &A,
                                          const StaticOptions &Options);

/// The warning for \p S, worded once for every check that reports it.
std::string staticHazardMessage(const MutableStatic &S);
/// A few words for a list of what to fix first ("static counter 'hits'").
std::string staticHazardShort(const MutableStatic &S);
/// The note at one racing access ("written here in method 'bump'").
std::string staticSiteNote(const StaticSite &Site, const ExtensionModel &M);

} // namespace clang::tidy::freethreading

#endif // FREETHREADING_TIDY_LIB_MUTABLESTATICS_H
