#include "storage/carrier_account_store.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "storage/field_reading.h"

namespace returns::storage {
namespace {

// A row of carrier_accounts/*.sql: the stored settings with the output-only fields filled.
StoredCarrierAccount AccountFromRow(const pqxx::row& row) {
  StoredCarrierAccount stored;
  (void)google::protobuf::util::JsonStringToMessage(row["settings"].as<std::string>(),
                                                    &stored.account);
  stored.account.set_carrier(row["carrier"].as<std::string>());
  stored.account.clear_api_key();
  stored.account.clear_webhook_secret();
  stored.account.set_api_key_hint(row["api_key_hint"].as<std::string>());
  stored.account.set_has_webhook_secret(!row["webhook_secret_sealed"].is_null());
  SetMicros(row["create_time_us"], [&] { return stored.account.mutable_create_time(); });
  SetMicros(row["update_time_us"], [&] { return stored.account.mutable_update_time(); });
  stored.api_key_sealed = row["api_key_sealed"].as<std::string>();
  stored.webhook_secret_sealed = Nullable<std::string>(row["webhook_secret_sealed"]);
  return stored;
}

std::optional<StoredCarrierAccount> FirstAccount(const pqxx::result& rows) {
  if (rows.empty()) return std::nullopt;
  return AccountFromRow(rows[0]);
}

}  // namespace

std::optional<StoredCarrierAccount> CarrierAccountStore::UpsertAccount(
    const std::string& merchant_id, const std::string& carrier,
    const std::optional<std::string>& api_key_sealed,
    const std::optional<std::string>& api_key_hint,
    const std::optional<std::string>& webhook_secret_sealed, const std::string& settings_json) {
  return FirstAccount(tx_.Exec(sql::kCarrierAccountsUpsertCarrierAccount, merchant_id, carrier,
                               api_key_sealed, api_key_hint, webhook_secret_sealed, settings_json));
}

std::optional<StoredCarrierAccount> CarrierAccountStore::GetAccount(const std::string& merchant_id,
                                                                    const std::string& carrier) {
  return FirstAccount(tx_.Exec(sql::kCarrierAccountsGetCarrierAccount, merchant_id, carrier));
}

std::vector<v1::CarrierAccount> CarrierAccountStore::ListAccounts(const std::string& merchant_id) {
  std::vector<v1::CarrierAccount> accounts;
  for (const auto& row : tx_.Exec(sql::kCarrierAccountsListCarrierAccounts, merchant_id)) {
    accounts.push_back(AccountFromRow(row).account);
  }
  return accounts;
}

std::optional<StoredCarrierAccount> CarrierAccountStore::DeleteAccount(
    const std::string& merchant_id, const std::string& carrier) {
  return FirstAccount(tx_.Exec(sql::kCarrierAccountsDeleteCarrierAccount, merchant_id, carrier));
}

std::optional<std::string> CarrierAccountStore::GetMemo(const std::string& merchant_id,
                                                        const std::string& key) {
  const pqxx::result rows = tx_.Exec(sql::kCarrierAccountsGetCallMemo, merchant_id, key);
  if (rows.empty()) return std::nullopt;
  return rows[0]["value"].as<std::string>();
}

void CarrierAccountStore::PutMemo(const std::string& merchant_id, const std::string& key,
                                  const std::string& value) {
  tx_.Exec(sql::kCarrierAccountsPutCallMemo, merchant_id, key, value);
}

bool CarrierAccountStore::RecordWebhookEvent(const std::string& merchant_id,
                                             const std::string& carrier,
                                             const std::string& event_id, const std::string& body) {
  return !tx_.Exec(sql::kCarrierAccountsRecordCarrierWebhookEvent, merchant_id, carrier, event_id,
                   body)
              .empty();
}

}  // namespace returns::storage
