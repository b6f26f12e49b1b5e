#include "absl/strings/str_cat.h"
#include "app/idempotency.h"
#include "app/move_exchange_token.h"
#include "app/record_transition.h"
#include "app/use_cases.h"
#include "domain/errors.h"
#include "domain/exchange_token_rules.h"
#include "storage/rows.h"

namespace returns::app {

// A charge is reported once, for a token whose charge was raised. Usually the token is
// CHARGE_DUE and moves to CHARGED or CHARGE_FAILED. If the original came back while the charge
// was in flight (the token is IN_TRANSIT or SETTLED), the outcome is recorded without a state
// change, and a successful charge of a settled token is to be refunded.
absl::Status ReportChargeOutcome(const AppContext& app, CallContext& call,
                                 const v1::ReportChargeOutcomeRequest& request,
                                 v1::ExchangeToken* response) {
  return RunIdempotent(app, call, "ReportChargeOutcome", request, response, [&](storage::Tx& tx) {
    auto rows = tx.Exec("exchange_tokens/lock_exchange_token", call.merchant_id,
                        request.exchange_token_id());
    if (rows.empty()) return NotFoundError("exchange token", request.exchange_token_id());
    const auto state = ParseExchangeTokenState(rows[0][1].as<std::string>());
    const std::string order_id = rows[0][5].as<std::string>();
    auto charge = tx.Exec("exchange_tokens/get_charge_status", call.merchant_id,
                          request.exchange_token_id())[0];
    const bool charged = request.outcome() == v1::CHARGE_OUTCOME_CHARGED;
    const auto next = charged ? v1::EXCHANGE_TOKEN_STATE_CHARGED : v1::EXCHANGE_TOKEN_STATE_CHARGE_FAILED;
    if (!charge[0].as<bool>() || !charge[1].as<std::string>().empty()) {
      // No charge was raised, or its outcome is in already.
      const std::string name = ExchangeTokenStateName(*state);
      return PreconditionError(reason::kInvalidState,
                               absl::StrCat("exchange token is ", name,
                                            " and has no charge awaiting an outcome"),
                               {{"state", name}});
    }
    const std::string outcome = ExchangeTokenStateName(next);
    tx.Exec("exchange_tokens/record_charge_outcome", call.merchant_id, request.exchange_token_id(),
            outcome);
    const std::string summary = absl::StrCat(
        "Payment system reported ", outcome,
        request.payment_reference().empty() ? "" : absl::StrCat(" (", request.payment_reference(), ")"));
    const std::string event = charged ? "exchange_token.charged" : "exchange_token.charge_failed";
    if (*state == v1::EXCHANGE_TOKEN_STATE_CHARGE_DUE) {
      *response = MoveExchangeToken(tx, call, request.exchange_token_id(), order_id, next, event, summary);
      return absl::OkStatus();
    }
    *response = storage::ExchangeTokenFromRow(
        tx.Exec("exchange_tokens/get_exchange_token", call.merchant_id, request.exchange_token_id())[0]);
    RecordTransition(tx, call,
                     Transition{order_id, "exchange_token", request.exchange_token_id(), event,
                                ExchangeTokenStateName(*state), summary, response});
    if (charged && *state == v1::EXCHANGE_TOKEN_STATE_SETTLED) RecordChargeRefundDue(tx, call, *response);
    return absl::OkStatus();
  }, IdempotencyOptions{{}, kExchangeTokenKeyLifetime, nullptr});
}

}  // namespace returns::app
