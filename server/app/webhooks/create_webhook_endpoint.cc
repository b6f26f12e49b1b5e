#include "absl/strings/str_cat.h"
#include "app/common/idempotency.h"
#include "app/common/record_transition.h"
#include "app/webhooks/webhook_secrets.h"
#include "app/webhooks/webhook_use_cases.h"
#include "common/crypto.h"
#include "domain/errors.h"
#include "domain/event_types.h"
#include "storage/webhook_store.h"

namespace returns::app {

absl::Status CreateWebhookEndpoint(const AppContext& app, CallContext& call,
                                   const v1::CreateWebhookEndpointRequest& request,
                                   v1::CreateWebhookEndpointResponse* response) {
  if (absl::Status url = CheckWebhookUrl(app, request.url(), "url"); !url.ok()) return url;
  // A replay shows the endpoint's current secret again (the first answer may have been lost);
  // the stored response never holds it.
  auto show_secret_again = [&](storage::Tx& tx, google::protobuf::Message* stored) {
    auto* replayed = static_cast<v1::CreateWebhookEndpointResponse*>(stored);
    std::optional<storage::StoredWebhookEndpoint> endpoint =
        storage::WebhookStore(tx).GetEndpoint(call.merchant_id, replayed->endpoint().endpoint_id());
    if (!endpoint) return absl::OkStatus();  // deleted since: nothing to show
    auto secret = OpenWebhookSecret(app, call.merchant_id, replayed->endpoint().endpoint_id(),
                                    endpoint->secret_sealed);
    if (!secret.ok()) return secret.status();
    replayed->set_secret(*secret);
    return absl::OkStatus();
  };
  return RunIdempotent(
      app, call, request, response,
      [&](storage::Tx& tx) {
        storage::WebhookStore store(tx);
        store.LockMerchantEndpoints(call.merchant_id);  // two creations never both pass the limit
        if (store.ListEndpoints(call.merchant_id, 0, "", kMaxWebhookEndpoints).size() >=
            static_cast<size_t>(kMaxWebhookEndpoints)) {
          return QuotaError(reason::kWebhookEndpointLimit,
                            absl::StrCat("merchants/", call.merchant_id),
                            absl::StrCat("a merchant has at most ", kMaxWebhookEndpoints,
                                         " webhook endpoints; delete one first"));
        }
        const std::string endpoint_id = crypto::RandomUuid();
        auto secret = MakeWebhookSecret(app, call.merchant_id, endpoint_id);
        if (!secret.ok()) return secret.status();
        const std::vector<std::string> types(request.event_types().begin(),
                                             request.event_types().end());
        storage::StoredWebhookEndpoint stored =
            store.InsertEndpoint(call.merchant_id, endpoint_id, request.url(), types,
                                 request.description(), secret->sealed);
        *response->mutable_endpoint() = stored.endpoint;
        response->set_secret(secret->secret);
        RecordTransition(
            tx, call,
            Transition{"", "webhook_endpoint", endpoint_id, event_type::kWebhookEndpointCreated,
                       "ENABLED", absl::StrCat("Webhook endpoint created: ", request.url()),
                       &stored.endpoint});
        return absl::OkStatus();
      },
      IdempotencyOptions{{"secret"}, absl::Hours(24), show_secret_again});
}

}  // namespace returns::app
