#include "absl/strings/str_cat.h"
#include "app/common/idempotency.h"
#include "app/common/record_transition.h"
#include "app/webhooks/webhook_secrets.h"
#include "app/webhooks/webhook_use_cases.h"
#include "domain/errors.h"
#include "domain/event_types.h"
#include "storage/webhook_store.h"

namespace returns::app {
namespace {

// Whether the update sets `path` (an empty mask sets all four; validation refused other paths).
bool Sets(const v1::UpdateWebhookEndpointRequest& request, const std::string& path) {
  if (request.update_mask().paths().empty()) return true;
  for (const std::string& named : request.update_mask().paths()) {
    if (named == path) return true;
  }
  return false;
}

}  // namespace

absl::Status UpdateWebhookEndpoint(const AppContext& app, CallContext& call,
                                   const v1::UpdateWebhookEndpointRequest& request,
                                   v1::WebhookEndpoint* response) {
  if (Sets(request, "url")) {
    if (absl::Status url = CheckWebhookUrl(app, request.endpoint().url(), "endpoint.url");
        !url.ok()) {
      return url;
    }
  }
  return RunIdempotent(app, call, request, response, [&](storage::Tx& tx) {
    storage::WebhookStore store(tx);
    const std::string& endpoint_id = request.endpoint().endpoint_id();
    std::optional<storage::StoredWebhookEndpoint> locked =
        store.LockEndpoint(call.merchant_id, endpoint_id);
    if (!locked) return NotFoundError("webhook endpoint", endpoint_id);
    v1::WebhookEndpoint changed = locked->endpoint;
    if (Sets(request, "url")) changed.set_url(request.endpoint().url());
    if (Sets(request, "event_types")) {
      *changed.mutable_event_types() = request.endpoint().event_types();
    }
    if (Sets(request, "description")) changed.set_description(request.endpoint().description());
    if (Sets(request, "enabled")) changed.set_enabled(request.endpoint().enabled());
    storage::StoredWebhookEndpoint stored = store.UpdateEndpoint(call.merchant_id, changed);
    *response = stored.endpoint;
    RecordTransition(
        tx, call,
        Transition{"", "webhook_endpoint", endpoint_id, event_type::kWebhookEndpointUpdated,
                   stored.endpoint.enabled() ? "ENABLED" : "DISABLED",
                   absl::StrCat("Webhook endpoint updated: ", stored.endpoint.url(),
                                stored.endpoint.enabled() ? "" : " (disabled)"),
                   &stored.endpoint});
    return absl::OkStatus();
  });
}

}  // namespace returns::app
