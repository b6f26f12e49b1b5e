#include "absl/strings/str_cat.h"
#include "app/idempotency.h"
#include "app/record_transition.h"
#include "app/use_cases.h"
#include "domain/errors.h"
#include "domain/exchange_token_rules.h"
#include "storage/rows.h"

namespace returns::app {

absl::Status ReportChargeOutcome(const AppContext& app, CallContext& call,
                                 const v1::ReportChargeOutcomeRequest& request,
                                 v1::ExchangeToken* response) {
  return RunIdempotent(app, call, "ReportChargeOutcome", request, response, [&](storage::Tx& tx) {
    auto rows = tx.Exec("exchange_tokens/lock_exchange_token", call.merchant_id,
                        request.exchange_token_id());
    if (rows.empty()) return NotFoundError("exchange token", request.exchange_token_id());
    auto state = ParseExchangeTokenState(rows[0][1].as<std::string>());
    const auto next = request.outcome() == v1::CHARGE_OUTCOME_CHARGED
                          ? v1::EXCHANGE_TOKEN_STATE_CHARGED
                          : v1::EXCHANGE_TOKEN_STATE_CHARGE_FAILED;
    if (auto s = CheckExchangeTokenTransition(*state, next); !s.ok()) return s;
    const std::string next_name = ExchangeTokenStateName(next);
    tx.Exec("exchange_tokens/set_exchange_token_state", call.merchant_id,
            request.exchange_token_id(), next_name);
    *response = storage::ExchangeTokenFromRow(
        tx.Exec("exchange_tokens/get_exchange_token", call.merchant_id, request.exchange_token_id())[0]);
    RecordTransition(tx, call,
                     Transition{rows[0][5].as<std::string>(), "exchange_token",
                                request.exchange_token_id(),
                                next == v1::EXCHANGE_TOKEN_STATE_CHARGED ? "exchange_token.charged"
                                                                         : "exchange_token.charge_failed",
                                next_name,
                                absl::StrCat("Payment system reported ", next_name,
                                             request.payment_reference().empty() ? "" : " (",
                                             request.payment_reference(),
                                             request.payment_reference().empty() ? "" : ")"),
                                response});
    return absl::OkStatus();
  }, IdempotencyOptions{{}, kExchangeTokenKeyLifetime});
}

}  // namespace returns::app
