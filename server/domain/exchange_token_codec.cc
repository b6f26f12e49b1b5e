#include "domain/exchange_token_codec.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/crypto.h"

namespace returns {
namespace {

constexpr absl::string_view kVersion = "xt1";
constexpr size_t kEncodedNonceLength = 43;  // 32 bytes, base64url without padding
constexpr size_t kEncodedTagLength = 43;    // 32 bytes

bool IsKeyId(absl::string_view id) {
  if (id.empty() || id.size() > 16) return false;
  for (char c : id) {
    if (!(absl::ascii_islower(c) || absl::ascii_isdigit(c))) return false;
  }
  return true;
}

bool IsBase64Url(absl::string_view text) {
  for (char c : text) {
    if (!(absl::ascii_isalnum(c) || c == '-' || c == '_')) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<ExchangeTokenCodec> ExchangeTokenCodec::Create(std::vector<TokenSigningKey> keys) {
  if (keys.empty()) return absl::InvalidArgumentError("at least one exchange-token key is needed");
  std::set<std::string> ids;
  for (const auto& key : keys) {
    if (!IsKeyId(key.id)) {
      return absl::InvalidArgumentError(
          absl::StrCat("exchange-token key id \"", key.id, "\" is not 1..16 of [a-z0-9]"));
    }
    if (key.secret.size() < 32) {
      return absl::InvalidArgumentError(
          absl::StrCat("exchange-token key \"", key.id, "\" is shorter than 32 bytes"));
    }
    if (!ids.insert(key.id).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("exchange-token key id \"", key.id, "\" repeats"));
    }
  }
  return ExchangeTokenCodec(std::move(keys));
}

absl::StatusOr<std::vector<TokenSigningKey>> ExchangeTokenCodec::ParseKeys(absl::string_view spec) {
  std::vector<TokenSigningKey> keys;
  for (absl::string_view entry : absl::StrSplit(spec, ',', absl::SkipEmpty())) {
    std::vector<absl::string_view> parts = absl::StrSplit(entry, absl::MaxSplits(':', 1));
    if (parts.size() != 2 || parts[1].size() % 2 != 0) {
      return absl::InvalidArgumentError("exchange-token keys are id:hexsecret,id:hexsecret");
    }
    for (char c : parts[1]) {
      if (!absl::ascii_isxdigit(c)) {
        return absl::InvalidArgumentError("exchange-token key secrets are hex");
      }
    }
    keys.push_back({std::string(parts[0]), absl::HexStringToBytes(parts[1])});
  }
  return keys;
}

std::string ExchangeTokenCodec::Tag(const TokenSigningKey& key,
                                    absl::string_view signed_part) const {
  return absl::WebSafeBase64Escape(crypto::HmacSha256(key.secret, signed_part));
}

std::string ExchangeTokenCodec::Issue() const {
  const TokenSigningKey& key = keys_.front();
  std::string signed_part =
      absl::StrCat(kVersion, ".", key.id, ".", absl::WebSafeBase64Escape(crypto::RandomBytes(32)));
  return absl::StrCat(signed_part, ".", Tag(key, signed_part));
}

bool ExchangeTokenCodec::Verify(absl::string_view token) const {
  std::vector<absl::string_view> parts = absl::StrSplit(token, '.');
  if (parts.size() != 4 || parts[0] != kVersion || !IsKeyId(parts[1]) ||
      parts[2].size() != kEncodedNonceLength || parts[3].size() != kEncodedTagLength ||
      !IsBase64Url(parts[2]) || !IsBase64Url(parts[3])) {
    return false;
  }
  const absl::string_view signed_part = token.substr(0, token.size() - kEncodedTagLength - 1);
  for (const auto& key : keys_) {
    if (key.id == parts[1]) return crypto::ConstantTimeEquals(Tag(key, signed_part), parts[3]);
  }
  return false;
}

std::string ExchangeTokenCodec::Hash(absl::string_view token) { return crypto::Sha256Hex(token); }

}  // namespace returns
