#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "app/common/page_token.h"
#include "app/exchange_tokens/exchange_tokens_use_cases.h"
#include "domain/errors.h"
#include "domain/exchange_token_rules.h"
#include "storage/exchange_token_store.h"
#include "storage/transaction.h"

namespace returns::app {

absl::Status GetExchangeToken(const AppContext& app, const CallContext& call,
                              const v1::GetExchangeTokenRequest& request,
                              v1::ExchangeToken* response) {
  return storage::RunTransaction(
      *app.pool, "GetExchangeToken", call.deadline, [&](storage::Tx& tx) {
        storage::ExchangeTokenStore tokens(tx);
        auto token = tokens.GetExchangeToken(call.merchant_id, request.exchange_token_id());
        if (!token) return NotFoundError("exchange token", request.exchange_token_id());
        *response = *std::move(token);
        return absl::OkStatus();
      });
}

}  // namespace returns::app
