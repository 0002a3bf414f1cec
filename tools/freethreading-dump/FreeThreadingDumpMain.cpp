//===--- FreeThreadingDumpMain.cpp - show what the checks see -------------===//
//
// Part of freethreading-tidy, under the Apache License v2.0 with LLVM
// Exceptions. See LICENSE for license information.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// freethreading-dump: parses a source file like clang-tidy does and prints
/// the shared analysis the freethreading checks read: the extension model
/// (modules, types, object structs, function roles, statics) and the flow
/// facts of each function (critical sections, locks held, accesses to
/// statics and object fields, section problems, exits).
///
///   freethreading-dump FILE [--functions=a,b] [--no-flow] -- COMPILE FLAGS
///
//===----------------------------------------------------------------------===//

#include "tools/ResourceDir.h"
#include "tools/freethreading-dump/AnalysisDump.h"
#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CommonOptionsParser.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/CommandLine.h"

using namespace clang;
using namespace clang::tidy::freethreading;

static llvm::cl::OptionCategory Category("freethreading-dump options");
static llvm::cl::list<std::string>
    Functions("functions", llvm::cl::CommaSeparated,
              llvm::cl::desc("Print flow facts of these functions only"),
              llvm::cl::cat(Category));
static llvm::cl::opt<bool> NoFlow("no-flow",
                                  llvm::cl::desc("Print the model only"),
                                  llvm::cl::cat(Category));

namespace {

class DumpConsumer : public ASTConsumer {
public:
  explicit DumpConsumer(std::shared_ptr<ExtensionAnalysis> A)
      : A(std::move(A)) {}

  void HandleTranslationUnit(ASTContext &Ctx) override {
    A->setContext(Ctx);
    dumpModel(*A, llvm::outs());
    if (NoFlow)
      return;
    const SourceManager &SM = Ctx.getSourceManager();
    struct Defs : RecursiveASTVisitor<Defs> {
      const SourceManager &SM;
      std::vector<const FunctionDecl *> Found;
      explicit Defs(const SourceManager &SM) : SM(SM) {}
      bool VisitFunctionDecl(FunctionDecl *F) {
        if (F->doesThisDeclarationHaveABody() &&
            SM.isInMainFile(SM.getExpansionLoc(F->getLocation())))
          Found.push_back(F);
        return true;
      }
    } D(SM);
    D.TraverseAST(Ctx);
    for (const FunctionDecl *F : D.Found)
      if (Functions.empty() ||
          llvm::is_contained(Functions, F->getNameAsString()))
        dumpFlow(*A, F, llvm::outs());
  }

private:
  std::shared_ptr<ExtensionAnalysis> A;
};

class DumpAction : public ASTFrontendAction {
protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI,
                                                 llvm::StringRef) override {
    auto A = std::make_shared<ExtensionAnalysis>();
    A->attach(CI.getSourceManager(), CI.getPreprocessor());
    A->wantExits();
    return std::make_unique<DumpConsumer>(std::move(A));
  }
};

} // namespace

int main(int argc, const char **argv) {
  llvm::Expected<tooling::CommonOptionsParser> Options =
      tooling::CommonOptionsParser::create(argc, argv, Category,
                                           llvm::cl::OneOrMore);
  if (!Options) {
    llvm::errs() << "freethreading-dump: error: "
                 << llvm::toString(Options.takeError()) << "\n";
    return 2;
  }
  tooling::ClangTool Tool(Options->getCompilations(),
                          Options->getSourcePathList());
  if (std::optional<std::string> Dir =
          freethreading::resourceDirFlagNeeded(argv[0], argc, argv))
    Tool.appendArgumentsAdjuster(tooling::getInsertArgumentAdjuster(
        ("-resource-dir=" + *Dir).c_str(),
        tooling::ArgumentInsertPosition::BEGIN));
  int Result = Tool.run(tooling::newFrontendActionFactory<DumpAction>().get());
  return Result == 0 ? 0 : 3;
}
