#pragma once

#include "absl/status/status.h"
#include "app/common/app_context.h"
#include "returns/v1/webhook.pb.h"
#include "returns/v1/webhook_service.pb.h"

// WebhookService (docs/integrations.md, "Webhooks"): the merchant's endpoints, their signing
// secrets (sealed at rest, shown once) and their deliveries. Sending is the background pass of
// app/background/deliver_webhooks.cc.
namespace returns::app {

absl::Status CreateWebhookEndpoint(const AppContext& app, CallContext& call,
                                   const v1::CreateWebhookEndpointRequest& request,
                                   v1::CreateWebhookEndpointResponse* response);
absl::Status ListWebhookEndpoints(const AppContext& app, CallContext& call,
                                  const v1::ListWebhookEndpointsRequest& request,
                                  v1::ListWebhookEndpointsResponse* response);
absl::Status UpdateWebhookEndpoint(const AppContext& app, CallContext& call,
                                   const v1::UpdateWebhookEndpointRequest& request,
                                   v1::WebhookEndpoint* response);
absl::Status RotateWebhookSecret(const AppContext& app, CallContext& call,
                                 const v1::RotateWebhookSecretRequest& request,
                                 v1::RotateWebhookSecretResponse* response);
absl::Status DeleteWebhookEndpoint(const AppContext& app, CallContext& call,
                                   const v1::DeleteWebhookEndpointRequest& request,
                                   v1::WebhookEndpoint* response);
absl::Status ListWebhookDeliveries(const AppContext& app, CallContext& call,
                                   const v1::ListWebhookDeliveriesRequest& request,
                                   v1::ListWebhookDeliveriesResponse* response);
absl::Status ReplayWebhookEvents(const AppContext& app, CallContext& call,
                                 const v1::ReplayWebhookEventsRequest& request,
                                 v1::ReplayWebhookEventsResponse* response);

}  // namespace returns::app
