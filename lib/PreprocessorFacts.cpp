//===--- PreprocessorFacts.cpp - what the preprocessor saw ----------------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "lib/PreprocessorFacts.h"
#include "lib/KnowledgeBase.h"
#include "clang/Lex/MacroArgs.h"
#include "clang/Lex/MacroInfo.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include <algorithm>

namespace clang::tidy::freethreading {

/// Py_BEGIN_CRITICAL_SECTION2 and its END (and their _MUTEX forms).
static bool isTwoObjectSection(llvm::StringRef MacroName) {
  return MacroName.contains("_SECTION2");
}

static bool isIdentChar(char C) { return llvm::isAlnum(C) || C == '_'; }

/// Splits `( a, f(b, c) )` text (starting at the open parenthesis) into its
/// top-level arguments. Returns false when the parentheses do not close.
static bool splitArguments(llvm::StringRef Text,
                           std::vector<std::string> &Args) {
  Text = Text.ltrim();
  if (!Text.consume_front("("))
    return false;
  int Depth = 0;
  std::string Current;
  for (char C : Text) {
    if (C == '(' || C == '[' || C == '{')
      ++Depth;
    if (C == ')' || C == ']' || C == '}') {
      if (Depth == 0) {
        if (!llvm::StringRef(Current).trim().empty() || !Args.empty())
          Args.push_back(Current);
        return true;
      }
      --Depth;
    }
    if (C == ',' && Depth == 0) {
      Args.push_back(Current);
      Current.clear();
      continue;
    }
    Current.push_back(C);
  }
  return false;
}

WrittenAt writtenAt(SourceRange Range, const SourceManager &SM) {
  WrittenAt Result;
  SourceLocation B = Range.getBegin();
  Result.Loc = SM.getFileLoc(B);
  Result.InMacroBody = B.isMacroID() && !SM.isMacroArgExpansion(B);
  if (Result.InMacroBody)
    return Result;
  SourceLocation FB = Result.Loc, FE = SM.getFileLoc(Range.getEnd());
  if (FB.isValid() && FE.isValid() && SM.isWrittenInSameFile(FB, FE) &&
      !SM.isBeforeInTranslationUnit(FE, FB))
    Result.Written = CharSourceRange::getTokenRange(FB, FE);
  return Result;
}

bool inBodyOfMacro(SourceLocation Loc, const SourceManager &SM,
                   const LangOptions &LO,
                   llvm::function_ref<bool(llvm::StringRef)> IsNamed) {
  while (Loc.isMacroID()) {
    if (!SM.isMacroArgExpansion(Loc) &&
        IsNamed(Lexer::getImmediateMacroName(Loc, SM, LO)))
      return true;
    Loc = SM.getImmediateMacroCallerLoc(Loc);
  }
  return false;
}

std::string normalizeObjectText(llvm::StringRef Text) {
  std::string S;
  for (char C : Text)
    if (!llvm::isSpace(C))
      S.push_back(C);
  // Peel wrappers until nothing changes: (x), (PyObject*)x, _PyObject_CAST(x),
  // &x is kept (a mutex is locked by address).
  for (bool Changed = true; Changed;) {
    Changed = false;
    llvm::StringRef R(S);
    for (llvm::StringRef Wrapper :
         {"_PyObject_CAST(", "_Py_CAST(PyObject*,", "(PyObject*)("}) {
      if (R.starts_with(Wrapper) && R.ends_with(")")) {
        S = R.drop_front(Wrapper.size()).drop_back().str();
        Changed = true;
        break;
      }
    }
    if (Changed)
      continue;
    if (R.starts_with("(")) {
      // Find the parenthesis closing the first one.
      int Depth = 0;
      size_t Close = llvm::StringRef::npos;
      for (size_t I = 0; I < R.size(); ++I) {
        if (R[I] == '(') {
          ++Depth;
        } else if (R[I] == ')' && --Depth == 0) {
          Close = I;
          break;
        }
      }
      if (Close == R.size() - 1) { // (x)
        S = R.drop_front().drop_back().str();
        Changed = true;
      } else if (Close != llvm::StringRef::npos &&
                 R.take_front(Close).ends_with("*")) {
        // A cast to a pointer type: (PyObject*)x, (PyListObject*)x.
        S = R.drop_front(Close + 1).str();
        Changed = true;
      }
    }
  }
  return S;
}

bool lockCovers(llvm::StringRef Locked, llvm::StringRef Container) {
  if (Locked.empty() || Container.empty())
    return false;
  if (Locked == Container)
    return true;
  if (!Container.starts_with(Locked))
    return false;
  llvm::StringRef Rest = Container.drop_front(Locked.size());
  return Rest.starts_with("->") || Rest.starts_with(".");
}

namespace {

/// What an `#if` condition says about free threading: when it holds, the
/// build has no free threading (GilOnly); when it fails, the build has none
/// (GilOnlyWhenFalse). Anything the reader does not understand says neither.
struct GilCondition {
  bool GilOnly = false;
  bool GilOnlyWhenFalse = false;
};

/// A reader of `#if` expressions over PY_VERSION_HEX and Py_GIL_DISABLED:
/// `||`, `&&`, `!`, parentheses, `defined`, and comparisons of
/// PY_VERSION_HEX with a number.
class ConditionReader {
public:
  explicit ConditionReader(llvm::StringRef Text) { tokenize(Text); }

  GilCondition read() {
    GilCondition C = orExpr();
    return Pos == Tokens.size() ? C : GilCondition();
  }

private:
  void tokenize(llvm::StringRef Text) {
    while (!Text.empty()) {
      if (Text.starts_with("/*")) {
        size_t End = Text.find("*/");
        Text = End == llvm::StringRef::npos ? "" : Text.drop_front(End + 2);
        continue;
      }
      if (Text.starts_with("//"))
        break;
      char C = Text.front();
      if (llvm::isSpace(C) || C == '\\') {
        Text = Text.drop_front();
        continue;
      }
      size_t Len = 1;
      if (isIdentChar(C)) {
        while (Len < Text.size() && isIdentChar(Text[Len]))
          ++Len;
      } else if (Text.size() > 1 &&
                 llvm::is_contained({"||", "&&", "<=", ">=", "==", "!="},
                                    Text.take_front(2))) {
        Len = 2;
      }
      Tokens.push_back(Text.take_front(Len));
      Text = Text.drop_front(Len);
    }
  }

  llvm::StringRef peek() const {
    return Pos < Tokens.size() ? Tokens[Pos] : "";
  }
  bool consume(llvm::StringRef T) {
    if (peek() != T)
      return false;
    ++Pos;
    return true;
  }

  GilCondition orExpr() {
    GilCondition C = andExpr();
    while (consume("||")) {
      GilCondition R = andExpr();
      C = {C.GilOnly && R.GilOnly, C.GilOnlyWhenFalse || R.GilOnlyWhenFalse};
    }
    return C;
  }

  GilCondition andExpr() {
    GilCondition C = unary();
    while (consume("&&")) {
      GilCondition R = unary();
      C = {C.GilOnly || R.GilOnly, C.GilOnlyWhenFalse && R.GilOnlyWhenFalse};
    }
    return C;
  }

  GilCondition unary() {
    if (consume("!")) {
      GilCondition C = unary();
      return {C.GilOnlyWhenFalse, C.GilOnly};
    }
    if (consume("(")) {
      GilCondition C = orExpr();
      if (!consume(")"))
        Pos = Tokens.size() + 1; // Unbalanced: read() gives up.
      return C;
    }
    if (consume("defined")) {
      bool Paren = consume("(");
      llvm::StringRef Name = peek();
      ++Pos;
      if (Paren && !consume(")"))
        Pos = Tokens.size() + 1;
      return macroCondition(Name);
    }
    return comparison();
  }

  static GilCondition macroCondition(llvm::StringRef Name) {
    GilCondition C;
    C.GilOnlyWhenFalse = Name == FreeThreadedMacro;
    return C;
  }

  /// `PY_VERSION_HEX < N` and its mirror images; a lone Py_GIL_DISABLED.
  GilCondition comparison() {
    llvm::StringRef Left = peek();
    ++Pos;
    llvm::StringRef Op = peek();
    if (!llvm::is_contained({"<", "<=", ">", ">="}, Op))
      return Left == FreeThreadedMacro ? macroCondition(Left) : GilCondition();
    ++Pos;
    llvm::StringRef Right = peek();
    ++Pos;
    bool Flip = Right == "PY_VERSION_HEX";
    if (Flip) {
      std::swap(Left, Right);
      Op = Op == "<" ? ">" : Op == "<=" ? ">=" : Op == ">" ? "<" : "<=";
    }
    uint64_t N;
    if (Left != "PY_VERSION_HEX" || Right.rtrim("uUlL").getAsInteger(0, N))
      return GilCondition();
    GilCondition C;
    // Versions before FirstFreeThreadedHex have no free-threaded build.
    if (Op == "<")
      C.GilOnly = N <= FirstFreeThreadedHex;
    else if (Op == "<=")
      C.GilOnly = N < FirstFreeThreadedHex;
    else if (Op == ">=")
      C.GilOnlyWhenFalse = N <= FirstFreeThreadedHex;
    else
      C.GilOnlyWhenFalse = N < FirstFreeThreadedHex;
    return C;
  }

  std::vector<llvm::StringRef> Tokens;
  size_t Pos = 0;
};

/// One `#if` chain being read: the branch open now, and whether an earlier
/// condition's failure already rules free threading out.
struct OpenChain {
  FileID File;
  unsigned BranchBegin = 0;
  bool BranchGilOnly = false;
  bool EarlierGilOnlyWhenFalse = false;
};

class FactsCallbacks : public PPCallbacks {
public:
  FactsCallbacks(PreprocessorFacts &Facts, Preprocessor &PP)
      : Facts(Facts), PP(PP), SM(PP.getSourceManager()) {}

  void MacroExpands(const Token &MacroNameTok, const MacroDefinition &,
                    SourceRange Range, const MacroArgs *Args) override {
    const IdentifierInfo *II = MacroNameTok.getIdentifierInfo();
    if (!II || !isWanted(II))
      return;
    llvm::StringRef Name = II->getName();
    if (const SkippedLockMacro *L = skippedLockMacro(Name)) {
      recordLockMacroUse(*L, Range, Args);
      return;
    }
    bool Begin = isCriticalSectionBegin(Name);
    bool End = !Begin && isCriticalSectionEnd(Name);
    bool Record =
        !Begin && !End && Facts.RecordMacro && Facts.RecordMacro(Name);
    if (!Begin && !End && !Record)
      return;
    SourceLocation Loc = SM.getExpansionLoc(Range.getBegin());
    if (Loc.isInvalid() || SM.isInSystemHeader(Loc))
      return;
    std::vector<std::string> ArgTexts = argumentTexts(Args);
    if (Begin || End) {
      std::pair<FileID, unsigned> Decomposed = SM.getDecomposedLoc(Loc);
      std::vector<std::string> Objects;
      if (Begin)
        for (const std::string &A : ArgTexts)
          Objects.push_back(normalizeObjectText(A));
      Facts.Events.push_back({Decomposed.first, Decomposed.second, Begin,
                              std::move(Objects), /*Skipped=*/false,
                              isTwoObjectSection(Name)});
      return;
    }
    // An API macro used by another macro of the headers (PySequence_Fast_*
    // expands to PyList_GET_ITEM) is not the user's: the outer one is. Nor is
    // one inside a compatibility macro that implements a strong-reference
    // API (`#define PyWeakref_GetRef(r, p) ... PyWeakref_GET_OBJECT(r) ...`).
    // Python's headers are not always system headers (-I/usr/include/...):
    // an API macro in the body of another recorded one is that one's.
    SourceLocation NameLoc = Range.getBegin();
    if (NameLoc.isMacroID() && !SM.isMacroArgExpansion(NameLoc) &&
        SM.isInSystemHeader(SM.getSpellingLoc(NameLoc)))
      return;
    if (inBodyOfMacro(NameLoc, SM, PP.getLangOpts(), [&](llvm::StringRef N) {
          return isStrongApi(N) || Facts.RecordMacro(N);
        }))
      return;
    MacroUse Use;
    Use.Name = Name.str();
    WrittenAt At = writtenAt(Range, SM);
    Use.Loc = At.Loc;
    Use.InMacroBody = At.InMacroBody;
    Use.Invocation = At.Written;
    Use.Args = std::move(ArgTexts);
    Use.Spelled = SM.getSpellingLoc(NameLoc);
    Facts.MacroUses.push_back(std::move(Use));
  }

  void MacroDefined(const Token &MacroNameTok,
                    const MacroDirective *MD) override {
    const IdentifierInfo *II = MacroNameTok.getIdentifierInfo();
    SourceLocation Loc = MacroNameTok.getLocation();
    if (!II || !isStrongApi(II->getName()) || !Loc.isFileID() ||
        SM.isInSystemHeader(Loc))
      return;
    StrongApiMacro M;
    M.File = SM.getFileID(Loc);
    if (const MacroInfo *MI = MD ? MD->getMacroInfo() : nullptr)
      for (const Token &T : MI->tokens())
        if (const IdentifierInfo *Body = T.getIdentifierInfo())
          M.BodyNames.push_back(Body->getName().str());
    Facts.StrongApiMacros.push_back(std::move(M));
  }

  void If(SourceLocation Loc, SourceRange Condition,
          ConditionValueKind) override {
    if (isRead(Loc))
      open(Loc, readCondition(Condition));
  }
  void Ifdef(SourceLocation Loc, const Token &Name,
             const MacroDefinition &) override {
    open(Loc, definedCondition(Name, /*Negated=*/false));
  }
  void Ifndef(SourceLocation Loc, const Token &Name,
              const MacroDefinition &) override {
    open(Loc, definedCondition(Name, /*Negated=*/true));
  }
  void Elif(SourceLocation Loc, SourceRange Condition, ConditionValueKind,
            SourceLocation IfLoc) override {
    if (Chains.contains(IfLoc.getRawEncoding()))
      next(Loc, IfLoc, readCondition(Condition));
  }
  void Elifdef(SourceLocation Loc, const Token &Name,
               const MacroDefinition &) override {
    // No IfLoc here: the innermost open chain of the file is this one's.
    next(Loc, innermostChain(Loc), definedCondition(Name, false));
  }
  void Elifdef(SourceLocation Loc, SourceRange, SourceLocation IfLoc) override {
    next(Loc, IfLoc, GilCondition());
  }
  void Elifndef(SourceLocation Loc, const Token &Name,
                const MacroDefinition &) override {
    next(Loc, innermostChain(Loc), definedCondition(Name, true));
  }
  void Elifndef(SourceLocation Loc, SourceRange,
                SourceLocation IfLoc) override {
    next(Loc, IfLoc, GilCondition());
  }
  void Else(SourceLocation Loc, SourceLocation IfLoc) override {
    next(Loc, IfLoc, GilCondition());
  }
  void Endif(SourceLocation Loc, SourceLocation IfLoc) override {
    auto It = Chains.find(IfLoc.getRawEncoding());
    if (It == Chains.end())
      return;
    closeBranch(It->second, Loc);
    Chains.erase(It);
  }

  void SourceRangeSkipped(SourceRange Range, SourceLocation) override {
    SourceLocation B = Range.getBegin();
    if (B.isInvalid() || B.isMacroID() || SM.isInSystemHeader(B))
      return;
    bool Invalid = false;
    llvm::StringRef Text = Lexer::getSourceText(
        CharSourceRange::getCharRange(Range), SM, PP.getLangOpts(), &Invalid);
    if (Invalid)
      return;
    std::pair<FileID, unsigned> Decomposed = SM.getDecomposedLoc(B);
    Facts.Skipped.push_back({Decomposed.first, Decomposed.second, Text});
    scanSkippedSections(Decomposed.first, Decomposed.second, Text);
    scanSkippedLockMacros(Text);
  }

private:
  /// True for a macro name some fact is recorded for, decided once per name:
  /// the callback runs for every expansion of every header.
  bool isWanted(const IdentifierInfo *II) {
    auto [It, New] = Wanted.try_emplace(II, false);
    if (New) {
      llvm::StringRef Name = II->getName();
      It->second = skippedLockMacro(Name) || isCriticalSectionBegin(Name) ||
                   isCriticalSectionEnd(Name) ||
                   (Facts.RecordMacro && Facts.RecordMacro(Name));
    }
    return It->second;
  }

  /// True for a directive whose #if chain is followed (see open).
  bool isRead(SourceLocation Loc) const {
    return Loc.isValid() && Loc.isFileID() && !SM.isInSystemHeader(Loc);
  }

  GilCondition readCondition(SourceRange Condition) {
    bool Invalid = false;
    llvm::StringRef Text =
        Lexer::getSourceText(CharSourceRange::getTokenRange(Condition), SM,
                             PP.getLangOpts(), &Invalid);
    // Only these two names can say anything (see ConditionReader).
    if (Invalid || (!Text.contains("PY_VERSION_HEX") &&
                    !Text.contains(FreeThreadedMacro)))
      return GilCondition();
    return ConditionReader(Text).read();
  }

  static GilCondition definedCondition(const Token &Name, bool Negated) {
    const IdentifierInfo *II = Name.getIdentifierInfo();
    GilCondition C;
    if (II && II->getName() == FreeThreadedMacro)
      (Negated ? C.GilOnly : C.GilOnlyWhenFalse) = true;
    return C;
  }

  void open(SourceLocation Loc, GilCondition C) {
    if (!isRead(Loc))
      return;
    std::pair<FileID, unsigned> D = SM.getDecomposedLoc(Loc);
    Chains[Loc.getRawEncoding()] = {D.first, D.second, C.GilOnly,
                                    C.GilOnlyWhenFalse};
  }

  void next(SourceLocation Loc, SourceLocation IfLoc, GilCondition C) {
    auto It = Chains.find(IfLoc.getRawEncoding());
    if (It == Chains.end())
      return;
    OpenChain &Chain = It->second;
    closeBranch(Chain, Loc);
    Chain.BranchBegin = SM.getFileOffset(Loc);
    Chain.BranchGilOnly = C.GilOnly || Chain.EarlierGilOnlyWhenFalse;
    Chain.EarlierGilOnlyWhenFalse |= C.GilOnlyWhenFalse;
  }

  void closeBranch(const OpenChain &Chain, SourceLocation Loc) {
    if (Chain.BranchGilOnly && Loc.isFileID())
      Facts.GilOnlyBranches.push_back(
          {Chain.File, Chain.BranchBegin, SM.getFileOffset(Loc)});
  }

  /// The #if of the innermost chain open before \p Loc in its file.
  SourceLocation innermostChain(SourceLocation Loc) {
    FileID File = SM.getFileID(Loc);
    SourceLocation Best;
    unsigned BestOffset = 0;
    for (const auto &[Raw, Chain] : Chains) {
      if (Chain.File != File)
        continue;
      SourceLocation IfLoc = SourceLocation::getFromRawEncoding(Raw);
      unsigned Offset = SM.getFileOffset(IfLoc);
      if (Offset <= SM.getFileOffset(Loc) &&
          (Best.isInvalid() || Offset > BestOffset)) {
        Best = IfLoc;
        BestOffset = Offset;
      }
    }
    return Best;
  }

  std::vector<std::string> argumentTexts(const MacroArgs *Args) {
    std::vector<std::string> Result;
    if (!Args)
      return Result;
    for (unsigned I = 0, N = Args->getNumMacroArguments(); I < N; ++I) {
      std::string Text;
      for (const Token *T = Args->getUnexpArgument(I); T && T->isNot(tok::eof);
           ++T) {
        if (!Text.empty() && T->hasLeadingSpace())
          Text.push_back(' ');
        Text += PP.getSpelling(*T);
      }
      Result.push_back(std::move(Text));
    }
    return Result;
  }

  /// Finds BEGIN/END critical-section macros written in skipped source, so
  /// `#ifdef Py_GIL_DISABLED`-guarded sections count with any headers.
  void scanSkippedSections(FileID File, unsigned Base, llvm::StringRef Text) {
    for (size_t Pos = Text.find("Py_"); Pos != llvm::StringRef::npos;
         Pos = Text.find("Py_", Pos + 1)) {
      if (Pos > 0 && isIdentChar(Text[Pos - 1]))
        continue;
      size_t EndName = Pos;
      while (EndName < Text.size() && isIdentChar(Text[EndName]))
        ++EndName;
      llvm::StringRef Name = Text.slice(Pos, EndName);
      bool Begin = isCriticalSectionBegin(Name);
      if (!Begin && !isCriticalSectionEnd(Name))
        continue;
      std::vector<std::string> Args, Objects;
      if (!splitArguments(Text.drop_front(EndName), Args))
        continue;
      if (Begin)
        for (const std::string &A : Args)
          Objects.push_back(normalizeObjectText(A));
      Facts.Events.push_back({File, static_cast<unsigned>(Base + Pos), Begin,
                              std::move(Objects), /*Skipped=*/true,
                              isTwoObjectSection(Name)});
    }
  }

  /// Finds `#define NAME(params) ... LOCK_CALL(args) ...` in skipped source,
  /// where LOCK_CALL takes or releases a lock (LockApis.def) or opens or
  /// closes a critical section.
  void scanSkippedLockMacros(llvm::StringRef Text) {
    for (size_t Pos = Text.find("define"); Pos != llvm::StringRef::npos;
         Pos = Text.find("define", Pos + 1)) {
      llvm::StringRef Before = Text.take_front(Pos).rtrim(" \t");
      if (!Before.ends_with("#"))
        continue;
      // The directive, with its continuation lines.
      size_t End = Pos;
      while ((End = Text.find('\n', End)) != llvm::StringRef::npos &&
             End > 0 && Text[End - 1] == '\\')
        ++End;
      llvm::StringRef Line = Text.slice(Pos + 6, End).ltrim(" \t");
      size_t NameEnd = 0;
      while (NameEnd < Line.size() && isIdentChar(Line[NameEnd]))
        ++NameEnd;
      SkippedLockMacro M;
      M.Name = Line.take_front(NameEnd).str();
      if (M.Name.empty() || NameEnd >= Line.size() || Line[NameEnd] != '(' ||
          !splitArguments(Line.drop_front(NameEnd), M.Params))
        continue;
      for (std::string &P : M.Params)
        P = llvm::StringRef(P).trim().str();
      llvm::StringRef Body = Line.drop_front(Line.find(')', NameEnd) + 1);
      if (findLockCallIn(Body, M)) {
        Wanted[PP.getIdentifierInfo(M.Name)] = true;
        std::string Name = M.Name;
        Facts.SkippedLockMacros.try_emplace(Name, std::move(M));
      }
    }
  }

  /// The first lock call or section macro in \p Body, into \p M.
  static bool findLockCallIn(llvm::StringRef Body, SkippedLockMacro &M) {
    for (size_t I = 0; I < Body.size(); ++I) {
      if (!isIdentChar(Body[I]) || (I > 0 && isIdentChar(Body[I - 1])))
        continue;
      size_t E = I;
      while (E < Body.size() && isIdentChar(Body[E]))
        ++E;
      llvm::StringRef Name = Body.slice(I, E);
      if ((isLockCallName(Name) || isCriticalSectionBegin(Name) ||
           isCriticalSectionEnd(Name)) &&
          splitArguments(Body.drop_front(E), M.Args)) {
        M.Call = Name.str();
        return true;
      }
      I = E;
    }
    return false;
  }

  const SkippedLockMacro *skippedLockMacro(llvm::StringRef Name) const {
    auto It = Facts.SkippedLockMacros.find(Name);
    return It == Facts.SkippedLockMacros.end() ? nullptr : &It->second;
  }

  /// A use of \p M: the lock call it makes in the skipped build, with the
  /// use's arguments put in for the macro's parameters.
  void recordLockMacroUse(const SkippedLockMacro &M, SourceRange Range,
                          const MacroArgs *Args) {
    SourceLocation Loc = SM.getExpansionLoc(Range.getBegin());
    if (Loc.isInvalid() || SM.isInSystemHeader(Loc))
      return;
    std::vector<std::string> Actual = argumentTexts(Args);
    std::vector<std::string> CallArgs;
    for (const std::string &A : M.Args)
      CallArgs.push_back(substituteParams(A, M.Params, Actual));
    std::pair<FileID, unsigned> At = SM.getDecomposedLoc(Loc);
    if (isCriticalSectionBegin(M.Call) || isCriticalSectionEnd(M.Call)) {
      bool Begin = isCriticalSectionBegin(M.Call);
      std::vector<std::string> Objects;
      if (Begin)
        for (const std::string &A : CallArgs)
          Objects.push_back(normalizeObjectText(A));
      Facts.Events.push_back({At.first, At.second, Begin, std::move(Objects),
                              /*Skipped=*/true, isTwoObjectSection(M.Call)});
      return;
    }
    Facts.LockMacroUses.push_back(
        {At.first, At.second, M.Call, std::move(CallArgs)});
  }

  static std::string substituteParams(llvm::StringRef Text,
                                      llvm::ArrayRef<std::string> Params,
                                      llvm::ArrayRef<std::string> Actual) {
    std::string Out;
    for (size_t I = 0; I < Text.size();) {
      if (!isIdentChar(Text[I])) {
        Out.push_back(Text[I++]);
        continue;
      }
      size_t E = I;
      while (E < Text.size() && isIdentChar(Text[E]))
        ++E;
      llvm::StringRef Word = Text.slice(I, E);
      auto P = llvm::find(Params, Word);
      if (P == Params.end() || size_t(P - Params.begin()) >= Actual.size()) {
        Out += Word.str();
      } else {
        // Parenthesised unless it is a name or a member chain already.
        llvm::StringRef A = llvm::StringRef(Actual[P - Params.begin()]).trim();
        bool Plain = llvm::all_of(A, [](char C) {
          return isIdentChar(C) || C == '.' || C == '-' || C == '>';
        });
        Out += Plain ? A.str() : "(" + A.str() + ")";
      }
      I = E;
    }
    return Out;
  }

  PreprocessorFacts &Facts;
  Preprocessor &PP;
  const SourceManager &SM;
  /// The #if chains open now, by the raw location of their #if.
  llvm::DenseMap<SourceLocation::UIntTy, OpenChain> Chains;
  /// isWanted's answers, by macro name.
  llvm::DenseMap<const IdentifierInfo *, bool> Wanted;
};

} // namespace

void PreprocessorFacts::attach(const SourceManager &SourceMgr,
                               Preprocessor &PP) {
  SM = &SourceMgr;
  PP.addPPCallbacks(std::make_unique<FactsCallbacks>(*this, PP));
}

const std::vector<CriticalSection> &PreprocessorFacts::criticalSections() {
  if (Paired)
    return Sections;
  Paired = true;
  std::vector<SectionEvent> Sorted = Events;
  std::stable_sort(Sorted.begin(), Sorted.end(),
                   [](const SectionEvent &A, const SectionEvent &B) {
                     if (A.File != B.File)
                       return A.File < B.File;
                     return A.Offset < B.Offset;
                   });
  std::vector<const SectionEvent *> Open;
  FileID Current;
  for (const SectionEvent &E : Sorted) {
    if (E.File != Current) {
      Open.clear();
      Current = E.File;
    }
    if (E.IsBegin) {
      Open.push_back(&E);
      continue;
    }
    if (Open.empty())
      continue;
    const SectionEvent *B = Open.back();
    Open.pop_back();
    Sections.push_back(
        {E.File, B->Offset, E.Offset, B->Objects, B->Skipped && E.Skipped});
  }
  return Sections;
}

const CriticalSection *
PreprocessorFacts::sectionCovering(SourceLocation Loc,
                                   llvm::StringRef Container) {
  if (!SM || Loc.isInvalid())
    return nullptr;
  std::pair<FileID, unsigned> D = SM->getDecomposedLoc(SM->getFileLoc(Loc));
  const CriticalSection *Best = nullptr;
  for (const CriticalSection &S : criticalSections()) {
    if (S.File != D.first || S.Begin > D.second || S.End < D.second)
      continue;
    if (!Container.empty() &&
        llvm::none_of(S.Objects, [&](const std::string &Locked) {
          return lockCovers(Locked, Container);
        }))
      continue;
    if (!Best || S.Begin > Best->Begin)
      Best = &S;
  }
  return Best;
}

bool PreprocessorFacts::isGilOnly(SourceLocation Loc) const {
  if (!SM || Loc.isInvalid() || !Loc.isFileID())
    return false;
  std::pair<FileID, unsigned> D = SM->getDecomposedLoc(Loc);
  return llvm::any_of(GilOnlyBranches, [&](const GilOnlyBranch &B) {
    return B.File == D.first && B.Begin <= D.second && D.second <= B.End;
  });
}

} // namespace clang::tidy::freethreading
