#pragma once

#include <map>
#include <memory>
#include <string>

#include <functional>

#include <grpcpp/grpcpp.h>

#include "google/protobuf/message.h"

#include "absl/time/time.h"

// What every client of the service needs: a channel, a context with a deadline and the
// caller's credentials, and the decoded error details. Used by returnsctl and the tests.
namespace returns::client {

struct ClientOptions {
  std::string address = "127.0.0.1:50051";
  // The API key, "rk_...", sent as "authorization: Bearer <key>".
  std::string api_key;
  // Every call gets a deadline.
  absl::Duration timeout = absl::Seconds(10);
  // TLS: the CA that signed the server's certificate (empty: plaintext).
  std::string tls_ca_file;
  // Mutual TLS: this client's certificate and key.
  std::string tls_cert_file;
  std::string tls_key_file;
  // The name the server's certificate must carry, when it is not the address's host.
  std::string tls_server_name;
  // Plaintext (no tls_ca_file) to an address off this machine: refused unless set, since the API
  // key would cross the network readable (as returnsd refuses to serve it).
  bool allow_insecure_plaintext = false;
};

// A channel to options.address: TLS when tls_ca_file is set, plaintext otherwise (on loopback,
// or anywhere with allow_insecure_plaintext). Throws std::runtime_error when a TLS file cannot be
// read or plaintext is refused.
std::shared_ptr<grpc::Channel> MakeChannel(const ClientOptions& options);

// A context with the deadline and the credentials set.
std::unique_ptr<grpc::ClientContext> MakeContext(const ClientOptions& options);

// The details the service sends with every error (google.rpc.Status in the trailers).
struct ErrorDetails {
  std::string reason;                           // ErrorInfo.reason, e.g. RETURN_WINDOW_CLOSED
  std::string field;                            // BadRequest's first field, e.g. lines[0].quantity
  std::map<std::string, std::string> metadata;  // ErrorInfo.metadata
  int64_t retry_delay_ms = 0;                   // RetryInfo.retry_delay, when sent
};
ErrorDetails ParseErrorDetails(const grpc::Status& status);

// "FAILED_PRECONDITION RETURN_WINDOW_CLOSED: the 30-day return window closed at ..."
std::string DescribeError(const grpc::Status& status);

// A fresh random request_id (a UUID).
std::string NewRequestId();

// When a call is tried again: only when a retry can fix it (IsRetryable), with full-jitter
// exponential backoff, waiting at least what the server's RetryInfo asks. Every mutation of the
// service is idempotent by request_id, so a retry with the same request is safe (docs/api.md).
struct RetryPolicy {
  int max_attempts = 5;
  absl::Duration initial_backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Seconds(5);
  // No new attempt starts after this much time since the first (each attempt has the options'
  // deadline of its own).
  absl::Duration total = absl::Seconds(60);
};

// What a retry of the same request can fix: UNAVAILABLE and DEADLINE_EXCEEDED; ABORTED only when
// the database rolled the transaction back (CONCURRENT_UPDATE) or the first of duplicates was
// still being answered (REQUEST_IN_PROGRESS), never a precondition such as ETAG_MISMATCH (the
// same stale etag fails again: read, then send a new request); RESOURCE_EXHAUSTED only for load
// (RATE_LIMITED, SERVER_BUSY, STREAM_LIMIT), never a quota or a message over gRPC's size limit.
bool IsRetryable(const grpc::Status& status);

// Runs `attempt` (one call, given a fresh context with the deadline and credentials) until it
// succeeds, fails for good, or the policy's attempts are spent; `attempts` gets how many ran.
grpc::Status CallWithRetries(const ClientOptions& options, const RetryPolicy& policy,
                             const std::function<grpc::Status(grpc::ClientContext*)>& attempt,
                             int* attempts = nullptr);

// A message's request_id: set to a fresh one when the message has the field and it is empty
// (once per logical operation: every retry then sends the same). Returns the id ("" when the
// message has no such field).
std::string EnsureRequestId(google::protobuf::Message* request);

}  // namespace returns::client
