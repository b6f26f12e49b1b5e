#include "absl/strings/str_cat.h"
#include "app/common/idempotency.h"
#include "app/common/record_transition.h"
#include "app/webhooks/webhook_secrets.h"
#include "app/webhooks/webhook_use_cases.h"
#include "domain/errors.h"
#include "domain/event_types.h"
#include "storage/webhook_store.h"

namespace returns::app {

// How long the previous secret signs next to the new one when the request does not say.
constexpr int kDefaultOverlapSeconds = 24 * 3600;

absl::Status RotateWebhookSecret(const AppContext& app, CallContext& call,
                                 const v1::RotateWebhookSecretRequest& request,
                                 v1::RotateWebhookSecretResponse* response) {
  // A replay shows the endpoint's current secret again; the stored response never holds it.
  auto show_secret_again = [&](storage::Tx& tx, google::protobuf::Message* stored) {
    auto* replayed = static_cast<v1::RotateWebhookSecretResponse*>(stored);
    std::optional<storage::StoredWebhookEndpoint> endpoint =
        storage::WebhookStore(tx).GetEndpoint(call.merchant_id, request.endpoint_id());
    if (!endpoint) return absl::OkStatus();
    // The stored (canonical, lowercase) id: what the secret was sealed under.
    auto secret = OpenWebhookSecret(app, call.merchant_id, endpoint->endpoint.endpoint_id(),
                                    endpoint->secret_sealed);
    if (!secret.ok()) return secret.status();
    replayed->set_secret(*secret);
    return absl::OkStatus();
  };
  return RunIdempotent(
      app, call, request, response,
      [&](storage::Tx& tx) {
        storage::WebhookStore store(tx);
        std::optional<storage::StoredWebhookEndpoint> locked =
            store.LockEndpoint(call.merchant_id, request.endpoint_id());
        if (!locked) return NotFoundError("webhook endpoint", request.endpoint_id());
        // Sealed under the stored (canonical, lowercase) id, which the sender opens it with.
        const std::string endpoint_id = locked->endpoint.endpoint_id();
        auto secret = MakeWebhookSecret(app, call.merchant_id, endpoint_id);
        if (!secret.ok()) return secret.status();
        const int overlap =
            request.overlap_seconds() == 0 ? kDefaultOverlapSeconds : request.overlap_seconds();
        storage::StoredWebhookEndpoint stored =
            store.RotateSecret(call.merchant_id, endpoint_id, secret->sealed, overlap);
        *response->mutable_endpoint() = stored.endpoint;
        response->set_secret(secret->secret);
        RecordTransition(
            tx, call,
            Transition{"", "webhook_endpoint", endpoint_id,
                       event_type::kWebhookEndpointSecretRotated,
                       stored.endpoint.enabled() ? "ENABLED" : "DISABLED",
                       absl::StrCat("Webhook secret rotated; the previous one signs too for ",
                                    overlap, " s"),
                       &stored.endpoint});
        return absl::OkStatus();
      },
      IdempotencyOptions{{"secret"}, absl::Hours(24), show_secret_again});
}

}  // namespace returns::app
