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
  if (tx.Exec("exchange_tokens/mark_charge_refund_requested", call.merchant_id,
              token.exchange_token_id()).empty()) {
    return;  // requested before: a refund is asked for at most once
  }
  v1::ExchangeToken current = storage::ExchangeTokenFromRow(
      tx.Exec("exchange_tokens/get_exchange_token", call.merchant_id, token.exchange_token_id())[0]);
  RecordTransition(tx, call,
                   Transition{current.order_id(), "exchange_token", current.exchange_token_id(),
                              "exchange_token.charge_refund_due", ExchangeTokenStateName(current.state()),
                              absl::StrCat("The original came back after the charge: refund ",
                                           current.charge_amount().amount_minor(), " ",
                                           current.charge_amount().currency_code(), " (charge attempt ",
                                           current.charge_attempt(), ")"),
                              &current});
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
    const bool never_scanned = row[4].as<bool>();
    // IN_TRANSIT already, or charged after a first scan (lost in transit): a scan changes nothing.
    if (!state || !never_scanned ||
        !IsExchangeTokenTransitionAllowed(*state, v1::EXCHANGE_TOKEN_STATE_IN_TRANSIT)) {
      continue;
    }
    const std::string token_id = row[0].as<std::string>();
    tx.Exec("exchange_tokens/start_transit_deadline", call.merchant_id, token_id);
    MoveExchangeToken(tx, call, token_id, row[3].as<std::string>(),
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
  for (const auto& token : tokens) released[token[2].as<std::string>()] += token[3].as<int32_t>();
  ReleaseReservations(tx, call.merchant_id, released);  // stock before the change feed
  for (const auto& token : tokens) {
    MoveExchangeToken(tx, call, token[0].as<std::string>(), order_id, v1::EXCHANGE_TOKEN_STATE_REVOKED,
                      "exchange_token.revoked", summary);
  }
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

namespace {

// Raises a new charge (CHARGE_DUE, charge_attempt + 1) and writes "exchange_token.charge_due".
v1::ExchangeToken RaiseCharge(storage::Tx& tx, const CallContext& call, const std::string& token_id,
                              const std::string& why) {
  tx.Exec("exchange_tokens/raise_charge", call.merchant_id, token_id);
  v1::ExchangeToken token = storage::ExchangeTokenFromRow(
      tx.Exec("exchange_tokens/get_exchange_token", call.merchant_id, token_id)[0]);
  RecordTransition(tx, call,
                   Transition{token.order_id(), "exchange_token", token_id, "exchange_token.charge_due",
                              "CHARGE_DUE",
                              absl::StrCat(why, ": charge ", token.charge_amount().amount_minor(), " ",
                                           token.charge_amount().currency_code(), " (charge attempt ",
                                           token.charge_attempt(), ")"),
                              &token});
  return token;
}

}  // namespace

bool ChargeForOriginal(storage::Tx& tx, const CallContext& call, const std::string& token_id,
                       const std::string& why) {
  auto charge = tx.Exec("exchange_tokens/get_charge_status", call.merchant_id, token_id)[0];
  if (!charge[0].as<bool>()) {
    RaiseCharge(tx, call, token_id, why);
    return true;
  }
  // A charge was raised before (the original was scanned late, then went wrong): it stands.
  const std::string outcome = charge[1].as<std::string>();
  const v1::ExchangeTokenState next = outcome == "CHARGED"         ? v1::EXCHANGE_TOKEN_STATE_CHARGED
                                      : outcome == "CHARGE_FAILED" ? v1::EXCHANGE_TOKEN_STATE_CHARGE_FAILED
                                                                   : v1::EXCHANGE_TOKEN_STATE_CHARGE_DUE;
  const auto row = tx.Exec("exchange_tokens/get_exchange_token", call.merchant_id, token_id)[0];
  const v1::ExchangeToken token = storage::ExchangeTokenFromRow(row);
  const std::string stands =
      outcome == "CHARGED"         ? "the charge collected earlier covers the replacement; nothing more is due"
      : outcome == "CHARGE_FAILED" ? "the earlier charge failed; only RetryExchangeTokenCharge raises it again"
                                   : "the charge raised earlier awaits its outcome; no new charge";
  const std::string summary = absl::StrCat(why, ": ", stands);
  if (token.state() == next) {
    RecordTransition(tx, call,
                     Transition{token.order_id(), "exchange_token", token_id,
                                "exchange_token.charge_reinstated", ExchangeTokenStateName(next), summary,
                                &token});
  } else {
    MoveExchangeToken(tx, call, token_id, token.order_id(), next, "exchange_token.charge_reinstated",
                      summary);
  }
  return false;
}

v1::ExchangeToken RetryCharge(storage::Tx& tx, const CallContext& call, const std::string& token_id,
                              const std::string& why) {
  return RaiseCharge(tx, call, token_id, why);
}

void LockReturnExchanges(storage::Tx& tx, const std::string& merchant_id, const std::string& return_id) {
  tx.Exec("exchange_tokens/lock_live_tokens_of_return", merchant_id, return_id);
  tx.Exec("inventory/lock_return_stock", merchant_id, return_id);
}

}  // namespace returns::app
