#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "app/common/app_context.h"
#include "returns/v1/exchange_token.pb.h"
#include "storage/transaction.h"

// The outcome of an exchange token's collateral charge, however it is reported: by
// ExchangeService.ReportChargeOutcome or by MoneyService.ReportMoneyMovementOutcome on the
// token's COLLATERAL_CHARGE movement (docs/money.md). Both move the token and the movement.
namespace returns::app {

// Records the outcome on the locked token (CHARGE_DUE -> CHARGED or CHARGE_FAILED; a token
// whose original came back meanwhile keeps its state, and a collected charge of a settled token
// is to be refunded). FAILED_PRECONDITION when no charge awaits an outcome; NOT_FOUND without
// the token.
absl::StatusOr<v1::ExchangeToken> ApplyChargeOutcome(storage::Tx& tx, const CallContext& call,
                                                     const std::string& token_id, bool charged,
                                                     const std::string& payment_reference);

// The token's COLLATERAL_CHARGE movement follows a charge outcome reported through
// ReportChargeOutcome (nothing when it is not REQUESTED).
void FollowChargeOutcome(storage::Tx& tx, const CallContext& call, const std::string& token_id,
                         bool charged, const std::string& payment_reference);

// RaiseCharge's movement: a new charge of the token is requested as its COLLATERAL_CHARGE
// movement (a charge raised again after CHARGE_FAILED retries that movement).
void RequestCollateralCharge(storage::Tx& tx, const CallContext& call,
                             const v1::ExchangeToken& token);

}  // namespace returns::app
