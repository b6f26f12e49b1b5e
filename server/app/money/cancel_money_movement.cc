#include "absl/strings/str_cat.h"
#include "app/common/idempotency.h"
#include "app/common/record_decision.h"
#include "app/money/money_use_cases.h"
#include "app/money/request_money_movement.h"
#include "common/enum_text.h"
#include "domain/errors.h"
#include "domain/event_types.h"
#include "storage/money_movement_store.h"

namespace returns::app {

absl::Status CancelMoneyMovementInTx(storage::Tx& tx, const CallContext& call,
                                     const std::string& movement_id, const std::string& reason,
                                     v1::MoneyMovement* response) {
  std::optional<v1::MoneyMovement> movement = LockMovementForChange(tx, call, movement_id);
  if (!movement) return NotFoundError("money movement", movement_id);
  if (movement->state() != v1::MONEY_MOVEMENT_STATE_REQUESTED &&
      movement->state() != v1::MONEY_MOVEMENT_STATE_FAILED) {
    const std::string state = EnumText(movement->state());
    return PreconditionError(reason::kInvalidState,
                             absl::StrCat("money movement is ", state,
                                          ": only a REQUESTED or FAILED movement is cancelled"),
                             {{"state", state}});
  }
  // The refund's tender shares become refundable again (MoveMoneyMovement).
  *response = MoveMoneyMovement(
      tx, call, *movement, v1::MONEY_MOVEMENT_STATE_CANCELLED, movement->external_reference(),
      reason, false, event_type::kMoneyMovementCancelled, absl::StrCat("Cancelled: ", reason));
  OverrideEscalatedDecision(tx, call, DecisionKind::kMoneyMovementFailure,
                            MovementSubject("money_movements", movement_id), "DENIED", reason);
  return absl::OkStatus();
}

absl::Status CancelMoneyMovement(const AppContext& app, CallContext& call,
                                 const v1::CancelMoneyMovementRequest& request,
                                 v1::MoneyMovement* response) {
  return RunIdempotent(app, call, request, response, [&](storage::Tx& tx) {
    return CancelMoneyMovementInTx(tx, call, request.movement_id(), request.reason(), response);
  });
}

}  // namespace returns::app
