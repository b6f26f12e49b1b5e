#include "absl/strings/str_cat.h"
#include "app/common/idempotency.h"
#include "app/common/record_decision.h"
#include "app/exchange_tokens/move_exchange_token.h"
#include "app/money/money_use_cases.h"
#include "app/money/request_money_movement.h"
#include "common/enum_text.h"
#include "domain/errors.h"
#include "domain/event_types.h"
#include "storage/exchange_token_store.h"
#include "storage/money_movement_store.h"

namespace returns::app {

absl::Status RetryMoneyMovementInTx(storage::Tx& tx, const CallContext& call,
                                    const std::string& movement_id, const std::string& reason,
                                    v1::MoneyMovement* response) {
  storage::MoneyMovementStore movements(tx);
  std::optional<v1::MoneyMovement> movement = LockMovementForChange(tx, call, movement_id);
  if (!movement) return NotFoundError("money movement", movement_id);
  if (movement->state() != v1::MONEY_MOVEMENT_STATE_FAILED) {
    const std::string state = EnumText(movement->state());
    return PreconditionError(
        reason::kInvalidState,
        absl::StrCat("money movement is ", state, ": only a FAILED movement is retried"),
        {{"state", state}});
  }
  const std::string why = reason.empty() ? "asked again by a person" : reason;
  if (movement->kind() == v1::MONEY_MOVEMENT_KIND_COLLATERAL_CHARGE) {
    // The token's charge is raised again (charge_attempt + 1), which retries this movement.
    const std::string token_id = TokenIdOfSubject(movement->subject());
    const auto token =
        storage::ExchangeTokenStore(tx).LockExchangeToken(call.merchant_id, token_id);
    if (token && token->state == "CHARGE_FAILED") {
      RetryCharge(tx, call, token_id, why);
      *response = *movements.GetMoneyMovement(call.merchant_id, movement_id);
      return absl::OkStatus();
    }
  }
  *response =
      MoveMoneyMovement(tx, call, *movement, v1::MONEY_MOVEMENT_STATE_REQUESTED,
                        movement->external_reference(), "", true, event_type::kMoneyMovementRetried,
                        absl::StrCat("Asked of the payment system again: ", why));
  // A person acted on the failure: its escalation is closed as APPROVED.
  OverrideEscalatedDecision(tx, call, DecisionKind::kMoneyMovementFailure,
                            MovementSubject("money_movements", movement_id), "APPROVED", why);
  return absl::OkStatus();
}

absl::Status RetryMoneyMovement(const AppContext& app, CallContext& call,
                                const v1::RetryMoneyMovementRequest& request,
                                v1::MoneyMovement* response) {
  return RunIdempotent(app, call, request, response, [&](storage::Tx& tx) {
    return RetryMoneyMovementInTx(tx, call, request.movement_id(), request.reason(), response);
  });
}

}  // namespace returns::app
