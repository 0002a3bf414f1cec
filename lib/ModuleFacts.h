//===--- ModuleFacts.h - how an extension module declares GIL support -----===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Typed access to ModuleDeclarations.def: the slot, its values, the
/// single-phase SetGIL call, the pybind11 and nanobind spellings, the C-API
/// functions that build modules and the preprocessor tests a declaration may
/// sit behind.
///
//===----------------------------------------------------------------------===//

#ifndef FREETHREADING_TIDY_LIB_MODULEFACTS_H
#define FREETHREADING_TIDY_LIB_MODULEFACTS_H

#include "llvm/ADT/StringRef.h"
#include <vector>

namespace clang::tidy::freethreading {

/// The named spellings of ModuleDeclarations.def.
enum class ModuleFact {
#define MODULE_FACT(Id, Spelling) Id,
#include "lib/ModuleDeclarations.def"
};

/// The spelling of \p Fact, e.g. "Py_mod_gil" for ModuleFact::GilSlot.
llvm::StringRef moduleFact(ModuleFact Fact);

/// How a module-building function treats GIL support.
enum class InitPhase {
  Single, ///< PyModule_Create: the caller declares with SetGIL.
  Multi,  ///< PyModuleDef_Init: the def's m_slots declare.
};

/// The phase of a module-building C-API function, or none.
const InitPhase *findModuleCreator(llvm::StringRef Name);
/// The names of every module-building function (for AST matchers).
std::vector<llvm::StringRef> moduleCreatorNames();

/// True when a preprocessor condition's text names a macro a GIL
/// declaration may be guarded by (Py_GIL_DISABLED, Py_mod_gil, ...).
bool isDeclarationGuard(llvm::StringRef ConditionText);

} // namespace clang::tidy::freethreading

#endif // FREETHREADING_TIDY_LIB_MODULEFACTS_H
