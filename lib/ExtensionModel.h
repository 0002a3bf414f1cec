//===--- ExtensionModel.h - what a translation unit defines for Python ----===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// The extension model: the modules, object structs, types, method, getset
/// and member tables a translation unit defines, and the role of every
/// function in them (module init, exec slot, method, getter, tp_repr, a
/// helper that is handed `self`, ...), with the parameters that are an
/// instance of the type. Built from the C-API shapes (PyModuleDef,
/// PyTypeObject, PyType_Spec, PyType_Slot, PyMethodDef, PyGetSetDef,
/// PyMemberDef, PyModExport_<name>), whatever the headers' version.
///
//===----------------------------------------------------------------------===//

#ifndef FREETHREADING_TIDY_LIB_EXTENSIONMODEL_H
#define FREETHREADING_TIDY_LIB_EXTENSIONMODEL_H

#include "lib/PreprocessorFacts.h"
#include "clang/AST/Decl.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include <memory>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class CallExpr;
class DeclRefExpr;
namespace tidy::freethreading {

/// A slot of TypeSlots.def.
struct TypeSlotInfo {
  enum GroupKind { Type, Number, Sequence, Mapping, Async, Buffer, Data };
  enum PhaseKind { Construct, Destroy, Live };
  llvm::StringRef Name; ///< tp_repr, nb_add, ...
  unsigned Id;          ///< Py_<Name>'s number, 0 if none.
  GroupKind Group;
  PhaseKind Phase;
  unsigned SelfParams; ///< Bit I: parameter I may be an instance.
};
const TypeSlotInfo *findTypeSlot(llvm::StringRef Name);
const TypeSlotInfo *findTypeSlotById(unsigned Id);

/// A struct laid out as a Python object: PyObject_HEAD or PyObject_VAR_HEAD
/// first, or another object struct first (C "inheritance"), or a C++ class
/// deriving from PyObject.
struct ObjectStruct {
  const RecordDecl *Record = nullptr;
  /// The object struct it extends, if its first member is one of ours.
  const RecordDecl *Base = nullptr;
};

/// METH_* flags of a PyMethodDef entry (CPython's methodobject.h).
enum MethodFlag : unsigned {
  MethVarargs = 0x1,
  MethKeywords = 0x2,
  MethNoargs = 0x4,
  MethO = 0x8,
  MethClass = 0x10,
  MethStatic = 0x20,
  MethFastcall = 0x80,
  MethMethod = 0x200,
};

struct TypeInfo;
struct ModuleInfo;

/// One way a function is installed or called.
struct FunctionRole {
  enum KindType {
    ModuleInit,   ///< PyInit_<name>
    ModuleExport, ///< PyModExport_<name> (CPython 3.15)
    ModuleExec,   ///< a Py_mod_exec slot
    ModuleCreate, ///< a Py_mod_create slot
    ModuleSlot,   ///< m_traverse, m_clear, m_free
    ModuleMethod, ///< in a module's method table
    Method,       ///< in a type's method table
    Getter,
    Setter,
    TypeSlot, ///< Slot names which (tp_repr, nb_add, ...)
    Helper,   ///< handed an instance by a function with a role
  };
  KindType Kind;
  /// The slot (tp_repr), table entry ("name" of a method or getset) or
  /// module slot (m_clear) this role comes from; for a helper, the function
  /// that hands it the instance.
  std::string Name;
  const TypeInfo *Type = nullptr;
  const ModuleInfo *Module = nullptr;
  const TypeSlotInfo *Slot = nullptr;
  const FunctionDecl *Caller = nullptr; ///< For Helper.
  unsigned MethodFlags = 0;             ///< For Method and ModuleMethod.
  /// Bit I: parameter I is an instance of Type (for a helper, of the type
  /// its caller handed over).
  unsigned SelfParams = 0;
  SourceLocation Where; ///< The table entry, slot or call.
};

/// A PyMemberDef entry.
struct MemberInfo {
  std::string Name;
  const FieldDecl *Field = nullptr;
  bool ReadOnly = false;
  SourceLocation Where;
};

/// A Python type defined in C: a static PyTypeObject, or a PyType_Spec.
struct TypeInfo {
  enum KindType { Static, Spec } Kind = Static;
  const VarDecl *Definition = nullptr;
  std::string Name; ///< tp_name / spec name, as written.
  /// The instance layout, from tp_basicsize = sizeof(T) or, failing that,
  /// from how its methods treat self.
  const RecordDecl *Object = nullptr;
  std::vector<MemberInfo> Members;
};

/// A module definition.
struct ModuleInfo {
  enum PhaseKind { Unknown, Single, Multi, Export } Phase = Unknown;
  const VarDecl *Definition = nullptr; ///< The PyModuleDef, if any.
  const VarDecl *Slots = nullptr;      ///< m_slots / the export's array.
  const FunctionDecl *Init = nullptr;  ///< PyInit_ / PyModExport_.
  std::string Name;
};

/// A pybind11 or nanobind module macro use.
struct BindingModule {
  enum KindType { Pybind11, Nanobind } Kind;
  std::string Name;
  SourceLocation Where;
};

class ExtensionModel {
public:
  /// Builds the model from the user's declarations of \p Ctx (those outside
  /// system headers, within the traversal scope) and the module macros of
  /// pybind11 and nanobind among \p Macros.
  static std::unique_ptr<ExtensionModel> build(ASTContext &Ctx,
                                               llvm::ArrayRef<MacroUse> Macros);

  llvm::ArrayRef<std::unique_ptr<ModuleInfo>> modules() const {
    return Modules;
  }
  llvm::ArrayRef<std::unique_ptr<TypeInfo>> types() const { return Types; }
  llvm::ArrayRef<ObjectStruct> objectStructs() const { return Objects; }
  /// The object struct record \p RD is, or null.
  const ObjectStruct *objectStruct(const RecordDecl *RD) const;
  /// The object struct \p T points to (through typedefs), or null.
  const ObjectStruct *pointeeObjectStruct(QualType T) const;

  /// Every function definition in the user's code, in source order.
  llvm::ArrayRef<const FunctionDecl *> definitions() const {
    return Definitions;
  }
  /// Every function definition with at least one role, in source order.
  llvm::ArrayRef<const FunctionDecl *> functions() const { return RoleOrder; }
  llvm::ArrayRef<FunctionRole> rolesOf(const FunctionDecl *F) const;
  /// Bit I set: parameter I of \p F is an instance of some type (a union
  /// over its roles).
  unsigned selfParams(const FunctionDecl *F) const;

  /// A direct call of a function defined in this translation unit.
  struct CallSite {
    const CallExpr *Call;
    const FunctionDecl *Caller; ///< Null at file scope.
  };
  /// The direct calls of \p F (its canonical declaration).
  llvm::ArrayRef<CallSite> callsTo(const FunctionDecl *F) const;
  /// Calls, in the user's code, of functions the user's code does not
  /// define (the C API, the C library, other libraries), in source order.
  llvm::ArrayRef<CallSite> libraryCalls() const { return LibraryCalls; }
  /// \p F's address is used other than by calling it (a table, a callback).
  bool isAddressTaken(const FunctionDecl *F) const;
  /// \p F runs only while a module is initialised: PyInit_, PyModExport_,
  /// exec and create slots, and functions only they call.
  bool isInitOnly(const FunctionDecl *F) const;
  /// How messages name \p F: its first role and its name ("method
  /// 'box_push'"), or "function 'name'".
  std::string describe(const FunctionDecl *F) const;

  /// The variables of \p F that hold an instance: the parameters marked in
  /// \p SelfParams (bit I for parameter I), and locals initialised from one
  /// of them through casts (`Foo *o = (Foo *)self;`), lambdas left out.
  llvm::SmallPtrSet<const VarDecl *, 4>
  instanceAliases(const FunctionDecl *F, unsigned SelfParams) const;

  /// True for a location in the user's code: not a system header, not one
  /// of CPython's own headers (found beside the definition of PyObject,
  /// wherever -I put them).
  bool isUserCode(SourceLocation Loc) const;

  /// Every definition of a variable with static storage in the user's
  /// files (file scope, function-local static, static data member).
  llvm::ArrayRef<const VarDecl *> statics() const { return Statics; }

  /// A reference, in the user's code, of a variable with static storage.
  struct StaticUse {
    const DeclRefExpr *Ref;
    const FunctionDecl *User; ///< The function it is in; null at file scope.
  };
  /// The references of \p V (any declaration of it; see accessedVariable),
  /// in traversal order, template instantiations included.
  llvm::ArrayRef<StaticUse> usesOf(const VarDecl *V) const;

  llvm::ArrayRef<BindingModule> bindingModules() const { return Bindings; }

  /// The PyModuleDef variables of the user's code, each by the declaration
  /// that carries its initializer list, in source order.
  llvm::ArrayRef<const VarDecl *> moduleDefinitions() const {
    return ModuleDefinitions;
  }
  /// The calls, in the user's code, of the C-API functions that build a
  /// module from a PyModuleDef (PyModule_Create2, PyModuleDef_Init,
  /// PyModule_FromDefAndSpec2), in source order.
  llvm::ArrayRef<CallSite> moduleCreations() const { return Creations; }

private:
  friend class ModelBuilder;
  std::vector<std::unique_ptr<ModuleInfo>> Modules;
  std::vector<std::unique_ptr<TypeInfo>> Types;
  std::vector<ObjectStruct> Objects;
  llvm::DenseMap<const RecordDecl *, unsigned> ObjectIndex;
  llvm::DenseMap<const FunctionDecl *, std::vector<FunctionRole>> Roles;
  std::vector<const FunctionDecl *> RoleOrder;
  llvm::DenseMap<const FunctionDecl *, std::vector<CallSite>> Callers;
  std::vector<CallSite> LibraryCalls;
  llvm::DenseSet<const FunctionDecl *> AddressTaken;
  mutable llvm::DenseMap<const FunctionDecl *, bool> InitOnly;
  std::vector<const VarDecl *> Statics;
  llvm::DenseMap<const VarDecl *, std::vector<StaticUse>> StaticUses;
  std::vector<const FunctionDecl *> Definitions;
  /// What the model's walk saw in each body, outside lambdas, in traversal
  /// order: the pointer locals initialised from a variable (local, source),
  /// and the direct calls of functions the user's code defines.
  struct BodyFacts {
    std::vector<std::pair<const VarDecl *, const VarDecl *>> Copies;
    std::vector<const CallExpr *> UserCalls;
  };
  llvm::DenseMap<const FunctionDecl *, BodyFacts> Bodies;
  std::vector<BindingModule> Bindings;
  std::vector<const VarDecl *> ModuleDefinitions;
  std::vector<CallSite> Creations;
  const SourceManager *SM = nullptr;
  std::string CPythonDir; ///< With a trailing separator; "" if unknown.
};

/// Short names for dumps and messages: "module-init", "method", "tp_repr".
llvm::StringRef roleKindName(FunctionRole::KindType Kind);

} // namespace tidy::freethreading
} // namespace clang

#endif // FREETHREADING_TIDY_LIB_EXTENSIONMODEL_H
