#include <map>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "app/common/idempotency.h"
#include "app/returns/lock_return.h"
#include "app/exchange_tokens/move_exchange_token.h"
#include "app/common/record_decision.h"
#include "app/common/record_transition.h"
#include "app/returns/resolve_received_return.h"
#include "app/logistics/return_labels.h"
#include "app/returns/returns_use_cases.h"
#include "domain/errors.h"
#include "domain/exchange_token_rules.h"
#include "domain/return_state_machine.h"
#include "storage/exchange_token_store.h"
#include "storage/return_store.h"
#include "storage/shipment_store.h"
#include "common/enum_text.h"
#include "domain/event_types.h"

namespace returns::app {

absl::Status ReceiveReturn(const AppContext& app, CallContext& call,
                           const v1::ReceiveReturnRequest& request, v1::Return* response) {
  return RunIdempotent(app, call, request, response, [&](storage::Tx& tx) {
    auto locked = LockReturn(tx, call.merchant_id, request.return_id());
    if (!locked.ok()) return locked.status();
    const std::string order_id = locked->order_id;
    if (absl::Status s = CheckReturnTransition(locked->state, v1::RETURN_STATE_RECEIVED); !s.ok())
      return s;
    // Tokens and stock rows before the first change-feed write (the one lock order).
    LockReturnExchanges(tx, call.merchant_id, request.return_id());

    // Every line of the return exactly once (validation made sure none repeats).
    std::map<std::string, v1::ItemCondition> conditions;
    for (const auto& item : request.items()) conditions[item.order_line_id()] = item.condition();
    storage::ReturnStore return_store(tx);
    int lines = 0;
    for (const std::string& line_id :
         return_store.ListReturnLineIds(call.merchant_id, request.return_id())) {
      if (!conditions.count(line_id)) {
        return InvalidField("items",
                            absl::StrCat("line ", line_id, " of the return has no condition"));
      }
      ++lines;
    }
    if (lines != request.items_size()) {
      return InvalidField("items", "names a line that is not in the return");
    }
    nlohmann::json items = nlohmann::json::array();
    for (const auto& item : request.items()) {
      items.push_back(
          {{"order_line_id", item.order_line_id()}, {"condition", EnumText(item.condition())}});
    }
    return_store.ReceiveReturn(call.merchant_id, request.return_id(), items.dump());
    // A label still being requested is not needed any more: the parcel is in. (An issued one may
    // have carried the parcel without a scan, so it is left alone.)
    for (const storage::UnusedLabel& label :
         storage::ShipmentStore(tx).UnusedLabelsOfReturn(call.merchant_id, request.return_id())) {
      if (label.state == "REQUESTED") VoidLabelOf(tx, call, order_id, label.shipment_id, "");
    }

    // The original is back. An unredeemed token has nothing left to do: it is revoked and its
    // reservation released. A redeemed one whose item arrived in condition OK settles; if its
    // charge went through meanwhile, the feed says the charge is to be refunded.
    std::map<std::string, int32_t> released;
    for (const storage::LiveToken& token : storage::ExchangeTokenStore(tx).LockLiveTokensOfReturn(
             call.merchant_id, request.return_id())) {
      const std::string& token_id = token.exchange_token_id;
      const auto token_state = ParseEnum<v1::ExchangeTokenState>(token.state);
      if (token_state == v1::EXCHANGE_TOKEN_STATE_ISSUED) {
        released[token.replacement_sku] += token.quantity;
        MoveExchangeToken(tx, call, token_id, order_id, v1::EXCHANGE_TOKEN_STATE_REVOKED,
                          event_type::kExchangeTokenRevoked,
                          "Exchange token revoked: the original arrived before it was redeemed");
        continue;
      }
      if (conditions[token.order_line_id] != v1::ITEM_CONDITION_OK || !token_state ||
          !IsExchangeTokenTransitionAllowed(*token_state, v1::EXCHANGE_TOKEN_STATE_SETTLED)) {
        continue;
      }
      SettleExchangeToken(tx, call, token_id, order_id,
                          "The original was received in good condition: the exchange is settled");
    }
    ReleaseReservations(tx, call.merchant_id, released);
    *response = LoadReturn(tx, call.merchant_id, request.return_id());
    int ok = 0;
    for (const auto& item : request.items()) ok += item.condition() == v1::ITEM_CONDITION_OK;
    RecordTransition(
        tx, call,
        Transition{order_id, "return", request.return_id(), event_type::kReturnReceived, "RECEIVED",
                   absl::StrCat("Return received: ", ok, " of ", request.items_size(),
                                " line(s) in good condition"),
                   response});

    // Every line in good condition: the return resolves now. Otherwise a person decides what
    // to pay out for the others (ResolveReturn): automation never withholds money on its own.
    if (ok == request.items_size()) {
      auto resolved = ResolveReceivedReturn(tx, call, order_id, request.return_id(), {},
                                            "automatically (every line in good condition)");
      if (!resolved.ok()) return resolved.status();
      *response = *resolved;
      return absl::OkStatus();
    }
    nlohmann::json reasons = nlohmann::json::array();
    for (const auto& item : request.items()) {
      if (item.condition() != v1::ITEM_CONDITION_OK) {
        reasons.push_back(
            absl::StrCat("line ", item.order_line_id(), " received ", EnumText(item.condition())));
      }
    }
    RecordDecision(
        tx, call,
        DecisionRecord{DecisionKind::kReturnResolution, ReturnSubject(request.return_id()),
                       nlohmann::json::object(), "return-resolution/1", 0, "ESCALATED", reasons});
    RecordTransition(tx, call,
                     Transition{order_id, "return", request.return_id(),
                                event_type::kReturnReviewRequested, "RECEIVED",
                                absl::StrCat(request.items_size() - ok,
                                             " line(s) not in good condition: an agent resolves "
                                             "the return (ResolveReturn)"),
                                response});
    return absl::OkStatus();
  });
}

}  // namespace returns::app
