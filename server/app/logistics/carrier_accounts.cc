#include "app/logistics/carrier_accounts.h"

#include "absl/strings/str_cat.h"
#include "common/secret_box.h"
#include "domain/errors.h"
#include "integrations/integrations.h"
#include "storage/carrier_account_store.h"

namespace returns::app {

std::string CarrierCredentialContext(const std::string& merchant_id, const std::string& carrier,
                                     const std::string& what) {
  return absl::StrCat("carrier_accounts/", merchant_id, "/", carrier, "/", what);
}

std::string CarrierWebhookPath(const std::string& merchant_id, const std::string& carrier) {
  return absl::StrCat("/webhooks/", carrier, "/", merchant_id);
}

absl::Status CheckCarrierAccount(storage::Tx& tx, const AppContext& app,
                                 const std::string& merchant_id, const std::string& carrier) {
  const integrations::CarrierAdapter* adapter =
      app.integrations == nullptr ? nullptr : app.integrations->Carrier(carrier);
  if (adapter == nullptr || !adapter->NeedsAccount()) return absl::OkStatus();
  if (storage::CarrierAccountStore(tx).GetAccount(merchant_id, carrier)) return absl::OkStatus();
  return PreconditionError(
      reason::kCarrierAccountMissing,
      absl::StrCat("the merchant has no account at carrier \"", carrier, "\" (SetCarrierAccount)"),
      {{"carrier", carrier}});
}

absl::StatusOr<std::optional<std::string>> OpenCarrierCredential(const AppContext& app,
                                                                 const std::string& merchant_id,
                                                                 const std::string& carrier,
                                                                 const std::string& what) {
  std::optional<storage::StoredCarrierAccount> stored;
  absl::Status read = storage::RunSingleRead(
      *app.pool, "GetCarrierAccount", absl::Now() + absl::Seconds(10), [&](storage::Tx& tx) {
        stored = storage::CarrierAccountStore(tx).GetAccount(merchant_id, carrier);
        return absl::OkStatus();
      });
  if (!read.ok()) return read;
  if (!stored) return std::optional<std::string>();
  const std::optional<std::string> sealed = what == "api_key"
                                                ? std::optional<std::string>(stored->api_key_sealed)
                                                : stored->webhook_secret_sealed;
  if (!sealed) return std::optional<std::string>();
  if (app.secret_box == nullptr) {
    return PreconditionError(reason::kSecretKeysNotConfigured,
                             "this server keeps no secrets: returnsd runs without --secret_keys");
  }
  auto opened = app.secret_box->Open(*sealed, CarrierCredentialContext(merchant_id, carrier, what));
  if (!opened.ok()) return opened.status();
  return std::optional<std::string>(*std::move(opened));
}

}  // namespace returns::app
