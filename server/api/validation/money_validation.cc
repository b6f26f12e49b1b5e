// Validation of MoneyService's requests (api/request_validation.h): the first bad field gets
// INVALID_ARGUMENT naming it. Shared field checks: api/validation/field_checks.h.
#include "api/request_validation.h"
#include "api/validation/field_checks.h"
#include "domain/errors.h"

namespace returns::api {
namespace {

// What the payment system hands back: its reference of the refund or charge, and why it failed.
constexpr size_t kMaxExternalReference = 256;

}  // namespace

absl::Status Validate(const v1::GetMoneyMovementRequest& request) {
  return CheckUuid("movement_id", request.movement_id());
}

absl::Status Validate(const v1::ListMoneyMovementsRequest& request) {
  if (!request.order_id().empty()) RETURN_IF_ERROR(CheckId("order_id", request.order_id()));
  if (!v1::MoneyMovementState_IsValid(request.state())) {
    return InvalidField("state", "must be one of the MONEY_MOVEMENT_STATE_ values");
  }
  if (request.page_size() < 0) return InvalidField("page_size", "must not be negative");
  return CheckPageToken(request.page_token());
}

absl::Status Validate(const v1::ReportMoneyMovementOutcomeRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckUuid("movement_id", request.movement_id()));
  if (request.outcome() != v1::MONEY_MOVEMENT_STATE_SUCCEEDED &&
      request.outcome() != v1::MONEY_MOVEMENT_STATE_FAILED) {
    return InvalidField("outcome",
                        "must be MONEY_MOVEMENT_STATE_SUCCEEDED or MONEY_MOVEMENT_STATE_FAILED");
  }
  RETURN_IF_ERROR(
      CheckText("external_reference", request.external_reference(), kMaxExternalReference));
  return CheckText("failure_reason", request.failure_reason(), kMaxTextLength);
}

absl::Status Validate(const v1::RetryMoneyMovementRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckUuid("movement_id", request.movement_id()));
  return CheckText("reason", request.reason(), kMaxTextLength);
}

absl::Status Validate(const v1::CancelMoneyMovementRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckUuid("movement_id", request.movement_id()));
  if (request.reason().empty()) return InvalidField("reason", "is required");
  return CheckText("reason", request.reason(), kMaxTextLength);
}

}  // namespace returns::api
