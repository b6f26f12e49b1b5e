#include "absl/strings/str_cat.h"
#include "app/idempotency.h"
#include "app/move_exchange_token.h"
#include "app/use_cases.h"
#include "domain/errors.h"
#include "domain/exchange_token_rules.h"

namespace returns::app {

// A token raises at most one charge on its own; after the payment system reported
// CHARGE_FAILED, only this explicit call raises it again (CHARGE_FAILED -> CHARGE_DUE, a new
// charge_attempt and a new "exchange_token.charge_due" for the payment system).
absl::Status RetryExchangeTokenCharge(const AppContext& app, CallContext& call,
                                      const v1::RetryExchangeTokenChargeRequest& request,
                                      v1::ExchangeToken* response) {
  return RunIdempotent(app, call, "RetryExchangeTokenCharge", request, response, [&](storage::Tx& tx) {
    auto rows = tx.Exec("exchange_tokens/lock_exchange_token", call.merchant_id,
                        request.exchange_token_id());
    if (rows.empty()) return NotFoundError("exchange token", request.exchange_token_id());
    const auto state = ParseExchangeTokenState(rows[0][1].as<std::string>());
    if (state != v1::EXCHANGE_TOKEN_STATE_CHARGE_FAILED) {
      const std::string name = rows[0][1].as<std::string>();
      return PreconditionError(reason::kInvalidState,
                               absl::StrCat("exchange token is ", name, "; only a CHARGE_FAILED token's charge "
                                            "is raised again"),
                               {{"state", name}});
    }
    *response = RetryCharge(tx, call, request.exchange_token_id(),
                            request.reason().empty()
                                ? std::string("The failed charge was raised again")
                                : absl::StrCat("The failed charge was raised again: ", request.reason()));
    return absl::OkStatus();
  }, IdempotencyOptions{{}, kExchangeTokenKeyLifetime, nullptr});
}

}  // namespace returns::app
