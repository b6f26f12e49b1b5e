#include "storage/webhook_store.h"

#include <nlohmann/json.hpp>

#include "storage/field_reading.h"

namespace returns::storage {
namespace {

// The first page's position of ListEndpoints (the statement casts it to uuid).
constexpr char kNoEndpoint[] = "00000000-0000-0000-0000-000000000000";

std::string TypesJson(const std::vector<std::string>& types) {
  return nlohmann::json(types).dump();
}

// A row of webhooks/{insert,get,lock,list,update,rotate}_webhook_endpoint(s).sql.
StoredWebhookEndpoint EndpointFromRow(const pqxx::row& row) {
  StoredWebhookEndpoint stored;
  v1::WebhookEndpoint& endpoint = stored.endpoint;
  endpoint.set_endpoint_id(row["endpoint_id"].as<std::string>());
  endpoint.set_url(row["url"].as<std::string>());
  const nlohmann::json types = nlohmann::json::parse(row["event_types"].as<std::string>());
  for (const auto& type : types) endpoint.add_event_types(type.get<std::string>());
  endpoint.set_description(row["description"].as<std::string>());
  endpoint.set_enabled(row["enabled"].as<bool>());
  endpoint.set_disabled_reason(row["disabled_reason"].as<std::string>());
  endpoint.set_queued_through_sequence(row["queued_through_sequence"].as<int64_t>());
  endpoint.set_consecutive_failures(row["consecutive_failures"].as<int32_t>());
  SetMicros(row["previous_secret_expire_time_us"],
            [&] { return endpoint.mutable_previous_secret_expire_time(); });
  SetMicros(row["next_attempt_time_us"], [&] { return endpoint.mutable_next_attempt_time(); });
  SetMicros(row["create_time_us"], [&] { return endpoint.mutable_create_time(); });
  SetMicros(row["update_time_us"], [&] { return endpoint.mutable_update_time(); });
  stored.secret_sealed = row["secret_sealed"].as<std::string>();
  stored.previous_secret_sealed = Nullable<std::string>(row["previous_secret_sealed"]);
  return stored;
}

std::optional<StoredWebhookEndpoint> FirstEndpoint(const pqxx::result& rows) {
  if (rows.empty()) return std::nullopt;
  return EndpointFromRow(rows[0]);
}

}  // namespace

StoredWebhookEndpoint WebhookStore::InsertEndpoint(const std::string& merchant_id,
                                                   const std::string& endpoint_id,
                                                   const std::string& url,
                                                   const std::vector<std::string>& event_types,
                                                   const std::string& description,
                                                   const std::string& secret_sealed) {
  return EndpointFromRow(tx_.Exec(sql::kWebhooksInsertWebhookEndpoint, merchant_id, endpoint_id,
                                  url, TypesJson(event_types), description, secret_sealed)[0]);
}

void WebhookStore::LockMerchantEndpoints(const std::string& merchant_id) {
  tx_.Exec(sql::kWebhooksLockMerchantWebhooks, merchant_id);
}

std::optional<StoredWebhookEndpoint> WebhookStore::GetEndpoint(const std::string& merchant_id,
                                                               const std::string& endpoint_id) {
  return FirstEndpoint(tx_.Exec(sql::kWebhooksGetWebhookEndpoint, merchant_id, endpoint_id));
}

std::optional<StoredWebhookEndpoint> WebhookStore::LockEndpoint(const std::string& merchant_id,
                                                                const std::string& endpoint_id) {
  return FirstEndpoint(tx_.Exec(sql::kWebhooksLockWebhookEndpoint, merchant_id, endpoint_id));
}

std::vector<v1::WebhookEndpoint> WebhookStore::ListEndpoints(const std::string& merchant_id,
                                                             int64_t after_create_time_us,
                                                             const std::string& after_endpoint_id,
                                                             int limit) {
  std::vector<v1::WebhookEndpoint> endpoints;
  for (const auto& row :
       tx_.Exec(sql::kWebhooksListWebhookEndpoints, merchant_id, after_create_time_us,
                after_endpoint_id.empty() ? std::string(kNoEndpoint) : after_endpoint_id, limit)) {
    endpoints.push_back(EndpointFromRow(row).endpoint);
  }
  return endpoints;
}

StoredWebhookEndpoint WebhookStore::UpdateEndpoint(const std::string& merchant_id,
                                                   const v1::WebhookEndpoint& endpoint) {
  const std::vector<std::string> types(endpoint.event_types().begin(),
                                       endpoint.event_types().end());
  return EndpointFromRow(tx_.Exec(sql::kWebhooksUpdateWebhookEndpoint, merchant_id,
                                  endpoint.endpoint_id(), endpoint.url(), TypesJson(types),
                                  endpoint.description(), endpoint.enabled())[0]);
}

StoredWebhookEndpoint WebhookStore::RotateSecret(const std::string& merchant_id,
                                                 const std::string& endpoint_id,
                                                 const std::string& secret_sealed,
                                                 int overlap_seconds) {
  return EndpointFromRow(tx_.Exec(sql::kWebhooksRotateWebhookSecret, merchant_id, endpoint_id,
                                  secret_sealed, overlap_seconds)[0]);
}

void WebhookStore::DeleteEndpoint(const std::string& merchant_id, const std::string& endpoint_id) {
  tx_.Exec(sql::kWebhooksDeleteWebhookEndpoint, merchant_id, endpoint_id);
}

std::vector<std::pair<v1::WebhookDelivery, int64_t>> WebhookStore::ListDeliveries(
    const std::string& merchant_id, const std::string& endpoint_id, const std::string& state,
    const std::string& event_id, int64_t before_position, int limit) {
  std::vector<std::pair<v1::WebhookDelivery, int64_t>> deliveries;
  for (const auto& row : tx_.Exec(sql::kWebhooksListWebhookDeliveries, merchant_id, endpoint_id,
                                  state, event_id, before_position, limit)) {
    v1::WebhookDelivery delivery;
    delivery.set_delivery_id(row["delivery_id"].as<std::string>());
    delivery.set_endpoint_id(row["endpoint_id"].as<std::string>());
    delivery.set_event_id(row["event_id"].as<std::string>());
    delivery.set_sequence(row["sequence"].as<int64_t>());
    delivery.set_event_type(row["event_type"].as<std::string>());
    delivery.set_replay(row["replay"].as<bool>());
    delivery.set_state(EnumFromName<v1::WebhookDeliveryState>(row["state"].as<std::string>()));
    delivery.set_attempts(row["attempts"].as<int32_t>());
    delivery.set_response_code(row["response_code"].as<int32_t>());
    delivery.set_error(row["error"].as<std::string>());
    SetMicros(row["create_time_us"], [&] { return delivery.mutable_create_time(); });
    SetMicros(row["last_attempt_time_us"], [&] { return delivery.mutable_last_attempt_time(); });
    SetMicros(row["delivered_time_us"], [&] { return delivery.mutable_delivered_time(); });
    deliveries.emplace_back(std::move(delivery), row["queue_position"].as<int64_t>());
  }
  return deliveries;
}

int WebhookStore::ReplayEvents(const std::string& merchant_id, const std::string& endpoint_id,
                               const std::string& event_id, int64_t from_sequence,
                               int64_t to_sequence) {
  return static_cast<int>(tx_.Exec(sql::kWebhooksReplayWebhookEvents, merchant_id, endpoint_id,
                                   event_id, from_sequence, to_sequence)
                              .size());
}

WebhookStore::QueueOutcome WebhookStore::QueueDeliveries(int max_endpoints,
                                                         int max_events_per_endpoint) {
  QueueOutcome outcome;
  for (const auto& row :
       tx_.Exec(sql::kWebhooksQueueWebhookDeliveries, max_endpoints, max_events_per_endpoint)) {
    ++outcome.endpoints;
    outcome.deliveries += row["queued"].as<int64_t>();
  }
  return outcome;
}

std::vector<ClaimedWebhookEndpoint> WebhookStore::ClaimEndpoints(int max_endpoints,
                                                                 int64_t lease_ms) {
  std::vector<ClaimedWebhookEndpoint> claimed;
  for (const auto& row : tx_.Exec(sql::kWebhooksClaimWebhookEndpoints, max_endpoints, lease_ms)) {
    claimed.push_back(ClaimedWebhookEndpoint{
        row["merchant_id"].as<std::string>(), row["endpoint_id"].as<std::string>(),
        row["lease_id"].as<std::string>(), row["url"].as<std::string>(),
        row["secret_sealed"].as<std::string>(),
        Nullable<std::string>(row["previous_secret_sealed"])});
  }
  return claimed;
}

std::optional<PendingWebhookDelivery> WebhookStore::NextDelivery(const std::string& merchant_id,
                                                                 const std::string& endpoint_id) {
  const pqxx::result rows = tx_.Exec(sql::kWebhooksNextWebhookDelivery, merchant_id, endpoint_id);
  if (rows.empty()) return std::nullopt;
  const pqxx::row& row = rows[0];
  PendingWebhookDelivery pending;
  pending.delivery_id = row["delivery_id"].as<std::string>();
  pending.attempts = row["attempts"].as<int>();
  pending.event.set_sequence(row["sequence"].as<int64_t>());
  pending.event.set_event_id(row["event_id"].as<std::string>());
  pending.event.set_aggregate_type(row["aggregatetype"].as<std::string>());
  pending.event.set_aggregate_id(row["aggregateid"].as<std::string>());
  pending.event.set_event_type(row["type"].as<std::string>());
  pending.event.set_order_id(row["order_id"].as<std::string>());
  SetMicros(row["create_time_us"], [&] { return pending.event.mutable_create_time(); });
  pending.payload_json = row["payload"].as<std::string>();
  return pending;
}

bool WebhookStore::RecordSuccess(const ClaimedWebhookEndpoint& claim,
                                 const std::string& delivery_id, int response_code) {
  return !tx_.Exec(sql::kWebhooksRecordWebhookSuccess, claim.merchant_id, claim.endpoint_id,
                   claim.lease_id, delivery_id, response_code)
              .empty();
}

std::optional<WebhookStore::FailureOutcome> WebhookStore::RecordFailure(
    const ClaimedWebhookEndpoint& claim, const std::string& delivery_id, int response_code,
    const std::string& error, int64_t retry_delay_ms, int64_t retry_window_ms, bool disable_now) {
  const pqxx::result rows = tx_.Exec(sql::kWebhooksRecordWebhookFailure, claim.merchant_id,
                                     claim.endpoint_id, claim.lease_id, delivery_id, response_code,
                                     error, retry_delay_ms, retry_window_ms, disable_now);
  if (rows.empty()) return std::nullopt;
  return FailureOutcome{rows[0]["disabled_now"].as<bool>(),
                        rows[0]["disabled_reason"].as<std::string>()};
}

void WebhookStore::Release(const ClaimedWebhookEndpoint& claim) {
  tx_.Exec(sql::kWebhooksReleaseWebhookEndpoint, claim.merchant_id, claim.endpoint_id,
           claim.lease_id);
}

}  // namespace returns::storage
