#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "returns/v1/api_key.pb.h"
#include "storage/transaction.h"

namespace returns::storage {

// api_keys/authenticate_api_key.sql: who a key belongs to and what it may do.
struct ApiKeyCredentials {
  std::string merchant_id;
  std::string secret_hash;
  std::string role;
  bool revoked = false;
  bool operator_merchant = false;  // merchants.operator
};

// api_keys/list_api_keys.sql: a key as the API shows it, with its place in the list.
struct ListedApiKey {
  v1::ApiKey key;
  int64_t create_time_us = 0;
};

// The statements of storage/sql/api_keys/, with their rows read by column name.
class ApiKeyStore {
 public:
  explicit ApiKeyStore(Tx& tx) : tx_(tx) {}

  // api_keys/authenticate_api_key.sql: the key's merchant, hash and role, of any merchant;
  // nullopt when there is no such key.
  std::optional<ApiKeyCredentials> AuthenticateApiKey(const std::string& key_id);
  // api_keys/insert_api_key.sql: a new key; returns its create_time (µs since the epoch).
  int64_t InsertApiKey(const std::string& merchant_id, const std::string& key_id,
                       const std::string& secret_hash, const std::string& role,
                       const std::string& display_name);
  // api_keys/is_api_key_revoked.sql: whether the key was revoked; nullopt when there is none.
  std::optional<bool> IsApiKeyRevoked(const std::string& key_id);
  // api_keys/list_api_keys.sql: up to `limit` keys of the merchant after the position, oldest
  // first.
  std::vector<ListedApiKey> ListApiKeys(const std::string& merchant_id,
                                        const std::string& after_time_us,
                                        const std::string& after_key_id, int limit);
  // api_keys/revoke_api_key.sql: the key, revoked (at its first revoke_time); nullopt when the
  // merchant has no such key.
  std::optional<v1::ApiKey> RevokeApiKey(const std::string& merchant_id, const std::string& key_id);

 private:
  Tx& tx_;
};

}  // namespace returns::storage
