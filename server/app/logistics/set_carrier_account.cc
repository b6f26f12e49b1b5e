#include "absl/strings/str_cat.h"
#include "app/common/idempotency.h"
#include "app/common/record_transition.h"
#include "app/logistics/carrier_accounts.h"
#include "app/logistics/logistics_use_cases.h"
#include "common/proto_json.h"
#include "common/secret_box.h"
#include "domain/errors.h"
#include "domain/event_types.h"
#include "integrations/integrations.h"
#include "storage/carrier_account_store.h"

namespace returns::app {

absl::Status SetCarrierAccount(const AppContext& app, CallContext& call,
                               const v1::SetCarrierAccountRequest& request,
                               v1::CarrierAccount* response) {
  const std::string& carrier = request.account().carrier();
  if (app.integrations == nullptr || app.integrations->Carrier(carrier) == nullptr) {
    return InvalidField("account.carrier",
                        absl::StrCat("\"", carrier, "\" is not a carrier of this server"));
  }
  if (app.secret_box == nullptr) {
    return PreconditionError(reason::kSecretKeysNotConfigured,
                             "this server keeps no secrets: returnsd runs without --secret_keys");
  }
  return RunIdempotent(app, call, request, response, [&](storage::Tx& tx) {
    const v1::CarrierAccount& account = request.account();
    std::optional<std::string> key_sealed;
    std::optional<std::string> key_hint;
    std::optional<std::string> secret_sealed;
    if (!account.api_key().empty()) {
      key_sealed = app.secret_box->Seal(
          account.api_key(), CarrierCredentialContext(call.merchant_id, carrier, "api_key"));
      key_hint =
          account.api_key().substr(account.api_key().size() > 4 ? account.api_key().size() - 4 : 0);
    }
    if (!account.webhook_secret().empty()) {
      secret_sealed = app.secret_box->Seal(
          account.webhook_secret(),
          CarrierCredentialContext(call.merchant_id, carrier, "webhook_secret"));
    }
    // The settings as stored: the account without its credentials and output-only fields.
    v1::CarrierAccount settings = account;
    settings.clear_api_key();
    settings.clear_webhook_secret();
    settings.clear_api_key_hint();
    settings.clear_has_webhook_secret();
    settings.clear_webhook_path();
    settings.clear_create_time();
    settings.clear_update_time();
    if (settings.label_format().empty()) settings.set_label_format("PDF");
    auto settings_json = ProtoToJson(settings);
    if (!settings_json.ok()) return settings_json.status();
    std::optional<storage::StoredCarrierAccount> stored =
        storage::CarrierAccountStore(tx).UpsertAccount(call.merchant_id, carrier, key_sealed,
                                                       key_hint, secret_sealed, *settings_json);
    if (!stored) {
      return InvalidField("account.api_key", "is required when the account is set the first time");
    }
    *response = stored->account;
    response->set_webhook_path(CarrierWebhookPath(call.merchant_id, carrier));
    RecordTransition(
        tx, call,
        Transition{
            "", "carrier_account", carrier, event_type::kCarrierAccountSet, "SET",
            absl::StrCat("Carrier account set: ", carrier, key_sealed ? " (new API key)" : ""),
            response});
    return absl::OkStatus();
  });
}

}  // namespace returns::app
