#include "domain/event_types.h"

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

// The catalogue of event types (server/domain/event_types.h) against docs/lifecycle.md's event
// tables, both ways, and against the code: no write site spells a type out.
namespace returns {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

std::string Lifecycle() { return ReadFile(std::string(RETURNS_SOURCE_DIR) + "/docs/lifecycle.md"); }

std::set<std::string> Catalogue() {
  return std::set<std::string>(std::begin(event_type::kAllEventTypes),
                               std::end(event_type::kAllEventTypes));
}

// The `resource.what` spans in the first cell of the rows of every table whose header's first
// cell is "event type".
std::set<std::string> DocumentedEventTypes(const std::string& markdown) {
  static const std::regex kCode(R"(`([a-z_]+\.[a-z_]+)`)");
  std::set<std::string> types;
  bool header = true;  // the next table line starts a table
  bool event_table = false;
  for (absl::string_view line : absl::StrSplit(markdown, '\n')) {
    if (!absl::StartsWith(line, "|")) {
      header = true;
      continue;
    }
    const std::vector<absl::string_view> cells = absl::StrSplit(line, '|');  // "", first, ...
    const std::string first(cells.size() > 1 ? absl::StripAsciiWhitespace(cells[1]) : "");
    if (header) {
      header = false;
      event_table = first == "event type";
      continue;
    }
    if (!event_table) continue;
    for (auto it = std::sregex_iterator(first.begin(), first.end(), kCode);
         it != std::sregex_iterator(); ++it) {
      types.insert((*it)[1]);
    }
  }
  return types;
}

TEST(EventTypesTest, TheTableReaderFindsEventTablesOnly) {
  const std::string sample =
      "Prose with `claim.filed`.\n"
      "\n"
      "| event type | written by |\n"
      "|---|---|\n"
      "| `a.one`, `a.two` / `a.three` | X, not `b.four` |\n"
      "\n"
      "| outcome | meaning |\n"
      "|---|---|\n"
      "| `c.five` | no |\n";
  EXPECT_EQ(DocumentedEventTypes(sample), (std::set<std::string>{"a.one", "a.two", "a.three"}));
}

TEST(EventTypesTest, TheCatalogueHoldsEachTypeOnceAsResourceDotWhat) {
  const std::regex shape("[a-z_]+\\.[a-z_]+");
  std::set<std::string> seen;
  for (absl::string_view type : event_type::kAllEventTypes) {
    const std::string text(type);
    EXPECT_TRUE(std::regex_match(text, shape)) << text;
    EXPECT_TRUE(seen.insert(text).second) << text << " is listed twice";
  }
  EXPECT_GE(seen.size(), 50u);
}

TEST(EventTypesTest, EveryTypeOfTheCatalogueHasARowInTheLifecycle) {
  const std::string doc = Lifecycle();
  ASSERT_FALSE(doc.empty()) << "docs/lifecycle.md not found under " << RETURNS_SOURCE_DIR;
  const std::set<std::string> documented = DocumentedEventTypes(doc);
  for (const std::string& type : Catalogue()) {
    EXPECT_TRUE(documented.count(type))
        << type
        << " (server/domain/event_types.h) has no row in an event table of docs/lifecycle.md";
  }
}

TEST(EventTypesTest, EveryTypeOfTheLifecycleIsInTheCatalogue) {
  const std::set<std::string> catalogue = Catalogue();
  const std::set<std::string> documented = DocumentedEventTypes(Lifecycle());
  EXPECT_GE(documented.size(), 50u);
  for (const std::string& type : documented) {
    EXPECT_TRUE(catalogue.count(type))
        << type << " (docs/lifecycle.md) is not in server/domain/event_types.h";
  }
}

// Write sites name the constants: a type spelled out in the code ("return.approved") could drift
// from the catalogue unnoticed. Comments may quote them.
TEST(EventTypesTest, NoServerSourceSpellsATypeOut) {
  const std::set<std::string> catalogue = Catalogue();
  const std::filesystem::path root = std::filesystem::path(RETURNS_SOURCE_DIR) / "server";
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    const std::string ext = entry.path().extension().string();
    if (!entry.is_regular_file() || (ext != ".cc" && ext != ".h")) continue;
    if (entry.path().filename() == "event_types.h") continue;
    ++files;
    int number = 0;
    for (absl::string_view line : absl::StrSplit(ReadFile(entry.path().string()), '\n')) {
      ++number;
      const absl::string_view code = line.substr(0, line.find("//"));
      for (const std::string& type : catalogue) {
        EXPECT_FALSE(absl::StrContains(code, "\"" + type + "\""))
            << entry.path().string() << ":" << number << " spells out " << type
            << ": use its constant (domain/event_types.h)";
      }
    }
  }
  EXPECT_GT(files, 100);
}

}  // namespace
}  // namespace returns
