#include "app/move_exchange_token.h"

#include "absl/strings/str_cat.h"
#include "app/record_transition.h"
#include "domain/errors.h"
#include "domain/exchange_token_rules.h"
#include "storage/rows.h"

namespace returns::app {

v1::ExchangeToken MoveExchangeToken(storage::Tx& tx, const CallContext& call,
                                    const std::string& token_id, const std::string& order_id,
                                    v1::ExchangeTokenState next, const std::string& event_type,
                                    const std::string& summary) {
  const std::string state = ExchangeTokenStateName(next);
  tx.Exec("exchange_tokens/set_exchange_token_state", call.merchant_id, token_id, state);
  v1::ExchangeToken token = storage::ExchangeTokenFromRow(
      tx.Exec("exchange_tokens/get_exchange_token", call.merchant_id, token_id)[0]);
  RecordTransition(tx, call,
                   Transition{order_id, "exchange_token", token_id, event_type, state, summary, &token});
  return token;
}

void RecordChargeRefundDue(storage::Tx& tx, const CallContext& call, const v1::ExchangeToken& token) {
  RecordTransition(tx, call,
                   Transition{token.order_id(), "exchange_token", token.exchange_token_id(),
                              "exchange_token.charge_refund_due", ExchangeTokenStateName(token.state()),
                              absl::StrCat("The original came back after the charge: refund ",
                                           token.charge_amount().amount_minor(), " ",
                                           token.charge_amount().currency_code()),
                              &token});
}

void ReleaseReservations(storage::Tx& tx, const std::string& merchant_id,
                         const std::map<std::string, int32_t>& quantity_by_sku) {
  for (const auto& [sku, quantity] : quantity_by_sku) {
    tx.Exec("exchange_tokens/release_stock", merchant_id, sku, quantity);
  }
}

int MarkOriginalsInTransit(storage::Tx& tx, const CallContext& call, const std::string& return_id) {
  int moved = 0;
  for (const auto& row : tx.Exec("exchange_tokens/lock_redeemed_tokens_of_return", call.merchant_id,
                                 return_id)) {
    auto state = ParseExchangeTokenState(row[1].as<std::string>());
    if (!state || !IsExchangeTokenTransitionAllowed(*state, v1::EXCHANGE_TOKEN_STATE_IN_TRANSIT)) {
      continue;  // already IN_TRANSIT: a later scan changes nothing
    }
    MoveExchangeToken(tx, call, row[0].as<std::string>(), row[3].as<std::string>(),
                      v1::EXCHANGE_TOKEN_STATE_IN_TRANSIT, "exchange_token.in_transit",
                      "The original is on its way back (first carrier scan)");
    ++moved;
  }
  return moved;
}

absl::Status RevokeTokensWithReturn(storage::Tx& tx, const CallContext& call, const std::string& return_id,
                                    const std::string& order_id, const std::string& summary) {
  auto tokens = tx.Exec("exchange_tokens/lock_live_tokens_of_return", call.merchant_id, return_id);
  for (const auto& token : tokens) {
    if (token[1].as<std::string>() != "ISSUED") {
      return PreconditionError(
          reason::kExchangeInProgress,
          "the return's exchange token was redeemed: the replacement is on its way, so the "
          "original must come back",
          {{"exchange_token_id", token[0].as<std::string>()}});
    }
  }
  std::map<std::string, int32_t> released;
  for (const auto& token : tokens) {
    released[token[2].as<std::string>()] += token[3].as<int32_t>();
    MoveExchangeToken(tx, call, token[0].as<std::string>(), order_id, v1::EXCHANGE_TOKEN_STATE_REVOKED,
                      "exchange_token.revoked", summary);
  }
  ReleaseReservations(tx, call.merchant_id, released);
  return absl::OkStatus();
}

void SettleExchangeToken(storage::Tx& tx, const CallContext& call, const std::string& token_id,
                         const std::string& order_id, const std::string& summary) {
  v1::ExchangeToken settled = MoveExchangeToken(tx, call, token_id, order_id,
                                                v1::EXCHANGE_TOKEN_STATE_SETTLED,
                                                "exchange_token.settled", summary);
  auto charge = tx.Exec("exchange_tokens/get_charge_status", call.merchant_id, token_id)[0];
  if (charge[1].as<std::string>() == "CHARGED") RecordChargeRefundDue(tx, call, settled);
}

void RaiseExchangeTokenCharge(storage::Tx& tx, const CallContext& call, const std::string& token_id,
                              const std::string& why) {
  tx.Exec("exchange_tokens/raise_charge", call.merchant_id, token_id);
  v1::ExchangeToken token = storage::ExchangeTokenFromRow(
      tx.Exec("exchange_tokens/get_exchange_token", call.merchant_id, token_id)[0]);
  RecordTransition(tx, call,
                   Transition{token.order_id(), "exchange_token", token_id, "exchange_token.charge_due",
                              "CHARGE_DUE",
                              absl::StrCat(why, ": charge ", token.charge_amount().amount_minor(), " ",
                                           token.charge_amount().currency_code()),
                              &token});
}

}  // namespace returns::app
