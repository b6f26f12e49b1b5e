#pragma once

#include <functional>
#include <string_view>

#include "absl/strings/string_view.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "app/common/app_context.h"
#include "google/protobuf/message.h"
#include "storage/transaction.h"

namespace returns::app {

// Runs a mutating use case at most once per (merchant, method, request_id) (AIP-155,
// PRODUCT.md 4.1). The method is named by the request's type, never by a string of the caller's
// (CreateReturnRequest -> "CreateReturn", MethodOf), so it is named once: in the contract.
// in one transaction with the key, the change and the stored response:
//  - a new key: runs `body`, which fills `response` (cleared first: a transaction retried after
//    a serialization failure or deadlock starts from nothing); stores the response; commits. An
//    error from `body` rolls everything back, the key included, so a retry is evaluated afresh.
//  - a known key with the same request fingerprint: fills `response` with the stored one and
//    sets call.replayed; `body` does not run.
//  - a known key with a different request: INVALID_ARGUMENT, reason IDEMPOTENCY_KEY_REUSED.
//  - a key whose first use is still running: waits for it (bounded by the deadline) and then
//    answers as above, so there is never a second effect.
absl::Status RunIdempotent(const AppContext& app, CallContext& call,
                           const google::protobuf::Message& request,
                           google::protobuf::Message* response,
                           absl::FunctionRef<absl::Status(storage::Tx&)> body);

// What some methods need beyond the defaults.
struct IdempotencyOptions {
  // Fields cleared in the stored copy of the response (secrets shown once), so a replay answers
  // without them.
  std::initializer_list<const char*> fields_not_stored = {};
  // How long the key answers replays: 24 hours by default; tokens and charges keep theirs for
  // the token's whole life (PRODUCT.md 4.1).
  absl::Duration key_lifetime = absl::Hours(24);
  // Runs in the replay's transaction with the stored response, to hand back again what is not
  // stored (IssueExchangeToken: a fresh token string for a still-unredeemed token, whose first
  // answer may have been lost). Optional.
  std::function<absl::Status(storage::Tx&, google::protobuf::Message*)> on_replay;
};
absl::Status RunIdempotent(const AppContext& app, CallContext& call,
                           const google::protobuf::Message& request,
                           google::protobuf::Message* response,
                           absl::FunctionRef<absl::Status(storage::Tx&)> body,
                           const IdempotencyOptions& options);

// The longest an exchange token can matter: a year to redeem plus a year of charge window, the
// policy maximums.
inline constexpr absl::Duration kExchangeTokenKeyLifetime = absl::Hours(24 * 731);

// The method a request is for: its message name without "Request" ("CreateReturn").
std::string MethodOf(const google::protobuf::Message& request);

// SHA-256 (hex) of the request's deterministic serialization without its request_id.
std::string RequestFingerprint(absl::string_view method, const google::protobuf::Message& request);

}  // namespace returns::app
