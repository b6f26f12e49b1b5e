#include "api/call_runner.h"

#include <algorithm>
#include <chrono>

#include "absl/time/clock.h"
#include "api/authorization.h"
#include "api/status_mapping.h"
#include "app/use_cases.h"
#include "common/log.h"
#include "domain/errors.h"

namespace returns::api {
namespace {

absl::Time CallDeadline(const grpc::ServerContext& context, absl::Time start) {
  absl::Time cap = start + CallRunner::kMaxCallDuration;
  auto deadline = context.deadline();
  if (deadline == std::chrono::system_clock::time_point::max()) return cap;
  return std::min(cap, absl::FromChrono(deadline));
}

std::string RequestIdOf(const google::protobuf::Message& request) {
  const auto* field = request.GetDescriptor()->FindFieldByName("request_id");
  if (field == nullptr || field->type() != google::protobuf::FieldDescriptor::TYPE_STRING) {
    return "";
  }
  return request.GetReflection()->GetString(request, field);
}

}  // namespace

absl::Status CallRunner::Admit(grpc::ServerContext& context, const std::string& method,
                               app::CallContext& call) {
  const auto& metadata = context.client_metadata();
  auto header = metadata.find("authorization");
  absl::string_view value;
  if (header != metadata.end()) value = absl::string_view(header->second.data(), header->second.size());
  auto principal = app::AuthenticateApiKey(app_, value, call.deadline);
  if (!principal.ok()) return principal.status();
  call.principal = *principal;
  call.merchant_id = principal->merchant_id;
  if (absl::Status s = rate_limiter_.Admit(principal->key_id, absl::Now()); !s.ok()) return s;
  return Authorize(*principal, method);
}

grpc::Status CallRunner::Run(grpc::ServerContext* context, const std::string& method,
                             const google::protobuf::Message& request, absl::Status validation,
                             absl::FunctionRef<absl::Status(app::CallContext&)> use_case) {
  const absl::Time start = absl::Now();
  app::CallContext call;
  call.deadline = CallDeadline(*context, start);
  call.request_id = RequestIdOf(request);

  absl::Status status = Admit(*context, method, call);
  if (status.ok()) status = validation.ok() ? use_case(call) : validation;

  nlohmann::json fields = {
      {"method", method},
      {"status", absl::StatusCodeToString(status.code())},
      {"latency_ms", absl::ToDoubleMilliseconds(absl::Now() - start)},
      {"merchant_id", call.merchant_id},
      {"key_id", call.principal.key_id},
      {"request_id", call.request_id},
  };
  if (call.replayed) fields["replayed"] = true;
  if (!status.ok()) fields["reason"] = ReasonOf(status);
  log::Info("rpc", fields);
  return ToGrpcStatus(status);
}

}  // namespace returns::api
