#include "api/status_mapping.h"

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "domain/errors.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace returns::api {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  const auto code = static_cast<grpc::StatusCode>(status.code());
  const std::string message(status.message());

  google::rpc::Status details;
  details.set_code(static_cast<int>(status.code()));
  details.set_message(message);

  google::rpc::ErrorInfo info;
  std::string reason = ReasonOf(status);
  info.set_reason(reason.empty() ? absl::StatusCodeToString(status.code()) : reason);
  info.set_domain("returns.v1");
  for (const auto& [key, value] : MetadataOf(status)) (*info.mutable_metadata())[key] = value;
  details.add_details()->PackFrom(info);

  if (auto field = FieldOf(status); field.has_value()) {
    google::rpc::BadRequest bad_request;
    auto* violation = bad_request.add_field_violations();
    violation->set_field(*field);
    violation->set_description(message);
    details.add_details()->PackFrom(bad_request);
  }
  if (auto delay = info.metadata().find("retry_delay_ms"); delay != info.metadata().end()) {
    google::rpc::RetryInfo retry;
    int64_t ms = 0;
    if (absl::SimpleAtoi(delay->second, &ms)) {
      retry.mutable_retry_delay()->set_seconds(ms / 1000);
      retry.mutable_retry_delay()->set_nanos(static_cast<int32_t>(ms % 1000) * 1000000);
      details.add_details()->PackFrom(retry);
    }
  }
  if (auto subject = QuotaSubjectOf(status); subject.has_value()) {
    google::rpc::QuotaFailure quota;
    auto* violation = quota.add_violations();
    violation->set_subject(*subject);
    violation->set_description(message);
    details.add_details()->PackFrom(quota);
  }
  if (status.code() == absl::StatusCode::kFailedPrecondition) {
    google::rpc::PreconditionFailure failure;
    auto* violation = failure.add_violations();
    violation->set_type(info.reason());
    violation->set_description(message);
    details.add_details()->PackFrom(failure);
  }
  return grpc::Status(code, message, details.SerializeAsString());
}

}  // namespace returns::api
