#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "storage/transaction.h"

namespace returns::storage {

// idempotency/get_request_id.sql: what a request id was first used with.
struct StoredRequestId {
  std::string fingerprint;
  std::optional<std::string> response_hex;  // NULL until the first call's response is stored
};

// The statements of storage/sql/idempotency/, with their rows read by column name.
class IdempotencyStore {
 public:
  explicit IdempotencyStore(Tx& tx) : tx_(tx) {}

  // idempotency/claim_request_id.sql: whether this transaction owns the key now (it was new, or
  // its earlier use expired); waits for a concurrent transaction holding the same key.
  bool ClaimRequestId(const std::string& merchant_id, const std::string& method,
                      const std::string& request_id, const std::string& fingerprint,
                      int64_t lifetime_seconds);
  // idempotency/get_request_id.sql: the stored fingerprint and response; nullopt without the key.
  std::optional<StoredRequestId> GetRequestId(const std::string& merchant_id,
                                              const std::string& method,
                                              const std::string& request_id);
  // idempotency/purge_expired_keys.sql: deletes at most `limit` expired keys; how many it did.
  int PurgeExpiredKeys(int limit);
  // idempotency/store_response.sql: keeps the serialized response (hex) for replays.
  void StoreResponse(const std::string& merchant_id, const std::string& method,
                     const std::string& request_id, const std::string& response_hex);

 private:
  Tx& tx_;
};

}  // namespace returns::storage
