#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "returns/v1/events.pb.h"
#include "returns/v1/webhook.pb.h"
#include "storage/transaction.h"

namespace returns::storage {

// An endpoint as stored: the message clients see and its sealed secrets (never shown).
struct StoredWebhookEndpoint {
  v1::WebhookEndpoint endpoint;
  std::string secret_sealed;
  std::optional<std::string> previous_secret_sealed;
};

// An endpoint a sender claimed (webhooks/claim_webhook_endpoints.sql).
struct ClaimedWebhookEndpoint {
  std::string merchant_id;
  std::string endpoint_id;
  std::string lease_id;
  std::string url;
  std::string secret_sealed;
  std::optional<std::string> previous_secret_sealed;  // only while its overlap lasts
};

// The oldest pending delivery of an endpoint, with its feed event.
struct PendingWebhookDelivery {
  std::string delivery_id;
  int attempts = 0;
  v1::ChangeEvent event;  // payload left empty: payload_json holds it
  std::string payload_json;
};

// The statements of storage/sql/webhooks/ (merchants' webhook endpoints and deliveries,
// docs/integrations.md), with their rows read by column name.
class WebhookStore {
 public:
  explicit WebhookStore(Tx& tx) : tx_(tx) {}

  // webhooks/insert_webhook_endpoint.sql: the new endpoint, queued from the feed's end.
  StoredWebhookEndpoint InsertEndpoint(const std::string& merchant_id,
                                       const std::string& endpoint_id, const std::string& url,
                                       const std::vector<std::string>& event_types,
                                       const std::string& description,
                                       const std::string& secret_sealed);
  // webhooks/lock_merchant_webhooks.sql: until the transaction ends, no other creation of the
  // merchant's endpoints runs.
  void LockMerchantEndpoints(const std::string& merchant_id);
  // webhooks/get_webhook_endpoint.sql; nullopt when there is none.
  std::optional<StoredWebhookEndpoint> GetEndpoint(const std::string& merchant_id,
                                                   const std::string& endpoint_id);
  // webhooks/lock_webhook_endpoint.sql: locked FOR UPDATE; nullopt when there is none.
  std::optional<StoredWebhookEndpoint> LockEndpoint(const std::string& merchant_id,
                                                    const std::string& endpoint_id);
  // webhooks/list_webhook_endpoints.sql: a page, oldest first, after the position (0, "": first).
  std::vector<v1::WebhookEndpoint> ListEndpoints(const std::string& merchant_id,
                                                 int64_t after_create_time_us,
                                                 const std::string& after_endpoint_id, int limit);
  // webhooks/update_webhook_endpoint.sql on a locked endpoint.
  StoredWebhookEndpoint UpdateEndpoint(const std::string& merchant_id,
                                       const v1::WebhookEndpoint& endpoint);
  // webhooks/rotate_webhook_secret.sql on a locked endpoint.
  StoredWebhookEndpoint RotateSecret(const std::string& merchant_id, const std::string& endpoint_id,
                                     const std::string& secret_sealed, int overlap_seconds);
  // webhooks/delete_webhook_endpoint.sql.
  void DeleteEndpoint(const std::string& merchant_id, const std::string& endpoint_id);
  // webhooks/list_webhook_deliveries.sql: a page, newest first, before the queue position
  // (0: the first page). Each delivery comes with its queue position (the page token's).
  std::vector<std::pair<v1::WebhookDelivery, int64_t>> ListDeliveries(
      const std::string& merchant_id, const std::string& endpoint_id, const std::string& state,
      const std::string& event_id, int64_t before_position, int limit);
  // webhooks/replay_webhook_events.sql: how many deliveries it queued.
  int ReplayEvents(const std::string& merchant_id, const std::string& endpoint_id,
                   const std::string& event_id, int64_t from_sequence, int64_t to_sequence);

  // webhooks/queue_webhook_deliveries.sql: how many endpoints it moved and how many deliveries
  // it queued.
  struct QueueOutcome {
    int endpoints = 0;
    int64_t deliveries = 0;
  };
  QueueOutcome QueueDeliveries(int max_endpoints, int max_events_per_endpoint);
  // webhooks/claim_webhook_endpoints.sql.
  std::vector<ClaimedWebhookEndpoint> ClaimEndpoints(int max_endpoints, int64_t lease_ms);
  // webhooks/next_webhook_delivery.sql; nullopt when none is pending.
  std::optional<PendingWebhookDelivery> NextDelivery(const std::string& merchant_id,
                                                     const std::string& endpoint_id);
  // webhooks/record_webhook_success.sql: false when the lease was lost.
  bool RecordSuccess(const ClaimedWebhookEndpoint& claim, const std::string& delivery_id,
                     int response_code);
  // What webhooks/record_webhook_failure.sql left: nullopt when the lease was lost.
  struct FailureOutcome {
    bool disabled_now = false;  // this failure disabled the endpoint
    std::string disabled_reason;
  };
  std::optional<FailureOutcome> RecordFailure(const ClaimedWebhookEndpoint& claim,
                                              const std::string& delivery_id, int response_code,
                                              const std::string& error, int64_t retry_delay_ms,
                                              int64_t retry_window_ms, bool disable_now);
  // webhooks/release_webhook_endpoint.sql.
  void Release(const ClaimedWebhookEndpoint& claim);

 private:
  Tx& tx_;
};

}  // namespace returns::storage
