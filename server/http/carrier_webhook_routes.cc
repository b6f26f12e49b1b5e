#include "http/carrier_webhook_routes.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "app/logistics/carrier_accounts.h"
#include "app/logistics/logistics_use_cases.h"
#include "common/log.h"
#include "api/request_validation.h"
#include "google/protobuf/util/time_util.h"
#include "integrations/easypost_webhook.h"
#include "storage/carrier_account_store.h"

namespace returns::http {
namespace {

constexpr char kEasyPostPrefix[] = "/webhooks/easypost/";
constexpr char kEasyPost[] = "easypost";

HttpReply Reply(int status, const std::string& message) {
  return HttpReply{status, "application/json", nlohmann::json{{"message", message}}.dump()};
}

// EasyPost's tracker status as the service's carrier event code; UNSPECIFIED for a status that
// moves nothing (pre_transit: the label exists, the parcel does not move yet; unknown).
v1::CarrierEventCode EventCode(const std::string& status) {
  if (status == "in_transit" || status == "available_for_pickup") {
    return v1::CARRIER_EVENT_CODE_IN_TRANSIT;
  }
  if (status == "out_for_delivery") return v1::CARRIER_EVENT_CODE_OUT_FOR_DELIVERY;
  if (status == "delivered") return v1::CARRIER_EVENT_CODE_DELIVERED;
  if (status == "return_to_sender" || status == "failure" || status == "error" ||
      status == "cancelled") {
    return v1::CARRIER_EVENT_CODE_EXCEPTION;
  }
  return v1::CARRIER_EVENT_CODE_UNSPECIFIED;
}

}  // namespace

HttpReply ReceiveEasyPostWebhook(const app::AppContext& app, const HttpInbound& inbound) {
  // Lowercase: the form the merchant's secrets are sealed under (ids are stored lowercase).
  const std::string merchant_id =
      absl::AsciiStrToLower(inbound.path.substr(sizeof(kEasyPostPrefix) - 1));
  if (!api::IsUuid(merchant_id)) return Reply(404, "not found");
  auto secret = app::OpenCarrierCredential(app, merchant_id, kEasyPost, "webhook_secret");
  if (!secret.ok()) {
    if (secret.status().code() == absl::StatusCode::kFailedPrecondition) {
      return Reply(404, "not found");
    }
    return Reply(503, "try again later");
  }
  if (!secret->has_value()) return Reply(404, "not found");
  if (!integrations::VerifyEasyPostSignature(**secret, inbound.body,
                                             inbound.Header("x-hmac-signature"))
           .ok()) {
    log::Warn("carrier webhook with a bad signature refused",
              {{"carrier", kEasyPost}, {"merchant_id", merchant_id}});
    return Reply(401, "bad signature");
  }
  const nlohmann::json event = nlohmann::json::parse(inbound.body, nullptr, false);
  if (!event.is_object() || !event.contains("id") || !event["id"].is_string()) {
    return Reply(400, "not an EasyPost event");
  }
  const std::string event_id = event["id"].get<std::string>();
  auto update = integrations::ParseEasyPostEvent(inbound.body);
  if (!update.ok()) return Reply(400, "not an EasyPost event");

  // The tracking update first, idempotent by its event id (RecordCarrierEvents keeps a
  // (carrier, event_id) once); then the raw event, once. A failure in between answers 503 and
  // EasyPost's redelivery completes both.
  if (update->has_value() && EventCode((*update)->status) != v1::CARRIER_EVENT_CODE_UNSPECIFIED) {
    v1::RecordCarrierEventsRequest request;
    v1::CarrierEvent* carrier_event = request.add_events();
    carrier_event->set_carrier(kEasyPost);
    carrier_event->set_tracking_number((*update)->tracking_code);
    carrier_event->set_event_id(event_id);
    carrier_event->set_code(EventCode((*update)->status));
    // A clock ahead of ours would be refused as a future scan: the scan happened by now.
    *carrier_event->mutable_event_time() = google::protobuf::util::TimeUtil::SecondsToTimestamp(
        std::min((*update)->occurred_unix_seconds, absl::ToUnixSeconds(absl::Now())));
    carrier_event->set_location((*update)->status_detail);
    // The same checks as a gRPC caller's events get; what fails them cannot succeed on a retry:
    // kept raw below, answered 200.
    if (const absl::Status valid = api::Validate(request); !valid.ok()) {
      log::Warn("carrier webhook event not applied",
                {{"carrier", kEasyPost}, {"merchant_id", merchant_id}, {"error", valid.message()}});
      request.clear_events();
    }
    app::CallContext call;
    call.merchant_id = merchant_id;
    call.principal.merchant_id = merchant_id;
    call.principal.role = v1::API_KEY_ROLE_CARRIER;
    call.principal.key_id = "easypost-webhook";
    call.request_id = absl::StrCat("easypost:", event_id);
    call.deadline = absl::Now() + absl::Seconds(10);
    v1::RecordCarrierEventsResponse recorded;
    if (request.events_size() > 0) {
      const absl::Status status = app::RecordCarrierEvents(app, call, request, &recorded);
      if (!status.ok()) return Reply(503, "try again later");
    }
  }
  bool first = false;
  const absl::Status kept =
      storage::RunTransaction(*app.pool, "RecordCarrierWebhookEvent",
                              absl::Now() + absl::Seconds(10), [&](storage::Tx& tx) {
                                first = storage::CarrierAccountStore(tx).RecordWebhookEvent(
                                    merchant_id, kEasyPost, event_id, inbound.body);
                                return absl::OkStatus();
                              });
  if (!kept.ok()) return Reply(503, "try again later");
  return Reply(200, first ? "kept" : "duplicate");
}

void AddCarrierWebhookRoutes(const app::AppContext& app, HttpListener& listener) {
  listener.HandlePost(kEasyPostPrefix, [&app](const HttpInbound& inbound) {
    return ReceiveEasyPostWebhook(app, inbound);
  });
}

}  // namespace returns::http
