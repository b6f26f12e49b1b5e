#include "domain/webhook_signature.h"

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "common/crypto.h"

namespace returns {
namespace {

constexpr absl::string_view kSecretPrefix = "whsec_";
constexpr int kSecretBytes = 32;
// The shortest key accepted: 192 bits, the size of the scheme's own example secrets.
constexpr size_t kMinKeyBytes = 24;

// Standard alphabet, '=' only as padding at the end. The decoder alone would let stray
// characters through.
bool IsPaddedBase64(absl::string_view text) {
  if (text.empty() || text.size() % 4 != 0) return false;
  size_t padding = 0;
  while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') {
    ++padding;
  }
  for (char c : text.substr(0, text.size() - padding)) {
    if (!absl::ascii_isalnum(c) && c != '+' && c != '/') return false;
  }
  return true;
}

}  // namespace

std::string NewWebhookSecret() {
  return absl::StrCat(kSecretPrefix, absl::Base64Escape(crypto::RandomBytes(kSecretBytes)));
}

absl::StatusOr<std::string> WebhookSigningKey(absl::string_view secret) {
  absl::string_view encoded = secret;
  absl::ConsumePrefix(&encoded, kSecretPrefix);
  std::string key;
  if (!IsPaddedBase64(encoded) || !absl::Base64Unescape(encoded, &key)) {
    return absl::InvalidArgumentError("webhook secret is not base64");
  }
  if (key.size() < kMinKeyBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("webhook secret is shorter than ", kMinKeyBytes, " bytes"));
  }
  return key;
}

std::string WebhookSignature(absl::string_view key, absl::string_view msg_id,
                             int64_t timestamp_seconds, absl::string_view body) {
  const std::string signed_content = absl::StrCat(msg_id, ".", timestamp_seconds, ".", body);
  return absl::StrCat("v1,", absl::Base64Escape(crypto::HmacSha256(key, signed_content)));
}

std::string WebhookSignatureHeader(const std::vector<std::string>& keys, absl::string_view msg_id,
                                   int64_t timestamp_seconds, absl::string_view body) {
  std::string header;
  for (const std::string& key : keys) {
    if (!header.empty()) header.push_back(' ');
    header += WebhookSignature(key, msg_id, timestamp_seconds, body);
  }
  return header;
}

}  // namespace returns
