#include "integrations/easypost_webhook.h"

#include <algorithm>
#include <utility>

#include <nlohmann/json.hpp>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/crypto.h"

namespace returns::integrations {
namespace {

using Json = nlohmann::json;

constexpr absl::string_view kSignaturePrefix = "hmac-sha256-hex=";

constexpr absl::string_view kTrackerStatuses[] = {
    "pre_transit", "in_transit", "out_for_delivery",     "delivered", "return_to_sender",
    "failure",     "unknown",    "available_for_pickup", "cancelled", "error"};

// The string at `key` of an object; "" when absent, null or not a string.
std::string Str(const Json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

// An RFC 3339 time as EasyPost writes it ("2024-08-02T19:26:52Z", "...52.000Z", "...+00:00").
std::optional<absl::Time> ParseTime(const std::string& text) {
  absl::Time time;
  std::string error;
  if (text.empty() || !absl::ParseTime(absl::RFC3339_full, text, &time, &error)) {
    return std::nullopt;
  }
  return time;
}

}  // namespace

absl::Status VerifyEasyPostSignature(absl::string_view webhook_secret, absl::string_view body,
                                     absl::string_view signature_header) {
  if (webhook_secret.empty()) {
    return absl::FailedPreconditionError("no EasyPost webhook secret is configured");
  }
  const std::string expected = absl::StrCat(
      kSignaturePrefix, absl::BytesToHexString(crypto::HmacSha256(webhook_secret, body)));
  // Lowercased: the hex may come in either case, and the prefix is lowercase.
  const std::string given = absl::AsciiStrToLower(absl::StripAsciiWhitespace(signature_header));
  if (!crypto::ConstantTimeEquals(expected, given)) {
    return absl::UnauthenticatedError("the EasyPost webhook signature does not match");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::optional<EasyPostTrackerUpdate>> ParseEasyPostEvent(absl::string_view body) {
  const Json event = Json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (!event.is_object()) return absl::InvalidArgumentError("the body is not a JSON object");
  const std::string object = Str(event, "object");
  const std::string description = Str(event, "description");
  if ((!object.empty() && object != "Event") || description.empty()) {
    return absl::InvalidArgumentError("the body is not an EasyPost Event");
  }
  if (description != "tracker.created" && description != "tracker.updated") {
    return std::optional<EasyPostTrackerUpdate>();
  }
  auto result_it = event.find("result");
  if (result_it == event.end() || !result_it->is_object()) {
    return absl::InvalidArgumentError("the tracker event has no Tracker in its result");
  }
  const Json& tracker = *result_it;
  const std::string tracker_object = Str(tracker, "object");
  EasyPostTrackerUpdate update;
  update.event_id = Str(event, "id");
  update.description = description;
  update.tracking_code = Str(tracker, "tracking_code");
  if ((!tracker_object.empty() && tracker_object != "Tracker") || update.tracking_code.empty()) {
    return absl::InvalidArgumentError("the tracker event's result is not a Tracker");
  }
  update.carrier = Str(tracker, "carrier");
  update.status = Str(tracker, "status");
  if (std::find(std::begin(kTrackerStatuses), std::end(kTrackerStatuses), update.status) ==
      std::end(kTrackerStatuses)) {
    update.status = "unknown";
  }
  update.status_detail = Str(tracker, "status_detail");

  // The entries are usually oldest first, but the latest is taken whatever their order.
  std::optional<absl::Time> occurred;
  if (auto it = tracker.find("tracking_details"); it != tracker.end() && it->is_array()) {
    for (const Json& detail : *it) {
      const std::optional<absl::Time> time = ParseTime(Str(detail, "datetime"));
      if (time && (!occurred || *time > *occurred)) occurred = time;
    }
  }
  if (!occurred) occurred = ParseTime(Str(tracker, "updated_at"));
  if (!occurred) occurred = ParseTime(Str(event, "created_at"));
  if (!occurred) return absl::InvalidArgumentError("the tracker event has no time");
  update.occurred_unix_seconds = absl::ToUnixSeconds(*occurred);
  return std::optional<EasyPostTrackerUpdate>(std::move(update));
}

}  // namespace returns::integrations
