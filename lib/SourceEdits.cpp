//===--- SourceEdits.cpp - what fix-its need to know of the text ----------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "lib/SourceEdits.h"
#include "clang/AST/ASTContext.h"
#include "clang/Lex/Lexer.h"

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
  while (!Text.empty()) {
    auto [Line, Rest] = Text.split('\n');
    Text = Rest;
    Line = Line.ltrim();
    if (!Line.consume_front("#"))
      continue;
    Line = Line.ltrim();
    if (Line.consume_front("include") && Line.ltrim().starts_with(Header))
      return true;
  }
  return false;
}

} // namespace clang::tidy::freethreading
