#pragma once

#include <map>
#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

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
};

// A channel to options.address: TLS when tls_ca_file is set, plaintext otherwise. Throws
// std::runtime_error when a TLS file cannot be read.
std::shared_ptr<grpc::Channel> MakeChannel(const ClientOptions& options);

// A context with the deadline and the credentials set.
std::unique_ptr<grpc::ClientContext> MakeContext(const ClientOptions& options);

// The details the service sends with every error (google.rpc.Status in the trailers).
struct ErrorDetails {
  std::string reason;                          // ErrorInfo.reason, e.g. RETURN_WINDOW_CLOSED
  std::string field;                           // BadRequest's first field, e.g. lines[0].quantity
  std::map<std::string, std::string> metadata;  // ErrorInfo.metadata
  int64_t retry_delay_ms = 0;                   // RetryInfo.retry_delay, when sent
};
ErrorDetails ParseErrorDetails(const grpc::Status& status);

// "FAILED_PRECONDITION RETURN_WINDOW_CLOSED: the 30-day return window closed at ..."
std::string DescribeError(const grpc::Status& status);

// A fresh random request_id (a UUID).
std::string NewRequestId();

}  // namespace returns::client
