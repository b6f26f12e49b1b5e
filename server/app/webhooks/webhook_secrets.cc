#include "app/webhooks/webhook_secrets.h"

#include "absl/strings/str_cat.h"
#include "common/secret_box.h"
#include "domain/errors.h"
#include "domain/webhook_signature.h"
#include "integrations/http_client.h"

namespace returns::app {

std::string WebhookSecretContext(const std::string& merchant_id, const std::string& endpoint_id) {
  return absl::StrCat("webhook_endpoints/", merchant_id, "/", endpoint_id);
}

absl::StatusOr<NewSecret> MakeWebhookSecret(const AppContext& app, const std::string& merchant_id,
                                            const std::string& endpoint_id) {
  if (app.secret_box == nullptr) {
    return PreconditionError(reason::kSecretKeysNotConfigured,
                             "this server keeps no secrets: returnsd runs without --secret_keys");
  }
  NewSecret made;
  made.secret = NewWebhookSecret();
  made.sealed = app.secret_box->Seal(made.secret, WebhookSecretContext(merchant_id, endpoint_id));
  return made;
}

absl::StatusOr<std::string> OpenWebhookSecret(const AppContext& app, const std::string& merchant_id,
                                              const std::string& endpoint_id,
                                              const std::string& sealed) {
  if (app.secret_box == nullptr) {
    return PreconditionError(reason::kSecretKeysNotConfigured,
                             "this server keeps no secrets: returnsd runs without --secret_keys");
  }
  return app.secret_box->Open(sealed, WebhookSecretContext(merchant_id, endpoint_id));
}

absl::Status CheckWebhookUrl(const AppContext& app, const std::string& url,
                             const std::string& field) {
  absl::Status checked = integrations::CheckDestinationUrl(
      url, app.webhook_allow_insecure ? integrations::DestinationRule::kAllowHttpAndLoopback
                                      : integrations::DestinationRule::kPublicHttpsOnly);
  if (checked.ok()) return checked;
  return InvalidField(field, checked.message(), reason::kWebhookUrlRefused);
}

}  // namespace returns::app
