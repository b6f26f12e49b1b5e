#pragma once

#include "absl/status/status.h"
#include "app/common/app_context.h"
#include "returns/v1/money_movement.pb.h"
#include "returns/v1/money_service.pb.h"
#include "storage/transaction.h"

// MoneyService (docs/money.md, "Money movements"): every refund, credit and charge the service
// asks of the merchant's payment system, and the outcomes the payment system reports.
namespace returns::app {

absl::Status GetMoneyMovement(const AppContext& app, CallContext& call,
                              const v1::GetMoneyMovementRequest& request,
                              v1::MoneyMovement* response);
absl::Status ListMoneyMovements(const AppContext& app, CallContext& call,
                                const v1::ListMoneyMovementsRequest& request,
                                v1::ListMoneyMovementsResponse* response);
absl::Status ReportMoneyMovementOutcome(const AppContext& app, CallContext& call,
                                        const v1::ReportMoneyMovementOutcomeRequest& request,
                                        v1::MoneyMovement* response);
absl::Status RetryMoneyMovement(const AppContext& app, CallContext& call,
                                const v1::RetryMoneyMovementRequest& request,
                                v1::MoneyMovement* response);
absl::Status CancelMoneyMovement(const AppContext& app, CallContext& call,
                                 const v1::CancelMoneyMovementRequest& request,
                                 v1::MoneyMovement* response);

// The bodies of RetryMoneyMovement and CancelMoneyMovement inside the caller's transaction (a
// person's override of a money_movement_failure decision carries them out).
absl::Status RetryMoneyMovementInTx(storage::Tx& tx, const CallContext& call,
                                    const std::string& movement_id, const std::string& reason,
                                    v1::MoneyMovement* response);
absl::Status CancelMoneyMovementInTx(storage::Tx& tx, const CallContext& call,
                                     const std::string& movement_id, const std::string& reason,
                                     v1::MoneyMovement* response);

}  // namespace returns::app
