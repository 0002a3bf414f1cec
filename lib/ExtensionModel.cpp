//===--- ExtensionModel.cpp - what a translation unit defines for Python --===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "lib/ExtensionModel.h"
#include "lib/AstHelpers.h"
#include "lib/ModuleFacts.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/Path.h"

namespace clang::tidy::freethreading {

static const TypeSlotInfo TypeSlotTable[] = {
#define TYPE_SLOT(Name, Id, Group, Phase, SelfParams)                          \
  {#Name, Id, TypeSlotInfo::Group, TypeSlotInfo::Phase, SelfParams},
#include "lib/TypeSlots.def"
};

namespace {
enum class ModuleSlotKind { Exec, Create, Methods, Other };
struct ModuleSlotInfo {
  llvm::StringRef Name;
  unsigned Id;
  ModuleSlotKind Kind;
};
} // namespace

static const ModuleSlotInfo ModuleSlotTable[] = {
#define MODULE_SLOT(Name, Id, Kind) {#Name, Id, ModuleSlotKind::Kind},
#include "lib/TypeSlots.def"
};

const TypeSlotInfo *findTypeSlot(llvm::StringRef Name) {
  for (const TypeSlotInfo &S : TypeSlotTable)
    if (S.Name == Name)
      return &S;
  return nullptr;
}

const TypeSlotInfo *findTypeSlotById(unsigned Id) {
  if (Id == 0)
    return nullptr;
  for (const TypeSlotInfo &S : TypeSlotTable)
    if (S.Id == Id)
      return &S;
  return nullptr;
}

llvm::StringRef roleKindName(FunctionRole::KindType Kind) {
  switch (Kind) {
  case FunctionRole::ModuleInit:
    return "module-init";
  case FunctionRole::ModuleExport:
    return "module-export";
  case FunctionRole::ModuleExec:
    return "module-exec";
  case FunctionRole::ModuleCreate:
    return "module-create";
  case FunctionRole::ModuleSlot:
    return "module-slot";
  case FunctionRole::ModuleMethod:
    return "module-method";
  case FunctionRole::Method:
    return "method";
  case FunctionRole::Getter:
    return "getter";
  case FunctionRole::Setter:
    return "setter";
  case FunctionRole::TypeSlot:
    return "slot";
  case FunctionRole::Helper:
    return "helper";
  }
  llvm_unreachable("covered switch over FunctionRole::KindType");
}

std::string ExtensionModel::describe(const FunctionDecl *F) const {
  llvm::ArrayRef<FunctionRole> Roles = rolesOf(F);
  llvm::StringRef Kind =
      Roles.empty() ? "function" : roleKindName(Roles.front().Kind);
  if (!Roles.empty() && Roles.front().Slot)
    Kind = Roles.front().Slot->Name;
  return (Kind + " '" + F->getNameAsString() + "'").str();
}

/// The name a record is known by: its tag, or the typedef of an anonymous
/// struct (`typedef struct {...} PyNumberMethods;`).
static llvm::StringRef recordName(const RecordDecl *RD) {
  if (!RD)
    return "";
  if (!RD->getName().empty())
    return RD->getName();
  if (const TypedefNameDecl *T = RD->getTypedefNameForAnonDecl())
    return T->getName();
  return "";
}

/// The record of a variable's type, or of its elements for an array.
static llvm::StringRef tableTypeName(const VarDecl *V, bool &IsArray) {
  QualType T = V->getType();
  IsArray = T->isArrayType();
  if (IsArray)
    T = T->getAsArrayTypeUnsafe()->getElementType();
  return recordName(recordOf(T));
}

/// The outermost macro whose expansion \p E starts, as written, or "".
static llvm::StringRef expansionName(const Expr *E, const SourceManager &SM,
                                     const LangOptions &LO) {
  SourceLocation Loc = E->getBeginLoc();
  if (!Loc.isMacroID())
    return "";
  SourceLocation At = SM.getExpansionLoc(Loc);
  return Lexer::getSourceText(CharSourceRange::getTokenRange(At, At), SM, LO);
}

/// The variable a pointer local is initialised from, through casts
/// (`Foo *o = (Foo *)self;`), or null.
static const VarDecl *copiedVariable(const VarDecl *V) {
  if (!V->hasLocalStorage() || !V->getType()->isPointerType() || !V->getInit())
    return nullptr;
  const auto *R = dyn_cast<DeclRefExpr>(V->getInit()->IgnoreParenCasts());
  return R ? dyn_cast<VarDecl>(R->getDecl()) : nullptr;
}

/// The local copies of an instance in \p F's body, found by a walk of
/// their own: for functions the model's walk did not see.
static void aliasesByWalk(const FunctionDecl *F,
                          llvm::SmallPtrSet<const VarDecl *, 4> &Aliases) {
  struct Locals : RecursiveASTVisitor<Locals> {
    llvm::SmallPtrSet<const VarDecl *, 4> &Aliases;
    explicit Locals(llvm::SmallPtrSet<const VarDecl *, 4> &A) : Aliases(A) {}
    bool VisitVarDecl(VarDecl *V) {
      if (const VarDecl *From = copiedVariable(V);
          From && Aliases.contains(From))
        Aliases.insert(V);
      return true;
    }
    bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  } L(Aliases);
  L.TraverseStmt(F->getBody());
}

llvm::SmallPtrSet<const VarDecl *, 4>
ExtensionModel::instanceAliases(const FunctionDecl *F,
                                unsigned SelfParams) const {
  llvm::SmallPtrSet<const VarDecl *, 4> Aliases;
  for (unsigned I = 0; I < F->getNumParams() && I < 32; ++I)
    if (SelfParams & (1U << I))
      Aliases.insert(F->getParamDecl(I));
  if (Aliases.empty() || !F->hasBody())
    return Aliases;
  auto It = Bodies.find(F);
  if (It == Bodies.end()) {
    aliasesByWalk(F, Aliases);
    return Aliases;
  }
  for (const auto &[Local, From] : It->second.Copies)
    if (Aliases.contains(From))
      Aliases.insert(Local);
  return Aliases;
}

/// Collects the declarations and calls the model is built from, in one
/// walk of the user's declarations.
/// The kind of module \p C builds from a PyModuleDef: Single for
/// PyModule_Create2, Multi for PyModuleDef_Init and PyModule_FromDefAndSpec2;
/// Unknown for any other call.
static ModuleInfo::PhaseKind creationPhase(const CallExpr *C) {
  const FunctionDecl *Callee = C->getDirectCallee();
  if (!Callee || !Callee->getIdentifier())
    return ModuleInfo::Unknown;
  llvm::StringRef Name = Callee->getName();
  if (Name.starts_with("PyModule_Create2"))
    return ModuleInfo::Single;
  if (Name == "PyModuleDef_Init" || Name.starts_with("PyModule_FromDefAndSpec2"))
    return ModuleInfo::Multi;
  return ModuleInfo::Unknown;
}

class ModelBuilder : public RecursiveASTVisitor<ModelBuilder> {
public:
  ModelBuilder(ASTContext &Ctx, ExtensionModel &M)
      : Ctx(Ctx), SM(Ctx.getSourceManager()), LO(Ctx.getLangOpts()), M(M) {}

  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldWalkTypesOfTypeLocs() const { return false; }

  bool TraverseDecl(Decl *D);
  bool TraverseLambdaExpr(LambdaExpr *L) {
    ++InLambda;
    bool Result = RecursiveASTVisitor::TraverseLambdaExpr(L);
    --InLambda;
    return Result;
  }
  bool VisitRecordDecl(RecordDecl *RD);
  bool VisitVarDecl(VarDecl *V);
  bool VisitCallExpr(CallExpr *C);
  bool VisitDeclRefExpr(DeclRefExpr *R);

  void resolve(llvm::ArrayRef<MacroUse> Macros);

private:
  void addRole(const FunctionDecl *F, FunctionRole Role);
  void objectStructs();
  void staticType(const VarDecl *V);
  void specType(const VarDecl *V);
  void slotTable(TypeInfo &T, const VarDecl *Table);
  void typeSlot(TypeInfo &T, const TypeSlotInfo &Slot, const Expr *Value,
                SourceLocation Where);
  void methodTable(const VarDecl *Table, TypeInfo *T, ModuleInfo *Mod);
  void getsetTable(TypeInfo &T, const VarDecl *Table);
  void memberTable(TypeInfo &T, const VarDecl *Table);
  void moduleDef(const VarDecl *V);
  void moduleSlots(ModuleInfo &Mod, const VarDecl *Array);
  void moduleExports();
  void inferObjects();
  void helpers();
  const FunctionDecl *enclosingFunction() const {
    return FunctionStack.empty() ? nullptr : FunctionStack.back();
  }
  /// The facts of the body being walked, or null at file scope and in a
  /// lambda.
  ExtensionModel::BodyFacts *bodyFacts() {
    return InLambda || FunctionStack.empty() ? nullptr
                                             : &M.Bodies[FunctionStack.back()];
  }

  ASTContext &Ctx;
  const SourceManager &SM;
  const LangOptions &LO;
  ExtensionModel &M;
  std::vector<const FunctionDecl *> FunctionStack;
  unsigned InLambda = 0; ///< Of the innermost function being walked.
  llvm::DenseMap<llvm::StringRef, std::vector<const VarDecl *>> Tables;
  std::vector<const RecordDecl *> Records;
  llvm::DenseSet<const Expr *> Callees;
  llvm::DenseSet<const VarDecl *> SeenStatics;
  llvm::DenseMap<const VarDecl *, TypeInfo *> TypeOfTable;
  llvm::DenseMap<const VarDecl *, ModuleInfo *> ModuleOfTable;
};

bool ModelBuilder::TraverseDecl(Decl *D) {
  if (!D)
    return true;
  if (!isa<TranslationUnitDecl>(D) && D->getDeclContext() &&
      D->getDeclContext()->isFileContext() && !M.isUserCode(D->getLocation()))
    return true;
  const auto *F = dyn_cast<FunctionDecl>(D);
  bool Body = F && F->doesThisDeclarationHaveABody();
  unsigned OuterLambdas = InLambda;
  if (Body) {
    FunctionStack.push_back(F);
    M.Definitions.push_back(F);
    M.Bodies[F]; // Walked: instanceAliases needs no walk of its own.
    InLambda = 0;
  }
  bool Result = RecursiveASTVisitor::TraverseDecl(D);
  if (Body) {
    FunctionStack.pop_back();
    InLambda = OuterLambdas;
  }
  return Result;
}

bool ModelBuilder::VisitRecordDecl(RecordDecl *RD) {
  if (RD->isThisDeclarationADefinition() && !RD->isInvalidDecl())
    Records.push_back(RD);
  return true;
}

bool ModelBuilder::VisitVarDecl(VarDecl *V) {
  if (const VarDecl *From = copiedVariable(V); From && !isa<ParmVarDecl>(V))
    if (ExtensionModel::BodyFacts *Body = bodyFacts())
      Body->Copies.emplace_back(V, From);
  if (V->isInvalidDecl())
    return true;
  // One entry per variable: C's tentative definitions repeat it.
  if (V->hasGlobalStorage() && !isa<ParmVarDecl>(V) &&
      V->isThisDeclarationADefinition() != VarDecl::DeclarationOnly &&
      SeenStatics.insert(V->getCanonicalDecl()).second)
    M.Statics.push_back(V);
  // Only the declaration that carries the initializer describes the table;
  // a forward declaration (`static PyModuleDef def;`) has none.
  if (!V->getInit() || V->getInit()->isValueDependent())
    return true;
  bool IsArray = false;
  llvm::StringRef Name = tableTypeName(V, IsArray);
  if (!Name.empty())
    Tables[Name].push_back(V);
  if (!IsArray && Name == moduleFact(ModuleFact::ModuleDefType) &&
      isa<InitListExpr>(V->getInit()->IgnoreImplicit()))
    M.ModuleDefinitions.push_back(V);
  return true;
}

bool ModelBuilder::VisitCallExpr(CallExpr *C) {
  Callees.insert(C->getCallee()->IgnoreParenImpCasts());
  const FunctionDecl *Callee = C->getDirectCallee();
  if (!Callee)
    return true;
  const FunctionDecl *Def = Callee->getDefinition();
  bool User = Def && M.isUserCode(Def->getLocation());
  if (User)
    if (ExtensionModel::BodyFacts *Body = bodyFacts())
      Body->UserCalls.push_back(C);
  if (!Callee->getIdentifier())
    return true;
  if (creationPhase(C) != ModuleInfo::Unknown)
    M.Creations.push_back({C, enclosingFunction()});
  if (User)
    M.Callers[Callee->getCanonicalDecl()].push_back({C, enclosingFunction()});
  else
    M.LibraryCalls.push_back({C, enclosingFunction()});
  return true;
}

bool ModelBuilder::VisitDeclRefExpr(DeclRefExpr *R) {
  if (const auto *F = dyn_cast<FunctionDecl>(R->getDecl()))
    if (!Callees.contains(R))
      M.AddressTaken.insert(F->getCanonicalDecl());
  if (const auto *V = dyn_cast<VarDecl>(R->getDecl());
      V && V->hasGlobalStorage() && !isa<ParmVarDecl>(V))
    M.StaticUses[accessedVariable(V)].push_back({R, enclosingFunction()});
  return true;
}

void ModelBuilder::addRole(const FunctionDecl *F, FunctionRole Role) {
  if (!F)
    return;
  if (const FunctionDecl *Def = F->getDefinition())
    F = Def;
  std::vector<FunctionRole> &Roles = M.Roles[F];
  if (Roles.empty())
    M.RoleOrder.push_back(F);
  Roles.push_back(std::move(Role));
}

/// A first member that makes a struct a Python object: PyObject,
/// PyVarObject, a CPython object struct, or one of ours.
static bool isObjectHead(const RecordDecl *RD, const ExtensionModel &M,
                         const SourceManager &SM) {
  if (!RD)
    return false;
  llvm::StringRef Name = recordName(RD);
  if (Name == "_object" || Name == "PyVarObject" || M.objectStruct(RD))
    return true;
  return SM.isInSystemHeader(SM.getExpansionLoc(RD->getLocation())) &&
         Name.starts_with("Py") && Name.ends_with("Object");
}

void ModelBuilder::objectStructs() {
  for (const RecordDecl *RD : Records) {
    const RecordDecl *Head = nullptr;
    if (const auto *CXX = dyn_cast<CXXRecordDecl>(RD);
        CXX && CXX->hasDefinition() && CXX->getNumBases() > 0)
      Head = recordOf(CXX->bases_begin()->getType());
    else if (!RD->field_empty())
      Head = recordOf(RD->field_begin()->getType());
    if (!isObjectHead(Head, M, SM))
      continue;
    ObjectStruct O;
    O.Record = RD;
    if (M.objectStruct(Head))
      O.Base = Head;
    M.ObjectIndex[RD] = M.Objects.size();
    M.Objects.push_back(O);
  }
}

void ModelBuilder::typeSlot(TypeInfo &T, const TypeSlotInfo &Slot,
                            const Expr *Value, SourceLocation Where) {
  if (Slot.Group == TypeSlotInfo::Data) {
    const VarDecl *Table = namedVariable(Value);
    if (!Table)
      return;
    if (Slot.Name == "tp_methods")
      methodTable(Table, &T, nullptr);
    else if (Slot.Name == "tp_getset")
      getsetTable(T, Table);
    else if (Slot.Name == "tp_members")
      memberTable(T, Table);
    return;
  }
  FunctionRole Role;
  Role.Kind = FunctionRole::TypeSlot;
  Role.Name = Slot.Name.str();
  Role.Type = &T;
  Role.Slot = &Slot;
  Role.SelfParams = Slot.SelfParams;
  Role.Where = Where;
  addRole(namedFunction(Value), std::move(Role));
}

void ModelBuilder::staticType(const VarDecl *V) {
  auto T = std::make_unique<TypeInfo>();
  T->Kind = TypeInfo::Static;
  T->Definition = V;
  const InitListExpr *List = initList(V->getInit());
  if (!List)
    return;
  if (std::optional<llvm::StringRef> N =
          stringValue(fieldInitializer(List, "tp_name")))
    T->Name = N->str();
  T->Object = sizeofRecord(fieldInitializer(List, "tp_basicsize"));
  TypeInfo &Type = *T;
  M.Types.push_back(std::move(T));
  const RecordDecl *RD = recordOf(V->getType());
  unsigned I = 0;
  for (const FieldDecl *F : RD->fields()) {
    const Expr *Init = I < List->getNumInits() ? List->getInit(I) : nullptr;
    ++I;
    if (!Init || isa<ImplicitValueInitExpr>(Init))
      continue;
    llvm::StringRef Field = F->getName();
    if (const TypeSlotInfo *Slot = findTypeSlot(Field)) {
      typeSlot(Type, *Slot, Init, Init->getBeginLoc());
      continue;
    }
    // tp_as_number and kin point to a struct of slots.
    if (!Field.starts_with("tp_as_"))
      continue;
    const VarDecl *Sub = namedVariable(Init);
    const InitListExpr *SubList = Sub ? initList(Sub->getInit()) : nullptr;
    const RecordDecl *SubRD = SubList ? recordOf(Sub->getType()) : nullptr;
    if (!SubRD)
      continue;
    unsigned J = 0;
    for (const FieldDecl *SF : SubRD->fields()) {
      const Expr *SI =
          J < SubList->getNumInits() ? SubList->getInit(J) : nullptr;
      ++J;
      if (SI && !isa<ImplicitValueInitExpr>(SI))
        if (const TypeSlotInfo *Slot = findTypeSlot(SF->getName()))
          typeSlot(Type, *Slot, SI, SI->getBeginLoc());
    }
  }
}

void ModelBuilder::slotTable(TypeInfo &T, const VarDecl *Table) {
  const InitListExpr *List = initList(Table->getInit());
  if (!List)
    return;
  for (const Expr *Entry : List->inits()) {
    const InitListExpr *E = initList(Entry);
    const Expr *Id = fieldInitializer(E, "slot");
    const Expr *Value = fieldInitializer(E, "pfunc");
    if (!Id || !Value)
      continue;
    const TypeSlotInfo *Slot = nullptr;
    llvm::StringRef Spelled = expansionName(Id, SM, LO);
    if (Spelled.consume_front("Py_"))
      Slot = findTypeSlot(Spelled);
    if (!Slot)
      if (std::optional<int64_t> N = integerValue(Id, Ctx))
        Slot = findTypeSlotById(static_cast<unsigned>(*N));
    if (Slot)
      typeSlot(T, *Slot, Value, Entry->getBeginLoc());
  }
}

void ModelBuilder::specType(const VarDecl *V) {
  const InitListExpr *List = initList(V->getInit());
  if (!List)
    return;
  auto T = std::make_unique<TypeInfo>();
  T->Kind = TypeInfo::Spec;
  T->Definition = V;
  if (std::optional<llvm::StringRef> N =
          stringValue(fieldInitializer(List, "name")))
    T->Name = N->str();
  T->Object = sizeofRecord(fieldInitializer(List, "basicsize"));
  TypeInfo &Type = *T;
  M.Types.push_back(std::move(T));
  if (const VarDecl *Slots = namedVariable(fieldInitializer(List, "slots")))
    if (const VarDecl *Def = Slots->getInitializingDeclaration())
      slotTable(Type, Def);
}

void ModelBuilder::methodTable(const VarDecl *Table, TypeInfo *T,
                               ModuleInfo *Mod) {
  if (const VarDecl *Def = Table->getInitializingDeclaration())
    Table = Def;
  if (T)
    TypeOfTable[Table] = T;
  if (Mod)
    ModuleOfTable[Table] = Mod;
  const InitListExpr *List = initList(Table->getInit());
  if (!List)
    return;
  for (const Expr *Entry : List->inits()) {
    const InitListExpr *E = initList(Entry);
    const FunctionDecl *F = namedFunction(fieldInitializer(E, "ml_meth"));
    if (!F)
      continue;
    FunctionRole Role;
    Role.Kind = Mod ? FunctionRole::ModuleMethod : FunctionRole::Method;
    if (std::optional<llvm::StringRef> N =
            stringValue(fieldInitializer(E, "ml_name")))
      Role.Name = N->str();
    Role.Type = T;
    Role.Module = Mod;
    Role.MethodFlags = static_cast<unsigned>(
        integerValue(fieldInitializer(E, "ml_flags"), Ctx).value_or(0));
    // Class and static methods are not handed an instance; a module's
    // functions get the module.
    if (!Mod && !(Role.MethodFlags & (MethClass | MethStatic)))
      Role.SelfParams = 1;
    Role.Where = Entry->getBeginLoc();
    addRole(F, std::move(Role));
  }
}

void ModelBuilder::getsetTable(TypeInfo &T, const VarDecl *Table) {
  if (const VarDecl *Def = Table->getInitializingDeclaration())
    Table = Def;
  TypeOfTable[Table] = &T;
  const InitListExpr *List = initList(Table->getInit());
  if (!List)
    return;
  for (const Expr *Entry : List->inits()) {
    const InitListExpr *E = initList(Entry);
    std::string Name;
    if (std::optional<llvm::StringRef> N =
            stringValue(fieldInitializer(E, "name")))
      Name = N->str();
    for (auto [Field, Kind] :
         {std::pair<llvm::StringRef, FunctionRole::KindType>{
              "get", FunctionRole::Getter},
          {"set", FunctionRole::Setter}}) {
      FunctionRole Role;
      Role.Kind = Kind;
      Role.Name = Name;
      Role.Type = &T;
      Role.SelfParams = 1;
      Role.Where = Entry->getBeginLoc();
      addRole(namedFunction(fieldInitializer(E, Field)), std::move(Role));
    }
  }
}

void ModelBuilder::memberTable(TypeInfo &T, const VarDecl *Table) {
  if (const VarDecl *Def = Table->getInitializingDeclaration())
    Table = Def;
  TypeOfTable[Table] = &T;
  const InitListExpr *List = initList(Table->getInit());
  if (!List)
    return;
  for (const Expr *Entry : List->inits()) {
    const InitListExpr *E = initList(Entry);
    const FieldDecl *Field = offsetofField(fieldInitializer(E, "offset"));
    if (!Field)
      continue;
    MemberInfo Member;
    if (std::optional<llvm::StringRef> N =
            stringValue(fieldInitializer(E, "name")))
      Member.Name = N->str();
    Member.Field = Field;
    // READONLY (Py_READONLY) is bit 0 of the flags in every CPython version.
    Member.ReadOnly =
        integerValue(fieldInitializer(E, "flags"), Ctx).value_or(0) & 1;
    Member.Where = Entry->getBeginLoc();
    T.Members.push_back(std::move(Member));
  }
}

void ModelBuilder::moduleSlots(ModuleInfo &Mod, const VarDecl *Array) {
  if (const VarDecl *Def = Array->getInitializingDeclaration())
    Array = Def;
  Mod.Slots = Array;
  const InitListExpr *List = initList(Array->getInit());
  if (!List)
    return;
  for (const Expr *Entry : List->inits()) {
    const InitListExpr *E = initList(Entry);
    const Expr *Id = fieldInitializer(E, "slot");
    const Expr *Value = fieldInitializer(E, "value");
    if (!Id || !Value)
      continue;
    llvm::StringRef Spelled = expansionName(Id, SM, LO);
    std::optional<int64_t> N = integerValue(Id, Ctx);
    const ModuleSlotInfo *Slot = nullptr;
    for (const ModuleSlotInfo &S : ModuleSlotTable)
      if (S.Name == Spelled || (!Slot && S.Id && N && S.Id == *N))
        Slot = &S;
    if (!Slot)
      continue;
    if (Slot->Kind == ModuleSlotKind::Methods) {
      if (const VarDecl *Table = namedVariable(Value))
        methodTable(Table, nullptr, &Mod);
      continue;
    }
    if (Slot->Kind == ModuleSlotKind::Other)
      continue;
    FunctionRole Role;
    Role.Kind = Slot->Kind == ModuleSlotKind::Exec ? FunctionRole::ModuleExec
                                                   : FunctionRole::ModuleCreate;
    Role.Name = Slot->Name.str();
    Role.Module = &Mod;
    Role.Where = Entry->getBeginLoc();
    addRole(namedFunction(Value), std::move(Role));
  }
}

void ModelBuilder::moduleDef(const VarDecl *V) {
  const InitListExpr *List = initList(V->getInit());
  if (!List)
    return;
  auto Mod = std::make_unique<ModuleInfo>();
  Mod->Definition = V;
  if (std::optional<llvm::StringRef> N =
          stringValue(fieldInitializer(List, "m_name")))
    Mod->Name = N->str();
  ModuleInfo &Module = *Mod;
  M.Modules.push_back(std::move(Mod));
  if (const VarDecl *Table = namedVariable(fieldInitializer(List, "m_methods")))
    methodTable(Table, nullptr, &Module);
  if (const VarDecl *Slots = namedVariable(fieldInitializer(List, "m_slots"))) {
    Module.Phase = ModuleInfo::Multi;
    moduleSlots(Module, Slots);
  }
  for (llvm::StringRef Field : {"m_traverse", "m_clear", "m_free"}) {
    FunctionRole Role;
    Role.Kind = FunctionRole::ModuleSlot;
    Role.Name = Field.str();
    Role.Module = &Module;
    const Expr *Init = fieldInitializer(List, Field);
    Role.Where = Init ? Init->getBeginLoc() : SourceLocation();
    addRole(namedFunction(Init), std::move(Role));
  }
  for (const ExtensionModel::CallSite &C : M.Creations) {
    const VarDecl *Def =
        C.Call->getNumArgs() > 0 ? namedVariable(C.Call->getArg(0)) : nullptr;
    if (!Def || Def->getCanonicalDecl() != V->getCanonicalDecl())
      continue;
    Module.Phase = creationPhase(C.Call);
    if (C.Caller && C.Caller->getIdentifier() &&
        C.Caller->getName().starts_with("PyInit_"))
      Module.Init = C.Caller;
  }
}

/// CPython 3.15's PyModExport_<name>() returns the module's slot array.
void ModelBuilder::moduleExports() {
  for (const FunctionDecl *F : M.Definitions) {
    if (!F->getIdentifier())
      continue;
    llvm::StringRef Name = F->getName();
    FunctionRole Role;
    Role.Where = F->getLocation();
    if (Name.starts_with("PyInit_")) {
      Role.Kind = FunctionRole::ModuleInit;
      Role.Name = Name.drop_front(7).str();
      for (const auto &Mod : M.Modules)
        if (Mod->Init == F)
          Role.Module = Mod.get();
      addRole(F, std::move(Role));
      continue;
    }
    if (!Name.starts_with("PyModExport_"))
      continue;
    auto Mod = std::make_unique<ModuleInfo>();
    Mod->Phase = ModuleInfo::Export;
    Mod->Init = F;
    Mod->Name = Name.drop_front(12).str();
    Role.Kind = FunctionRole::ModuleExport;
    Role.Name = Mod->Name;
    Role.Module = Mod.get();
    struct Returns : RecursiveASTVisitor<Returns> {
      const VarDecl *Array = nullptr;
      bool VisitReturnStmt(ReturnStmt *S) {
        if (const VarDecl *V = namedVariable(S->getRetValue()))
          Array = V;
        return true;
      }
    } R;
    R.TraverseStmt(F->getBody());
    if (R.Array)
      moduleSlots(*Mod, R.Array);
    M.Modules.push_back(std::move(Mod));
    addRole(F, std::move(Role));
  }
}

/// A type whose tp_basicsize is not `sizeof(T)`: its instance layout is the
/// object struct its methods declare or cast their self parameter to.
void ModelBuilder::inferObjects() {
  for (const auto &T : M.Types) {
    if (T->Object)
      continue;
    for (const FunctionDecl *F : M.RoleOrder) {
      for (const FunctionRole &Role : M.Roles[F]) {
        if (Role.Type != T.get() || !(Role.SelfParams & 1) ||
            F->getNumParams() == 0)
          continue;
        if (const ObjectStruct *O =
                M.pointeeObjectStruct(F->getParamDecl(0)->getType()))
          T->Object = O->Record;
      }
      if (T->Object)
        break;
    }
  }
}

/// Static helpers handed an instance by a function with a role get the
/// Helper role, transitively.
void ModelBuilder::helpers() {
  for (size_t I = 0; I < M.RoleOrder.size(); ++I) {
    const FunctionDecl *F = M.RoleOrder[I];
    unsigned Self = M.selfParams(F);
    if (!Self || !F->hasBody())
      continue;
    const TypeInfo *Type = nullptr;
    for (const FunctionRole &R : M.Roles[F])
      if (R.SelfParams)
        Type = R.Type;
    auto Body = M.Bodies.find(F);
    if (Body == M.Bodies.end())
      continue;
    llvm::SmallPtrSet<const VarDecl *, 4> Aliases = M.instanceAliases(F, Self);
    // Calls of the user's functions only (the walk kept those).
    for (const CallExpr *Call : Body->second.UserCalls) {
      const FunctionDecl *G = Call->getDirectCallee()->getDefinition();
      if (G == F || !G->hasBody())
        continue;
      unsigned Bits = 0;
      for (unsigned A = 0; A < Call->getNumArgs() && A < 32; ++A)
        if (const auto *R =
                dyn_cast<DeclRefExpr>(Call->getArg(A)->IgnoreParenCasts()))
          if (const auto *V = dyn_cast<VarDecl>(R->getDecl());
              V && Aliases.contains(V) && A < G->getNumParams())
            Bits |= 1U << A;
      if (!Bits || (M.selfParams(G) & Bits) == Bits)
        continue;
      FunctionRole Role;
      Role.Kind = FunctionRole::Helper;
      Role.Name = F->getNameAsString();
      Role.Type = Type;
      Role.Caller = F;
      Role.SelfParams = Bits;
      Role.Where = Call->getBeginLoc();
      addRole(G, std::move(Role));
    }
  }
}

void ModelBuilder::resolve(llvm::ArrayRef<MacroUse> Macros) {
  objectStructs();
  for (const VarDecl *V : Tables.lookup("PyModuleDef"))
    moduleDef(V);
  for (const VarDecl *V : Tables.lookup("_typeobject"))
    staticType(V);
  for (const VarDecl *V : Tables.lookup("PyType_Spec"))
    specType(V);
  moduleExports();
  // Method tables no type or module names: their functions are still
  // methods handed an instance of some type.
  for (const VarDecl *V : Tables.lookup("PyMethodDef"))
    if (!TypeOfTable.count(V) && !ModuleOfTable.count(V))
      methodTable(V, nullptr, nullptr);
  inferObjects();
  helpers();
  for (const MacroUse &U : Macros) {
    bool Pybind11 = U.Name == "PYBIND11_MODULE";
    if ((!Pybind11 && U.Name != "NB_MODULE") || U.Args.empty())
      continue;
    M.Bindings.push_back(
        {Pybind11 ? BindingModule::Pybind11 : BindingModule::Nanobind,
         llvm::StringRef(U.Args[0]).trim().str(), U.Loc});
  }
  llvm::stable_sort(
      M.RoleOrder, [&](const FunctionDecl *A, const FunctionDecl *B) {
        return SM.isBeforeInTranslationUnit(A->getLocation(), B->getLocation());
      });
}

/// The folder of CPython's headers: where PyObject (`struct _object`) is
/// defined, above its cpython/ and internal/ subfolders.
static std::string cpythonDir(ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  for (const NamedDecl *D :
       Ctx.getTranslationUnitDecl()->lookup(&Ctx.Idents.get("_object"))) {
    OptionalFileEntryRef File = SM.getFileEntryRefForID(
        SM.getFileID(SM.getExpansionLoc(D->getLocation())));
    if (!File)
      continue;
    llvm::StringRef Dir = llvm::sys::path::parent_path(File->getName());
    llvm::StringRef Leaf = llvm::sys::path::filename(Dir);
    if (Leaf == "cpython" || Leaf == "internal")
      Dir = llvm::sys::path::parent_path(Dir);
    return (Dir + llvm::sys::path::get_separator()).str();
  }
  return "";
}

bool ExtensionModel::isUserCode(SourceLocation Loc) const {
  if (Loc.isInvalid())
    return false;
  Loc = SM->getExpansionLoc(Loc);
  if (SM->isInSystemHeader(Loc))
    return false;
  if (CPythonDir.empty())
    return true;
  OptionalFileEntryRef File = SM->getFileEntryRefForID(SM->getFileID(Loc));
  return !File || !File->getName().starts_with(CPythonDir);
}

std::unique_ptr<ExtensionModel>
ExtensionModel::build(ASTContext &Ctx, llvm::ArrayRef<MacroUse> Macros) {
  auto M = std::make_unique<ExtensionModel>();
  M->SM = &Ctx.getSourceManager();
  M->CPythonDir = cpythonDir(Ctx);
  ModelBuilder B(Ctx, *M);
  B.TraverseAST(Ctx);
  B.resolve(Macros);
  return M;
}

const ObjectStruct *ExtensionModel::objectStruct(const RecordDecl *RD) const {
  if (!RD)
    return nullptr;
  if (const RecordDecl *Def = RD->getDefinition())
    RD = Def;
  auto It = ObjectIndex.find(RD);
  return It == ObjectIndex.end() ? nullptr : &Objects[It->second];
}

const ObjectStruct *ExtensionModel::pointeeObjectStruct(QualType T) const {
  if (T.isNull() || !T->isPointerType())
    return nullptr;
  return objectStruct(recordOf(T->getPointeeType()));
}

llvm::ArrayRef<FunctionRole>
ExtensionModel::rolesOf(const FunctionDecl *F) const {
  if (!F)
    return {};
  if (const FunctionDecl *Def = F->getDefinition())
    F = Def;
  auto It = Roles.find(F);
  return It == Roles.end() ? llvm::ArrayRef<FunctionRole>()
                           : llvm::ArrayRef<FunctionRole>(It->second);
}

unsigned ExtensionModel::selfParams(const FunctionDecl *F) const {
  unsigned Bits = 0;
  for (const FunctionRole &R : rolesOf(F))
    Bits |= R.SelfParams;
  return Bits;
}

llvm::ArrayRef<ExtensionModel::CallSite>
ExtensionModel::callsTo(const FunctionDecl *F) const {
  auto It = Callers.find(F->getCanonicalDecl());
  return It == Callers.end() ? llvm::ArrayRef<CallSite>()
                             : llvm::ArrayRef<CallSite>(It->second);
}

llvm::ArrayRef<ExtensionModel::StaticUse>
ExtensionModel::usesOf(const VarDecl *V) const {
  auto It = StaticUses.find(accessedVariable(V));
  return It == StaticUses.end() ? llvm::ArrayRef<StaticUse>()
                                : llvm::ArrayRef<StaticUse>(It->second);
}

bool ExtensionModel::isAddressTaken(const FunctionDecl *F) const {
  return AddressTaken.contains(F->getCanonicalDecl());
}

bool ExtensionModel::isInitOnly(const FunctionDecl *F) const {
  if (!F)
    return false;
  F = F->getCanonicalDecl();
  auto It = InitOnly.find(F);
  if (It != InitOnly.end())
    return It->second;
  InitOnly[F] = false; // A cycle is not init-only.
  bool Init = false, Other = false;
  for (const FunctionRole &R : rolesOf(F)) {
    bool IsInit = R.Kind == FunctionRole::ModuleInit ||
                  R.Kind == FunctionRole::ModuleExport ||
                  R.Kind == FunctionRole::ModuleExec ||
                  R.Kind == FunctionRole::ModuleCreate;
    Init |= IsInit;
    Other |= !IsInit && R.Kind != FunctionRole::Helper;
  }
  bool Result = Init && !Other;
  if (!Init && !Other && !isAddressTaken(F)) {
    llvm::ArrayRef<CallSite> Calls = callsTo(F);
    Result = !Calls.empty() && llvm::all_of(Calls, [&](const CallSite &C) {
      return C.Caller && isInitOnly(C.Caller);
    });
  }
  InitOnly[F] = Result;
  return Result;
}

} // namespace clang::tidy::freethreading
