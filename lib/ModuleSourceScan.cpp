//===--- ModuleSourceScan.cpp - a file's code, skipped branches included --===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "lib/ModuleSourceScan.h"
#include "lib/ModuleFacts.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSwitch.h"

namespace clang::tidy::freethreading {

namespace {
enum class DirectiveKind { Open, Next, Close, Other };
} // namespace

static DirectiveKind classify(llvm::StringRef Name) {
  return llvm::StringSwitch<DirectiveKind>(Name)
      .Cases({"if", "ifdef", "ifndef"}, DirectiveKind::Open)
      .Cases({"elif", "elifdef", "elifndef", "else"}, DirectiveKind::Next)
      .Case("endif", DirectiveKind::Close)
      .Default(DirectiveKind::Other);
}

RawFileScan::RawFileScan(const SourceManager &SM, FileID File,
                         const LangOptions &LO,
                         llvm::ArrayRef<SkippedRange> Skipped) {
  std::optional<llvm::MemoryBufferRef> Ref = SM.getBufferOrNone(File);
  if (!Ref)
    return;
  Buffer = Ref->getBuffer();
  for (const SkippedRange &R : Skipped)
    if (R.File == File)
      SkippedRanges.emplace_back(R.Begin, R.Begin + R.Text.size());

  Lexer Raw(File, *Ref, SM, LO);
  Raw.SetCommentRetentionState(false);
  // Open conditional groups: index of the current arm in Arms, and the
  // conditions of the group so far.
  std::vector<std::pair<size_t, std::string>> Open;
  Token Tok;
  Raw.LexFromRawLexer(Tok);
  while (Tok.isNot(tok::eof)) {
    unsigned Offset = SM.getFileOffset(Tok.getLocation());
    if (!(Tok.is(tok::hash) && Tok.isAtStartOfLine())) {
      llvm::StringRef Text = Buffer.substr(Offset, Tok.getLength());
      Tokens.push_back({Offset, Text, Tok.is(tok::raw_identifier)});
      Raw.LexFromRawLexer(Tok);
      continue;
    }
    // A directive: its name, then the rest of the line as its condition.
    unsigned DirectiveBegin = Offset;
    Raw.LexFromRawLexer(Tok);
    llvm::StringRef Name;
    if (!Tok.isAtStartOfLine() && Tok.is(tok::raw_identifier)) {
      Name = Tok.getRawIdentifier();
      Raw.LexFromRawLexer(Tok);
    }
    std::string Condition(Name);
    while (Tok.isNot(tok::eof) && !Tok.isAtStartOfLine()) {
      unsigned O = SM.getFileOffset(Tok.getLocation());
      Condition += ' ';
      Condition += Buffer.substr(O, Tok.getLength());
      Raw.LexFromRawLexer(Tok);
    }
    unsigned BodyBegin = startOfNextLine(DirectiveBegin).value_or(
        static_cast<unsigned>(Buffer.size()));
    switch (classify(Name)) {
    case DirectiveKind::Open:
      Arms.push_back({BodyBegin, static_cast<unsigned>(Buffer.size()),
                      Condition});
      Open.emplace_back(Arms.size() - 1, Condition);
      break;
    case DirectiveKind::Next:
      if (Open.empty())
        break;
      Arms[Open.back().first].End = DirectiveBegin;
      Open.back().second += " " + Condition;
      Arms.push_back({BodyBegin, static_cast<unsigned>(Buffer.size()),
                      Open.back().second});
      Open.back().first = Arms.size() - 1;
      break;
    case DirectiveKind::Close:
      if (Open.empty())
        break;
      Arms[Open.back().first].End = DirectiveBegin;
      Open.pop_back();
      break;
    case DirectiveKind::Other:
      break;
    }
  }
}

RawFileScan::RawFileScan(const SourceManager &SM, FileID File,
                         const LangOptions &LO, unsigned Begin, unsigned End) {
  std::optional<llvm::MemoryBufferRef> Ref = SM.getBufferOrNone(File);
  if (!Ref || Begin > End || End > Ref->getBufferSize())
    return;
  Buffer = Ref->getBuffer();
  Lexer Raw(SM.getLocForStartOfFile(File), LO, Buffer.begin(),
            Buffer.begin() + Begin, Buffer.end());
  Raw.SetCommentRetentionState(false);
  Token Tok;
  Raw.LexFromRawLexer(Tok);
  while (Tok.isNot(tok::eof)) {
    unsigned Offset = SM.getFileOffset(Tok.getLocation());
    if (Offset >= End)
      break;
    if (Tok.is(tok::hash) && Tok.isAtStartOfLine()) {
      // A directive line in the range: not code.
      do
        Raw.LexFromRawLexer(Tok);
      while (Tok.isNot(tok::eof) && !Tok.isAtStartOfLine());
      continue;
    }
    Tokens.push_back({Offset, Buffer.substr(Offset, Tok.getLength()),
                      Tok.is(tok::raw_identifier)});
    Raw.LexFromRawLexer(Tok);
  }
}

bool RawFileScan::overlapsSkipped(llvm::ArrayRef<SkippedRange> Skipped,
                                  FileID File, unsigned Begin, unsigned End) {
  return llvm::any_of(Skipped, [&](const SkippedRange &R) {
    return R.File == File && R.Begin < End && Begin < R.Begin + R.Text.size();
  });
}

size_t RawFileScan::firstTokenAt(unsigned Offset) const {
  return llvm::partition_point(Tokens, [&](const RawToken &T) {
           return T.Offset < Offset;
         }) -
         Tokens.begin();
}

bool RawFileScan::isSkipped(unsigned Offset) const {
  return llvm::any_of(SkippedRanges, [&](const auto &R) {
    return R.first <= Offset && Offset < R.second;
  });
}

bool RawFileScan::isLiveOrGuarded(unsigned Offset) const {
  if (!isSkipped(Offset))
    return true;
  for (const Arm &A : Arms) {
    if (Offset < A.BodyBegin || Offset >= A.End || !isSkipped(A.BodyBegin))
      continue;
    if (!isDeclarationGuard(A.Conditions))
      return false;
  }
  return true;
}

std::optional<unsigned> RawFileScan::startOfNextLine(unsigned Offset) const {
  size_t NL = Buffer.find('\n', Offset);
  if (NL == llvm::StringRef::npos)
    return std::nullopt;
  return static_cast<unsigned>(NL + 1);
}

unsigned RawFileScan::startOfLine(unsigned Offset) const {
  // rfind looks at the characters before Offset.
  size_t NL = Buffer.rfind('\n', Offset);
  return NL == llvm::StringRef::npos ? 0 : NL + 1;
}

llvm::StringRef RawFileScan::indentation(unsigned Offset) const {
  unsigned Begin = startOfLine(Offset);
  llvm::StringRef Line = Buffer.substr(Begin);
  return Line.take_while([](char C) { return C == ' ' || C == '\t'; });
}

bool RawFileScan::startsLine(unsigned Offset) const {
  return Buffer.slice(startOfLine(Offset), Offset).trim(" \t").empty();
}

} // namespace clang::tidy::freethreading
