// Validation of AdminService's requests (api/request_validation.h): the first bad field gets
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

absl::Status Validate(const v1::CreateMerchantRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  if (request.display_name().empty()) return InvalidField("display_name", "is required");
  return CheckText("display_name", request.display_name(), 200);
}

absl::Status Validate(const v1::CreateApiKeyRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckText("display_name", request.display_name(), 200));
  if (request.role() == v1::API_KEY_ROLE_UNSPECIFIED || !v1::ApiKeyRole_IsValid(request.role())) {
    return InvalidField("role", "must be STOREFRONT, SUPPORT, ADMIN or CARRIER");
  }
  return absl::OkStatus();
}

absl::Status Validate(const v1::RevokeApiKeyRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  return CheckId("key_id", request.key_id());
}

absl::Status Validate(const v1::ListApiKeysRequest& request) {
  if (request.page_size() < 0) return InvalidField("page_size", "must not be negative");
  return CheckPageToken(request.page_token());
}

absl::Status Validate(const v1::ListDecisionsRequest& request) {
  if (!request.subject().empty()) {
    const size_t slash = request.subject().find('/');
    const absl::string_view collection = absl::string_view(request.subject()).substr(0, slash);
    if (slash == std::string::npos || collection.empty() ||
        !std::all_of(collection.begin(), collection.end(),
                     [](char c) { return absl::ascii_islower(c) || c == '_'; }) ||
        !CheckId("subject", request.subject().substr(slash + 1)).ok()) {
      return InvalidField("subject",
                          "must be a resource name such as \"returns/<id>\", "
                          "\"claims/<id>\" or \"exchange_tokens/<id>\"");
    }
  }
  RETURN_IF_ERROR(CheckText("subject", request.subject(), 256));
  if (request.page_size() < 0) return InvalidField("page_size", "must not be negative");
  if (!v1::DecisionOutcome_IsValid(request.outcome())) {
    return InvalidField("outcome", "must be APPROVED, ESCALATED or DENIED");
  }
  if (!v1::OverrideFilter_IsValid(request.overridden())) {
    return InvalidField("overridden", "must be OVERRIDDEN or NOT_OVERRIDDEN");
  }
  if (request.has_start_time()) RETURN_IF_ERROR(CheckTimestamp("start_time", request.start_time()));
  if (request.has_end_time()) RETURN_IF_ERROR(CheckTimestamp("end_time", request.end_time()));
  if (request.has_start_time() && request.has_end_time() &&
      request.end_time() < request.start_time()) {
    return InvalidField("end_time", "must not be before start_time");
  }
  if (!request.kind().empty()) RETURN_IF_ERROR(CheckId("kind", request.kind()));
  return CheckPageToken(request.page_token());
}

absl::Status Validate(const v1::OverrideDecisionRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckUuid("decision_id", request.decision_id()));
  if (request.outcome() != v1::DECISION_OUTCOME_APPROVED &&
      request.outcome() != v1::DECISION_OUTCOME_DENIED) {
    return InvalidField("outcome", "must be DECISION_OUTCOME_APPROVED or DECISION_OUTCOME_DENIED");
  }
  if (request.reason().empty()) return InvalidField("reason", "is required");
  RETURN_IF_ERROR(CheckText("reason", request.reason(), kMaxReasonLength));
  if (!v1::ClaimResolution_IsValid(request.claim_resolution())) {
    return InvalidField("claim_resolution", "must be RESHIP or REFUND");
  }
  if (request.claim_resolution() != v1::CLAIM_RESOLUTION_UNSPECIFIED &&
      request.outcome() != v1::DECISION_OUTCOME_APPROVED) {
    return InvalidField("claim_resolution", "is only for an approval");
  }
  return absl::OkStatus();
}

absl::Status Validate(const v1::ListJobsRequest& request) {
  if (!v1::JobState_IsValid(request.state())) return InvalidField("state", "is not a job state");
  if (request.page_size() < 0) return InvalidField("page_size", "must not be negative");
  return CheckPageToken(request.page_token());
}

absl::Status Validate(const v1::RetryJobRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  return CheckUuid("job_id", request.job_id());
}

}  // namespace returns::api
