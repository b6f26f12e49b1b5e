#include "domain/api_key.h"

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/crypto.h"

namespace returns {
namespace {

constexpr absl::string_view kPrefix = "rk_";
constexpr size_t kKeyIdLength = 16;
constexpr size_t kSecretLength = 43;

bool IsBase64Url(char c) { return absl::ascii_isalnum(c) || c == '-' || c == '_'; }

}  // namespace

ParsedApiKey NewApiKey() {
  ParsedApiKey key;
  key.key_id = absl::BytesToHexString(crypto::RandomBytes(8));
  key.secret = absl::WebSafeBase64Escape(crypto::RandomBytes(32));
  return key;
}

std::string FormatApiKey(const ParsedApiKey& key) {
  return absl::StrCat(kPrefix, key.key_id, "_", key.secret);
}

std::optional<ParsedApiKey> ParseApiKey(absl::string_view text) {
  if (text.size() != kPrefix.size() + kKeyIdLength + 1 + kSecretLength) return std::nullopt;
  if (!absl::StartsWith(text, kPrefix)) return std::nullopt;
  absl::string_view key_id = text.substr(kPrefix.size(), kKeyIdLength);
  if (text[kPrefix.size() + kKeyIdLength] != '_') return std::nullopt;
  absl::string_view secret = text.substr(kPrefix.size() + kKeyIdLength + 1);
  for (char c : key_id) {
    if (!absl::ascii_isxdigit(c) || absl::ascii_isupper(c)) return std::nullopt;
  }
  for (char c : secret) {
    if (!IsBase64Url(c)) return std::nullopt;
  }
  return ParsedApiKey{std::string(key_id), std::string(secret)};
}

std::optional<ParsedApiKey> ParseAuthorizationHeader(absl::string_view header) {
  constexpr absl::string_view kBearer = "Bearer ";
  if (!absl::StartsWith(header, kBearer)) return std::nullopt;
  return ParseApiKey(header.substr(kBearer.size()));
}

std::string HashApiKeySecret(absl::string_view secret) { return crypto::Sha256Hex(secret); }

}  // namespace returns
