#include "domain/evidence_rules.h"

#include <array>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "domain/utf8.h"

namespace returns {
namespace {

bool StartsWith(absl::string_view bytes, absl::string_view prefix, size_t at = 0) {
  return bytes.size() >= at + prefix.size() && bytes.substr(at, prefix.size()) == prefix;
}

bool InRange(char32_t cp, char32_t first, char32_t last) { return cp >= first && cp <= last; }

// Why a character may not be in a file name, or nullptr when it may.
const char* WhyNot(char32_t cp) {
  if (cp < 0x20 || cp == 0x7F || InRange(cp, 0x80, 0x9F)) return "a control character";
  if (cp == '/' || cp == '\\') return "a path separator";
  if (cp < 0x80) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(cp))) return nullptr;
    return absl::string_view(" ._-+()[],@=").find(static_cast<char>(cp)) == absl::string_view::npos
               ? "an ASCII character other than letters, digits, space and . _ - + ( ) [ ] , @ ="
               : nullptr;
  }
  if (cp == 0x2028 || cp == 0x2029) return "a line or paragraph separator";
  if (cp == 0x061C || cp == 0x200E || cp == 0x200F || InRange(cp, 0x202A, 0x202E) ||
      InRange(cp, 0x2066, 0x2069)) {
    return "a bidirectional control";
  }
  if (cp == 0x00AD || cp == 0x180E || InRange(cp, 0x200B, 0x200D) || InRange(cp, 0x2060, 0x206F) ||
      cp == 0xFEFF || InRange(cp, 0xFFF9, 0xFFFB) || InRange(cp, 0xE0000, 0xE007F)) {
    return "an invisible or format character";
  }
  if (InRange(cp, 0xE000, 0xF8FF) || cp >= 0xF0000) return "a private-use character";
  if (InRange(cp, 0xFDD0, 0xFDEF) || (cp & 0xFFFE) == 0xFFFE) return "a noncharacter";
  switch (cp) {
    case 0x2024:
    case 0x2025:
    case 0x2026:
    case 0xFE52:
    case 0xFF0E:  // '.'
    case 0x2044:
    case 0x2215:
    case 0x29F8:
    case 0xFE68:
    case 0xFF0F:  // '/'
    case 0x2216:
    case 0x29F9:
    case 0xFF3C:  // '\\'
    case 0xFE13:
    case 0xFE55:
    case 0xFF1A:  // ':'
      return "a look-alike of '.', '/', '\\' or ':'";
    default:
      return nullptr;
  }
}

bool IsSpace(char32_t cp) {
  return cp == ' ' || cp == 0xA0 || cp == 0x1680 || InRange(cp, 0x2000, 0x200A) || cp == 0x202F ||
         cp == 0x205F || cp == 0x3000;
}

}  // namespace

absl::Status CheckEvidenceFileName(absl::string_view name) {
  if (name.empty()) return absl::OkStatus();
  if (name.size() > kMaxEvidenceFileNameBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("must be at most ", kMaxEvidenceFileNameBytes, " bytes"));
  }
  if (name.front() == '.')
    return absl::InvalidArgumentError("must not start with \".\" (a hidden file)");
  char32_t first = 0, last = 0;
  for (size_t at = 0; at < name.size();) {
    char32_t cp = 0;
    size_t length = 0;
    if (!DecodeUtf8(name, at, &cp, &length)) {
      return absl::InvalidArgumentError(absl::StrCat("is not valid UTF-8 (at byte ", at, ")"));
    }
    if (const char* why = WhyNot(cp)) {
      return absl::InvalidArgumentError(absl::StrFormat("must not hold %s (U+%04X at byte %d)", why,
                                                        static_cast<uint32_t>(cp), at));
    }
    if (at == 0) first = cp;
    last = cp;
    at += length;
  }
  if (IsSpace(first) || IsSpace(last)) {
    return absl::InvalidArgumentError("must not start or end with a space");
  }
  const size_t dot = name.rfind('.');
  if (dot != absl::string_view::npos) {
    static constexpr std::array<absl::string_view, 6> kExtensions = {"jpg",  "jpeg", "png",
                                                                     "webp", "heic", "heif"};
    const std::string extension = absl::AsciiStrToLower(name.substr(dot + 1));
    bool known = false;
    for (absl::string_view e : kExtensions) known = known || extension == e;
    if (!known) {
      return absl::InvalidArgumentError(
          absl::StrCat("has the extension \".", extension,
                       "\"; a photo's name ends in .jpg, .jpeg, .png, .webp, .heic or .heif, or "
                       "has no extension"));
    }
  }
  return absl::OkStatus();
}

std::optional<std::string> SniffImageType(absl::string_view b) {
  if (StartsWith(b, absl::string_view("\xFF\xD8\xFF", 3))) return "image/jpeg";
  if (StartsWith(b, absl::string_view("\x89PNG\r\n\x1A\n", 8))) return "image/png";
  if (StartsWith(b, "RIFF") && StartsWith(b, "WEBP", 8)) return "image/webp";
  // HEIF/HEIC: a box "ftyp" at offset 4 whose major brand is one of HEIF's.
  if (StartsWith(b, "ftyp", 4) && b.size() >= 12) {
    static constexpr std::array<absl::string_view, 8> kBrands = {"heic", "heix", "hevc", "hevx",
                                                                 "heim", "heis", "mif1", "msf1"};
    const absl::string_view brand = b.substr(8, 4);
    for (absl::string_view known : kBrands) {
      if (brand == known) return "image/heic";
    }
  }
  return std::nullopt;
}

}  // namespace returns
