#include "api/call_runner.h"

#include <algorithm>
#include <chrono>

#include <grpcpp/impl/codegen/proto_utils.h>

#include "absl/time/clock.h"
#include "api/authorization.h"
#include "api/call_log.h"
#include "api/status_mapping.h"
#include "app/use_cases.h"
#include "domain/api_key.h"
#include "domain/errors.h"

namespace returns::api {
namespace {

absl::Time CallDeadline(const grpc::ServerContextBase& context, absl::Time start) {
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

absl::Status ServerBusyError() {
  return ErrorWithReason(absl::StatusCode::kResourceExhausted, reason::kServerBusy,
                         "the server is at its limit of queued calls; retry shortly",
                         {{"retry_delay_ms", "100"}});
}

absl::string_view AuthorizationOf(const grpc::ServerContextBase& context) {
  const auto& metadata = context.client_metadata();
  auto header = metadata.find("authorization");
  if (header == metadata.end()) return "";
  return absl::string_view(header->second.data(), header->second.size());
}

CallRunner::Screened CallRunner::Screen(const grpc::ServerContextBase& context) {
  if (!app_.Started()) {
    return {"",
            ErrorWithReason(absl::StatusCode::kUnavailable, reason::kDatabaseUnavailable,
                            "the service is starting and its database is not ready yet; retry")};
  }
  const absl::string_view header = AuthorizationOf(context);
  std::optional<ParsedApiKey> key = ParseAuthorizationHeader(header);
  if (!key.has_value()) return {"", app::ApiKeyRefused()};
  const std::string fingerprint = CredentialMemory::Fingerprint(header);
  const absl::Time now = absl::Now();
  if (credentials_.KnownBad(fingerprint, now)) return {"", app::ApiKeyRefused()};
  if (credentials_.KnownGood(fingerprint, now)) return {key->key_id, std::nullopt};
  return {std::string(CredentialMemory::kUnverifiedLane), std::nullopt};
}

const std::string* CallRunner::Name(const ByteService& service, const std::string& method) {
  return &method_names_.emplace_back(service.name() + "/" + method);
}

absl::Status CallRunner::Admit(grpc::ServerContextBase& context, const std::string& method,
                               app::CallContext& call) {
  const absl::string_view header = AuthorizationOf(context);
  auto principal = app::AuthenticateApiKey(app_, header, call.deadline);
  if (principal.ok() || principal.status().code() == absl::StatusCode::kUnauthenticated) {
    credentials_.Remember(CredentialMemory::Fingerprint(header), principal.ok(), absl::Now());
  }
  if (!principal.ok()) return principal.status();
  call.principal = *principal;
  call.merchant_id = principal->merchant_id;
  if (absl::Status s = rate_limiter_.Admit(principal->key_id, absl::Now()); !s.ok()) return s;
  return Authorize(*principal, method);
}

absl::Status CallRunner::Execute(grpc::ServerContextBase& context, const std::string& method,
                                 absl::Status validation,
                                 absl::FunctionRef<absl::Status(app::CallContext&)> use_case,
                                 app::CallContext& call) {
  call.deadline = CallDeadline(context, absl::Now());
  absl::Status status = Admit(context, method, call);
  if (status.ok()) status = validation.ok() ? use_case(call) : validation;
  return status;
}

grpc::Status CallRunner::Run(grpc::ServerContextBase* context, const std::string& method,
                             const google::protobuf::Message& request, absl::Status validation,
                             absl::FunctionRef<absl::Status(app::CallContext&)> use_case) {
  app::CallContext call;
  call.request_id = RequestIdOf(request);
  absl::Status status = Execute(*context, method, std::move(validation), use_case, call);
  CallNote note;
  note.merchant_id = std::move(call.merchant_id);
  note.key_id = std::move(call.principal.key_id);
  note.request_id = std::move(call.request_id);
  note.replayed = call.replayed;
  if (!status.ok()) note.reason = ReasonOf(status);
  AnnotateCall(context, std::move(note));
  return ToGrpcStatus(status);
}

grpc::Status CallRunner::Refuse(grpc::ServerContextBase* context, const absl::Status& status) {
  CallNote note;
  note.reason = ReasonOf(status);
  AnnotateCall(context, std::move(note));
  return ToGrpcStatus(status);
}

grpc::Status EncodeResponse(const google::protobuf::Message& response, grpc::ByteBuffer* out) {
  bool own_buffer = false;
  return grpc::SerializationTraits<google::protobuf::Message>::Serialize(response, out,
                                                                         &own_buffer);
}

absl::Status DecodeRequest(const grpc::ByteBuffer& in, google::protobuf::Message* request) {
  grpc::Slice slice;
  if (!in.DumpToSingleSlice(&slice).ok()) return InvalidField("request", "could not be read");
  return DecodeRequest(
      absl::string_view(reinterpret_cast<const char*>(slice.begin()), slice.size()), request);
}

}  // namespace returns::api
