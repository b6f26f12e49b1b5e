#include "app/idempotency.h"
#include "app/use_cases.h"
#include "domain/api_key.h"
#include "google/protobuf/util/time_util.h"
#include "storage/transaction.h"

namespace returns::app {
namespace {

using google::protobuf::util::TimeUtil;

// The merchant, its policy and feed counter, and its first ADMIN key, in the caller's transaction.
void InsertMerchantWithAdminKey(storage::Tx& tx, const std::string& name, bool operator_merchant,
                                v1::CreateMerchantResponse* response) {
  response->set_merchant_id(
      tx.Exec("merchants/insert_merchant", name, operator_merchant)[0][0].as<std::string>());
  ParsedApiKey key = NewApiKey();
  auto created = tx.Exec("api_keys/insert_api_key", response->merchant_id(), key.key_id,
                         HashApiKeySecret(key.secret), ApiKeyRoleName(v1::API_KEY_ROLE_ADMIN),
                         std::string("first admin key"));
  v1::ApiKey* api_key = response->mutable_admin_key();
  api_key->set_key_id(key.key_id);
  api_key->set_display_name("first admin key");
  api_key->set_role(v1::API_KEY_ROLE_ADMIN);
  *api_key->mutable_create_time() = TimeUtil::MicrosecondsToTimestamp(created[0][0].as<int64_t>());
  response->set_admin_key_secret(FormatApiKey(key));
}

}  // namespace

absl::StatusOr<v1::CreateMerchantResponse> CreateMerchant(storage::ConnectionPool& pool,
                                                          absl::string_view name,
                                                          bool operator_merchant) {
  v1::CreateMerchantResponse response;
  absl::Status status = storage::RunTransaction(
      pool, "CreateMerchant", absl::Now() + absl::Seconds(30), [&](storage::Tx& tx) {
        InsertMerchantWithAdminKey(tx, std::string(name), operator_merchant, &response);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return response;
}

absl::Status CreateMerchant(const AppContext& app, CallContext& call,
                            const v1::CreateMerchantRequest& request,
                            v1::CreateMerchantResponse* response) {
  return RunIdempotent(
      app, call, "CreateMerchant", request, response,
      [&](storage::Tx& tx) {
        InsertMerchantWithAdminKey(tx, request.display_name(), /*operator_merchant=*/false, response);
        return absl::OkStatus();
      },
      IdempotencyOptions{{"admin_key_secret"}, absl::Hours(24), nullptr});
}

}  // namespace returns::app
