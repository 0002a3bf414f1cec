//===--- AnalysisDump.cpp - print the shared analysis as text ------------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "tools/freethreading-dump/AnalysisDump.h"
#include "clang/AST/ASTContext.h"
#include "llvm/ADT/StringExtras.h"

namespace clang::tidy::freethreading {

namespace {

class Printer {
public:
  Printer(ExtensionAnalysis &A, llvm::raw_ostream &OS)
      : A(A), OS(OS), SM(A.context().getSourceManager()) {}

  void model();
  void flow(const FunctionDecl *F);

private:
  std::string line(SourceLocation L) const {
    if (L.isInvalid())
      return "L?";
    return "L" + std::to_string(SM.getExpansionLineNumber(L));
  }
  static std::string name(const NamedDecl *D) {
    return D ? D->getNameAsString() : "-";
  }
  static std::string recordName(const RecordDecl *RD) {
    if (!RD)
      return "-";
    if (!RD->getName().empty())
      return RD->getNameAsString();
    if (const TypedefNameDecl *T = RD->getTypedefNameForAnonDecl())
      return T->getNameAsString();
    return "(anonymous)";
  }
  static std::string object(const ObjectRef &O) {
    std::string S = O.Text.empty() ? "?" : O.Text;
    if (O.OnInstance)
      S += "(instance)";
    return S;
  }
  std::string locks(const LockSet &L) const;
  void role(const FunctionRole &R);

  ExtensionAnalysis &A;
  llvm::raw_ostream &OS;
  const SourceManager &SM;
};

std::string Printer::locks(const LockSet &L) const {
  std::string S = "[";
  for (const HeldLock &H : L.Locks) {
    if (S.size() > 1)
      S += ", ";
    S += (lockKindName(H.Kind) + " " + object(H.Object)).str();
  }
  S += "]";
  if (L.Detached)
    S += " detached";
  return S;
}

void Printer::role(const FunctionRole &R) {
  OS << "  role " << roleKindName(R.Kind);
  if (R.Kind == FunctionRole::TypeSlot)
    OS << " " << R.Name;
  else if (!R.Name.empty())
    OS << " '" << R.Name << "'";
  if (R.Type)
    OS << " type='" << R.Type->Name << "'";
  if (R.Module)
    OS << " module='" << R.Module->Name << "'";
  if (R.Slot)
    OS << " phase="
       << (R.Slot->Phase == TypeSlotInfo::Construct ? "construct"
           : R.Slot->Phase == TypeSlotInfo::Destroy ? "destroy"
                                                    : "live");
  if (R.Kind == FunctionRole::Method || R.Kind == FunctionRole::ModuleMethod)
    OS << " flags=0x" << llvm::utohexstr(R.MethodFlags);
  OS << " self=" << R.SelfParams << " " << line(R.Where) << "\n";
}

void Printer::model() {
  const ExtensionModel &M = A.model();
  for (const auto &Mod : M.modules()) {
    static const char *Phases[] = {"unknown", "single", "multi", "export"};
    OS << "module '" << Mod->Name << "' phase=" << Phases[Mod->Phase]
       << " def=" << name(Mod->Definition) << " slots=" << name(Mod->Slots)
       << " init=" << name(Mod->Init) << "\n";
  }
  for (const BindingModule &B : M.bindingModules())
    OS << "binding "
       << (B.Kind == BindingModule::Pybind11 ? "pybind11" : "nanobind") << " '"
       << B.Name << "' " << line(B.Where) << "\n";
  for (const ObjectStruct &O : M.objectStructs()) {
    // Where the name is written: the typedef of an anonymous struct.
    SourceLocation At = O.Record->getLocation();
    if (const TypedefNameDecl *T = O.Record->getTypedefNameForAnonDecl())
      At = T->getLocation();
    OS << "object-struct " << recordName(O.Record)
       << " base=" << (O.Base ? recordName(O.Base) : "-") << " " << line(At)
       << "\n";
  }
  for (const auto &T : M.types()) {
    OS << "type '" << T->Name
       << "' kind=" << (T->Kind == TypeInfo::Static ? "static" : "spec")
       << " def=" << name(T->Definition) << " object=" << recordName(T->Object)
       << "\n";
    for (const MemberInfo &Mem : T->Members)
      OS << "  member '" << Mem.Name << "' field=" << name(Mem.Field)
         << (Mem.ReadOnly ? " readonly" : " writable") << "\n";
  }
  for (const FunctionDecl *F : M.functions()) {
    OS << "function " << name(F) << (M.isInitOnly(F) ? " init-only" : "")
       << "\n";
    for (const FunctionRole &R : M.rolesOf(F))
      role(R);
  }
  for (const FunctionDecl *F : M.definitions())
    if (M.rolesOf(F).empty() && M.isInitOnly(F))
      OS << "function " << name(F) << " init-only\n";
  for (const VarDecl *V : M.statics())
    OS << "static " << name(V)
       << (V->isStaticLocal()        ? " local"
           : V->isStaticDataMember() ? " member"
                                     : " file")
       << " " << line(V->getLocation()) << "\n";
}

void Printer::flow(const FunctionDecl *F) {
  const FunctionFlow &Flow = A.flow(F);
  OS << "flow " << name(F) << "\n";
  for (size_t I = 0; I < Flow.sections().size(); ++I) {
    const SectionFact &S = Flow.sections()[I];
    OS << "  section#" << I << " " << line(S.Begin) << "-" << line(S.End)
       << (S.TwoObjects ? " two" : "") << (S.Skipped ? " skipped" : "")
       << " parent=" << S.Parent << " on";
    for (const ObjectRef &O : S.Objects)
      OS << " " << object(O);
    OS << "\n";
  }
  for (const SourceRange &R : Flow.allowThreads())
    OS << "  allow-threads " << line(R.getBegin()) << "-" << line(R.getEnd())
       << "\n";
  for (const Access &Acc : Flow.accesses()) {
    static const char *Kinds[] = {"read", "write", "modify"};
    OS << "  access " << line(Acc.Loc) << " " << Kinds[Acc.Kind] << " ";
    if (Acc.Target == Access::Static)
      OS << "static " << name(Acc.Var);
    else
      OS << "field " << name(Acc.Member) << " of " << object(Acc.Object);
    if (!Acc.FieldPath.empty())
      OS << " path=" << Acc.FieldPath;
    if (Acc.Via)
      OS << " via=" << name(Acc.Via);
    OS << " locks=" << locks(Acc.Locks) << "\n";
  }
  for (const CallFact &C : Flow.calls())
    OS << "  call " << name(C.Callee) << " " << line(C.Call->getBeginLoc())
       << " instance-args=" << C.InstanceArgs << " locks=" << locks(C.Locks)
       << "\n";
  for (const SectionProblem &P : Flow.problems())
    OS << "  problem " << problemKindName(P.Kind) << " " << line(P.Loc)
       << " section#" << P.Section << "\n";
  for (const ExitFact &E : Flow.exits()) {
    OS << "  exit " << (E.S ? "return " : "end ") << line(E.Loc);
    if (!E.MayHold.empty()) {
      LockSet L;
      L.Locks.append(E.MayHold.begin(), E.MayHold.end());
      OS << " may-hold=" << locks(L);
    }
    OS << "\n";
  }
}

} // namespace

void dumpModel(ExtensionAnalysis &A, llvm::raw_ostream &OS) {
  Printer(A, OS).model();
}

void dumpFlow(ExtensionAnalysis &A, const FunctionDecl *F,
              llvm::raw_ostream &OS) {
  Printer(A, OS).flow(F);
}

} // namespace clang::tidy::freethreading
