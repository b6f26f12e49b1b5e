#include "absl/strings/str_cat.h"
#include "app/common/idempotency.h"
#include "app/exchange_tokens/charge_outcome.h"
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
        const bool charged = request.outcome() == v1::CHARGE_OUTCOME_CHARGED;
        auto token = ApplyChargeOutcome(tx, call, request.exchange_token_id(), charged,
                                        request.payment_reference());
        if (!token.ok()) return token.status();
        *response = *std::move(token);
        // The token's COLLATERAL_CHARGE movement (MoneyService) follows.
        FollowChargeOutcome(tx, call, request.exchange_token_id(), charged,
                            request.payment_reference());
        return absl::OkStatus();
      },
      IdempotencyOptions{{}, kExchangeTokenKeyLifetime, nullptr});
}

}  // namespace returns::app
