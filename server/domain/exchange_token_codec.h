#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace returns {

// One HMAC key for signing exchange tokens, named so tokens say which key signed them.
struct TokenSigningKey {
  std::string id;      // 1..16 of [a-z0-9]
  std::string secret;  // at least 32 bytes
};

// The instant-exchange token string (PRODUCT.md 4.4): opaque, unguessable and signed.
//
//   xt1.<key id>.<nonce>.<tag>
//   nonce = 32 random bytes (256 bits, OpenSSL RAND_bytes), base64url without padding
//   tag   = HMAC-SHA256(key, "xt1.<key id>.<nonce>"), base64url without padding
//
// The newest key signs; every configured key verifies, so keys rotate without invalidating live
// tokens: add a new key in front, wait out the longest token life, then drop the old one. The
// database stores only Hash(token). Verify() answers only yes or no, so a tampered token, an
// unknown key and garbage are refused alike.
class ExchangeTokenCodec {
 public:
  // `keys` newest first; INVALID_ARGUMENT for no keys, a malformed id, a short secret or a
  // repeated id.
  static absl::StatusOr<ExchangeTokenCodec> Create(std::vector<TokenSigningKey> keys);

  // Parses "id1:hexsecret1,id2:hexsecret2" (newest first), the form of the configuration flag.
  static absl::StatusOr<std::vector<TokenSigningKey>> ParseKeys(absl::string_view spec);

  // A new token, signed with the newest key.
  std::string Issue() const;

  // True when `token` is well formed and its tag verifies under the key it names.
  bool Verify(absl::string_view token) const;

  // What is stored and looked up: SHA-256 of the whole token, hex.
  static std::string Hash(absl::string_view token);

 private:
  explicit ExchangeTokenCodec(std::vector<TokenSigningKey> keys) : keys_(std::move(keys)) {}
  std::string Tag(const TokenSigningKey& key, absl::string_view signed_part) const;

  std::vector<TokenSigningKey> keys_;
};

}  // namespace returns
