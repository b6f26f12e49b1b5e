#include "returns_client.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "common/crypto.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace returns::client {

std::shared_ptr<grpc::Channel> MakeChannel(const ClientOptions& options) {
  return grpc::CreateChannel(options.address, grpc::InsecureChannelCredentials());
}

std::unique_ptr<grpc::ClientContext> MakeContext(const ClientOptions& options) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() +
                        absl::ToChronoMilliseconds(options.timeout));
  if (!options.merchant_id.empty()) context->AddMetadata("x-merchant-id", options.merchant_id);
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
    if (any.UnpackTo(&info)) {
      out.reason = info.reason();
      out.metadata.insert(info.metadata().begin(), info.metadata().end());
    } else if (any.UnpackTo(&bad_request) && bad_request.field_violations_size() > 0) {
      out.field = bad_request.field_violations(0).field();
    }
  }
  return out;
}

std::string DescribeError(const grpc::Status& status) {
  static const char* const kCodes[] = {
      "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
      "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
      "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
      "UNAUTHENTICATED"};
  const int code = status.error_code();
  std::string text = code >= 0 && code <= 16 ? kCodes[code] : absl::StrCat("CODE_", code);
  ErrorDetails details = ParseErrorDetails(status);
  if (!details.reason.empty() && details.reason != text) absl::StrAppend(&text, " ", details.reason);
  absl::StrAppend(&text, ": ", status.error_message());
  return text;
}

std::string NewRequestId() { return crypto::RandomUuid(); }

}  // namespace returns::client
