#include "evidence_file_name.h"

#include "absl/strings/ascii.h"

namespace returns::client {
namespace {

constexpr size_t kMaxStem = 100;

bool Kept(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
}

// `text` with every character outside [A-Za-z0-9._-] as '_': one per ASCII byte, and one per
// UTF-8 sequence (a lead byte and its continuation bytes), so "photo ü" is "photo__".
std::string Conservative(absl::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      out.push_back(Kept(text[i]) ? text[i] : '_');
      continue;
    }
    out.push_back('_');
    if (byte >= 0xC0) {  // a lead byte: its continuation bytes go with it
      while (i + 1 < text.size() && (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80) ++i;
    }
  }
  return out;
}

}  // namespace

std::string EvidenceExtension(absl::string_view content_type) {
  if (content_type == "image/jpeg") return ".jpg";
  if (content_type == "image/png") return ".png";
  if (content_type == "image/webp") return ".webp";
  if (content_type == "image/heic") return ".heic";
  return ".bin";
}

std::string LocalEvidenceFileName(absl::string_view served_name, absl::string_view content_type,
                                  absl::string_view evidence_id) {
  const std::string extension = EvidenceExtension(content_type);
  absl::string_view base = served_name;
  if (const size_t slash = base.find_last_of("/\\"); slash != absl::string_view::npos) {
    base = base.substr(slash + 1);
  }
  if (const size_t dot = base.rfind('.'); dot != absl::string_view::npos && dot > 0) {
    base = base.substr(0, dot);
  }
  std::string stem = Conservative(base);
  for (char& c : stem) {
    if (c != '.') break;
    c = '_';
  }
  if (stem.size() > kMaxStem) stem.resize(kMaxStem);
  bool meaningful = false;
  for (char c : stem) meaningful = meaningful || absl::ascii_isalnum(static_cast<unsigned char>(c));
  if (meaningful) return stem + extension;
  std::string id;
  for (char c : evidence_id.substr(0, 64)) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '-') id.push_back(c);
  }
  return "evidence-" + (id.empty() ? std::string("file") : id) + extension;
}

}  // namespace returns::client
