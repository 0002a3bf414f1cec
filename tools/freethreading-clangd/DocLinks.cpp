//===--- DocLinks.cpp - link diagnostics to this project's check pages ---===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//

#include "tools/freethreading-clangd/DocLinks.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Path.h"
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

namespace freethreading {

namespace {

/// The prefix of the href clangd makes for a check of the `freethreading`
/// module; the check's name follows, without the module, then ".html".
/// See getDiagnosticDocURI in clang-tools-extra/clangd/Diagnostics.cpp.
constexpr llvm::StringLiteral ClangdCheckPrefix =
    "https://clang.llvm.org/extra/clang-tidy/checks/freethreading/";
constexpr llvm::StringLiteral ClangdCheckSuffix = ".html";
constexpr llvm::StringLiteral CheckPrefix = "freethreading-";
constexpr llvm::StringLiteral LengthHeader = "Content-Length:";

/// A file:// URI for the absolute path \p Path, percent-encoding what RFC
/// 3986 does not allow in a path.
std::string fileUri(llvm::StringRef Path) {
  std::string Uri = "file://";
  for (char C : Path) {
    if (llvm::isAlnum(C) || llvm::StringRef("/-._~").contains(C)) {
      Uri += C;
      continue;
    }
    Uri += '%';
    Uri += llvm::hexdigit((static_cast<unsigned char>(C) >> 4) & 0xF);
    Uri += llvm::hexdigit(static_cast<unsigned char>(C) & 0xF);
  }
  return Uri;
}

/// The file:// URI of \p Dir when it holds our check pages.
std::string docsDirUri(llvm::StringRef Dir) {
  llvm::SmallString<256> Index(Dir);
  llvm::sys::path::append(Index, "index.md");
  if (!llvm::sys::fs::exists(Index))
    return "";
  llvm::SmallString<256> Real;
  if (llvm::sys::fs::real_path(Dir, Real))
    return "";
  return fileUri(Real);
}

/// The page for the check clangd linked to with \p Href, or nullopt when
/// \p Href is not a link clangd made for one of our checks.
std::optional<std::string> checkOfHref(llvm::StringRef Href) {
  if (!Href.consume_front(ClangdCheckPrefix) ||
      !Href.consume_back(ClangdCheckSuffix) || Href.empty() ||
      Href.contains('/'))
    return std::nullopt;
  return (CheckPrefix + Href).str();
}

/// Rewrites the links in \p V and everything below it.
bool rewriteValue(llvm::json::Value &V, llvm::StringRef BaseUrl) {
  bool Changed = false;
  if (llvm::json::Array *Items = V.getAsArray()) {
    for (llvm::json::Value &Item : *Items)
      Changed |= rewriteValue(Item, BaseUrl);
    return Changed;
  }
  llvm::json::Object *Fields = V.getAsObject();
  if (!Fields)
    return false;
  if (llvm::json::Object *Description = Fields->getObject("codeDescription"))
    if (std::optional<llvm::StringRef> Href = Description->getString("href"))
      if (std::optional<std::string> Check = checkOfHref(*Href)) {
        if (BaseUrl.empty())
          Fields->erase("codeDescription");
        else
          (*Description)["href"] = (BaseUrl + "/" + *Check + ".md").str();
        Changed = true;
      }
  for (auto &Field : *Fields)
    Changed |= rewriteValue(Field.second, BaseUrl);
  return Changed;
}

/// Writes all of \p Bytes to \p FD; false when the reader has gone.
bool writeAll(int FD, llvm::StringRef Bytes) {
  while (!Bytes.empty()) {
    ssize_t Written = ::write(FD, Bytes.data(), Bytes.size());
    if (Written < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    Bytes = Bytes.drop_front(Written);
  }
  return true;
}

/// The clangd child, for the signal handler that passes signals on.
volatile std::sig_atomic_t ServerPid = 0;

extern "C" void passSignalOn(int Signal) {
  if (ServerPid > 0)
    ::kill(ServerPid, Signal);
}

/// Copies the child's output from \p FD to standard output through the
/// rewriter; stops early if standard output is closed.
void relayOutput(int FD, const std::string &BaseUrl) {
  std::string Rewritten;
  llvm::raw_string_ostream Out(Rewritten);
  LspLinkRewriter Rewriter(BaseUrl, Out);
  char Buffer[1 << 16];
  bool ReaderGone = false;
  while (!ReaderGone) {
    ssize_t Read = ::read(FD, Buffer, sizeof(Buffer));
    if (Read < 0 && errno == EINTR)
      continue;
    if (Read <= 0)
      Rewriter.finish();
    else
      Rewriter.feed(llvm::StringRef(Buffer, Read));
    ReaderGone = !writeAll(STDOUT_FILENO, Rewritten);
    Rewritten.clear();
    if (Read <= 0)
      break;
  }
  ::close(FD);
}

/// The exit status of the child \p Pid, as a shell reports it.
int waitForServer(pid_t Pid) {
  int Status = 0;
  while (::waitpid(Pid, &Status, 0) < 0)
    if (errno != EINTR)
      return EXIT_FAILURE;
  if (WIFEXITED(Status))
    return WEXITSTATUS(Status);
  if (WIFSIGNALED(Status))
    return 128 + WTERMSIG(Status);
  return EXIT_FAILURE;
}

} // namespace

std::string docsBaseUrl(const char *Argv0) {
  if (const char *FromEnv = std::getenv("FREETHREADING_DOCS_BASE_URL"))
    return llvm::StringRef(FromEnv).rtrim('/').str();
  if (llvm::StringRef Configured = FREETHREADING_DOCS_BASE_URL;
      !Configured.empty())
    return Configured.rtrim('/').str();
  std::string Exe = llvm::sys::fs::getMainExecutable(
      Argv0, reinterpret_cast<void *>(&docsBaseUrl));
  llvm::SmallString<256> Installed(
      llvm::sys::path::parent_path(llvm::sys::path::parent_path(Exe)));
  llvm::sys::path::append(Installed, "share", "doc", "freethreading-tidy");
  llvm::sys::path::append(Installed, "docs", "checks");
  std::string Uri = docsDirUri(Installed);
  if (Uri.empty())
    Uri = docsDirUri(FREETHREADING_SOURCE_DOCS_DIR);
  return Uri;
}

bool rewriteDocLinks(std::string &Body, llvm::StringRef BaseUrl) {
  // Most messages (completions, hovers) link to no check: skip the parse.
  if (!llvm::StringRef(Body).contains(ClangdCheckPrefix))
    return false;
  llvm::Expected<llvm::json::Value> Message = llvm::json::parse(Body);
  if (!Message) {
    llvm::consumeError(Message.takeError());
    return false;
  }
  if (!rewriteValue(*Message, BaseUrl))
    return false;
  Body.clear();
  llvm::raw_string_ostream(Body) << *Message;
  return true;
}

void LspLinkRewriter::feed(llvm::StringRef Bytes) {
  Pending.append(Bytes.begin(), Bytes.end());
  while (!Pending.empty() && step()) {
  }
}

void LspLinkRewriter::finish() {
  Out << Pending;
  Pending.clear();
  Out.flush();
}

bool LspLinkRewriter::step() {
  llvm::StringRef Text(Pending);
  size_t Compared = std::min(Text.size(), LengthHeader.size());
  if (!Text.take_front(Compared).equals_insensitive(
          LengthHeader.take_front(Compared))) {
    // Not a message: pass on a line (or what there is of it).
    size_t End = Text.find('\n');
    size_t Taken = End == llvm::StringRef::npos ? Text.size() : End + 1;
    Out << Text.take_front(Taken);
    Pending.erase(0, Taken);
    return true;
  }
  size_t HeaderEnd = Text.find("\r\n\r\n");
  if (HeaderEnd == llvm::StringRef::npos)
    return false;
  size_t BodyStart = HeaderEnd + 4;
  llvm::StringRef Headers = Text.take_front(HeaderEnd);
  size_t Length = 0;
  llvm::SmallVector<llvm::StringRef> Lines;
  Headers.split(Lines, "\r\n");
  for (llvm::StringRef Line : Lines) {
    auto [Name, Value] = Line.split(':');
    if (Name.trim().equals_insensitive(LengthHeader.drop_back()) &&
        Value.trim().getAsInteger(10, Length)) {
      // A broken header: pass it on as it is.
      Out << Text.take_front(BodyStart);
      Pending.erase(0, BodyStart);
      return true;
    }
  }
  if (Text.size() < BodyStart + Length)
    return false;
  std::string Body = Text.substr(BodyStart, Length).str();
  if (!rewriteDocLinks(Body, BaseUrl)) {
    Out << Text.take_front(BodyStart + Length);
  } else {
    for (llvm::StringRef Line : Lines)
      if (!Line.split(':').first.trim().equals_insensitive(
              LengthHeader.drop_back()))
        Out << Line << "\r\n";
    Out << LengthHeader << ' ' << Body.size() << "\r\n\r\n" << Body;
  }
  Pending.erase(0, BodyStart + Length);
  return true;
}

int runWithDocLinks(llvm::function_ref<int()> Server, std::string BaseUrl) {
  int Pipe[2];
  if (::pipe(Pipe) != 0)
    return Server();
  std::fflush(stdout);
  pid_t Parent = ::getpid();
  pid_t Child = ::fork();
  if (Child < 0) {
    ::close(Pipe[0]);
    ::close(Pipe[1]);
    return Server();
  }
  if (Child == 0) {
#ifdef __linux__
    // If freethreading-clangd is killed, clangd goes too.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != Parent)
      std::_Exit(EXIT_FAILURE);
#else
    (void)Parent;
#endif
    ::dup2(Pipe[1], STDOUT_FILENO);
    ::close(Pipe[0]);
    ::close(Pipe[1]);
    return Server();
  }
  ::close(Pipe[1]);
  ServerPid = Child;
  for (int Signal : {SIGTERM, SIGINT, SIGHUP})
    std::signal(Signal, passSignalOn);
  std::signal(SIGPIPE, SIG_IGN);
  relayOutput(Pipe[0], BaseUrl);
  return waitForServer(Child);
}

} // namespace freethreading
