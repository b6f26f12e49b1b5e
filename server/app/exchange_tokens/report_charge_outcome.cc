#include "absl/strings/str_cat.h"
#include "app/common/idempotency.h"
#include "app/exchange_tokens/move_exchange_token.h"
#include "app/common/record_transition.h"
#include "app/exchange_tokens/exchange_tokens_use_cases.h"
#include "domain/errors.h"
#include "domain/exchange_token_rules.h"
#include "storage/exchange_token_store.h"
#include "common/enum_text.h"
#include "domain/event_types.h"

namespace returns::app {

// A charge is reported once, for a token whose charge was raised. Usually the token is
// CHARGE_DUE and moves to CHARGED or CHARGE_FAILED. If the original came back while the charge
// was in flight (the token is IN_TRANSIT or SETTLED), the outcome is recorded without a state
// change, and a successful charge of a settled token is to be refunded.
absl::Status ReportChargeOutcome(const AppContext& app, CallContext& call,
                                 const v1::ReportChargeOutcomeRequest& request,
                                 v1::ExchangeToken* response) {
  return RunIdempotent(
      app, call, request, response,
      [&](storage::Tx& tx) {
        storage::ExchangeTokenStore tokens(tx);
        const auto locked = tokens.LockExchangeToken(call.merchant_id, request.exchange_token_id());
        if (!locked) return NotFoundError("exchange token", request.exchange_token_id());
        const auto state = ParseEnum<v1::ExchangeTokenState>(locked->state);
        const std::string order_id = locked->order_id;
        const storage::ChargeStatus charge =
            tokens.GetChargeStatus(call.merchant_id, request.exchange_token_id());
        const bool charged = request.outcome() == v1::CHARGE_OUTCOME_CHARGED;
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
        tokens.RecordChargeOutcome(call.merchant_id, request.exchange_token_id(), outcome);
        const std::string summary =
            absl::StrCat("Payment system reported ", outcome,
                         request.payment_reference().empty()
                             ? ""
                             : absl::StrCat(" (", request.payment_reference(), ")"));
        const std::string event =
            charged ? event_type::kExchangeTokenCharged : event_type::kExchangeTokenChargeFailed;
        if (*state == v1::EXCHANGE_TOKEN_STATE_CHARGE_DUE) {
          *response = MoveExchangeToken(tx, call, request.exchange_token_id(), order_id, next,
                                        event, summary);
          return absl::OkStatus();
        }
        *response = *tokens.GetExchangeToken(call.merchant_id, request.exchange_token_id());
        RecordTransition(tx, call,
                         Transition{order_id, "exchange_token", request.exchange_token_id(), event,
                                    EnumText(*state), summary, response});
        if (charged && *state == v1::EXCHANGE_TOKEN_STATE_SETTLED)
          RecordChargeRefundDue(tx, call, *response);
        return absl::OkStatus();
      },
      IdempotencyOptions{{}, kExchangeTokenKeyLifetime, nullptr});
}

}  // namespace returns::app
