#include "app/returns/resolve_received_return.h"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "app/common/enqueue_job.h"
#include "app/common/record_decision.h"
#include "app/money/request_money_movement.h"
#include "app/returns/lock_return.h"
#include "app/exchange_tokens/move_exchange_token.h"
#include "app/logistics/orchestration_policy.h"
#include "app/common/record_transition.h"
#include "app/logistics/shipment_events.h"
#include "domain/exchange_token_rules.h"
#include "domain/resolution.h"
#include "storage/exchange_token_store.h"
#include "storage/inventory_store.h"
#include "common/enum_text.h"
#include "storage/recommendation_store.h"
#include "storage/return_store.h"
#include "storage/shipment_store.h"
#include "domain/event_types.h"

namespace returns::app {
namespace {

// Requests the replacements of exchange lines whose replacement has not gone out (no token was
// redeemed), taking their stock SKU by SKU in sorted order (the lock order of every multi-SKU
// inventory writer). A SKU short of stock is still requested - the customer's original is in -
// and the timeline says the warehouse must backorder it.
void RequestReplacements(storage::Tx& tx, const CallContext& call, const std::string& order_id,
                         const std::string& return_id,
                         const std::map<std::string, int32_t>& by_sku) {
  for (const auto& [sku, quantity] : by_sku) {
    storage::InventoryStore inventory(tx);
    const bool taken = inventory.TakeStock(call.merchant_id, sku, quantity);
    const bool short_of_stock = !taken && inventory.IsTracked(call.merchant_id, sku);
    const std::string shipment_id = storage::ShipmentStore(tx).InsertOutboundShipment(
        call.merchant_id, order_id, return_id, sku, quantity);
    EnqueueJob(tx, call.merchant_id,
               JobSpec{v1::JOB_KIND_REQUEST_FULFILLMENT, FulfillmentRequestKey(shipment_id),
                       order_id, shipment_id});
    RecordShipmentTransition(
        tx, call, shipment_id, event_type::kShipmentRequested,
        absl::StrCat(
            "Replacement shipment requested: ", quantity, " x ", sku,
            short_of_stock ? " (not enough stock recorded: the warehouse backorders it)" : ""));
  }
}

}  // namespace

absl::StatusOr<v1::Return> ResolveReceivedReturn(storage::Tx& tx, const CallContext& call,
                                                 const std::string& order_id,
                                                 const std::string& return_id,
                                                 const std::set<std::string>& withheld,
                                                 const std::string& how) {
  const OrchestrationPolicy policy = LoadOrchestrationPolicy(tx, call.merchant_id);
  std::vector<ResolutionLine> lines;
  std::vector<std::string> skus;
  std::vector<std::pair<int64_t, int64_t>> differences;  // upsell, downsell quoted per line
  std::vector<int64_t> exchange_bonuses;  // per line: the bonus taken off an exchange's upsell
  std::string currency;
  // The fees the return's plan applied (Return.plan), else the policy's of the day.
  ResolutionFees fees{policy.restocking_fee_minor, policy.return_shipping_fee_minor};
  int64_t shipping_refund = 0;  // the order's shipping the plan refunds (docs/money.md)
  std::optional<std::string> gift_recipient;  // a gift return's: its store credit goes there
  storage::ReturnStore return_store(tx);
  for (const storage::ResolutionLineRow& row :
       return_store.ResolutionLines(call.merchant_id, return_id)) {
    if (row.plan_restocking_fee_minor && row.plan_return_shipping_fee_minor) {
      fees = {*row.plan_restocking_fee_minor, *row.plan_return_shipping_fee_minor};
    }
    ResolutionLine line;
    line.order_line_id = row.order_line_id;
    line.resolution =
        ParseEnum<v1::Resolution>(row.resolution).value_or(v1::RESOLUTION_UNSPECIFIED);
    line.unit_price_minor = row.unit_price_minor;
    line.quantity = row.quantity;
    line.withheld = withheld.count(line.order_line_id) > 0;
    line.restocking_fee_minor = row.line_restocking_fee_minor;
    line.paid_minor = row.paid_minor;
    // The bonus its plan quoted, only for a line received OK and not withheld (docs/policy.md,
    // "Bonus credit"): a store-credit line's joins its credit here, an exchange line's comes off
    // its upsell below.
    const int64_t bonus = row.condition == "OK" && !line.withheld ? row.bonus_credit_minor : 0;
    if (line.resolution == v1::RESOLUTION_STORE_CREDIT) line.bonus_minor = bonus;
    exchange_bonuses.push_back(line.resolution == v1::RESOLUTION_EXCHANGE ? bonus : 0);
    shipping_refund = row.shipping_refund_minor;
    gift_recipient = row.gift_recipient;
    skus.push_back(row.replacement_sku);
    currency = row.currency_code;
    differences.emplace_back(row.upsell_minor, row.downsell_minor);
    lines.push_back(line);
  }
  auto plan = PlanResolution(lines, fees, shipping_refund);
  if (!plan.ok()) return plan.status();

  std::set<std::string> replacement_sent;
  storage::ExchangeTokenStore tokens(tx);
  for (std::string& order_line_id : tokens.LinesWithReplacementSent(call.merchant_id, return_id)) {
    replacement_sent.insert(std::move(order_line_id));
  }
  // The return's live tokens (locked), by line: read once for all its exchange lines.
  std::map<std::string, std::vector<std::pair<std::string, v1::ExchangeTokenState>>> tokens_by_line;
  for (const storage::LiveToken& token :
       tokens.LockLiveTokensOfReturn(call.merchant_id, return_id)) {
    if (auto state = ParseEnum<v1::ExchangeTokenState>(token.state)) {
      tokens_by_line[token.order_line_id].emplace_back(token.exchange_token_id, *state);
    }
  }
  int exchanges = 0;
  int64_t upsell = 0;  // the price differences of the exchange lines accepted
  int64_t downsell = 0;
  int64_t exchange_bonus_given = 0;  // the exchanges' bonus, taken off their upsell
  std::map<std::string, int32_t> replacements_by_sku;
  nlohmann::json stored = nlohmann::json::array();
  for (size_t i = 0; i < lines.size(); ++i) {
    const ResolutionLine& line = lines[i];
    stored.push_back({{"order_line_id", line.order_line_id},
                      {"refund_minor", plan->lines[i].refund_minor},
                      {"store_credit_minor", plan->lines[i].store_credit_minor},
                      {"withheld", line.withheld}});
    if (line.resolution != v1::RESOLUTION_EXCHANGE) continue;
    // Accepted: a redeemed token settles. Withheld: the customer keeps a replacement for an
    // original that did not pass, so it is charged - at most once over the token's life (a charge
    // raised before stands: ChargeForOriginal).
    for (const auto& [token_id, state] : tokens_by_line[line.order_line_id]) {
      if (state == v1::EXCHANGE_TOKEN_STATE_ISSUED) continue;  // revoked at receipt; none here
      if (line.withheld) {
        ChargeForOriginal(tx, call, token_id, "The original was withheld at resolution");
      } else if (IsExchangeTokenTransitionAllowed(state, v1::EXCHANGE_TOKEN_STATE_SETTLED)) {
        SettleExchangeToken(
            tx, call, token_id, order_id,
            "The return was resolved with the original accepted: the exchange is settled");
      }
    }
    if (line.withheld) continue;
    ++exchanges;
    // The bonus only lowers what the customer owes; what it cannot lower is forfeited.
    const int64_t bonus_used = std::clamp<int64_t>(exchange_bonuses[i], 0, differences[i].first);
    exchange_bonus_given += bonus_used;
    if (__builtin_add_overflow(upsell, differences[i].first - bonus_used, &upsell) ||
        __builtin_add_overflow(downsell, differences[i].second, &downsell)) {
      return absl::OutOfRangeError("resolution amount overflows");
    }
    // No replacement went out yet (no token was redeemed): request one now.
    if (!replacement_sent.count(line.order_line_id)) replacements_by_sku[skus[i]] += line.quantity;
  }
  RequestReplacements(tx, call, order_id, return_id, replacements_by_sku);
  return_store.ResolveReturn(call.merchant_id, return_id, stored.dump(), plan->refund_total_minor,
                             plan->store_credit_total_minor, plan->fees_minor, upsell, downsell,
                             plan->bonus_minor, exchange_bonus_given);
  // The exchange recommendations learn from each settled exchange here, so they are always current.
  if (exchanges > 0) storage::RecommendationStore(tx).LearnExchanges(call.merchant_id, return_id);
  v1::Return resolved = LoadReturn(tx, call.merchant_id, return_id);
  RecordTransition(
      tx, call,
      Transition{order_id, "return", return_id, event_type::kReturnResolved, "RESOLVED",
                 absl::StrCat("Return resolved ", how, ": refund ", plan->refund_total_minor,
                              ", store credit ", plan->store_credit_total_minor, ", fees ",
                              plan->fees_minor, ", upsell ", upsell, ", downsell credit ", downsell,
                              ", bonus credit ", plan->bonus_minor, " in store credit and ",
                              exchange_bonus_given, " off the upsell (", currency,
                              " minor units), ", exchanges, " exchange line(s)"),
                 &resolved});
  // The payment system acts on these feed events; the amounts are in the payload's totals.
  if (plan->refund_total_minor > 0) {
    RecordTransition(
        tx, call,
        Transition{order_id, "return", return_id, event_type::kReturnRefundRequested, "RESOLVED",
                   absl::StrCat("Refund of ", plan->refund_total_minor, " ", currency,
                                " minor units requested from the payment system"),
                   &resolved});
  }
  if (plan->store_credit_total_minor > 0) {
    RecordTransition(tx, call,
                     Transition{order_id, "return", return_id,
                                event_type::kReturnStoreCreditRequested, "RESOLVED",
                                absl::StrCat("Store credit of ", plan->store_credit_total_minor,
                                             " ", currency, " minor units requested"),
                                &resolved});
  }
  // The exchanges' price differences, quoted at creation (the same for the standard and the
  // instant path), requested once, here, in the RECEIVED -> RESOLVED transition.
  if (upsell > 0) {
    RecordTransition(
        tx, call,
        Transition{order_id, "return", return_id, event_type::kReturnUpsellRequested, "RESOLVED",
                   absl::StrCat("Upsell of ", upsell, " ", currency,
                                " minor units requested: the replacements cost more"),
                   &resolved});
  }
  if (downsell > 0) {
    RecordTransition(tx, call,
                     Transition{order_id, "return", return_id,
                                event_type::kReturnDownsellCreditRequested, "RESOLVED",
                                absl::StrCat("Downsell credit of ", downsell, " ", currency,
                                             " minor units requested: the replacements cost less"),
                                &resolved});
  }
  // Each amount is a money movement the payment system reports on (MoneyService), requested at
  // most once per return and kind; a refund is split over the order's tenders.
  const std::string subject = ReturnSubject(return_id);
  const std::pair<v1::MoneyMovementKind, int64_t> movements[] = {
      {v1::MONEY_MOVEMENT_KIND_REFUND, plan->refund_total_minor},
      {v1::MONEY_MOVEMENT_KIND_STORE_CREDIT, plan->store_credit_total_minor},
      {v1::MONEY_MOVEMENT_KIND_UPSELL_CHARGE, upsell},
      {v1::MONEY_MOVEMENT_KIND_DOWNSELL_CREDIT, downsell}};
  for (const auto& [kind, amount] : movements) {
    MovementRequest request{order_id,
                            kind,
                            currency,
                            amount,
                            subject,
                            policy.refund_tender_order,
                            absl::StrCat("return ", return_id, " resolved ", how),
                            std::nullopt};
    // A gift's credit goes to its recipient (docs/money.md, "Gift returns").
    if (kind == v1::MONEY_MOVEMENT_KIND_STORE_CREDIT ||
        kind == v1::MONEY_MOVEMENT_KIND_DOWNSELL_CREDIT) {
      request.recipient_json = gift_recipient;
    }
    RequestMoneyMovement(tx, call, request);
  }
  EnqueueNotification(tx, call.merchant_id, order_id, "return_resolved", return_id);
  return resolved;
}

}  // namespace returns::app
