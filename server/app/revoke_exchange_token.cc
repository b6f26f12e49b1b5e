#include "absl/strings/str_cat.h"
#include "app/idempotency.h"
#include "app/record_transition.h"
#include "app/decision_effects.h"
#include "app/use_cases.h"
#include "domain/errors.h"
#include "domain/exchange_token_rules.h"
#include "storage/rows.h"

namespace returns::app {

absl::Status RevokeExchangeTokenInTx(const AppContext& app, storage::Tx& tx, const CallContext& call,
    const v1::RevokeExchangeTokenRequest& request, v1::ExchangeToken* response) {
  auto rows = tx.Exec("exchange_tokens/lock_exchange_token", call.merchant_id,
                      request.exchange_token_id());
  if (rows.empty()) return NotFoundError("exchange token", request.exchange_token_id());
  const auto& t = rows[0];
  auto state = ParseExchangeTokenState(t[1].as<std::string>());
  if (auto s = CheckExchangeTokenTransition(*state, v1::EXCHANGE_TOKEN_STATE_REVOKED); !s.ok()) {
    return s;
  }
  tx.Exec("exchange_tokens/release_stock", call.merchant_id, t[3].as<std::string>(),
          t[4].as<int32_t>());
  tx.Exec("exchange_tokens/set_exchange_token_state", call.merchant_id,
          request.exchange_token_id(), std::string("REVOKED"));
  *response = storage::ExchangeTokenFromRow(
      tx.Exec("exchange_tokens/get_exchange_token", call.merchant_id, request.exchange_token_id())[0]);
  RecordTransition(tx, call,
                   Transition{t[5].as<std::string>(), "exchange_token", request.exchange_token_id(),
                              "exchange_token.revoked", "REVOKED",
                              request.reason().empty()
                                  ? std::string("Exchange token revoked; reservation released")
                                  : absl::StrCat("Exchange token revoked: ", request.reason()),
                              response});
  return absl::OkStatus();
}

absl::Status RevokeExchangeToken(const AppContext& app, CallContext& call, const v1::RevokeExchangeTokenRequest& request,
    v1::ExchangeToken* response) {
  return RunIdempotent(app, call, "RevokeExchangeToken", request, response, [&](storage::Tx& tx) {
    return RevokeExchangeTokenInTx(app, tx, call, request, response);
  }, IdempotencyOptions{{}, kExchangeTokenKeyLifetime, nullptr});
}

}  // namespace returns::app
