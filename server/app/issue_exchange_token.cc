#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "app/idempotency.h"
#include "app/record_transition.h"
#include "app/use_cases.h"
#include "domain/errors.h"
#include "domain/exchange_token_rules.h"
#include "domain/return_state_machine.h"
#include "google/protobuf/util/time_util.h"
#include "storage/rows.h"

namespace returns::app {

using google::protobuf::util::TimeUtil;

absl::Status IssueExchangeToken(const AppContext& app, CallContext& call,
                                const v1::IssueExchangeTokenRequest& request,
                                v1::IssueExchangeTokenResponse* response) {
  return RunIdempotent(
      app, call, "IssueExchangeToken", request, response,
      [&](storage::Tx& tx) -> absl::Status {
        auto rows = tx.Exec("exchange_tokens/lock_return_line_for_exchange", call.merchant_id,
                            request.return_id(), request.order_line_id());
        if (rows.empty()) return NotFoundError("return line", request.return_id() + "/" + request.order_line_id());
        const auto& r = rows[0];
        const auto return_state = ParseReturnState(r[0].as<std::string>());
        if (!return_state || !AwaitsOriginal(*return_state)) {
          return PreconditionError(reason::kInvalidState,
                                   absl::StrCat("the return is ", r[0].as<std::string>()),
                                   {{"state", r[0].as<std::string>()}});
        }
        const std::string order_id = r[1].as<std::string>();
        const int32_t quantity = r[2].as<int32_t>();
        if (r[3].as<std::string>() != "EXCHANGE") {
          return PreconditionError(reason::kNotAnExchange,
                                   "the return line's resolution is not EXCHANGE");
        }
        const std::string sku = r[4].as<std::string>();
        const std::string currency = r[5].as<std::string>();
        const int64_t original_unit = r[6].as<int64_t>();
        InstantExchangePolicy policy{r[7].as<bool>(), r[8].as<int64_t>(), r[11].as<bool>()};
        const int ttl_days = r[9].as<int>();
        const int charge_window_days = r[10].as<int>();
        if (auto s = CheckInstantExchangePolicy(policy, original_unit, request.has_collateral()); !s.ok()) {
          return s;
        }
        if (request.has_collateral() &&
            request.collateral().amount().currency_code() != currency) {
          return InvalidField("collateral.amount.currency_code", "must be the order's currency");
        }
        if (!tx.Exec("exchange_tokens/has_live_token", call.merchant_id, request.return_id(),
                      request.order_line_id()).empty()) {
          return PreconditionError(reason::kExchangeTokenExists,
                                   "the return line already has a live exchange token");
        }
        auto reserved = tx.Exec("exchange_tokens/reserve_stock", call.merchant_id, sku, quantity);
        if (reserved.empty()) {
          return PreconditionError(reason::kOutOfStock,
                                   absl::StrCat("not enough of ", sku, " is available for ", quantity, " unit(s)"),
                                   {{"sku", sku}});
        }
        if (reserved[0][0].as<std::string>() != currency) {
          return PreconditionError(reason::kCurrencyMismatch,
                                   "the replacement is priced in another currency than the order");
        }
        auto quote = QuoteExchange(original_unit, reserved[0][1].as<int64_t>(), quantity);
        if (!quote.ok()) return quote.status();

        const std::string token = app.token_codec->Issue();
        const absl::Time now = app.clock();
        const absl::Time expire = now + absl::Hours(24) * ttl_days;
        const auto& c = request.collateral();
        const std::string collateral_expire =
            c.has_expire_time() ? absl::StrCat(TimeUtil::TimestampToMicroseconds(c.expire_time())) : "";
        const std::string token_id =
            tx.Exec("exchange_tokens/insert_exchange_token", call.merchant_id,
                    ExchangeTokenCodec::Hash(token), request.return_id(), order_id,
                    request.order_line_id(), sku, quantity, currency, quote->upsell_minor,
                    quote->downsell_minor, quote->charge_minor, c.authorization_reference(),
                    c.amount().amount_minor(), collateral_expire, absl::ToUnixMicros(expire),
                    charge_window_days)[0][0]
                .as<std::string>();
        *response->mutable_exchange_token() = storage::ExchangeTokenFromRow(
            tx.Exec("exchange_tokens/get_exchange_token", call.merchant_id, token_id)[0]);
        response->set_token(token);

        // The automated approval is audited (PRODUCT.md 4.7).
        nlohmann::json inputs = {{"item_unit_minor", original_unit},
                                 {"limit_minor", policy.max_item_minor},
                                 {"replacement_sku", sku},
                                 {"quantity", quantity},
                                 {"collateral", request.has_collateral()}};
        tx.Exec("decisions/insert_decision", call.merchant_id, std::string("instant_exchange"),
                "exchange_tokens/" + token_id, inputs.dump(), std::string("instant-exchange-v1"), 1000,
                std::string("APPROVED"),
                nlohmann::json::array({"instant exchange enabled by policy",
                                       "item value within the limit", "replacement in stock"})
                    .dump());
        RecordTransition(tx, call,
                         Transition{order_id, "exchange_token", token_id, "exchange_token.issued",
                                    "ISSUED",
                                    absl::StrCat("Exchange token issued: ", quantity, " x ", sku,
                                                 " reserved until ",
                                                 absl::FormatTime(absl::RFC3339_sec, expire, absl::UTCTimeZone())),
                                    &response->exchange_token()});
        return absl::OkStatus();
      },
      IdempotencyOptions{{"token"}, kExchangeTokenKeyLifetime});  // only the hash is kept
}

}  // namespace returns::app
