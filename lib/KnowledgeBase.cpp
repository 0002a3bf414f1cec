//===--- KnowledgeBase.cpp - what freethreading-tidy knows of the C API ---===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "lib/KnowledgeBase.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSwitch.h"

namespace clang::tidy::freethreading {

static const BorrowedApi BorrowedApiTable[] = {
#define BORROWED_API(Name, Spelling, Container, Replacement, Since, Rewrite,   \
                     OnNull, Advice)                                           \
  {#Name,                 ApiSpelling::Spelling,                               \
   Container,             Replacement,                                         \
   Since,                 RewriteKind::Rewrite,                                \
   NullResult::OnNull,    Advice},
#include "lib/BorrowedApis.def"
};

static const UnsafeLibcFunction LibcTable[] = {
#define UNSAFE_LIBC(Name, Sets, Shared, Remedy, Fix, StateArg, Note)           \
  {#Name, Sets, Shared, Remedy, LibcFix::Fix, StateArg, Note},
#include "lib/LibcFunctions.def"
};

std::string BorrowedApi::remedy() const {
  if (!Advice.empty())
    return Advice.str();
  std::string Result = "use '" + Replacement.str() + "'";
  if (!Since.empty())
    Result += " (CPython " + Since.str() + "+)";
  return Result;
}

llvm::ArrayRef<BorrowedApi> borrowedApis() { return BorrowedApiTable; }

/// The entry of \p Table named \p Name (the first, if several are), from an
/// index built on first use: the lookups run for every call of the unit.
template <typename Entry, size_t N>
static const Entry *findByName(const Entry (&Table)[N], llvm::StringRef Name) {
  static const llvm::StringMap<const Entry *> Index = [&] {
    llvm::StringMap<const Entry *> ByName;
    for (const Entry &E : Table)
      ByName.try_emplace(E.Name, &E);
    return ByName;
  }();
  return Index.lookup(Name);
}

const BorrowedApi *findBorrowedApi(llvm::StringRef Name) {
  return findByName(BorrowedApiTable, Name);
}

bool isStrongApi(llvm::StringRef Name) {
  return llvm::StringSwitch<bool>(Name)
#define STRONG_API(Name, Since) .Case(#Name, true)
#include "lib/StrongApis.def"
      .Default(false);
}

FreshContainer freshContainerFrom(llvm::StringRef Name) {
  return llvm::StringSwitch<FreshContainer>(Name)
#define FRESH_CONTAINER_FACTORY(Name, Kind) .Case(#Name, FreshContainer::Kind)
#include "lib/ContainerApis.def"
      .Default(FreshContainer::None);
}

bool isPrivateContainerUse(llvm::StringRef Name) {
  return llvm::StringSwitch<bool>(Name)
#define PRIVATE_CONTAINER_USE(Name) .Case(#Name, true)
#include "lib/ContainerApis.def"
      .Default(false);
}

static const Generator GeneratorTable[] = {
#define GENERATOR(Banner, Tool, Where) {Banner, Tool, Where},
#include "lib/Generators.def"
};

const Generator *findGenerator(llvm::StringRef FileStart) {
  for (const Generator &G : GeneratorTable)
    if (FileStart.contains(G.Banner))
      return &G;
  return nullptr;
}

bool isCriticalSectionBegin(llvm::StringRef MacroName) {
  return MacroName.starts_with("Py_BEGIN_CRITICAL_SECTION");
}

bool isBorrowedApiMacro(llvm::StringRef Name) {
  const BorrowedApi *Api = findBorrowedApi(Name);
  return Api && Api->Spelling == ApiSpelling::Macro;
}

bool isLockCallName(llvm::StringRef Name) {
  static constexpr llvm::StringLiteral Calls[] = {
#define LOCK_CALL(Name, Action, Kind, KeyArg, ObjectArg) #Name,
#include "lib/LockApis.def"
  };
  return llvm::is_contained(Calls, Name);
}

bool isCriticalSectionEnd(llvm::StringRef MacroName) {
  return MacroName.starts_with("Py_END_CRITICAL_SECTION");
}

llvm::ArrayRef<UnsafeLibcFunction> unsafeLibcFunctions() { return LibcTable; }

const UnsafeLibcFunction *findUnsafeLibcFunction(llvm::StringRef Name) {
  return findByName(LibcTable, Name);
}

StaticRecord staticRecordKind(llvm::StringRef RecordName) {
  return llvm::StringSwitch<StaticRecord>(RecordName)
#define API_TABLE(Name) .Case(#Name, StaticRecord::ApiTable)
#define TYPE_OBJECT(Name) .Case(#Name, StaticRecord::TypeObject)
#define SAFE_TYPE(Name) .Case(#Name, StaticRecord::Safe)
#include "lib/StaticTables.def"
      .Default(StaticRecord::None);
}

bool isReadOnlyArgument(llvm::StringRef Function, unsigned Arg) {
#define READ_ONLY_ARG(Name, Index)                                             \
  if (Function == #Name && Arg == (Index))                                     \
    return true;
#include "lib/StaticTables.def"
  return false;
}

bool isWrittenArgument(llvm::StringRef Function, unsigned Arg) {
#define WRITTEN_ARG(Name, Index)                                               \
  if (Function == #Name && Arg == (Index))                                     \
    return true;
#include "lib/StaticTables.def"
  return false;
}

bool mayRunPythonCode(llvm::StringRef Function) {
#define NO_CODE(Name)                                                          \
  if (Function == #Name)                                                       \
    return false;
#include "lib/ReentrantCalls.def"
#define RUNS_CODE(Name)                                                        \
  if (Function == #Name)                                                       \
    return true;
#define RUNS_CODE_PREFIX(Prefix)                                               \
  if (Function.starts_with(#Prefix))                                           \
    return true;
#include "lib/ReentrantCalls.def"
  return false;
}

} // namespace clang::tidy::freethreading
