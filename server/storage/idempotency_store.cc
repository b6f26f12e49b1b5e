#include "storage/idempotency_store.h"

namespace returns::storage {

bool IdempotencyStore::ClaimRequestId(const std::string& merchant_id, const std::string& method,
                                      const std::string& request_id, const std::string& fingerprint,
                                      int64_t lifetime_seconds) {
  return !tx_.Exec(sql::kIdempotencyClaimRequestId, merchant_id, method, request_id, fingerprint,
                   lifetime_seconds)
              .empty();
}

std::optional<StoredRequestId> IdempotencyStore::GetRequestId(const std::string& merchant_id,
                                                              const std::string& method,
                                                              const std::string& request_id) {
  const pqxx::result rows =
      tx_.Exec(sql::kIdempotencyGetRequestId, merchant_id, method, request_id);
  if (rows.empty()) return std::nullopt;
  const pqxx::row row = rows[0];
  StoredRequestId stored;
  stored.fingerprint = row["fingerprint"].as<std::string>();
  if (!row["response_hex"].is_null()) stored.response_hex = row["response_hex"].as<std::string>();
  return stored;
}

int IdempotencyStore::PurgeExpiredKeys(int limit) {
  return static_cast<int>(tx_.Exec(sql::kIdempotencyPurgeExpiredKeys, limit).affected_rows());
}

void IdempotencyStore::StoreResponse(const std::string& merchant_id, const std::string& method,
                                     const std::string& request_id,
                                     const std::string& response_hex) {
  tx_.Exec(sql::kIdempotencyStoreResponse, merchant_id, method, request_id, response_hex);
}

}  // namespace returns::storage
