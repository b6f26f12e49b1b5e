// Docs that never rot: every grpcurl example with a body in README.md and docs/*.md is run, with
// the same JSON, through `returnsctl call` against a real server. A renamed field or method makes
// returnsctl refuse the JSON locally (exit 2) and fails this test; answers from the server (a
// placeholder id NOT_FOUND, say) are fine - the examples name ids of their own story.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "e2e_fixture.h"

namespace returns::testing {
namespace {

struct Example {
  std::string where;   // file:line
  std::string method;  // e.g. returns.v1.ReturnService/CreateReturn
  std::string json;    // empty: no body (-d absent), "@": from standard input
};

// The grpcurl commands of a Markdown file: from "grpcurl " to the end of the command (a newline
// outside single quotes and not after a backslash).
std::vector<Example> Examples(const std::string& path, const std::string& name) {
  std::ifstream file(path);
  std::stringstream buffer;
  buffer << file.rdbuf();
  const std::string text = buffer.str();
  std::vector<Example> out;
  static const std::regex method_re(R"(([A-Za-z0-9_.]+\.[A-Za-z0-9_]+/[A-Za-z0-9_]+))");
  for (size_t at = text.find("grpcurl "); at != std::string::npos;
       at = text.find("grpcurl ", at + 1)) {
    if (at > 0 && text[at - 1] == '`') continue;  // prose: `grpcurl list`
    bool quoted = false;
    size_t end = at;
    for (; end < text.size(); ++end) {
      if (text[end] == '\'') quoted = !quoted;
      if (text[end] == '\n' && !quoted && (end == 0 || text[end - 1] != '\\')) break;
    }
    const std::string command = text.substr(at, end - at);
    std::smatch method;
    std::string last;
    for (auto it = std::sregex_iterator(command.begin(), command.end(), method_re);
         it != std::sregex_iterator(); ++it) {
      last = (*it)[1];
    }
    if (!absl::StartsWith(last, "returns.v1.")) continue;  // list, describe, health probes
    Example example;
    example.where = absl::StrCat(name, ":", std::count(text.begin(), text.begin() + at, '\n') + 1);
    example.method = last;
    const size_t d = command.find("-d ");
    if (d != std::string::npos) {
      if (command.compare(d + 3, 1, "@") == 0) {
        example.json = "@";
      } else if (command.compare(d + 3, 1, "'") == 0) {
        const size_t close = command.find('\'', d + 4);
        example.json = command.substr(d + 4, close - d - 4);
      }
    }
    out.push_back(example);
  }
  return out;
}

using ExecutedDocsTest = E2ETest;

TEST_F(ExecutedDocsTest, EveryGrpcurlExampleRunsThroughReturnsctlCall) {
  std::vector<Example> examples;
  const std::string root = RETURNS_SOURCE_DIR;
  for (const auto& path : {std::string("README.md")}) {
    for (auto& e : Examples(root + "/" + path, path)) examples.push_back(e);
  }
  for (const auto& entry : std::filesystem::directory_iterator(root + "/docs")) {
    if (entry.path().extension() != ".md") continue;
    const std::string name = "docs/" + entry.path().filename().string();
    for (auto& e : Examples(entry.path().string(), name)) examples.push_back(e);
  }
  ASSERT_GE(examples.size(), 10u);
  int ran = 0;
  for (const Example& example : examples) {
    SCOPED_TRACE(example.where + " " + example.method);
    std::vector<std::string> args = {"--addr",   server_->address(), "--api-key",
                                     admin_key_, "--timeout",        "2",
                                     "call",     example.method};
    if (example.json == "@") {
      // The body is built by a shell pipeline (a photo in base64): the method is checked to exist
      // with an empty body, which returnsctl sends to the server.
      args.insert(args.end(), {"-d", "{}"});
    } else if (!example.json.empty()) {
      args.insert(args.end(), {"-d", example.json});
    }
    auto [code, output] = RunReturnsctl(args);
    EXPECT_NE(code, 2) << "returnsctl refused the example: " << output;
    EXPECT_FALSE(absl::StrContains(output, "UNIMPLEMENTED")) << output;
    EXPECT_FALSE(absl::StrContains(output, "INTERNAL")) << output;
    ++ran;
  }
  std::cout << "ran " << ran << " grpcurl examples through returnsctl call\n";
  // And a renamed field is caught: the check can fail.
  auto [code, output] =
      RunReturnsctl({"--addr", server_->address(), "--api-key", admin_key_, "call",
                     "returns.v1.ReturnService/GetReturn", "-d", R"({"returnIdentifier": "x"})"});
  EXPECT_EQ(code, 2) << output;
}

}  // namespace
}  // namespace returns::testing
