#include "app/admin/admin_use_cases.h"
#include "common/crypto.h"
#include "domain/api_key.h"
#include "domain/errors.h"
#include "storage/api_key_store.h"
#include "storage/transaction.h"
#include "common/enum_text.h"

namespace returns::app {

absl::Status ApiKeyRefused() {
  return ErrorWithReason(
      absl::StatusCode::kUnauthenticated, reason::kUnauthenticated,
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
        std::optional<storage::ApiKeyCredentials> found =
            storage::ApiKeyStore(tx).AuthenticateApiKey(key->key_id);
        if (!found.has_value()) return absl::OkStatus();
        const bool hash_matches =
            crypto::ConstantTimeEquals(found->secret_hash, HashApiKeySecret(key->secret));
        auto role = ParseEnum<v1::ApiKeyRole>(found->role);
        if (!hash_matches || found->revoked || !role.has_value()) return absl::OkStatus();
        principal.merchant_id = found->merchant_id;
        principal.key_id = key->key_id;
        principal.role = *role;
        principal.operator_merchant = found->operator_merchant;
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
        if (std::optional<bool> is_revoked = storage::ApiKeyStore(tx).IsApiKeyRevoked(key_id)) {
          revoked = *is_revoked;
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return revoked;
}

}  // namespace returns::app
