//===--- LibcCalls.cpp - C library calls with hidden shared state ---------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "lib/LibcCalls.h"
#include "clang-tidy/utils/OptionsUtils.h"
#include "lib/AstHelpers.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "llvm/ADT/StringSet.h"
#include <set>

namespace clang::tidy {

llvm::ArrayRef<
    std::pair<freethreading::LibcOptions::FunctionSetKind, StringRef>>
OptionEnumMapping<
    freethreading::LibcOptions::FunctionSetKind>::getEnumMapping() {
  using Kind = freethreading::LibcOptions::FunctionSetKind;
  static constexpr std::pair<Kind, StringRef> Mapping[] = {
      {Kind::Posix, "posix"}, {Kind::Glibc, "glibc"}, {Kind::Any, "any"}};
  return Mapping;
}

namespace freethreading {

LibcOptions LibcOptions::read(ClangTidyCheck::OptionsView &Options) {
  LibcOptions O;
  O.FunctionSet = Options.get("FunctionSet", FunctionSetKind::Any);
  O.AdditionalFunctions = Options.get("AdditionalFunctions", "").str();
  O.IgnoredFunctions = Options.get("IgnoredFunctions", "").str();
  return O;
}

void LibcOptions::store(ClangTidyCheck::OptionsView &Options,
                        ClangTidyOptions::OptionMap &Map) const {
  Options.store(Map, "FunctionSet", FunctionSet);
  Options.store(Map, "AdditionalFunctions", AdditionalFunctions);
  Options.store(Map, "IgnoredFunctions", IgnoredFunctions);
}

namespace {

/// Which rows the options select.
class Selection {
public:
  Selection(const LibcOptions &O, ConfiguredLibcRows &Configured)
      : Configured(Configured) {
    Sets = LibcExtra;
    switch (O.FunctionSet) {
    case LibcOptions::FunctionSetKind::Posix:
      Sets |= LibcPosix;
      break;
    case LibcOptions::FunctionSetKind::Glibc:
      Sets |= LibcGlibc;
      break;
    case LibcOptions::FunctionSetKind::Any:
      Sets |= LibcPosix | LibcGlibc;
      break;
    }
    for (llvm::StringRef Name :
         utils::options::parseStringList(O.IgnoredFunctions))
      Ignored.insert(Name);
    for (llvm::StringRef Name :
         utils::options::parseStringList(O.AdditionalFunctions)) {
      if (Name.empty() || !Additional.insert(Name).second ||
          findUnsafeLibcFunction(Name))
        continue;
      llvm::StringRef Stable = Configured.Names.emplace_back(Name.str());
      Configured.Rows.push_back({Stable, LibcExtra, "state",
                                 "a reentrant alternative", LibcFix::None, -1,
                                 ""});
    }
  }

  /// The row that applies to a function of this name, or null.
  const UnsafeLibcFunction *lookup(llvm::StringRef Name) const {
    if (Ignored.contains(Name))
      return nullptr;
    if (const UnsafeLibcFunction *F = findUnsafeLibcFunction(Name))
      return (F->Sets & Sets) || Additional.contains(Name) ? F : nullptr;
    for (const UnsafeLibcFunction &F : Configured.Rows)
      if (F.Name == Name)
        return &F;
    return nullptr;
  }

private:
  unsigned Sets;
  llvm::StringSet<> Ignored, Additional;
  ConfiguredLibcRows &Configured;
};

/// True for the C library function itself: C language linkage, which a
/// member or a C++ function in a namespace never has. `std::strtok` is a
/// using-declaration of `::strtok`, so its callee is the C function.
bool isCLibraryFunction(const FunctionDecl *FD) {
  return FD && FD->getIdentifier() && !isa<CXXMethodDecl>(FD) &&
         FD->isExternC();
}

} // namespace

std::vector<LibcUse> unsafeLibcCalls(ExtensionAnalysis &A,
                                     const LibcOptions &Options,
                                     ConfiguredLibcRows &Configured) {
  Selection Select(Options, Configured);
  const SourceManager &SM = A.context().getSourceManager();
  std::vector<LibcUse> Uses;
  std::set<std::pair<unsigned, const void *>> Seen;
  for (const ExtensionModel::CallSite &Site : A.model().libraryCalls()) {
    const FunctionDecl *Callee = Site.Call->getDirectCallee();
    if (!isCLibraryFunction(Callee))
      continue;
    const UnsafeLibcFunction *F = Select.lookup(Callee->getName());
    if (!F)
      continue;
    // The restartable conversions are safe when given their own state.
    if (F->Fix == LibcFix::NullState &&
        (F->StateArg < 0 ||
         static_cast<unsigned>(F->StateArg) >= Site.Call->getNumArgs() ||
         !isNullPointer(Site.Call->getArg(F->StateArg), A.context())))
      continue;
    WrittenAt At = writtenAt(Site.Call->getSourceRange(), SM);
    // A template body is seen once per instantiation.
    if (A.isExcluded(At.Loc) ||
        !Seen.insert({At.Loc.getRawEncoding(), F}).second)
      continue;
    Uses.push_back({F, Site.Call, Site.Caller, At.Loc, At.InMacroBody});
  }
  llvm::stable_sort(Uses, [&](const LibcUse &L, const LibcUse &R) {
    return SM.isBeforeInTranslationUnit(L.Loc, R.Loc);
  });
  return Uses;
}

static const LibcFixShape FixShapes[] = {
#define LIBC_FIX(Shape, Replacement, Header, Feature, Type, Name, Suffix,      \
                 Zero)                                                         \
  {LibcFix::Shape, Replacement, Header, Feature, Type, Name, Suffix, Zero},
#include "lib/LibcFixes.def"
};

const LibcFixShape *libcFixShape(LibcFix Fix) {
  for (const LibcFixShape &S : FixShapes)
    if (S.Shape == Fix)
      return &S;
  return nullptr;
}

std::string libcHazardMessage(const LibcUse &Use) {
  const UnsafeLibcFunction &F = *Use.Function;
  return ("function '" + F.Name + "' uses " + F.Shared +
          " shared by all threads" +
          (F.Fix == LibcFix::NullState ? ", because its state argument is NULL"
                                       : "") +
          "; use " + F.Remedy)
      .str();
}

} // namespace freethreading
} // namespace clang::tidy
