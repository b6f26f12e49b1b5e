#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "app/common/page_token.h"
#include "app/exchange_tokens/exchange_tokens_use_cases.h"
#include "domain/errors.h"
#include "domain/exchange_token_rules.h"
#include "google/protobuf/util/time_util.h"
#include "storage/exchange_token_store.h"
#include "storage/transaction.h"
#include "common/enum_text.h"

namespace returns::app {

absl::Status ListExchangeTokens(const AppContext& app, const CallContext& call,
                                const v1::ListExchangeTokensRequest& request,
                                v1::ListExchangeTokensResponse* response) {
  auto page_size = EffectivePageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  const std::string state =
      request.state() == v1::EXCHANGE_TOKEN_STATE_UNSPECIFIED ? "" : EnumText(request.state());
  const std::string scope =
      absl::StrCat(call.merchant_id, "|ListExchangeTokens|", request.return_id(), "|", state);
  auto position = DecodeTimeIdPosition(app.page_token_secret, scope, request.page_token(),
                                       {"0", "00000000-0000-0000-0000-000000000000"});
  if (!position.ok()) return position.status();
  return storage::RunTransaction(
      *app.pool, "ListExchangeTokens", call.deadline, [&](storage::Tx& tx) {
        storage::ExchangeTokenStore store(tx);
        std::vector<v1::ExchangeToken> tokens =
            store.ListExchangeTokens(call.merchant_id, request.return_id(), state,
                                     position->time_us, position->id, *page_size + 1);
        const int shown = std::min<int>(tokens.size(), *page_size);
        for (int i = 0; i < shown; ++i) *response->add_exchange_tokens() = std::move(tokens[i]);
        if (static_cast<int>(tokens.size()) > *page_size) {
          // The position of the last token shown: its create_time in µs, as the statement reads it.
          const v1::ExchangeToken& last = response->exchange_tokens(shown - 1);
          const int64_t create_time_us =
              google::protobuf::util::TimeUtil::TimestampToMicroseconds(last.create_time());
          response->set_next_page_token(
              EncodePageToken(app.page_token_secret, scope,
                              {absl::StrCat(create_time_us), last.exchange_token_id()}));
        }
        return absl::OkStatus();
      });
}

}  // namespace returns::app
