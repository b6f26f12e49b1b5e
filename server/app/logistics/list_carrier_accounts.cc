#include "app/logistics/carrier_accounts.h"
#include "app/logistics/logistics_use_cases.h"
#include "storage/carrier_account_store.h"

namespace returns::app {

absl::Status ListCarrierAccounts(const AppContext& app, CallContext& call,
                                 const v1::ListCarrierAccountsRequest& /*request*/,
                                 v1::ListCarrierAccountsResponse* response) {
  return storage::RunSingleRead(
      *app.pool, "ListCarrierAccounts", call.deadline, [&](storage::Tx& tx) {
        for (v1::CarrierAccount& account :
             storage::CarrierAccountStore(tx).ListAccounts(call.merchant_id)) {
          account.set_webhook_path(CarrierWebhookPath(call.merchant_id, account.carrier()));
          *response->add_accounts() = std::move(account);
        }
        return absl::OkStatus();
      });
}

}  // namespace returns::app
