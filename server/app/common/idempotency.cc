#include "app/common/idempotency.h"

#include <memory>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/crypto.h"
#include "domain/errors.h"
#include "google/protobuf/io/coded_stream.h"
#include "absl/strings/strip.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "storage/idempotency_store.h"

namespace returns::app {

std::string RequestFingerprint(absl::string_view method, const google::protobuf::Message& request) {
  std::unique_ptr<google::protobuf::Message> copy(request.New());
  copy->CopyFrom(request);
  const auto* field = copy->GetDescriptor()->FindFieldByName("request_id");
  if (field != nullptr) copy->GetReflection()->ClearField(copy.get(), field);
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    copy->SerializeToCodedStream(&coded);
  }
  return crypto::Sha256Hex(absl::StrCat(method, "\n", bytes));
}

std::string MethodOf(const google::protobuf::Message& request) {
  absl::string_view name = request.GetDescriptor()->name();
  absl::ConsumeSuffix(&name, "Request");
  return std::string(name);
}

absl::Status RunIdempotent(const AppContext& app, CallContext& call,
                           const google::protobuf::Message& request,
                           google::protobuf::Message* response,
                           absl::FunctionRef<absl::Status(storage::Tx&)> body) {
  return RunIdempotent(app, call, request, response, body, IdempotencyOptions{});
}

absl::Status RunIdempotent(const AppContext& app, CallContext& call,
                           const google::protobuf::Message& request,
                           google::protobuf::Message* response,
                           absl::FunctionRef<absl::Status(storage::Tx&)> body,
                           const IdempotencyOptions& options) {
  const auto& fields_not_stored = options.fields_not_stored;
  const int64_t lifetime_seconds = absl::ToInt64Seconds(options.key_lifetime);
  const std::string method_name = MethodOf(request);
  const std::string fingerprint = RequestFingerprint(method_name, request);
  return storage::RunTransaction(
      *app.pool, method_name, call.deadline, [&](storage::Tx& tx) -> absl::Status {
        call.replayed = false;
        storage::IdempotencyStore keys(tx);
        if (!keys.ClaimRequestId(call.merchant_id, method_name, call.request_id, fingerprint,
                                 lifetime_seconds)) {
          const std::optional<storage::StoredRequestId> stored =
              keys.GetRequestId(call.merchant_id, method_name, call.request_id);
          if (!stored || !stored->response_hex) {
            // Only possible if the key vanished or was never answered: tell the client to retry.
            return ErrorWithReason(absl::StatusCode::kAborted, reason::kRequestInProgress,
                                   "a request with this request_id is in progress; retry");
          }
          if (stored->fingerprint != fingerprint) {
            return InvalidField("request_id",
                                "was already used with a different request; choose a new one",
                                reason::kIdempotencyKeyReused);
          }
          std::string bytes = absl::HexStringToBytes(*stored->response_hex);
          if (!response->ParseFromString(bytes)) {
            return ErrorWithReason(absl::StatusCode::kInternal, reason::kInternal,
                                   "stored response is unreadable");
          }
          call.replayed = true;
          if (options.on_replay) return options.on_replay(tx, response);
          return absl::OkStatus();
        }
        response->Clear();
        absl::Status status = body(tx);
        if (!status.ok()) return status;
        std::string bytes;
        if (fields_not_stored.size() == 0) {
          response->SerializeToString(&bytes);
        } else {
          std::unique_ptr<google::protobuf::Message> stored(response->New());
          stored->CopyFrom(*response);
          for (const char* name : fields_not_stored) {
            const auto* field = stored->GetDescriptor()->FindFieldByName(name);
            if (field != nullptr) stored->GetReflection()->ClearField(stored.get(), field);
          }
          stored->SerializeToString(&bytes);
        }
        keys.StoreResponse(call.merchant_id, method_name, call.request_id,
                           absl::BytesToHexString(bytes));
        return absl::OkStatus();
      });
}

}  // namespace returns::app
