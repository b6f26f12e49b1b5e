#include "absl/strings/str_cat.h"
#include "app/common/idempotency.h"
#include "app/common/record_transition.h"
#include "app/webhooks/webhook_use_cases.h"
#include "domain/errors.h"
#include "domain/event_types.h"
#include "storage/webhook_store.h"

namespace returns::app {

absl::Status DeleteWebhookEndpoint(const AppContext& app, CallContext& call,
                                   const v1::DeleteWebhookEndpointRequest& request,
                                   v1::WebhookEndpoint* response) {
  return RunIdempotent(app, call, request, response, [&](storage::Tx& tx) {
    storage::WebhookStore store(tx);
    std::optional<storage::StoredWebhookEndpoint> locked =
        store.LockEndpoint(call.merchant_id, request.endpoint_id());
    if (!locked) return NotFoundError("webhook endpoint", request.endpoint_id());
    store.DeleteEndpoint(call.merchant_id, request.endpoint_id());
    *response = locked->endpoint;
    RecordTransition(tx, call,
                     Transition{"", "webhook_endpoint", request.endpoint_id(),
                                event_type::kWebhookEndpointDeleted, "DELETED",
                                absl::StrCat("Webhook endpoint deleted: ", locked->endpoint.url()),
                                &locked->endpoint});
    return absl::OkStatus();
  });
}

}  // namespace returns::app
