#include "app/exchange_tokens/charge_outcome.h"

#include "absl/strings/str_cat.h"
#include "app/common/record_decision.h"
#include "app/common/record_transition.h"
#include "app/exchange_tokens/move_exchange_token.h"
#include "app/money/request_money_movement.h"
#include "common/enum_text.h"
#include "domain/errors.h"
#include "domain/event_types.h"
#include "storage/exchange_token_store.h"
#include "storage/money_movement_store.h"

namespace returns::app {

absl::StatusOr<v1::ExchangeToken> ApplyChargeOutcome(storage::Tx& tx, const CallContext& call,
                                                     const std::string& token_id, bool charged,
                                                     const std::string& payment_reference) {
  storage::ExchangeTokenStore tokens(tx);
  const auto locked = tokens.LockExchangeToken(call.merchant_id, token_id);
  if (!locked) return NotFoundError("exchange token", token_id);
  const auto state = ParseEnum<v1::ExchangeTokenState>(locked->state);
  const std::string order_id = locked->order_id;
  const storage::ChargeStatus charge = tokens.GetChargeStatus(call.merchant_id, token_id);
  const auto next =
      charged ? v1::EXCHANGE_TOKEN_STATE_CHARGED : v1::EXCHANGE_TOKEN_STATE_CHARGE_FAILED;
  if (!charge.charge_raised || !charge.charge_outcome.empty()) {
    // No charge was raised, or its outcome is in already.
    const std::string name = EnumText(*state);
    return PreconditionError(
        reason::kInvalidState,
        absl::StrCat("exchange token is ", name, " and has no charge awaiting an outcome"),
        {{"state", name}});
  }
  const std::string outcome = EnumText(next);
  tokens.RecordChargeOutcome(call.merchant_id, token_id, outcome);
  const std::string summary =
      absl::StrCat("Payment system reported ", outcome,
                   payment_reference.empty() ? "" : absl::StrCat(" (", payment_reference, ")"));
  const std::string event =
      charged ? event_type::kExchangeTokenCharged : event_type::kExchangeTokenChargeFailed;
  if (*state == v1::EXCHANGE_TOKEN_STATE_CHARGE_DUE) {
    return MoveExchangeToken(tx, call, token_id, order_id, next, event, summary);
  }
  v1::ExchangeToken token = *tokens.GetExchangeToken(call.merchant_id, token_id);
  RecordTransition(
      tx, call,
      Transition{order_id, "exchange_token", token_id, event, EnumText(*state), summary, &token});
  if (charged && *state == v1::EXCHANGE_TOKEN_STATE_SETTLED) RecordChargeRefundDue(tx, call, token);
  return token;
}

void FollowChargeOutcome(storage::Tx& tx, const CallContext& call, const std::string& token_id,
                         bool charged, const std::string& payment_reference) {
  const std::optional<v1::MoneyMovement> movement =
      storage::MoneyMovementStore(tx).LockMoneyMovementOfSubject(
          call.merchant_id, ExchangeTokenSubject(token_id),
          v1::MONEY_MOVEMENT_KIND_COLLATERAL_CHARGE);
  if (!movement || movement->state() != v1::MONEY_MOVEMENT_STATE_REQUESTED) return;
  MoveMoneyMovement(
      tx, call, *movement,
      charged ? v1::MONEY_MOVEMENT_STATE_SUCCEEDED : v1::MONEY_MOVEMENT_STATE_FAILED,
      payment_reference, charged ? "" : "the payment system reported CHARGE_FAILED", false,
      charged ? event_type::kMoneyMovementSucceeded : event_type::kMoneyMovementFailed,
      absl::StrCat("Collateral charge ", charged ? "succeeded" : "failed",
                   " (ExchangeService.ReportChargeOutcome)"));
}

void RequestCollateralCharge(storage::Tx& tx, const CallContext& call,
                             const v1::ExchangeToken& token) {
  const std::string subject = ExchangeTokenSubject(token.exchange_token_id());
  const std::optional<v1::MoneyMovement> existing =
      storage::MoneyMovementStore(tx).LockMoneyMovementOfSubject(
          call.merchant_id, subject, v1::MONEY_MOVEMENT_KIND_COLLATERAL_CHARGE);
  if (existing) {
    if (existing->state() != v1::MONEY_MOVEMENT_STATE_FAILED) return;
    MoveMoneyMovement(tx, call, *existing, v1::MONEY_MOVEMENT_STATE_REQUESTED, "", "", true,
                      event_type::kMoneyMovementRetried,
                      absl::StrCat("Collateral charge raised again (charge attempt ",
                                   token.charge_attempt(), ")"));
    return;
  }
  RequestMoneyMovement(tx, call,
                       MovementRequest{token.order_id(),
                                       v1::MONEY_MOVEMENT_KIND_COLLATERAL_CHARGE,
                                       token.charge_amount().currency_code(),
                                       token.charge_amount().amount_minor(),
                                       subject,
                                       {},
                                       "the replacement's original did not come back",
                                       std::nullopt});
}

}  // namespace returns::app
