#include "absl/strings/str_cat.h"
#include "app/common/idempotency.h"
#include "app/exchange_tokens/charge_outcome.h"
#include "app/money/money_use_cases.h"
#include "app/money/request_money_movement.h"
#include "common/enum_text.h"
#include "domain/errors.h"
#include "domain/event_types.h"

namespace returns::app {

// The payment system's word on a REQUESTED movement. The same outcome reported again answers
// the movement as it is; another outcome for a movement that has one is refused (SUCCEEDED
// never changes; a FAILED one moves only by RetryMoneyMovement or CancelMoneyMovement).
absl::Status ReportMoneyMovementOutcome(const AppContext& app, CallContext& call,
                                        const v1::ReportMoneyMovementOutcomeRequest& request,
                                        v1::MoneyMovement* response) {
  return RunIdempotent(app, call, request, response, [&](storage::Tx& tx) {
    std::optional<v1::MoneyMovement> movement =
        LockMovementForChange(tx, call, request.movement_id());
    if (!movement) return NotFoundError("money movement", request.movement_id());
    if (movement->state() == request.outcome()) {
      *response = *std::move(movement);
      return absl::OkStatus();
    }
    if (movement->state() != v1::MONEY_MOVEMENT_STATE_REQUESTED) {
      const std::string state = EnumText(movement->state());
      return PreconditionError(
          reason::kInvalidState,
          absl::StrCat("money movement is ", state, ": only a REQUESTED movement takes an outcome"),
          {{"state", state}});
    }
    const bool succeeded = request.outcome() == v1::MONEY_MOVEMENT_STATE_SUCCEEDED;
    // A collateral charge is the token's charge: the token moves with it.
    if (movement->kind() == v1::MONEY_MOVEMENT_KIND_COLLATERAL_CHARGE) {
      auto token = ApplyChargeOutcome(tx, call, TokenIdOfSubject(movement->subject()), succeeded,
                                      request.external_reference());
      if (!token.ok()) return token.status();
    }
    *response = MoveMoneyMovement(
        tx, call, *movement, request.outcome(), request.external_reference(),
        succeeded ? "" : request.failure_reason(), false,
        succeeded ? event_type::kMoneyMovementSucceeded : event_type::kMoneyMovementFailed,
        absl::StrCat("Payment system reported ", EnumText(request.outcome()),
                     request.external_reference().empty()
                         ? ""
                         : absl::StrCat(" (", request.external_reference(), ")"),
                     !succeeded && !request.failure_reason().empty()
                         ? absl::StrCat(": ", request.failure_reason())
                         : ""));
    return absl::OkStatus();
  });
}

}  // namespace returns::app
