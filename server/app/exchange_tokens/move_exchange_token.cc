#include "app/exchange_tokens/move_exchange_token.h"

#include "absl/strings/str_cat.h"
#include "app/exchange_tokens/charge_outcome.h"
#include "app/common/record_transition.h"
#include "domain/errors.h"
#include "domain/exchange_token_rules.h"
#include "storage/exchange_token_store.h"
#include "storage/inventory_store.h"
#include "common/enum_text.h"
#include "domain/event_types.h"

namespace returns::app {

v1::ExchangeToken MoveExchangeToken(storage::Tx& tx, const CallContext& call,
                                    const std::string& token_id, const std::string& order_id,
                                    v1::ExchangeTokenState next, const std::string& event_type,
                                    const std::string& summary) {
  const std::string state = EnumText(next);
  storage::ExchangeTokenStore tokens(tx);
  tokens.SetExchangeTokenState(call.merchant_id, token_id, state);
  v1::ExchangeToken token = *tokens.GetExchangeToken(call.merchant_id, token_id);
  RecordTransition(
      tx, call,
      Transition{order_id, "exchange_token", token_id, event_type, state, summary, &token});
  return token;
}

void RecordChargeRefundDue(storage::Tx& tx, const CallContext& call,
                           const v1::ExchangeToken& token) {
  storage::ExchangeTokenStore tokens(tx);
  if (!tokens.MarkChargeRefundRequested(call.merchant_id, token.exchange_token_id())) {
    return;  // requested before: a refund is asked for at most once
  }
  v1::ExchangeToken current = *tokens.GetExchangeToken(call.merchant_id, token.exchange_token_id());
  RecordTransition(tx, call,
                   Transition{current.order_id(), "exchange_token", current.exchange_token_id(),
                              event_type::kExchangeTokenChargeRefundDue, EnumText(current.state()),
                              absl::StrCat("The original came back after the charge: refund ",
                                           current.charge_amount().amount_minor(), " ",
                                           current.charge_amount().currency_code(),
                                           " (charge attempt ", current.charge_attempt(), ")"),
                              &current});
}

void ReleaseReservations(storage::Tx& tx, const std::string& merchant_id,
                         const std::map<std::string, int32_t>& quantity_by_sku) {
  storage::ExchangeTokenStore tokens(tx);
  for (const auto& [sku, quantity] : quantity_by_sku) {
    tokens.ReleaseStock(merchant_id, sku, quantity);
  }
}

int MarkOriginalsInTransit(storage::Tx& tx, const CallContext& call, const std::string& return_id) {
  int moved = 0;
  storage::ExchangeTokenStore tokens(tx);
  for (const storage::RedeemedToken& token :
       tokens.LockRedeemedTokensOfReturn(call.merchant_id, return_id)) {
    auto state = ParseEnum<v1::ExchangeTokenState>(token.state);
    // IN_TRANSIT already, or charged after a first scan (lost in transit): a scan changes nothing.
    if (!state || !token.never_scanned ||
        !IsExchangeTokenTransitionAllowed(*state, v1::EXCHANGE_TOKEN_STATE_IN_TRANSIT)) {
      continue;
    }
    tokens.StartTransitDeadline(call.merchant_id, token.exchange_token_id);
    MoveExchangeToken(tx, call, token.exchange_token_id, token.order_id,
                      v1::EXCHANGE_TOKEN_STATE_IN_TRANSIT, event_type::kExchangeTokenInTransit,
                      "The original is on its way back (first carrier scan)");
    ++moved;
  }
  return moved;
}

absl::Status RevokeTokensWithReturn(storage::Tx& tx, const CallContext& call,
                                    const std::string& return_id, const std::string& order_id,
                                    const std::string& summary) {
  const std::vector<storage::LiveToken> live =
      storage::ExchangeTokenStore(tx).LockLiveTokensOfReturn(call.merchant_id, return_id);
  for (const storage::LiveToken& token : live) {
    if (token.state != "ISSUED") {
      return PreconditionError(
          reason::kExchangeInProgress,
          "the return's exchange token was redeemed: the replacement is on its way, so the "
          "original must come back",
          {{"exchange_token_id", token.exchange_token_id}});
    }
  }
  std::map<std::string, int32_t> released;
  for (const storage::LiveToken& token : live) released[token.replacement_sku] += token.quantity;
  ReleaseReservations(tx, call.merchant_id, released);  // stock before the change feed
  for (const storage::LiveToken& token : live) {
    MoveExchangeToken(tx, call, token.exchange_token_id, order_id, v1::EXCHANGE_TOKEN_STATE_REVOKED,
                      event_type::kExchangeTokenRevoked, summary);
  }
  return absl::OkStatus();
}

void SettleExchangeToken(storage::Tx& tx, const CallContext& call, const std::string& token_id,
                         const std::string& order_id, const std::string& summary) {
  v1::ExchangeToken settled =
      MoveExchangeToken(tx, call, token_id, order_id, v1::EXCHANGE_TOKEN_STATE_SETTLED,
                        event_type::kExchangeTokenSettled, summary);
  const storage::ChargeStatus charge =
      storage::ExchangeTokenStore(tx).GetChargeStatus(call.merchant_id, token_id);
  if (charge.charge_outcome == "CHARGED") RecordChargeRefundDue(tx, call, settled);
}

namespace {

// Raises a new charge (CHARGE_DUE, charge_attempt + 1) and writes "exchange_token.charge_due".
v1::ExchangeToken RaiseCharge(storage::Tx& tx, const CallContext& call, const std::string& token_id,
                              const std::string& why) {
  storage::ExchangeTokenStore tokens(tx);
  tokens.RaiseCharge(call.merchant_id, token_id);
  v1::ExchangeToken token = *tokens.GetExchangeToken(call.merchant_id, token_id);
  RequestCollateralCharge(tx, call, token);
  RecordTransition(tx, call,
                   Transition{token.order_id(), "exchange_token", token_id,
                              event_type::kExchangeTokenChargeDue, "CHARGE_DUE",
                              absl::StrCat(why, ": charge ", token.charge_amount().amount_minor(),
                                           " ", token.charge_amount().currency_code(),
                                           " (charge attempt ", token.charge_attempt(), ")"),
                              &token});
  return token;
}

}  // namespace

bool ChargeForOriginal(storage::Tx& tx, const CallContext& call, const std::string& token_id,
                       const std::string& why) {
  storage::ExchangeTokenStore tokens(tx);
  const storage::ChargeStatus charge = tokens.GetChargeStatus(call.merchant_id, token_id);
  if (!charge.charge_raised) {
    RaiseCharge(tx, call, token_id, why);
    return true;
  }
  // A charge was raised before (the original was scanned late, then went wrong): it stands.
  const std::string outcome = charge.charge_outcome;
  const v1::ExchangeTokenState next = outcome == "CHARGED" ? v1::EXCHANGE_TOKEN_STATE_CHARGED
                                      : outcome == "CHARGE_FAILED"
                                          ? v1::EXCHANGE_TOKEN_STATE_CHARGE_FAILED
                                          : v1::EXCHANGE_TOKEN_STATE_CHARGE_DUE;
  const v1::ExchangeToken token = *tokens.GetExchangeToken(call.merchant_id, token_id);
  const std::string stands =
      outcome == "CHARGED"
          ? "the charge collected earlier covers the replacement; nothing more is due"
      : outcome == "CHARGE_FAILED"
          ? "the earlier charge failed; only RetryExchangeTokenCharge raises it again"
          : "the charge raised earlier awaits its outcome; no new charge";
  const std::string summary = absl::StrCat(why, ": ", stands);
  if (token.state() == next) {
    RecordTransition(
        tx, call,
        Transition{token.order_id(), "exchange_token", token_id,
                   event_type::kExchangeTokenChargeReinstated, EnumText(next), summary, &token});
  } else {
    MoveExchangeToken(tx, call, token_id, token.order_id(), next,
                      event_type::kExchangeTokenChargeReinstated, summary);
  }
  return false;
}

v1::ExchangeToken RetryCharge(storage::Tx& tx, const CallContext& call, const std::string& token_id,
                              const std::string& why) {
  return RaiseCharge(tx, call, token_id, why);
}

void LockReturnExchanges(storage::Tx& tx, const std::string& merchant_id,
                         const std::string& return_id) {
  storage::ExchangeTokenStore(tx).LockLiveTokensOfReturn(merchant_id, return_id);
  storage::InventoryStore(tx).LockReturnStock(merchant_id, return_id);
}

}  // namespace returns::app
