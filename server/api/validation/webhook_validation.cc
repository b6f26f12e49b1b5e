// Validation of WebhookService's requests (api/request_validation.h): the first bad field gets
// INVALID_ARGUMENT naming it. Shared field checks: api/validation/field_checks.h. Whether the
// server's destination rule allows a URL (https, public addresses) is the use case's check
// (app/webhooks/webhook_secrets.h); here only its form.
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "api/request_validation.h"
#include "api/validation/field_checks.h"
#include "domain/errors.h"
#include "integrations/http_client.h"

namespace returns::api {
namespace {

constexpr size_t kMaxUrlLength = 2048;
constexpr size_t kMaxDescription = 200;
constexpr int kMaxEventTypes = 50;
constexpr size_t kMaxEventTypeLength = 100;
constexpr int kMaxOverlapSeconds = 7 * 24 * 3600;
constexpr int64_t kMaxReplayEvents = 1000;

absl::Status CheckUrl(const std::string& field, const std::string& url) {
  if (url.empty()) return InvalidField(field, "is required");
  RETURN_IF_ERROR(CheckText(field, url, kMaxUrlLength));
  const absl::Status form =
      integrations::CheckDestinationUrl(url, integrations::DestinationRule::kAllowHttpAndLoopback);
  if (!form.ok()) return InvalidField(field, form.message());
  return absl::OkStatus();
}

// "return.approved", or a prefix "return.*": lowercase letters, digits, '_' and '.', with '*'
// only as the last part.
absl::Status CheckEventTypes(const std::string& field,
                             const google::protobuf::RepeatedPtrField<std::string>& types) {
  if (types.size() > kMaxEventTypes) {
    return InvalidField(field, absl::StrCat("at most ", kMaxEventTypes, " event types"));
  }
  for (int i = 0; i < types.size(); ++i) {
    const std::string& type = types[i];
    const std::string name = absl::StrCat(field, "[", i, "]");
    if (type.empty() || type.size() > kMaxEventTypeLength) {
      return InvalidField(name, absl::StrCat("must be 1 to ", kMaxEventTypeLength, " characters"));
    }
    const bool prefix = absl::EndsWith(type, ".*");
    const absl::string_view body =
        prefix ? absl::string_view(type).substr(0, type.size() - 2) : absl::string_view(type);
    bool ok = !body.empty() && body.front() != '.' && body.back() != '.';
    for (char c : body) {
      if (!(absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '_' || c == '.')) ok = false;
    }
    if (!ok) {
      return InvalidField(name,
                          "must be an event type (\"return.approved\") or a prefix ending in "
                          "\".*\" (\"return.*\")");
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status Validate(const v1::CreateWebhookEndpointRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckUrl("url", request.url()));
  RETURN_IF_ERROR(CheckEventTypes("event_types", request.event_types()));
  return CheckText("description", request.description(), kMaxDescription);
}

absl::Status Validate(const v1::ListWebhookEndpointsRequest& request) {
  if (request.page_size() < 0) return InvalidField("page_size", "must not be negative");
  return CheckPageToken(request.page_token());
}

absl::Status Validate(const v1::UpdateWebhookEndpointRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  if (!request.has_endpoint()) return InvalidField("endpoint", "is required");
  RETURN_IF_ERROR(CheckUuid("endpoint.endpoint_id", request.endpoint().endpoint_id()));
  bool sets_url = request.update_mask().paths().empty();
  for (int i = 0; i < request.update_mask().paths_size(); ++i) {
    const std::string& path = request.update_mask().paths(i);
    if (path == "url") {
      sets_url = true;
    } else if (path != "event_types" && path != "description" && path != "enabled") {
      return InvalidField(absl::StrCat("update_mask.paths[", i, "]"),
                          "must be url, event_types, description or enabled");
    }
  }
  if (sets_url) RETURN_IF_ERROR(CheckUrl("endpoint.url", request.endpoint().url()));
  RETURN_IF_ERROR(CheckEventTypes("endpoint.event_types", request.endpoint().event_types()));
  return CheckText("endpoint.description", request.endpoint().description(), kMaxDescription);
}

absl::Status Validate(const v1::RotateWebhookSecretRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckUuid("endpoint_id", request.endpoint_id()));
  if (request.overlap_seconds() < 0 || request.overlap_seconds() > kMaxOverlapSeconds) {
    return InvalidField("overlap_seconds",
                        absl::StrCat("must be 0 (a day) to ", kMaxOverlapSeconds, " (a week)"));
  }
  return absl::OkStatus();
}

absl::Status Validate(const v1::DeleteWebhookEndpointRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  return CheckUuid("endpoint_id", request.endpoint_id());
}

absl::Status Validate(const v1::ListWebhookDeliveriesRequest& request) {
  RETURN_IF_ERROR(CheckUuid("endpoint_id", request.endpoint_id()));
  if (!v1::WebhookDeliveryState_IsValid(request.state())) {
    return InvalidField("state", "must be one of the WEBHOOK_DELIVERY_STATE_ values");
  }
  if (!request.event_id().empty()) RETURN_IF_ERROR(CheckUuid("event_id", request.event_id()));
  if (request.page_size() < 0) return InvalidField("page_size", "must not be negative");
  return CheckPageToken(request.page_token());
}

absl::Status Validate(const v1::ReplayWebhookEventsRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckUuid("endpoint_id", request.endpoint_id()));
  if (!request.event_id().empty()) {
    RETURN_IF_ERROR(CheckUuid("event_id", request.event_id()));
    if (request.from_sequence() != 0 || request.to_sequence() != 0) {
      return InvalidField("from_sequence", "give event_id or a range of sequences, not both");
    }
    return absl::OkStatus();
  }
  if (request.from_sequence() < 1) {
    return InvalidField("from_sequence", "must be at least 1 (or give event_id)");
  }
  if (request.to_sequence() < request.from_sequence()) {
    return InvalidField("to_sequence", "must not be below from_sequence");
  }
  if (request.to_sequence() - request.from_sequence() >= kMaxReplayEvents) {
    return InvalidField("to_sequence",
                        absl::StrCat("a replay covers at most ", kMaxReplayEvents, " sequences"));
  }
  return absl::OkStatus();
}

}  // namespace returns::api
