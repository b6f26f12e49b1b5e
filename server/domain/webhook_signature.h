#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

// The Standard Webhooks signing scheme, as pure functions.
//
// An endpoint's secret is "whsec_" + base64 of the HMAC key. Each delivery carries the headers
// webhook-id, webhook-timestamp (Unix seconds) and webhook-signature; the signature covers
// "<id>.<timestamp>.<body>", so a receiver can refuse a replayed or altered delivery.
namespace returns {

// A new endpoint secret: "whsec_" + base64 (standard alphabet, padded) of 32 random bytes.
std::string NewWebhookSecret();

// The HMAC key of a secret: the base64-decoded part after "whsec_" (the prefix is optional).
// InvalidArgument when that part is not base64 or decodes to fewer than 24 bytes.
absl::StatusOr<std::string> WebhookSigningKey(absl::string_view secret);

// One signature: "v1," + base64(HMAC-SHA256(key, msg_id + "." + timestamp + "." + body)).
std::string WebhookSignature(absl::string_view key, absl::string_view msg_id,
                             int64_t timestamp_seconds, absl::string_view body);

// The webhook-signature header value: one signature per key, joined by a space. During a secret
// rotation both keys sign (the new one first), so receivers holding either secret accept it.
std::string WebhookSignatureHeader(const std::vector<std::string>& keys, absl::string_view msg_id,
                                   int64_t timestamp_seconds, absl::string_view body);

}  // namespace returns
