// Validation of ExchangeService's requests (api/request_validation.h): the first bad field gets
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

absl::Status Validate(const v1::IssueExchangeTokenRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckUuid("return_id", request.return_id()));
  RETURN_IF_ERROR(CheckId("order_line_id", request.order_line_id()));
  if (request.has_collateral()) {
    const auto& c = request.collateral();
    RETURN_IF_ERROR(CheckId("collateral.authorization_reference", c.authorization_reference()));
    if (!IsCurrencyCode(c.amount().currency_code())) {
      return InvalidField("collateral.amount.currency_code", "must be an ISO 4217 code");
    }
    if (c.amount().amount_minor() <= 0) {
      return InvalidField("collateral.amount.amount_minor", "must be positive");
    }
    if (c.has_expire_time())
      RETURN_IF_ERROR(CheckTimestamp("collateral.expire_time", c.expire_time()));
  }
  return absl::OkStatus();
}

absl::Status Validate(const v1::GetExchangeTokenRequest& request) {
  return CheckUuid("exchange_token_id", request.exchange_token_id());
}

absl::Status Validate(const v1::ListExchangeTokensRequest& request) {
  if (!request.return_id().empty()) RETURN_IF_ERROR(CheckUuid("return_id", request.return_id()));
  if (!v1::ExchangeTokenState_IsValid(request.state())) {
    return InvalidField("state", "must be one of the EXCHANGE_TOKEN_STATE_ values");
  }
  if (request.page_size() < 0) return InvalidField("page_size", "must not be negative");
  return CheckPageToken(request.page_token());
}

absl::Status Validate(const v1::RedeemExchangeTokenRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  if (request.token().empty()) return InvalidField("token", "is required");
  return CheckText("token", request.token(), 256);
}

absl::Status Validate(const v1::RevokeExchangeTokenRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckUuid("exchange_token_id", request.exchange_token_id()));
  return CheckText("reason", request.reason(), kMaxTextLength);
}

absl::Status Validate(const v1::RetryExchangeTokenChargeRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckUuid("exchange_token_id", request.exchange_token_id()));
  return CheckText("reason", request.reason(), kMaxTextLength);
}

absl::Status Validate(const v1::ReportChargeOutcomeRequest& request) {
  RETURN_IF_ERROR(CheckRequestId(request.request_id()));
  RETURN_IF_ERROR(CheckUuid("exchange_token_id", request.exchange_token_id()));
  if (request.outcome() == v1::CHARGE_OUTCOME_UNSPECIFIED ||
      !v1::ChargeOutcome_IsValid(request.outcome())) {
    return InvalidField("outcome", "must be CHARGE_OUTCOME_CHARGED or CHARGE_OUTCOME_FAILED");
  }
  return CheckText("payment_reference", request.payment_reference(), 256);
}

}  // namespace returns::api
