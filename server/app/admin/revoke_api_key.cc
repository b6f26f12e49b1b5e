#include "app/common/idempotency.h"
#include "app/admin/admin_use_cases.h"
#include "domain/errors.h"
#include "storage/api_key_store.h"

namespace returns::app {

absl::Status RevokeApiKey(const AppContext& app, CallContext& call,
                          const v1::RevokeApiKeyRequest& request, v1::ApiKey* response) {
  return RunIdempotent(app, call, request, response, [&](storage::Tx& tx) {
    // Every later call with the key is refused by every replica at once: authentication reads
    // the key's row on each call and caches nothing.
    std::optional<v1::ApiKey> revoked =
        storage::ApiKeyStore(tx).RevokeApiKey(call.merchant_id, request.key_id());
    if (!revoked.has_value()) return NotFoundError("api key", request.key_id());
    *response = *std::move(revoked);
    return absl::OkStatus();
  });
}

}  // namespace returns::app
