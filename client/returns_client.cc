#include "returns_client.h"

#include <algorithm>
#include <chrono>
#include <random>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/crypto.h"
#include "common/loopback.h"
#include "domain/errors.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace returns::client {

namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw std::runtime_error("cannot read " + path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

}  // namespace

std::shared_ptr<grpc::Channel> MakeChannel(const ClientOptions& options) {
  // Reconnect quickly after a replica restarts (gRPC's default waits 1 s, then longer and longer,
  // up to 2 minutes, failing calls at once meanwhile): at most a second between tries, so the
  // library's own retries find the server when it is back.
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 100);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 1000);
  if (options.tls_ca_file.empty()) {
    if (!IsLoopbackAddress(options.address) && !options.allow_insecure_plaintext) {
      throw std::runtime_error(
          "refusing to send the API key in plaintext to " + options.address +
          ": give the server's CA (--tls-ca, RETURNS_TLS_CA) or allow plaintext explicitly "
          "(--allow-insecure-plaintext, RETURNS_ALLOW_INSECURE_PLAINTEXT=1)");
    }
    return grpc::CreateCustomChannel(options.address, grpc::InsecureChannelCredentials(), args);
  }
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadFile(options.tls_ca_file);
  if (!options.tls_cert_file.empty()) {
    ssl.pem_cert_chain = ReadFile(options.tls_cert_file);
    ssl.pem_private_key = ReadFile(options.tls_key_file);
  }
  if (!options.tls_server_name.empty()) {
    args.SetSslTargetNameOverride(options.tls_server_name);
  }
  return grpc::CreateCustomChannel(options.address, grpc::SslCredentials(ssl), args);
}

std::unique_ptr<grpc::ClientContext> MakeContext(const ClientOptions& options) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        absl::ToChronoMilliseconds(options.timeout));
  if (!options.api_key.empty()) context->AddMetadata("authorization", "Bearer " + options.api_key);
  return context;
}

ErrorDetails ParseErrorDetails(const grpc::Status& status) {
  ErrorDetails out;
  google::rpc::Status details;
  if (status.error_details().empty() || !details.ParseFromString(status.error_details())) {
    return out;
  }
  for (const auto& any : details.details()) {
    google::rpc::ErrorInfo info;
    google::rpc::BadRequest bad_request;
    google::rpc::RetryInfo retry;
    if (any.Is<google::rpc::RetryInfo>() && any.UnpackTo(&retry)) {
      out.retry_delay_ms =
          retry.retry_delay().seconds() * 1000 + retry.retry_delay().nanos() / 1000000;
    } else if (any.UnpackTo(&info)) {
      out.reason = info.reason();
      out.metadata.insert(info.metadata().begin(), info.metadata().end());
    } else if (any.UnpackTo(&bad_request) && bad_request.field_violations_size() > 0) {
      out.field = bad_request.field_violations(0).field();
    }
  }
  return out;
}

std::string DescribeError(const grpc::Status& status) {
  static const char* const kCodes[] = {"OK",
                                       "CANCELLED",
                                       "UNKNOWN",
                                       "INVALID_ARGUMENT",
                                       "DEADLINE_EXCEEDED",
                                       "NOT_FOUND",
                                       "ALREADY_EXISTS",
                                       "PERMISSION_DENIED",
                                       "RESOURCE_EXHAUSTED",
                                       "FAILED_PRECONDITION",
                                       "ABORTED",
                                       "OUT_OF_RANGE",
                                       "UNIMPLEMENTED",
                                       "INTERNAL",
                                       "UNAVAILABLE",
                                       "DATA_LOSS",
                                       "UNAUTHENTICATED"};
  const int code = status.error_code();
  std::string text = code >= 0 && code <= 16 ? kCodes[code] : absl::StrCat("CODE_", code);
  ErrorDetails details = ParseErrorDetails(status);
  if (!details.reason.empty() && details.reason != text)
    absl::StrAppend(&text, " ", details.reason);
  absl::StrAppend(&text, ": ", status.error_message());
  return text;
}

std::string NewRequestId() { return crypto::RandomUuid(); }

}  // namespace returns::client

namespace returns::client {

bool IsRetryable(const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return true;
    case grpc::StatusCode::ABORTED: {
      const std::string why = ParseErrorDetails(status).reason;
      return why == reason::kConcurrentUpdate || why == reason::kRequestInProgress;
    }
    case grpc::StatusCode::RESOURCE_EXHAUSTED: {
      const std::string why = ParseErrorDetails(status).reason;
      return why == reason::kRateLimited || why == reason::kServerBusy ||
             why == reason::kStreamLimit;
    }
    default:
      return false;
  }
}

grpc::Status CallWithRetries(const ClientOptions& options, const RetryPolicy& policy,
                             const std::function<grpc::Status(grpc::ClientContext*)>& attempt,
                             int* attempts) {
  static thread_local std::mt19937_64 random(std::random_device{}());
  grpc::Status status;
  absl::Duration backoff = policy.initial_backoff;
  const absl::Time give_up = absl::Now() + policy.total;
  for (int n = 1;; ++n) {
    if (attempts != nullptr) *attempts = n;
    auto context = MakeContext(options);
    status = attempt(context.get());
    if (status.ok() || !IsRetryable(status) || n >= policy.max_attempts) return status;
    // Full jitter: a random wait up to the backoff, so clients that failed together do not
    // come back together; never less than the server's RetryInfo.
    absl::Duration wait = absl::Milliseconds(
        std::uniform_int_distribution<int64_t>(0, absl::ToInt64Milliseconds(backoff))(random));
    wait = std::max(wait, std::min(absl::Milliseconds(ParseErrorDetails(status).retry_delay_ms),
                                   policy.max_backoff));
    if (absl::Now() + wait >= give_up) return status;
    absl::SleepFor(wait);
    backoff = std::min(backoff * 2, policy.max_backoff);
  }
}

std::string EnsureRequestId(google::protobuf::Message* request) {
  const auto* field = request->GetDescriptor()->FindFieldByName("request_id");
  if (field == nullptr || field->type() != google::protobuf::FieldDescriptor::TYPE_STRING)
    return "";
  const auto* reflection = request->GetReflection();
  if (reflection->GetString(*request, field).empty())
    reflection->SetString(request, field, NewRequestId());
  return reflection->GetString(*request, field);
}

}  // namespace returns::client
