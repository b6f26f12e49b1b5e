#pragma once

#include <string_view>

#include "absl/strings/string_view.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "app/app_context.h"
#include "google/protobuf/message.h"
#include "storage/transaction.h"

namespace returns::app {

// Runs a mutating use case at most once per (merchant, method, request_id) (AIP-155,
// PRODUCT.md 4.1), in one transaction with the key, the change and the stored response:
//  - a new key: runs `body`, which fills `response`; stores the response; commits. An error from
//    `body` rolls everything back, the key included, so a retry is evaluated afresh.
//  - a known key with the same request fingerprint: fills `response` with the stored one and
//    sets call.replayed; `body` does not run.
//  - a known key with a different request: INVALID_ARGUMENT, reason IDEMPOTENCY_KEY_REUSED.
//  - a key whose first use is still running: waits for it (bounded by the deadline) and then
//    answers as above, so there is never a second effect.
//
// Fields named in `fields_not_stored` (secrets shown once) are cleared in the stored copy, so a
// replay answers without them.
absl::Status RunIdempotent(const AppContext& app, CallContext& call, absl::string_view method,
                           const google::protobuf::Message& request,
                           google::protobuf::Message* response,
                           absl::FunctionRef<absl::Status(storage::Tx&)> body,
                           std::initializer_list<const char*> fields_not_stored = {});

// SHA-256 (hex) of the request's deterministic serialization without its request_id.
std::string RequestFingerprint(absl::string_view method, const google::protobuf::Message& request);

}  // namespace returns::app
