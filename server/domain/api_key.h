#pragma once

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "returns/v1/api_key.pb.h"

// The API key format and the credentials header, as pure functions (fuzzed: tests/fuzz).
//
// A key is "rk_<key_id>_<secret>": key_id is 16 lowercase hex digits (64 random bits, public,
// shown in lists and logs), secret is 43 base64url characters (256 random bits). The service
// stores SHA-256(secret) only.
namespace returns {

struct ParsedApiKey {
  std::string key_id;
  std::string secret;
};

// A new random key.
ParsedApiKey NewApiKey();
std::string FormatApiKey(const ParsedApiKey& key);

// The key inside "Bearer <key>" (the `authorization` metadata value), or nullopt when the value
// is not exactly that shape.
std::optional<ParsedApiKey> ParseAuthorizationHeader(absl::string_view header);
std::optional<ParsedApiKey> ParseApiKey(absl::string_view text);

// What is stored for a secret: SHA-256, hex.
std::string HashApiKeySecret(absl::string_view secret);

}  // namespace returns
