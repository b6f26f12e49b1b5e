#pragma once

#include <optional>
#include <string>
#include <vector>

#include "returns/v1/carrier_account.pb.h"
#include "storage/transaction.h"

namespace returns::storage {

// An account as stored: the message clients see (credentials cleared) and its sealed
// credentials (never shown).
struct StoredCarrierAccount {
  v1::CarrierAccount account;
  std::string api_key_sealed;
  std::optional<std::string> webhook_secret_sealed;
};

// The statements of storage/sql/carrier_accounts/ (merchants' carrier accounts, the adapters'
// call memos and the carriers' webhook events; docs/integrations.md), rows read by column name.
class CarrierAccountStore {
 public:
  explicit CarrierAccountStore(Tx& tx) : tx_(tx) {}

  // carrier_accounts/upsert_carrier_account.sql: nullopt values keep the stored ones; nullopt
  // when a new account comes without its API key.
  std::optional<StoredCarrierAccount> UpsertAccount(
      const std::string& merchant_id, const std::string& carrier,
      const std::optional<std::string>& api_key_sealed,
      const std::optional<std::string>& api_key_hint,
      const std::optional<std::string>& webhook_secret_sealed, const std::string& settings_json);
  // carrier_accounts/get_carrier_account.sql; nullopt without one.
  std::optional<StoredCarrierAccount> GetAccount(const std::string& merchant_id,
                                                 const std::string& carrier);
  // carrier_accounts/list_carrier_accounts.sql.
  std::vector<v1::CarrierAccount> ListAccounts(const std::string& merchant_id);
  // carrier_accounts/delete_carrier_account.sql; nullopt when there was none.
  std::optional<StoredCarrierAccount> DeleteAccount(const std::string& merchant_id,
                                                    const std::string& carrier);
  // carrier_accounts/get_call_memo.sql and put_call_memo.sql.
  std::optional<std::string> GetMemo(const std::string& merchant_id, const std::string& key);
  void PutMemo(const std::string& merchant_id, const std::string& key, const std::string& value);
  // carrier_accounts/record_carrier_webhook_event.sql: false for a duplicate.
  bool RecordWebhookEvent(const std::string& merchant_id, const std::string& carrier,
                          const std::string& event_id, const std::string& body);

 private:
  Tx& tx_;
};

}  // namespace returns::storage
