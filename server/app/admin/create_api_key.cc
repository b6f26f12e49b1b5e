#include "app/common/idempotency.h"
#include "app/admin/admin_use_cases.h"
#include "domain/api_key.h"
#include "google/protobuf/util/time_util.h"
#include "storage/api_key_store.h"
#include "common/enum_text.h"

namespace returns::app {

absl::Status CreateApiKey(const AppContext& app, CallContext& call,
                          const v1::CreateApiKeyRequest& request,
                          v1::CreateApiKeyResponse* response) {
  return RunIdempotent(
      app, call, request, response,
      [&](storage::Tx& tx) {
        ParsedApiKey key = NewApiKey();
        const int64_t create_time_us = storage::ApiKeyStore(tx).InsertApiKey(
            call.merchant_id, key.key_id, HashApiKeySecret(key.secret), EnumText(request.role()),
            request.display_name());
        v1::ApiKey* api_key = response->mutable_api_key();
        api_key->set_key_id(key.key_id);
        api_key->set_display_name(request.display_name());
        api_key->set_role(request.role());
        *api_key->mutable_create_time() =
            google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(create_time_us);
        response->set_secret(FormatApiKey(key));
        return absl::OkStatus();
      },
      IdempotencyOptions{
          {"secret"},
          absl::Hours(24),
          nullptr});  // only the hash is kept, so a replay cannot show the secret again
}

}  // namespace returns::app
