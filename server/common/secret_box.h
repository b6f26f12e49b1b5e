#pragma once

#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace returns::crypto {

// Secrets the service must use again later (merchants' webhook signing secrets, carrier API keys)
// are stored encrypted with AES-256-GCM under a key ring the operator names:
// `--secret_keys id:hex,id:hex`, newest first. An id is 1-32 characters of [A-Za-z0-9_-]; a key
// is 64 hex digits (32 bytes). New values are sealed under the newest key; values sealed under an
// older key still open, so a rotation adds a key in front and re-seals at leisure.
//
// Immutable after Parse, so one instance may be shared between threads.
class SecretBox {
 public:
  // INVALID_ARGUMENT naming the entry that is wrong (empty spec or entry, bad id, duplicate id,
  // key not 64 hex digits). The message never echoes key material.
  static absl::StatusOr<SecretBox> Parse(absl::string_view spec);

  // Seals under the newest key: "sb1." + key id + "." + base64url without padding of
  // (12-byte random nonce | ciphertext | 16-byte tag). `context` is authenticated but not stored
  // (AES-GCM associated data): callers pass where the value belongs, e.g.
  // "webhook_endpoints/<merchant id>/<endpoint id>", so a sealed value copied into another row
  // does not open.
  std::string Seal(absl::string_view plaintext, absl::string_view context) const;

  // Opens a value sealed under any key of the ring. FAILED_PRECONDITION naming the key id when
  // the ring lacks it; DATA_LOSS when the format is wrong or the tag fails (tampered, or sealed
  // for another context). Messages never include plaintext or key bytes.
  absl::StatusOr<std::string> Open(absl::string_view sealed, absl::string_view context) const;

  // The key id a sealed value names ("" if it is not of the sealed form).
  static std::string KeyIdOf(absl::string_view sealed);

  // True when `sealed` is not under the newest key, so a rotation re-seals it (also true for a
  // malformed value, whose Open then reports DATA_LOSS).
  bool NeedsReseal(absl::string_view sealed) const;

  const std::string& newest_key_id() const;

 private:
  explicit SecretBox(std::vector<std::pair<std::string, std::string>> keys);

  // The raw key named `id`, or nullptr when the ring does not hold it.
  const std::string* KeyFor(absl::string_view id) const;

  std::vector<std::pair<std::string, std::string>> keys_;  // (id, 32 raw bytes), newest first
};

}  // namespace returns::crypto
