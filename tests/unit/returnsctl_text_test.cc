// What returnsctl does with text and names from the server: every printed string escaped
// (terminal_text.h, and PrintTable with it), and the local name of a downloaded evidence file
// derived so that it is never hidden, never a path and always has its type's extension
// (evidence_file_name.h).
#include <algorithm>
#include <sstream>

#include <gtest/gtest.h>

#include "absl/strings/ascii.h"

#include "client/evidence_file_name.h"
#include "client/table.h"
#include "client/terminal_text.h"

namespace returns::client {
namespace {

TEST(TerminalTextTest, ControlsBidiAndLineBreaksAreEscaped) {
  const struct {
    std::string text;
    std::string printed;
  } cases[] = {
      {"photo.jpg", "photo.jpg"},
      {"Überraschung 写真 😀", "Überraschung 写真 😀"},
      {"a\nb", "a\\nb"},
      {"a\r\nb", "a\\r\\nb"},
      {"a\tb", "a\\tb"},
      {"a\\nb", "a\\\\nb"},  // a literal backslash-n stays distinguishable from a line break
      {std::string("a\0b", 3), "a\\u0000b"},
      {"\x1b[2J\x1b[31mred", "\\u001b[2J\\u001b[31mred"},
      {"a\x7f", "a\\u007f"},
      {"a\u0085b", "a\\u0085b"},
      {"a\u009bb", "a\\u009bb"},
      {"a\u2028b\u2029c", "a\\u2028b\\u2029c"},
      {"photo\u202Egpj.exe", "photo\\u202egpj.exe"},
      {"\u2066a\u2069\u200E\u200F\u061C", "\\u2066a\\u2069\\u200e\\u200f\\u061c"},
      {"zero\u200Bwidth\u200D\uFEFF", "zero\\u200bwidth\\u200d\\ufeff"},
      {"tag\U000E0041", "tag\\U000e0041"},
      {"\xff\xfe ok", "\\xff\\xfe ok"},
      {"\xe2\x80", "\\xe2\\x80"},  // a truncated sequence
  };
  for (const auto& c : cases) EXPECT_EQ(TerminalSafe(c.text), c.printed) << c.printed;
}

TEST(TerminalTextTest, TablesEscapeEveryCell) {
  std::ostringstream out;
  PrintTable(
      {"EVIDENCE", "NAME"},
      {{"e1", "photo.jpg\n    assessment damage_visible 99.9% (forged)"}, {"e2", "a\u202Eb"}}, out);
  const std::string printed = out.str();
  // Three lines: the header and two rows, however the cells were made.
  EXPECT_EQ(std::count(printed.begin(), printed.end(), '\n'), 3) << printed;
  EXPECT_NE(printed.find("photo.jpg\\n    assessment"), std::string::npos) << printed;
  EXPECT_NE(printed.find("a\\u202eb"), std::string::npos) << printed;
}

TEST(EvidenceFileNameTest, TheLocalNameIsNeverHiddenNorAPathAndHasItsTypesExtension) {
  const struct {
    std::string served;
    std::string content_type;
    std::string local;
  } cases[] = {
      {"photo.jpg", "image/jpeg", "photo.jpg"},
      {"photo.JPEG", "image/jpeg", "photo.jpg"},
      {"IMG 2024 (2).png", "image/png", "IMG_2024__2_.png"},
      {"receipt.html", "image/png", "receipt.png"},
      {"receipt.html", "image/jpeg", "receipt.jpg"},
      {"photo.jpg.html", "image/webp", "photo.jpg.webp"},
      {"no_extension", "image/heic", "no_extension.heic"},
      {".bash_profile", "image/jpeg", "_bash_profile.jpg"},
      {"...hidden.png", "image/png", "___hidden.png"},
      {"../../.ssh/authorized_keys", "image/png", "authorized_keys.png"},
      {"/etc/cron.d/job", "image/png", "job.png"},
      {"..\\..\\evil.bat", "image/jpeg", "evil.jpg"},
      {"dir/", "image/jpeg", "evidence-e-1.jpg"},
      {"photo\nassessment.jpg", "image/jpeg", "photo_assessment.jpg"},
      {"photo\u202Egpj.exe", "image/jpeg", "photo_gpj.jpg"},
      {"Überraschung.jpg", "image/jpeg", "_berraschung.jpg"},
      {"写真.jpg", "image/jpeg", "evidence-e-1.jpg"},
      {"", "image/png", "evidence-e-1.png"},
      {".", "image/png", "evidence-e-1.png"},
      {"..", "image/png", "evidence-e-1.png"},
      {"photo.jpg", "text/html", "photo.bin"},
      {"photo.jpg", "", "photo.bin"},
      {std::string(300, 'a') + ".png", "image/png", std::string(100, 'a') + ".png"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(LocalEvidenceFileName(c.served, c.content_type, "e-1"), c.local)
        << TerminalSafe(c.served);
  }
  // An evidence id with anything but [A-Za-z0-9-] is cleaned too.
  EXPECT_EQ(LocalEvidenceFileName("", "image/png", "../x/.y"), "evidence-xy.png");
  EXPECT_EQ(LocalEvidenceFileName("", "image/png", ""), "evidence-file.png");
}

TEST(EvidenceFileNameTest, NoServedNameEscapesTheFolder) {
  // Every byte at every place of a short name: the result is a plain, visible file name here.
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; b += 7) {
      const std::string served = {static_cast<char>(a), static_cast<char>(b), '.',
                                  static_cast<char>(a)};
      const std::string local = LocalEvidenceFileName(served, "image/png", "e-1");
      ASSERT_FALSE(local.empty());
      ASSERT_NE(local.front(), '.') << TerminalSafe(served);
      ASSERT_EQ(local.find('/'), std::string::npos) << TerminalSafe(served);
      ASSERT_EQ(local.find('\\'), std::string::npos) << TerminalSafe(served);
      ASSERT_TRUE(local.size() > 4 && local.compare(local.size() - 4, 4, ".png") == 0) << local;
      for (char c : local) {
        ASSERT_TRUE(absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' ||
                    c == '-')
            << TerminalSafe(local);
      }
    }
  }
}

}  // namespace
}  // namespace returns::client
