#pragma once

#include <string>
#include "absl/strings/string_view.h"

// Thin wrappers over OpenSSL for the few primitives the service needs.
namespace returns::crypto {

// SHA-256 of `data`, as 64 lowercase hex digits.
std::string Sha256Hex(absl::string_view data);

// HMAC-SHA256 of `data` under `key`, as 32 raw bytes.
std::string HmacSha256(absl::string_view key, absl::string_view data);

// Compares two byte strings in time that does not depend on where they differ.
bool ConstantTimeEquals(absl::string_view a, absl::string_view b);

// `bytes` random bytes from OpenSSL's CSPRNG.
std::string RandomBytes(int bytes);

// A random RFC 4122 version-4 UUID in its canonical text form.
std::string RandomUuid();

}  // namespace returns::crypto
