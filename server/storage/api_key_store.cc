#include "storage/api_key_store.h"

#include "storage/field_reading.h"
#include "common/enum_text.h"
#include "google/protobuf/util/time_util.h"

namespace returns::storage {
namespace {

using google::protobuf::util::TimeUtil;

// A row of api_keys/list_api_keys.sql or api_keys/revoke_api_key.sql.
v1::ApiKey ApiKeyFromRow(const pqxx::row& row) {
  v1::ApiKey key;
  key.set_key_id(row["key_id"].as<std::string>());
  key.set_display_name(row["display_name"].as<std::string>());
  key.set_role(ParseEnum<v1::ApiKeyRole>(row["role"].as<std::string>())
                   .value_or(v1::API_KEY_ROLE_UNSPECIFIED));
  SetMicros(row["create_time_us"], [&] { return key.mutable_create_time(); });
  SetMicros(row["revoke_time_us"], [&] { return key.mutable_revoke_time(); });
  return key;
}

}  // namespace

std::optional<ApiKeyCredentials> ApiKeyStore::AuthenticateApiKey(const std::string& key_id) {
  const auto rows = tx_.Exec(sql::kApiKeysAuthenticateApiKey, key_id);
  if (rows.empty()) return std::nullopt;
  const auto& row = rows[0];
  return ApiKeyCredentials{row["merchant_id"].as<std::string>(),
                           row["secret_hash"].as<std::string>(), row["role"].as<std::string>(),
                           row["revoked"].as<bool>(), row["operator"].as<bool>()};
}

int64_t ApiKeyStore::InsertApiKey(const std::string& merchant_id, const std::string& key_id,
                                  const std::string& secret_hash, const std::string& role,
                                  const std::string& display_name) {
  const auto rows =
      tx_.Exec(sql::kApiKeysInsertApiKey, merchant_id, key_id, secret_hash, role, display_name);
  return rows[0]["create_time_us"].as<int64_t>();
}

std::optional<bool> ApiKeyStore::IsApiKeyRevoked(const std::string& key_id) {
  const auto rows = tx_.Exec(sql::kApiKeysIsApiKeyRevoked, key_id);
  if (rows.empty()) return std::nullopt;
  return rows[0]["revoked"].as<bool>();
}

std::vector<ListedApiKey> ApiKeyStore::ListApiKeys(const std::string& merchant_id,
                                                   const std::string& after_time_us,
                                                   const std::string& after_key_id, int limit) {
  std::vector<ListedApiKey> keys;
  for (const auto& row :
       tx_.Exec(sql::kApiKeysListApiKeys, merchant_id, after_time_us, after_key_id, limit)) {
    keys.push_back({ApiKeyFromRow(row), row["create_time_us"].as<int64_t>()});
  }
  return keys;
}

std::optional<v1::ApiKey> ApiKeyStore::RevokeApiKey(const std::string& merchant_id,
                                                    const std::string& key_id) {
  const auto rows = tx_.Exec(sql::kApiKeysRevokeApiKey, merchant_id, key_id);
  if (rows.empty()) return std::nullopt;
  return ApiKeyFromRow(rows[0]);
}

}  // namespace returns::storage
