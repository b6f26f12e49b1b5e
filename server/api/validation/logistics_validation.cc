// Validation of LogisticsService's requests (api/request_validation.h): the first bad field gets
// INVALID_ARGUMENT naming it. Shared field checks: api/validation/field_checks.h.
#include <algorithm>
#include <optional>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "api/request_validation.h"
#include "api/validation/field_checks.h"
#include "domain/calendar_day.h"
#include "domain/errors.h"
#include "domain/evidence_rules.h"
#include "domain/kpis.h"
#include "domain/money.h"
#include "google/protobuf/util/time_util.h"

namespace returns::api {

using google::protobuf::util::TimeUtil;

absl::Status Validate(const v1::CreateReturnLabelRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckUuid("return_id", request.return_id()));
  return CheckOptionalId("carrier", request.carrier());
}

absl::Status Validate(const v1::VoidLabelRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  return CheckUuid("shipment_id", request.shipment_id());
}

absl::Status Validate(const v1::ConfirmFulfillmentRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckUuid("shipment_id", request.shipment_id()));
  RETURN_IF_ERROR(CheckId("carrier", request.carrier()));
  return CheckId("tracking_number", request.tracking_number());
}

absl::Status Validate(const v1::RecordCarrierEventsRequest& request) {
  if (request.events_size() == 0) return InvalidField("events", "must have at least one event");
  if (request.events_size() > kMaxCarrierEvents) {
    return InvalidField("events", absl::StrCat("must have at most ", kMaxCarrierEvents, " events"));
  }
  for (int i = 0; i < request.events_size(); ++i) {
    const auto& event = request.events(i);
    const std::string at = absl::StrCat("events[", i, "]");
    RETURN_IF_ERROR(CheckId(at + ".carrier", event.carrier()));
    RETURN_IF_ERROR(CheckId(at + ".tracking_number", event.tracking_number()));
    RETURN_IF_ERROR(CheckId(at + ".event_id", event.event_id()));
    if (event.code() == v1::CARRIER_EVENT_CODE_UNSPECIFIED ||
        !v1::CarrierEventCode_IsValid(event.code())) {
      return InvalidField(at + ".code",
                          "must be ACCEPTED, IN_TRANSIT, OUT_FOR_DELIVERY, DELIVERED or EXCEPTION");
    }
    if (!event.has_event_time()) return InvalidField(at + ".event_time", "is required");
    // A scan has happened: one dated ahead would open a claim window or start a deadline early
    // (a STOLEN claim paid before the parcel arrived). The same five minutes of skew as every
    // other time from outside.
    RETURN_IF_ERROR(CheckPastTime(at + ".event_time", event.event_time()));
    RETURN_IF_ERROR(CheckText(at + ".location", event.location(), 200));
  }
  return absl::OkStatus();
}

absl::Status Validate(const v1::GetShipmentRequest& request) {
  return CheckUuid("shipment_id", request.shipment_id());
}

absl::Status Validate(const v1::ListShipmentsRequest& request) {
  RETURN_IF_ERROR(CheckOptionalId("order_id", request.order_id()));
  if (!request.return_id().empty()) RETURN_IF_ERROR(CheckUuid("return_id", request.return_id()));
  if (request.page_size() < 0) return InvalidField("page_size", "must not be negative");
  return CheckPageToken(request.page_token());
}

absl::Status Validate(const v1::SetCarrierAccountRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  if (!request.has_account()) return InvalidField("account", "is required");
  const v1::CarrierAccount& account = request.account();
  RETURN_IF_ERROR(CheckId("account.carrier", account.carrier()));
  // Credentials: printable, bounded; never echoed in an error.
  for (const auto& [field, value] :
       {std::pair<const char*, const std::string*>{"account.api_key", &account.api_key()},
        {"account.webhook_secret", &account.webhook_secret()}}) {
    if (value->size() > 256) return InvalidField(field, "must be at most 256 bytes");
    for (char c : *value) {
      if (c <= ' ' || c == 0x7f) return InvalidField(field, "must be printable, without spaces");
    }
  }
  RETURN_IF_ERROR(CheckText("account.preferred_carrier", account.preferred_carrier(), 64));
  RETURN_IF_ERROR(CheckText("account.preferred_service", account.preferred_service(), 64));
  if (!account.label_format().empty() && account.label_format() != "PDF" &&
      account.label_format() != "ZPL" && account.label_format() != "PNG") {
    return InvalidField("account.label_format", "must be PDF, ZPL or PNG");
  }
  if (!account.has_return_address()) return InvalidField("account.return_address", "is required");
  const v1::Address& to = account.return_address();
  const std::pair<const char*, const std::string*> address[] = {
      {"account.return_address.name", &to.name()},
      {"account.return_address.line1", &to.line1()},
      {"account.return_address.line2", &to.line2()},
      {"account.return_address.city", &to.city()},
      {"account.return_address.region", &to.region()},
      {"account.return_address.postal_code", &to.postal_code()}};
  for (const auto& [field, value] : address) RETURN_IF_ERROR(CheckText(field, *value, 256));
  for (const auto& [field, value] : {address[1], address[3], address[5]}) {
    if (value->empty()) return InvalidField(field, "is required");
  }
  if (to.country_code().size() != 2 || !absl::ascii_isupper(to.country_code()[0]) ||
      !absl::ascii_isupper(to.country_code()[1])) {
    return InvalidField("account.return_address.country_code",
                        "must be an ISO 3166-1 alpha-2 code such as \"US\"");
  }
  if (!account.has_parcel()) return InvalidField("account.parcel", "is required");
  const v1::Parcel& parcel = account.parcel();
  if (!(parcel.weight_oz() > 0 && parcel.weight_oz() <= 2400)) {
    return InvalidField("account.parcel.weight_oz", "must be above 0 and at most 2400");
  }
  const bool any_dims =
      parcel.length_in() != 0 || parcel.width_in() != 0 || parcel.height_in() != 0;
  for (const auto& [field, value] :
       {std::pair<const char*, double>{"account.parcel.length_in", parcel.length_in()},
        {"account.parcel.width_in", parcel.width_in()},
        {"account.parcel.height_in", parcel.height_in()}}) {
    if (any_dims && !(value > 0 && value <= 200)) {
      return InvalidField(field, "must be above 0 and at most 200 (all three, or none)");
    }
  }
  return absl::OkStatus();
}

absl::Status Validate(const v1::ListCarrierAccountsRequest& /*request*/) {
  return absl::OkStatus();
}

absl::Status Validate(const v1::DeleteCarrierAccountRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  return CheckId("carrier", request.carrier());
}

}  // namespace returns::api
