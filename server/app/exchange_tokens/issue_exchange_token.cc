#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "app/common/idempotency.h"
#include "app/common/record_decision.h"
#include "app/common/record_transition.h"
#include "app/exchange_tokens/exchange_tokens_use_cases.h"
#include "domain/errors.h"
#include "domain/exchange_token_rules.h"
#include "domain/return_state_machine.h"
#include "google/protobuf/util/time_util.h"
#include "storage/exchange_token_store.h"
#include "common/enum_text.h"
#include "domain/event_types.h"

namespace returns::app {

using google::protobuf::util::TimeUtil;

namespace {

// A retry of an IssueExchangeToken whose answer was lost: the stored response has no token string
// (only its hash is kept). While the token is unredeemed and alive, the retry gets a fresh string
// for the same token (same id, same reservation, no second effect) and the lost one stops
// working; the timeline says so. A token that moved on is answered as stored, without a string.
absl::Status ReissueTokenString(const AppContext& app, const CallContext& call, storage::Tx& tx,
                                google::protobuf::Message* stored) {
  auto* response = static_cast<v1::IssueExchangeTokenResponse*>(stored);
  const std::string token_id = response->exchange_token().exchange_token_id();
  const std::string token = app.token_codec->Issue();
  storage::ExchangeTokenStore tokens(tx);
  const std::optional<std::string> order_id =
      tokens.RotateTokenHash(call.merchant_id, token_id, ExchangeTokenCodec::Hash(token));
  if (!order_id) return absl::OkStatus();
  *response->mutable_exchange_token() = *tokens.GetExchangeToken(call.merchant_id, token_id);
  response->set_token(token);
  RecordTransition(
      tx, call,
      Transition{*order_id, "exchange_token", token_id, event_type::kExchangeTokenReissued,
                 "ISSUED",
                 "A retried request got a fresh token string; the earlier one no longer works",
                 &response->exchange_token()});
  return absl::OkStatus();
}

}  // namespace

absl::Status IssueExchangeToken(const AppContext& app, CallContext& call,
                                const v1::IssueExchangeTokenRequest& request,
                                v1::IssueExchangeTokenResponse* response) {
  return RunIdempotent(
      app, call, request, response,
      [&](storage::Tx& tx) -> absl::Status {
        storage::ExchangeTokenStore tokens(tx);
        const std::optional<storage::ReturnLineForExchange> line = tokens.LockReturnLineForExchange(
            call.merchant_id, request.return_id(), request.order_line_id());
        if (!line)
          return NotFoundError("return line", request.return_id() + "/" + request.order_line_id());
        const auto return_state = ParseEnum<v1::ReturnState>(line->return_state);
        if (!return_state || !AwaitsOriginal(*return_state)) {
          return PreconditionError(reason::kInvalidState,
                                   absl::StrCat("the return is ", line->return_state),
                                   {{"state", line->return_state}});
        }
        const std::string order_id = line->order_id;
        const int32_t quantity = line->quantity;
        if (line->resolution != "EXCHANGE") {
          return PreconditionError(reason::kNotAnExchange,
                                   "the return line's resolution is not EXCHANGE");
        }
        const std::string sku = line->replacement_sku;
        const std::string currency = line->currency_code;
        // The prices CreateReturn snapshotted: the token states the quote the return promised,
        // computed by the same code (QuoteExchange), whatever the order or stock say now.
        const int64_t original_unit = line->unit_price_minor;
        const int64_t replacement_unit = line->replacement_unit_minor;
        InstantExchangePolicy policy{line->instant_exchange_enabled,
                                     line->instant_exchange_max_item_minor,
                                     line->require_collateral};
        const int ttl_days = line->exchange_token_ttl_days;
        const int charge_window_days = line->charge_window_days;
        const int transit_window_days = line->transit_window_days;
        // The return's risk score (kept at CreateReturn) gates instant exchange: above the
        // policy's limit the customer gets a standard exchange (the original first).
        const int risk_max = line->risk_instant_exchange_max_milli;
        const int risk_score = line->risk_score_milli;
        if (risk_score > risk_max) {
          return PreconditionError(
              reason::kRiskTooHigh,
              absl::StrCat("the return's risk score ", risk_score,
                           "/1000 is above the instant-exchange limit ", risk_max,
                           ": offer a standard exchange"),
              {{"field", "return_id"}, {"risk_score_milli", absl::StrCat(risk_score)}});
        }
        auto quote = QuoteExchange(original_unit, replacement_unit, quantity);
        if (!quote.ok()) return quote.status();
        // What the merchant risks is the replacements' value, not the original's price.
        if (auto s =
                CheckInstantExchangePolicy(policy, quote->charge_minor, request.has_collateral());
            !s.ok()) {
          return s;
        }
        if (request.has_collateral() && request.collateral().amount().currency_code() != currency) {
          return InvalidField("collateral.amount.currency_code", "must be the order's currency");
        }
        if (tokens.HasLiveToken(call.merchant_id, request.return_id(), request.order_line_id())) {
          return PreconditionError(reason::kExchangeTokenExists,
                                   "the return line already has a live exchange token");
        }
        if (!tokens.ReserveStock(call.merchant_id, sku, quantity)) {
          return PreconditionError(
              reason::kOutOfStock,
              absl::StrCat("not enough of ", sku, " is available for ", quantity, " unit(s)"),
              {{"sku", sku}});
        }

        const std::string token = app.token_codec->Issue();
        const auto& c = request.collateral();
        const std::string collateral_expire =
            c.has_expire_time() ? absl::StrCat(TimeUtil::TimestampToMicroseconds(c.expire_time()))
                                : "";
        const std::string token_id = tokens.InsertExchangeToken(
            call.merchant_id, ExchangeTokenCodec::Hash(token), request.return_id(), order_id,
            request.order_line_id(), sku, quantity, currency, quote->upsell_minor,
            quote->downsell_minor, quote->charge_minor, c.authorization_reference(),
            c.amount().amount_minor(), collateral_expire, ttl_days, charge_window_days,
            transit_window_days);
        *response->mutable_exchange_token() = *tokens.GetExchangeToken(call.merchant_id, token_id);
        response->set_token(token);

        // The automated approval is audited (PRODUCT.md 4.7).
        nlohmann::json inputs = {{"item_unit_minor", original_unit},
                                 {"replacement_unit_minor", replacement_unit},
                                 {"value_at_risk_minor", quote->charge_minor},
                                 {"limit_minor", policy.max_item_minor},
                                 {"replacement_sku", sku},
                                 {"quantity", quantity},
                                 {"collateral", request.has_collateral()},
                                 {"risk_score_milli", risk_score},
                                 {"risk_instant_exchange_max_milli", risk_max}};
        RecordDecision(
            tx, call,
            DecisionRecord{DecisionKind::kInstantExchange,
                           ExchangeTokenSubject(token_id),
                           inputs,
                           "instant-exchange-v2",
                           1000,
                           "APPROVED",
                           {"instant exchange enabled by policy",
                            "replacements' value within the limit", "replacement in stock"}});
        RecordTransition(
            tx, call,
            Transition{
                order_id, "exchange_token", token_id, event_type::kExchangeTokenIssued, "ISSUED",
                absl::StrCat("Exchange token issued: ", quantity, " x ", sku, " reserved until ",
                             TimeUtil::ToString(response->exchange_token().expire_time())),
                &response->exchange_token()});
        return absl::OkStatus();
      },
      IdempotencyOptions{{"token"},
                         kExchangeTokenKeyLifetime,  // only the hash is kept
                         [&](storage::Tx& tx, google::protobuf::Message* stored) {
                           return ReissueTokenString(app, call, tx, stored);
                         }});
}

}  // namespace returns::app
