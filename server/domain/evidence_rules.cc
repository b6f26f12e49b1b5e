#include "domain/evidence_rules.h"

#include <array>

namespace returns {
namespace {

bool StartsWith(absl::string_view bytes, absl::string_view prefix, size_t at = 0) {
  return bytes.size() >= at + prefix.size() && bytes.substr(at, prefix.size()) == prefix;
}

}  // namespace

std::optional<std::string> SniffImageType(absl::string_view b) {
  if (StartsWith(b, absl::string_view("\xFF\xD8\xFF", 3))) return "image/jpeg";
  if (StartsWith(b, absl::string_view("\x89PNG\r\n\x1A\n", 8))) return "image/png";
  if (StartsWith(b, "RIFF") && StartsWith(b, "WEBP", 8)) return "image/webp";
  // HEIF/HEIC: a box "ftyp" at offset 4 whose major brand is one of HEIF's.
  if (StartsWith(b, "ftyp", 4) && b.size() >= 12) {
    static constexpr std::array<absl::string_view, 8> kBrands = {
        "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"};
    const absl::string_view brand = b.substr(8, 4);
    for (absl::string_view known : kBrands) {
      if (brand == known) return "image/heic";
    }
  }
  return std::nullopt;
}

}  // namespace returns
