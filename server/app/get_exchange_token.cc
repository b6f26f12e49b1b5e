#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "app/page_token.h"
#include "app/use_cases.h"
#include "domain/errors.h"
#include "domain/exchange_token_rules.h"
#include "storage/rows.h"
#include "storage/transaction.h"

namespace returns::app {

absl::Status GetExchangeToken(const AppContext& app, const CallContext& call,
                              const v1::GetExchangeTokenRequest& request,
                              v1::ExchangeToken* response) {
  return storage::RunTransaction(*app.pool, "GetExchangeToken", call.deadline, [&](storage::Tx& tx) {
    auto rows = tx.Exec("exchange_tokens/get_exchange_token", call.merchant_id,
                        request.exchange_token_id());
    if (rows.empty()) return NotFoundError("exchange token", request.exchange_token_id());
    *response = storage::ExchangeTokenFromRow(rows[0]);
    return absl::OkStatus();
  });
}

absl::Status ListExchangeTokens(const AppContext& app, const CallContext& call,
                                const v1::ListExchangeTokensRequest& request,
                                v1::ListExchangeTokensResponse* response) {
  auto page_size = EffectivePageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  const std::string state = request.state() == v1::EXCHANGE_TOKEN_STATE_UNSPECIFIED
                                ? ""
                                : ExchangeTokenStateName(request.state());
  const std::string scope =
      absl::StrCat(call.merchant_id, "|ListExchangeTokens|", request.return_id(), "|", state);
  auto position = DecodeTimeIdPosition(app.page_token_secret, scope, request.page_token(),
                                       {"0", "00000000-0000-0000-0000-000000000000"});
  if (!position.ok()) return position.status();
  return storage::RunTransaction(*app.pool, "ListExchangeTokens", call.deadline, [&](storage::Tx& tx) {
    auto rows = tx.Exec("exchange_tokens/list_exchange_tokens", call.merchant_id, request.return_id(),
                        state, position->time_us, position->id, *page_size + 1);
    const int shown = std::min<int>(rows.size(), *page_size);
    for (int i = 0; i < shown; ++i) {
      *response->add_exchange_tokens() = storage::ExchangeTokenFromRow(rows[i]);
    }
    if (static_cast<int>(rows.size()) > *page_size) {
      const auto& last = rows[shown - 1];
      response->set_next_page_token(EncodePageToken(
          app.page_token_secret, scope, {last[15].as<std::string>(), last[0].as<std::string>()}));
    }
    return absl::OkStatus();
  });
}

}  // namespace returns::app
