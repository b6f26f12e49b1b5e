#include <algorithm>
#include <random>

#include <nlohmann/json.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "app/background/background_passes.h"
#include "app/common/record_transition.h"
#include "app/webhooks/webhook_secrets.h"
#include "common/log.h"
#include "common/proto_json.h"
#include "domain/event_types.h"
#include "domain/webhook_signature.h"
#include "integrations/http_client.h"
#include "metrics/metrics.h"
#include "storage/transaction.h"
#include "storage/webhook_store.h"

// Webhook delivery (docs/integrations.md, "Webhooks"): the feed's events are queued per
// endpoint, then each endpoint's queue is sent in order, one delivery at a time, outside any
// transaction. At least once: a crash between the POST and recording its answer leaves the
// delivery pending, and the next sender (after the lease) POSTs it again with the same
// webhook-id, which receivers de-duplicate on.
namespace returns::app {
namespace {

// What one attempt came to.
struct Attempt {
  bool delivered = false;
  bool gone = false;  // 410: disable at once
  int response_code = 0;
  std::string error;
  std::string outcome;                                // the metric's label
  absl::Duration retry_after = absl::ZeroDuration();  // the endpoint's Retry-After, if any
};

// Exponential backoff with jitter: base x 2^(failures-1), at most `max`, then 50-100% of it, so
// endpoints that failed together are not retried together; a longer Retry-After wins (bounded).
absl::Duration RetryDelay(const WebhookDeliveryOptions& options, int failures,
                          absl::Duration retry_after) {
  absl::Duration delay = options.retry_base;
  for (int i = 1; i < failures && delay < options.retry_max; ++i) delay *= 2;
  delay = std::min(delay, options.retry_max);
  static thread_local std::mt19937_64 random{std::random_device{}()};
  delay = delay * std::uniform_real_distribution<double>(0.5, 1.0)(random);
  return std::min(std::max(delay, retry_after), options.retry_max);
}

// The body: Standard Webhooks' {type, timestamp, data}, data being the feed's ChangeEvent as
// StreamEvents shows it.
std::string WebhookBody(const storage::PendingWebhookDelivery& pending) {
  nlohmann::json data = nlohmann::json::object();
  absl::StatusOr<std::string> event = ProtoToJson(pending.event);
  if (event.ok()) data = nlohmann::json::parse(*event, nullptr, false);
  data["payload"] = nlohmann::json::parse(pending.payload_json, nullptr, false);
  nlohmann::json body = {{"type", pending.event.event_type()},
                         {"timestamp", data.value("create_time", "")},
                         {"data", data}};
  return body.dump();
}

Attempt Post(const AppContext& app, const WebhookDeliveryOptions& options,
             const storage::ClaimedWebhookEndpoint& claim, const std::vector<std::string>& keys,
             const storage::PendingWebhookDelivery& pending) {
  const std::string body = WebhookBody(pending);
  const int64_t now_seconds = absl::ToUnixSeconds(absl::Now());
  integrations::HttpRequest request;
  request.url = claim.url;
  request.body = body;
  request.headers = {{"content-type", "application/json"},
                     {"user-agent", "returnsd-webhooks/1"},
                     {"webhook-id", pending.event.event_id()},
                     {"webhook-timestamp", absl::StrCat(now_seconds)},
                     {"webhook-signature",
                      WebhookSignatureHeader(keys, pending.event.event_id(), now_seconds, body)}};
  integrations::HttpLimits limits;
  limits.connect_timeout = options.connect_timeout;
  limits.total_timeout = options.total_timeout;
  limits.max_response_bytes = options.max_response_bytes;
  const auto response = integrations::SendHttp(
      request, limits,
      app.webhook_allow_insecure ? integrations::DestinationRule::kAllowHttpAndLoopback
                                 : integrations::DestinationRule::kPublicHttpsOnly);
  Attempt attempt;
  if (!response.ok()) {
    switch (response.status().code()) {
      case absl::StatusCode::kDeadlineExceeded:
        attempt.outcome = "timeout";
        attempt.error = "timed out";
        break;
      case absl::StatusCode::kInvalidArgument:
      case absl::StatusCode::kPermissionDenied:
        attempt.outcome = "refused";
        attempt.error = absl::StrCat("destination refused: ", response.status().message());
        break;
      default:
        attempt.outcome = "unreachable";
        attempt.error = std::string(response.status().message());
    }
    attempt.error = attempt.error.substr(0, 200);
    return attempt;
  }
  attempt.response_code = response->status;
  if (response->status >= 200 && response->status < 300) {
    attempt.delivered = true;
    attempt.outcome = "succeeded";
    return attempt;
  }
  attempt.outcome = "http_error";
  attempt.error = absl::StrCat("HTTP ", response->status);
  attempt.gone = response->status == 410;
  int64_t retry_after_seconds = 0;
  if (absl::SimpleAtoi(response->Header("retry-after"), &retry_after_seconds) &&
      retry_after_seconds > 0) {
    attempt.retry_after = absl::Seconds(retry_after_seconds);
  }
  return attempt;
}

// The signing keys of a claimed endpoint: the current secret's, then the previous one's while
// its overlap lasts. An error leaves the endpoint for a later pass (a key ring without the key
// the secret is sealed under is the operator's to fix, and is logged).
absl::StatusOr<std::vector<std::string>> SigningKeys(const AppContext& app,
                                                     const storage::ClaimedWebhookEndpoint& claim) {
  std::vector<std::string> keys;
  std::vector<std::string> sealed = {claim.secret_sealed};
  if (claim.previous_secret_sealed) sealed.push_back(*claim.previous_secret_sealed);
  for (const std::string& one : sealed) {
    auto secret = OpenWebhookSecret(app, claim.merchant_id, claim.endpoint_id, one);
    if (!secret.ok()) return secret.status();
    auto key = WebhookSigningKey(*secret);
    if (!key.ok()) return key.status();
    keys.push_back(*std::move(key));
  }
  return keys;
}

// Sends the claimed endpoint's queue until a failure, the per-claim count, or the lease nears
// its end.
void SendQueue(const AppContext& app, const WebhookDeliveryOptions& options,
               const storage::ClaimedWebhookEndpoint& claim) {
  // The last moment a POST may start: it and the read before it end before the lease does, with
  // a margin for the clocks of replicas and database.
  const absl::Time lease_end =
      absl::Now() + options.lease - options.total_timeout - absl::Seconds(20);
  auto keys = SigningKeys(app, claim);
  if (!keys.ok()) {
    log::Error("webhook endpoint's secret does not open", {{"merchant_id", claim.merchant_id},
                                                           {"endpoint_id", claim.endpoint_id},
                                                           {"error", keys.status().message()}});
    return;  // the lease runs out and a later pass retries
  }
  for (int sent = 0; sent < options.deliveries_per_claim && absl::Now() < lease_end; ++sent) {
    if (app.draining != nullptr && app.draining->HasBeenNotified()) break;  // SIGTERM: stop soon
    std::optional<storage::PendingWebhookDelivery> pending;
    absl::Status read = storage::RunSingleRead(
        *app.pool, "NextWebhookDelivery", absl::Now() + absl::Seconds(10), [&](storage::Tx& tx) {
          pending = storage::WebhookStore(tx).NextDelivery(claim.merchant_id, claim.endpoint_id);
          return absl::OkStatus();
        });
    if (!read.ok() || !pending || absl::Now() >= lease_end) break;
    const Attempt attempt = Post(app, options, claim, *keys, *pending);
    metrics::CountWebhookAttempt(attempt.outcome);
    bool recorded = false;
    absl::Status status = storage::RunTransaction(
        *app.pool, "RecordWebhookAttempt", absl::Now() + absl::Seconds(10), [&](storage::Tx& tx) {
          storage::WebhookStore store(tx);
          if (attempt.delivered) {
            recorded = store.RecordSuccess(claim, pending->delivery_id, attempt.response_code);
            return absl::OkStatus();
          }
          const absl::Duration delay =
              RetryDelay(options, pending->attempts + 1, attempt.retry_after);
          auto outcome =
              store.RecordFailure(claim, pending->delivery_id, attempt.response_code, attempt.error,
                                  absl::ToInt64Milliseconds(delay),
                                  absl::ToInt64Milliseconds(options.retry_window), attempt.gone);
          recorded = false;  // a failure ends this claim either way
          if (outcome && outcome->disabled_now) {
            std::optional<storage::StoredWebhookEndpoint> endpoint =
                store.GetEndpoint(claim.merchant_id, claim.endpoint_id);
            CallContext call = SweeperCall(claim.merchant_id);
            RecordTransition(
                tx, call,
                Transition{"", "webhook_endpoint", claim.endpoint_id,
                           event_type::kWebhookEndpointDisabled, "DISABLED",
                           absl::StrCat("Webhook endpoint disabled: ", outcome->disabled_reason),
                           endpoint ? &endpoint->endpoint : nullptr});
            log::Warn("webhook endpoint disabled", {{"merchant_id", claim.merchant_id},
                                                    {"endpoint_id", claim.endpoint_id},
                                                    {"reason", outcome->disabled_reason}});
          }
          return absl::OkStatus();
        });
    if (!status.ok() || !recorded) return;  // failed, or the lease was lost: stop here
  }
  (void)storage::RunTransaction(*app.pool, "ReleaseWebhookEndpoint",
                                absl::Now() + absl::Seconds(10), [&](storage::Tx& tx) {
                                  storage::WebhookStore(tx).Release(claim);
                                  return absl::OkStatus();
                                });
}

}  // namespace

absl::StatusOr<int64_t> QueueWebhookDeliveries(const AppContext& app,
                                               const WebhookDeliveryOptions& options) {
  // Passes of up to kEndpointsPerQueueing endpoints, again while one is full (at most 50), so
  // endpoints whose merchants write all the time do not starve the others.
  constexpr int kEndpointsPerQueueing = 50;
  int64_t queued = 0;
  for (int pass = 0; pass < 50; ++pass) {
    storage::WebhookStore::QueueOutcome outcome;
    absl::Status status = storage::RunTransaction(
        *app.pool, "QueueWebhookDeliveries", absl::Now() + absl::Seconds(30), [&](storage::Tx& tx) {
          outcome = storage::WebhookStore(tx).QueueDeliveries(kEndpointsPerQueueing,
                                                              options.events_per_queueing);
          return absl::OkStatus();
        });
    if (!status.ok()) return status;
    queued += outcome.deliveries;
    if (outcome.endpoints < kEndpointsPerQueueing) break;
  }
  return queued;
}

absl::StatusOr<int> SendDueWebhooks(const AppContext& app, const WebhookDeliveryOptions& options) {
  std::vector<storage::ClaimedWebhookEndpoint> claimed;
  absl::Status status = storage::RunTransaction(
      *app.pool, "ClaimWebhookEndpoints", absl::Now() + absl::Seconds(10), [&](storage::Tx& tx) {
        claimed = storage::WebhookStore(tx).ClaimEndpoints(
            options.endpoints_per_pass, absl::ToInt64Milliseconds(options.lease));
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  for (const storage::ClaimedWebhookEndpoint& claim : claimed) SendQueue(app, options, claim);
  return static_cast<int>(claimed.size());
}

}  // namespace returns::app
