//===--- SourceEdits.cpp - what fix-its need to know of the text ----------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "lib/SourceEdits.h"
#include "clang/AST/ASTContext.h"
#include "clang/Lex/HeaderSearch.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/Support/Path.h"

namespace clang::tidy::freethreading {

std::string FreshNames::next(llvm::StringRef Base, unsigned &From) const {
  for (;; ++From) {
    std::string Name = Base.str();
    if (From)
      Name += std::to_string(From);
    if (Ctx.Idents.find(Name) == Ctx.Idents.end() && !Claimed.contains(Name))
      return Name;
  }
}

std::string FreshNames::claim(llvm::StringRef Base) {
  // Each base resumes where it stopped: a file with many fixes does not
  // search from the start every time.
  unsigned &From = NextSuffix[Base];
  std::string Name = next(Base, From);
  Claimed.insert(Name);
  ++From;
  return Name;
}

std::string FreshNames::inWrapper(llvm::StringRef Base,
                                  const FunctionDecl *F) const {
  for (unsigned From = 0;; ++From) {
    std::string Name = Base.str();
    if (From)
      Name += std::to_string(From);
    auto It = Ctx.Idents.find(Name);
    if (It == Ctx.Idents.end())
      return Name;
    IdentifierInfo *II = It->getValue();
    if (II->hadMacroDefinition() ||
        !Ctx.getTranslationUnitDecl()->lookup(II).empty() ||
        llvm::any_of(F->parameters(), [&](const ParmVarDecl *P) {
          return P->getIdentifier() == II;
        }))
      continue;
    return Name;
  }
}

std::string FreshNames::local(llvm::StringRef Base) const {
  unsigned From = 0;
  for (;; ++From) {
    std::string Name = Base.str();
    if (From)
      Name += std::to_string(From);
    if (Ctx.Idents.find(Name) == Ctx.Idents.end())
      return Name;
  }
}

std::string writtenText(const Expr *E, const SourceManager &SM,
                        const LangOptions &LO) {
  CharSourceRange R = Lexer::makeFileCharRange(
      CharSourceRange::getTokenRange(E->getSourceRange()), SM, LO);
  if (R.isInvalid())
    return "";
  return Lexer::getSourceText(R, SM, LO).str();
}

unsigned fileOffset(const SourceManager &SM, SourceLocation Loc) {
  return SM.getFileOffset(SM.getExpansionLoc(Loc));
}

bool usesCrlf(const SourceManager &SM, FileID File) {
  bool Invalid = false;
  llvm::StringRef Buf = SM.getBufferData(File, &Invalid);
  size_t NL = Invalid ? llvm::StringRef::npos : Buf.find('\n');
  return NL != llvm::StringRef::npos && NL > 0 && Buf[NL - 1] == '\r';
}

FixItHint inFileLineEndings(FixItHint Hint, const SourceManager &SM) {
  llvm::StringRef Text = Hint.CodeToInsert;
  if (!Text.contains('\n') || Hint.RemoveRange.isInvalid() ||
      !usesCrlf(SM,
                SM.getFileID(SM.getExpansionLoc(Hint.RemoveRange.getBegin()))))
    return Hint;
  std::string Out;
  for (size_t I = 0; I < Text.size(); ++I) {
    if (Text[I] == '\n' && (I == 0 || Text[I - 1] != '\r'))
      Out += '\r';
    Out += Text[I];
  }
  Hint.CodeToInsert = std::move(Out);
  return Hint;
}

std::optional<FixItHint> inFileLineEndings(std::optional<FixItHint> Hint,
                                           const SourceManager &SM) {
  if (Hint)
    return inFileLineEndings(std::move(*Hint), SM);
  return Hint;
}

bool includesHeader(const SourceManager &SM, FileID File,
                    llvm::StringRef Header) {
  llvm::StringRef Text = SM.getBufferData(File);
  // Directives are the rare lines with a '#': find those, not every line.
  for (size_t Hash = Text.find('#'); Hash != llvm::StringRef::npos;
       Hash = Text.find('#', Hash + 1)) {
    size_t LineStart = Text.rfind('\n', Hash) + 1; // npos + 1 is 0.
    if (!Text.slice(LineStart, Hash).trim().empty())
      continue;
    llvm::StringRef Line = Text.substr(Hash + 1);
    Line = Line.take_until([](char C) { return C == '\n'; }).ltrim();
    if (Line.consume_front("include") && Line.ltrim().starts_with(Header))
      return true;
  }
  return false;
}

llvm::StringRef lineIndentation(const SourceManager &SM, SourceLocation Loc) {
  std::pair<FileID, unsigned> D = SM.getDecomposedLoc(Loc);
  llvm::StringRef Buf = SM.getBufferData(D.first);
  size_t Start = Buf.take_front(D.second).rfind('\n');
  Start = Start == llvm::StringRef::npos ? 0 : Start + 1;
  size_t End = Buf.find_first_not_of(" \t", Start);
  return Buf.slice(Start, End == llvm::StringRef::npos ? Buf.size() : End);
}

llvm::StringRef commentBefore(const SourceManager &SM, SourceLocation Loc) {
  Loc = SM.getExpansionLoc(Loc);
  bool Invalid = false;
  llvm::StringRef Text = SM.getBufferData(SM.getFileID(Loc), &Invalid);
  if (Invalid)
    return "";
  llvm::StringRef Before = Text.take_front(SM.getFileOffset(Loc));
  size_t End = Before.rtrim().size();
  llvm::StringRef Lead = Before.take_front(End);
  if (Lead.ends_with("*/")) {
    size_t Open = Lead.rfind("/*");
    return Open == llvm::StringRef::npos ? "" : Lead.drop_front(Open);
  }
  // A run of `//` lines, each alone on its line.
  size_t Start = End, Cursor = End;
  for (;;) {
    size_t Newline = Lead.take_front(Cursor).rfind('\n');
    size_t LineStart = Newline == llvm::StringRef::npos ? 0 : Newline + 1;
    if (!Lead.slice(LineStart, Cursor).trim().starts_with("//"))
      break;
    Start = LineStart;
    if (LineStart == 0)
      break;
    Cursor = LineStart - 1;
  }
  return Before.slice(Start, End);
}

std::string includableHeaderProblem(llvm::StringRef Header,
                                    Preprocessor &PP) {
  llvm::StringRef Name = Header;
  bool Angled = Name.starts_with("<") && Name.ends_with(">");
  if (Angled)
    Name = Name.drop_front().drop_back();
  if (Name.trim().empty() ||
      Name.find_first_of("\"'<>") != llvm::StringRef::npos)
    return "is not a header name (write 'name.h' or '<name.h>', without "
           "quotes)";
  if (llvm::sys::path::is_separator(Name.back()))
    return "names a directory, not a header";
  const SourceManager &SM = PP.getSourceManager();
  OptionalFileEntryRef Main = SM.getFileEntryRefForID(SM.getMainFileID());
  llvm::SmallVector<std::pair<OptionalFileEntryRef, DirectoryEntryRef>, 1>
      Includers;
  if (Main)
    Includers.push_back({Main, Main->getDir()});
  ConstSearchDirIterator CurDir = nullptr;
  if (!PP.getHeaderSearchInfo().LookupFile(
          Name, SourceLocation(), Angled, nullptr, &CurDir,
          Angled ? llvm::ArrayRef<std::pair<OptionalFileEntryRef,
                                            DirectoryEntryRef>>()
                 : llvm::ArrayRef(Includers),
          nullptr, nullptr, nullptr, nullptr, nullptr, nullptr))
    return "is not found on the include path (or names a directory)";
  return "";
}

std::string unusableCompatHeader(llvm::StringRef Check, llvm::StringRef Header,
                                 Preprocessor &PP) {
  std::string Problem = includableHeaderProblem(Header, PP);
  if (Problem.empty())
    return "";
  return ("option 'CompatHeader' of check '" + Check + "': '" + Header +
          "' " + Problem + "; no fix-it that needs it is offered")
      .str();
}

std::string conflictingCompatHeader(llvm::StringRef Header,
                                    Preprocessor &PP) {
  static constexpr llvm::StringLiteral Vendored = "pythoncapi_compat.h";
  if (llvm::sys::path::filename(Header.trim("<>\"")) == Vendored)
    return "";
  const SourceManager &SM = PP.getSourceManager();
  for (auto It = SM.fileinfo_begin(); It != SM.fileinfo_end(); ++It)
    if (llvm::sys::path::filename(It->first.getName()) == Vendored)
      return Vendored.str();
  return "";
}

} // namespace clang::tidy::freethreading
