#include "absl/strings/str_cat.h"
#include "app/common/idempotency.h"
#include "app/common/record_transition.h"
#include "app/admin/decision_effects.h"
#include "app/exchange_tokens/exchange_tokens_use_cases.h"
#include "domain/errors.h"
#include "domain/exchange_token_rules.h"
#include "storage/exchange_token_store.h"
#include "common/enum_text.h"
#include "domain/event_types.h"

namespace returns::app {

absl::Status RevokeExchangeTokenInTx(const AppContext& app, storage::Tx& tx,
                                     const CallContext& call,
                                     const v1::RevokeExchangeTokenRequest& request,
                                     v1::ExchangeToken* response) {
  storage::ExchangeTokenStore tokens(tx);
  const auto t = tokens.LockExchangeToken(call.merchant_id, request.exchange_token_id());
  if (!t) return NotFoundError("exchange token", request.exchange_token_id());
  auto state = ParseEnum<v1::ExchangeTokenState>(t->state);
  if (auto s = CheckExchangeTokenTransition(*state, v1::EXCHANGE_TOKEN_STATE_REVOKED); !s.ok()) {
    return s;
  }
  tokens.ReleaseStock(call.merchant_id, t->replacement_sku, t->quantity);
  tokens.SetExchangeTokenState(call.merchant_id, request.exchange_token_id(), "REVOKED");
  *response = *tokens.GetExchangeToken(call.merchant_id, request.exchange_token_id());
  RecordTransition(tx, call,
                   Transition{t->order_id, "exchange_token", request.exchange_token_id(),
                              event_type::kExchangeTokenRevoked, "REVOKED",
                              request.reason().empty()
                                  ? std::string("Exchange token revoked; reservation released")
                                  : absl::StrCat("Exchange token revoked: ", request.reason()),
                              response});
  return absl::OkStatus();
}

absl::Status RevokeExchangeToken(const AppContext& app, CallContext& call,
                                 const v1::RevokeExchangeTokenRequest& request,
                                 v1::ExchangeToken* response) {
  return RunIdempotent(
      app, call, request, response,
      [&](storage::Tx& tx) { return RevokeExchangeTokenInTx(app, tx, call, request, response); },
      IdempotencyOptions{{}, kExchangeTokenKeyLifetime, nullptr});
}

}  // namespace returns::app
