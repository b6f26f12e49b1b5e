#include "terminal_text.h"

#include "absl/strings/str_format.h"
#include "domain/utf8.h"

namespace returns::client {
namespace {

bool InRange(char32_t cp, char32_t first, char32_t last) { return cp >= first && cp <= last; }

bool Escaped(char32_t cp) {
  return cp < 0x20 || cp == 0x7F || InRange(cp, 0x80, 0x9F) || cp == 0xAD || cp == 0x061C ||
         cp == 0x180E || InRange(cp, 0x200B, 0x200F) || InRange(cp, 0x2028, 0x202E) ||
         InRange(cp, 0x2060, 0x206F) || cp == 0xFEFF || InRange(cp, 0xFFF9, 0xFFFB) ||
         InRange(cp, 0xE0000, 0xE007F);
}

}  // namespace

std::string TerminalSafe(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t at = 0; at < text.size();) {
    char32_t cp = 0;
    size_t length = 1;
    if (!DecodeUtf8(text, at, &cp, &length)) {
      absl::StrAppendFormat(&out, "\\x%02x", static_cast<unsigned char>(text[at]));
      at += 1;
      continue;
    }
    if (cp == '\\') {
      out += "\\\\";
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (cp == '\t') {
      out += "\\t";
    } else if (Escaped(cp)) {
      if (cp > 0xFFFF) {
        absl::StrAppendFormat(&out, "\\U%08x", static_cast<uint32_t>(cp));
      } else {
        absl::StrAppendFormat(&out, "\\u%04x", static_cast<uint32_t>(cp));
      }
    } else {
      out.append(text.data() + at, length);
    }
    at += length;
  }
  return out;
}

}  // namespace returns::client
