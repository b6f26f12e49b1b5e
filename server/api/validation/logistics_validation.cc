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

}  // namespace returns::api
