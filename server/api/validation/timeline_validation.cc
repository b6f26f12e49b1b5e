// Validation of TimelineService's requests (api/request_validation.h): the first bad field gets
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

absl::Status Validate(const v1::GetTimelineRequest& request) {
  RETURN_IF_ERROR(CheckId("order_id", request.order_id()));
  if (request.page_size() < 0) return InvalidField("page_size", "must not be negative");
  return CheckPageToken(request.page_token());
}

absl::Status Validate(const v1::StreamEventsRequest& request) {
  if (request.after_sequence() < 0) return InvalidField("after_sequence", "must not be negative");
  return absl::OkStatus();
}

absl::Status Validate(const v1::WatchTimelineRequest& request) {
  RETURN_IF_ERROR(CheckId("order_id", request.order_id()));
  if (request.after_event_id() < 0) return InvalidField("after_event_id", "must not be negative");
  return absl::OkStatus();
}

}  // namespace returns::api
