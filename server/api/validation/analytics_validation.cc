// Validation of AnalyticsService's requests (api/request_validation.h): the first bad field gets
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

// The days are strict ISO 8601 within the accepted range (domain/calendar_day.h); a range given
// whole is checked here, one with a default end again by GetKpis once it knows today.
absl::Status Validate(const v1::GetKpisRequest& request) {
  std::optional<absl::CivilDay> start, end;
  if (!request.start_date().empty() && !(start = ParseIsoDay(request.start_date()))) {
    return InvalidField("start_date", IsoDayRequirement());
  }
  if (!request.end_date().empty() && !(end = ParseIsoDay(request.end_date()))) {
    return InvalidField("end_date", IsoDayRequirement());
  }
  if (start && end) {
    if (*start > *end) return InvalidField("start_date", "must not be after end_date");
    if (*end - *start + 1 > kMaxKpiRangeDays) {
      return InvalidField("start_date",
                          absl::StrCat("the range must be at most ", kMaxKpiRangeDays, " days"));
    }
  }
  if (!request.sku().empty()) RETURN_IF_ERROR(CheckId("sku", request.sku()));
  if (!request.currency_code().empty() && !IsCurrencyCode(request.currency_code())) {
    return InvalidField("currency_code", "must be an ISO 4217 code such as \"EUR\"");
  }
  return absl::OkStatus();
}

}  // namespace returns::api
