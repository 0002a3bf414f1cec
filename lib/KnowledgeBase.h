//===--- KnowledgeBase.h - what freethreading-tidy knows of the C API -----===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Typed access to the tables in BorrowedApis.def, StrongApis.def,
/// ContainerApis.def and LibcFunctions.def. Checks, docs and tests read the
/// facts from here; no check repeats an API name of its own.
///
//===----------------------------------------------------------------------===//

#ifndef FREETHREADING_TIDY_LIB_KNOWLEDGEBASE_H
#define FREETHREADING_TIDY_LIB_KNOWLEDGEBASE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <string>
#include <vector>

namespace clang::tidy::freethreading {

/// How a borrowed-reference API is spelled in the headers.
enum class ApiSpelling { Function, Macro };

/// The shape of the rewrite to the strong-reference API.
enum class RewriteKind {
  None,            ///< No mechanical rewrite; the advice says what to do.
  NewRefSameArgs,  ///< Same arguments, returns a new reference (or NULL).
  IntWithOutParam, ///< Returns int (-1/0/1), result through a last out-param.
  CriticalSection, ///< No replacement: lock the container around the use.
};

/// What a NULL result of a borrowed API meant next to its replacement's
/// (BorrowedApis.def, OnNull).
enum class NullResult { Same, Swallowed, NoneWhenDead, NeverNull };

struct BorrowedApi {
  llvm::StringRef Name;
  ApiSpelling Spelling;
  int ContainerArg; ///< Index of the shared object's argument, -1 if none.
  llvm::StringRef Replacement;
  llvm::StringRef Since;
  RewriteKind Rewrite;
  NullResult OnNull;
  llvm::StringRef Advice;

  /// The remedy for diagnostics, e.g. "use 'PyList_GetItemRef' (CPython
  /// 3.13+)".
  std::string remedy() const;
};

/// Every borrowed-reference API, in table order.
llvm::ArrayRef<BorrowedApi> borrowedApis();
/// The row for \p Name, or null.
const BorrowedApi *findBorrowedApi(llvm::StringRef Name);

/// True for a strong-reference API name (StrongApis.def).
bool isStrongApi(llvm::StringRef Name);
/// What a call returns, as far as other threads are concerned
/// (ContainerApis.def).
enum class FreshContainer {
  None,      ///< Not a new container: it may be shared.
  Mutable,   ///< A new list or dict, private until it is published.
  Immutable, ///< A new tuple: no thread can change it.
};
/// The kind of container the call \p Name returns.
FreshContainer freshContainerFrom(llvm::StringRef Name);
/// True for a call or macro that uses a container without publishing it.
bool isPrivateContainerUse(llvm::StringRef Name);

/// A code generator whose banner appears in \p FileStart (the first lines of
/// a file), or null. Generated files get no diagnostics.
struct Generator {
  llvm::StringRef Banner;
  llvm::StringRef Tool;
  llvm::StringRef WhereToDeclare;
};
const Generator *findGenerator(llvm::StringRef FileStart);

/// PY_VERSION_HEX of CPython 3.13.0, the first release with a free-threaded
/// build (PEP 703). Code compiled only for older versions (its prereleases
/// included) always runs with the GIL.
constexpr uint64_t FirstFreeThreadedHex = 0x030D00F0;
/// The macro only a free-threaded build defines (CPython HOWTO "C API
/// Extension Support for Free Threading", "Identifying the Free-Threaded
/// Build in C").
constexpr llvm::StringLiteral FreeThreadedMacro = "Py_GIL_DISABLED";

/// The header an extension includes for the C API; with the headers it
/// includes from its own folder, it is CPython's, never the user's.
constexpr llvm::StringLiteral CPythonHeader = "Python.h";

/// Critical-section macros (shared/HAZARDS.md section 2).
bool isCriticalSectionBegin(llvm::StringRef MacroName);
/// True for a call of LockApis.def: it takes or releases a lock, or
/// detaches or reattaches the thread state.
bool isLockCallName(llvm::StringRef Name);
/// True for a borrowed-reference API spelled as a macro (PyList_GET_ITEM).
bool isBorrowedApiMacro(llvm::StringRef Name);
bool isCriticalSectionEnd(llvm::StringRef MacroName);

//===----------------------------------------------------------------------===//
// C library functions with hidden shared state (HAZARDS.md section 5).
//===----------------------------------------------------------------------===//

/// Which function lists a row belongs to; FunctionSet selects by these bits.
enum LibcSet : unsigned {
  LibcPosix = 1U << 0, ///< concurrency-mt-unsafe's POSIX list.
  LibcGlibc = 1U << 1, ///< concurrency-mt-unsafe's glibc list.
  LibcExtra = 1U << 2, ///< ours: in neither list.
};

/// The fix-it shape for a libc call.
enum class LibcFix {
  None,        ///< Replacement changes behaviour: a note only.
  StrtokR,     ///< strtok -> strtok_r with a save pointer.
  TmBufferR,   ///< localtime/gmtime -> *_r with a struct tm buffer.
  CharBufferR, ///< ctime/asctime -> *_r with a 26-byte buffer.
  MbtowcState, ///< mbtowc -> mbrtowc with a zeroed mbstate_t.
  NullState,   ///< mbrtowc family with a NULL state -> a local state.
  Strerror,    ///< strerror -> a strerror_r form right for GNU and XSI.
  InetNtop,    ///< inet_ntoa -> inet_ntop with a buffer.
};

struct UnsafeLibcFunction {
  llvm::StringRef Name;
  unsigned Sets;          ///< LibcSet bits.
  llvm::StringRef Shared; ///< What is shared, e.g. "a static buffer".
  llvm::StringRef Remedy; ///< What to use instead.
  LibcFix Fix;
  int StateArg; ///< For NullState: the mbstate_t* argument index; else -1.
  /// For rows without a fix-it: why the rewrite is not mechanical and how to
  /// do it by hand; empty when the fix-it says it all.
  llvm::StringRef Note;
};

llvm::ArrayRef<UnsafeLibcFunction> unsafeLibcFunctions();
const UnsafeLibcFunction *findUnsafeLibcFunction(llvm::StringRef Name);

//===----------------------------------------------------------------------===//
// Statics that are not shared mutable state (HAZARDS.md section 4).
//===----------------------------------------------------------------------===//

/// What a static of a record type is, by the record's name.
enum class StaticRecord {
  None,       ///< Ordinary state.
  ApiTable,   ///< A table the C API reads (PyMethodDef, PyType_Spec, ...).
  TypeObject, ///< A static type object.
  Safe,       ///< Safe to share as it is (atomics, Py_tss_t).
};
StaticRecord staticRecordKind(llvm::StringRef RecordName);

/// Argument \p Arg of \p Function is a non-const pointer it only reads.
bool isReadOnlyArgument(llvm::StringRef Function, unsigned Arg);
/// ReentrantCalls.def: a call of \p Function can run Python code.
bool mayRunPythonCode(llvm::StringRef Function);
/// StaticTables.def WRITTEN_ARG: \p Function writes through or frees its
/// argument \p Arg.
bool isWrittenArgument(llvm::StringRef Function, unsigned Arg);

} // namespace clang::tidy::freethreading

#endif // FREETHREADING_TIDY_LIB_KNOWLEDGEBASE_H
