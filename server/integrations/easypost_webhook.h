#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

// Webhooks EasyPost posts to a merchant's webhook path: an Event object as the body, signed in
// the X-Hmac-Signature header with the webhook secret the merchant gave EasyPost.
namespace returns::integrations {

// Checks X-Hmac-Signature: "hmac-sha256-hex=" followed by the hex HMAC-SHA256 of the raw body
// under the secret, compared in constant time (hex digits in either case).
// EasyPost keys the HMAC with the NFKD normal form of the secret's UTF-8. No Unicode
// normalization happens here: an ASCII secret (NFKD leaves ASCII as it is) works as given; a
// secret with other characters must be passed already NFKD-normalized, or every signature fails.
// UNAUTHENTICATED when the header is missing, malformed or does not match; FAILED_PRECONDITION
// for an empty secret (none configured).
absl::Status VerifyEasyPostSignature(absl::string_view webhook_secret, absl::string_view body,
                                     absl::string_view signature_header);

// What a tracker event says about a parcel.
struct EasyPostTrackerUpdate {
  std::string event_id;     // the Event's id ("evt_..."), to drop redeliveries
  std::string description;  // "tracker.created" or "tracker.updated"
  std::string tracking_code;
  std::string carrier;  // as EasyPost names it ("USPS")
  // pre_transit, in_transit, out_for_delivery, delivered, return_to_sender, failure, unknown,
  // available_for_pickup, cancelled, error; a status not in this list becomes "unknown".
  std::string status;
  std::string status_detail;  // EasyPost's finer status ("arrived_at_facility"), as given
  // The latest tracking_details entry's datetime; without entries, the tracker's updated_at,
  // else the event's created_at.
  int64_t occurred_unix_seconds = 0;
};

// Parses an Event body: for "tracker.created" and "tracker.updated" the Tracker in its result;
// nullopt for any other event type. INVALID_ARGUMENT for a body that is not an Event's JSON, and
// for a tracker event without a Tracker (with a tracking code) or any time in it.
absl::StatusOr<std::optional<EasyPostTrackerUpdate>> ParseEasyPostEvent(absl::string_view body);

}  // namespace returns::integrations
