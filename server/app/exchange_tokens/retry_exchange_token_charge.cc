#include "absl/strings/str_cat.h"
#include "app/common/idempotency.h"
#include "app/exchange_tokens/move_exchange_token.h"
#include "app/exchange_tokens/exchange_tokens_use_cases.h"
#include "domain/errors.h"
#include "domain/exchange_token_rules.h"
#include "storage/exchange_token_store.h"
#include "common/enum_text.h"

namespace returns::app {

// A token raises at most one charge on its own; after the payment system reported
// CHARGE_FAILED, only this explicit call raises it again (CHARGE_FAILED -> CHARGE_DUE, a new
// charge_attempt and a new "exchange_token.charge_due" for the payment system).
absl::Status RetryExchangeTokenCharge(const AppContext& app, CallContext& call,
                                      const v1::RetryExchangeTokenChargeRequest& request,
                                      v1::ExchangeToken* response) {
  return RunIdempotent(
      app, call, request, response,
      [&](storage::Tx& tx) {
        storage::ExchangeTokenStore tokens(tx);
        const auto locked = tokens.LockExchangeToken(call.merchant_id, request.exchange_token_id());
        if (!locked) return NotFoundError("exchange token", request.exchange_token_id());
        const auto state = ParseEnum<v1::ExchangeTokenState>(locked->state);
        if (state != v1::EXCHANGE_TOKEN_STATE_CHARGE_FAILED) {
          const std::string name = locked->state;
          return PreconditionError(reason::kInvalidState,
                                   absl::StrCat("exchange token is ", name,
                                                "; only a CHARGE_FAILED token's charge "
                                                "is raised again"),
                                   {{"state", name}});
        }
        *response = RetryCharge(
            tx, call, request.exchange_token_id(),
            request.reason().empty()
                ? std::string("The failed charge was raised again")
                : absl::StrCat("The failed charge was raised again: ", request.reason()));
        return absl::OkStatus();
      },
      IdempotencyOptions{{}, kExchangeTokenKeyLifetime, nullptr});
}

}  // namespace returns::app
