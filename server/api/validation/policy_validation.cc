// Validation of PolicyService's requests (api/request_validation.h): the first bad field gets
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

absl::Status Validate(const v1::GetPolicyRequest& request) {
  if (request.version() < 0) return InvalidField("version", "must not be negative");
  return absl::OkStatus();
}

// The policy's values are checked against the current policy in the use case (domain
// ValidatePolicy), after the mask merges them; here the request's shape.
absl::Status Validate(const v1::UpdatePolicyRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  if (!request.has_policy()) return InvalidField("policy", "is required");
  RETURN_IF_ERROR(CheckText("policy.etag", request.policy().etag(), 64));
  RETURN_IF_ERROR(CheckText("reason", request.reason(), kMaxReasonLength));
  if (request.update_mask().paths_size() > v1::Policy::descriptor()->field_count()) {
    return InvalidField("update_mask", "names more fields than Policy has");
  }
  for (const auto& path : request.update_mask().paths()) {
    const auto* field = v1::Policy::descriptor()->FindFieldByName(path);
    if (field == nullptr || path == "update_time" || path == "etag" || path == "version") {
      return InvalidField(
          "update_mask",
          absl::StrCat("\"", path.substr(0, 64), "\" is not a field of Policy that can be set"));
    }
  }
  return absl::OkStatus();
}

absl::Status Validate(const v1::ListPolicyVersionsRequest& request) {
  if (request.page_size() < 0) return InvalidField("page_size", "must not be negative");
  return CheckPageToken(request.page_token());
}

}  // namespace returns::api
