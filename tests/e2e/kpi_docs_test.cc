// docs/kpis.md is the one definition of every KPI figure (the service computes what it says);
// kpis.proto's comments must not say otherwise. Every figure of KpiFigures has a row in the
// docs' table, and a figure the docs price per count ("`returns_resolved` × the policy's ...")
// names that same count in its proto comment.
#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "returns/v1/kpis.pb.h"

namespace returns::testing {
namespace {

std::string ReadSource(const std::string& path) {
  std::ifstream file(std::string(RETURNS_SOURCE_DIR) + "/" + path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// Each field of `message` in a .proto file's text, with the comment lines just above it.
std::map<std::string, std::string> FieldComments(const std::string& proto,
                                                 const std::string& message) {
  std::map<std::string, std::string> comments;
  const size_t start = proto.find("message " + message + " {");
  if (start == std::string::npos) return comments;
  const size_t end = proto.find("\n}", start);
  std::string comment;
  static const std::regex kField(R"(^\s*[A-Za-z0-9_.]+\s+([a-z0-9_]+)\s*=\s*\d+;)");
  for (absl::string_view line : absl::StrSplit(proto.substr(start, end - start), '\n')) {
    const std::string text(line);
    std::smatch match;
    if (text.find("//") != std::string::npos) {
      comment += text.substr(text.find("//") + 2) + " ";
    } else if (std::regex_search(text, match, kField)) {
      comments[match[1]] = comment;
      comment.clear();
    } else {
      comment.clear();
    }
  }
  return comments;
}

TEST(KpiDocsTest, EveryFigureIsDefinedInDocsAndTheProtoAgreesWithIt) {
  const std::string docs = ReadSource("docs/kpis.md");
  const std::string proto = ReadSource("proto/returns/v1/kpis.proto");
  ASSERT_FALSE(docs.empty());
  const std::map<std::string, std::string> comments = FieldComments(proto, "KpiFigures");
  const auto* descriptor = v1::KpiFigures::descriptor();
  ASSERT_EQ(comments.size(), static_cast<size_t>(descriptor->field_count()));

  // Rows of the docs' table: "| `a`, `b` | formula |".
  std::map<std::string, std::string> formulas;
  static const std::regex kRow(R"(^\| (`[^|]+`) \| (.+) \|$)");
  for (absl::string_view line : absl::StrSplit(docs, '\n')) {
    const std::string text(line);
    std::smatch match;
    if (!std::regex_match(text, match, kRow)) continue;
    static const std::regex kName("`([a-z0-9_]+)`");
    const std::string names = match[1];
    for (auto it = std::sregex_iterator(names.begin(), names.end(), kName);
         it != std::sregex_iterator(); ++it) {
      formulas[(*it)[1]] = match[2];
    }
  }

  int priced_per_count = 0;
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const std::string name = descriptor->field(i)->name();
    // "resolution_time_p90" shares the row of "resolution_time_p50" ("`resolution_time_p50`,
    // `_p90`").
    if (name == "resolution_time_p90") continue;
    ASSERT_TRUE(formulas.count(name)) << name << " has no row in docs/kpis.md";
    std::smatch match;
    static const std::regex kPerCount(R"(^`([a-z_]+)` × )");
    if (std::regex_search(formulas[name], match, kPerCount)) {
      ++priced_per_count;
      const std::string in_words = absl::StrReplaceAll(std::string(match[1]), {{"_", " "}});
      std::string comment = comments.at(name);
      std::transform(comment.begin(), comment.end(), comment.begin(), ::tolower);
      EXPECT_NE(comment.find(in_words), std::string::npos)
          << name << ": docs/kpis.md counts " << match[1]
          << ", kpis.proto says:" << comments.at(name);
    }
  }
  EXPECT_GE(priced_per_count, 1);
}

}  // namespace
}  // namespace returns::testing
