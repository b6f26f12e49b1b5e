#include "app/use_cases.h"
#include "common/crypto.h"
#include "domain/api_key.h"
#include "domain/errors.h"
#include "storage/transaction.h"

namespace returns::app {

absl::Status ApiKeyRefused() {
  return ErrorWithReason(absl::StatusCode::kUnauthenticated, reason::kUnauthenticated,
                         "a valid API key is required: send the metadata \"authorization: Bearer rk_...\"");
}

absl::StatusOr<Principal> AuthenticateApiKey(const AppContext& app,
                                             absl::string_view authorization_header,
                                             absl::Time deadline) {
  // One answer for every failure, so a caller learns nothing about which keys exist.
  const absl::Status refused = ApiKeyRefused();
  std::optional<ParsedApiKey> key = ParseAuthorizationHeader(authorization_header);
  if (!key.has_value()) return refused;
  Principal principal;
  bool valid = false;
  absl::Status status =
      storage::RunSingleRead(*app.pool, "AuthenticateApiKey", deadline, [&](storage::Tx& tx) {
        auto rows = tx.Exec("api_keys/authenticate_api_key", key->key_id);
        if (rows.empty()) return absl::OkStatus();
        const auto& row = rows[0];
        const bool hash_matches =
            crypto::ConstantTimeEquals(row[1].as<std::string>(), HashApiKeySecret(key->secret));
        const bool revoked = row[3].as<bool>();
        auto role = ParseApiKeyRole(row[2].as<std::string>());
        if (!hash_matches || revoked || !role.has_value()) return absl::OkStatus();
        principal.merchant_id = row[0].as<std::string>();
        principal.key_id = key->key_id;
        principal.role = *role;
        principal.operator_merchant = row[4].as<bool>();
        valid = true;
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  if (!valid) return refused;
  return principal;
}

}  // namespace returns::app

namespace returns::app {

absl::StatusOr<bool> IsApiKeyRevoked(const AppContext& app, const std::string& key_id) {
  bool revoked = true;  // a key that is gone is as good as revoked
  absl::Status status = storage::RunSingleRead(
      *app.pool, "IsApiKeyRevoked", absl::Now() + absl::Seconds(10), [&](storage::Tx& tx) {
        auto rows = tx.Exec("api_keys/is_api_key_revoked", key_id);
        if (!rows.empty()) revoked = rows[0][0].as<bool>();
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return revoked;
}

}  // namespace returns::app
