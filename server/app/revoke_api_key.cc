#include "app/idempotency.h"
#include "app/use_cases.h"
#include "domain/errors.h"
#include "storage/rows.h"

namespace returns::app {

absl::Status RevokeApiKey(const AppContext& app, CallContext& call,
                          const v1::RevokeApiKeyRequest& request, v1::ApiKey* response) {
  return RunIdempotent(app, call, "RevokeApiKey", request, response, [&](storage::Tx& tx) {
    // Every later call with the key is refused by every replica at once: authentication reads
    // the key's row on each call and caches nothing.
    auto rows = tx.Exec("api_keys/revoke_api_key", call.merchant_id, request.key_id());
    if (rows.empty()) return NotFoundError("api key", request.key_id());
    *response = storage::ApiKeyFromRow(rows[0]);
    return absl::OkStatus();
  });
}

}  // namespace returns::app
