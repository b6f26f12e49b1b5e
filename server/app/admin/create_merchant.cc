#include "app/common/idempotency.h"
#include "app/admin/admin_use_cases.h"
#include "domain/api_key.h"
#include "google/protobuf/util/time_util.h"
#include "storage/api_key_store.h"
#include "storage/merchant_store.h"
#include "storage/transaction.h"
#include "common/enum_text.h"

namespace returns::app {
namespace {

using google::protobuf::util::TimeUtil;

// The merchant, its policy and feed counter, and its first ADMIN key, in the caller's transaction.
void InsertMerchantWithAdminKey(storage::Tx& tx, const std::string& name, bool operator_merchant,
                                v1::CreateMerchantResponse* response) {
  response->set_merchant_id(storage::MerchantStore(tx).InsertMerchant(name, operator_merchant));
  ParsedApiKey key = NewApiKey();
  const int64_t create_time_us = storage::ApiKeyStore(tx).InsertApiKey(
      response->merchant_id(), key.key_id, HashApiKeySecret(key.secret),
      EnumText(v1::API_KEY_ROLE_ADMIN), std::string("first admin key"));
  v1::ApiKey* api_key = response->mutable_admin_key();
  api_key->set_key_id(key.key_id);
  api_key->set_display_name("first admin key");
  api_key->set_role(v1::API_KEY_ROLE_ADMIN);
  *api_key->mutable_create_time() = TimeUtil::MicrosecondsToTimestamp(create_time_us);
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
      app, call, request, response,
      [&](storage::Tx& tx) {
        InsertMerchantWithAdminKey(tx, request.display_name(), /*operator_merchant=*/false,
                                   response);
        return absl::OkStatus();
      },
      IdempotencyOptions{{"admin_key_secret"}, absl::Hours(24), nullptr});
}

}  // namespace returns::app
