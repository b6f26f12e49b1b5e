#include "app/common/idempotency.h"
#include "app/webhooks/webhook_use_cases.h"
#include "domain/errors.h"
#include "storage/webhook_store.h"

namespace returns::app {

absl::Status ReplayWebhookEvents(const AppContext& app, CallContext& call,
                                 const v1::ReplayWebhookEventsRequest& request,
                                 v1::ReplayWebhookEventsResponse* response) {
  return RunIdempotent(app, call, request, response, [&](storage::Tx& tx) {
    storage::WebhookStore store(tx);
    if (!store.LockEndpoint(call.merchant_id, request.endpoint_id())) {
      return NotFoundError("webhook endpoint", request.endpoint_id());
    }
    const int queued =
        store.ReplayEvents(call.merchant_id, request.endpoint_id(), request.event_id(),
                           request.from_sequence(), request.to_sequence());
    // One event asked for by id that the feed does not hold (or the endpoint's types skip).
    if (!request.event_id().empty() && queued == 0) {
      return NotFoundError("event", request.event_id());
    }
    response->set_queued(queued);
    return absl::OkStatus();
  });
}

}  // namespace returns::app
