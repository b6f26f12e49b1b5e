#include "app/returns/quote_return.h"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "app/common/paid_money_inputs.h"
#include "app/orders/lock_order_lines.h"
#include "absl/strings/ascii.h"
#include "common/crypto.h"
#include "common/enum_text.h"
#include "domain/errors.h"
#include "domain/exchange_token_rules.h"
#include "domain/return_rules.h"
#include "storage/inventory_store.h"

namespace returns::app {
namespace {

// The terms of every requested line, in request order. An exchange needs its replacement priced
// in this merchant's stock, in the order's currency (FAILED_PRECONDITION naming the line's
// replacement_sku otherwise).
absl::StatusOr<std::vector<LineTerms>> PriceLines(storage::Tx& tx, const std::string& merchant_id,
                                                  const std::string& currency,
                                                  const std::vector<OrderLineSnapshot>& order_lines,
                                                  const v1::CreateReturnRequest& request) {
  std::map<std::string, const OrderLineSnapshot*> by_id;
  for (const auto& line : order_lines) by_id[line.line_id] = &line;
  nlohmann::json skus = nlohmann::json::array();
  for (const auto& line : request.lines()) {
    if (line.resolution() == v1::RESOLUTION_EXCHANGE) skus.push_back(line.replacement_sku());
  }
  std::map<std::string, std::pair<std::string, int64_t>> replacement;  // sku -> currency, price
  if (!skus.empty()) {
    for (const storage::ReplacementPrice& price :
         storage::InventoryStore(tx).ReplacementPrices(merchant_id, skus.dump())) {
      replacement[price.sku] = {price.currency_code, price.unit_price_minor};
    }
  }
  std::vector<LineTerms> terms;
  for (int i = 0; i < request.lines_size(); ++i) {
    const v1::ReturnLine& line = request.lines(i);
    LineTerms t;
    // CheckReturnQuantities found the line and room for the quantity.
    const OrderLineSnapshot& order_line = *by_id.at(line.order_line_id());
    t.unit_price_minor = order_line.unit_price_minor;
    const UnitsShare share = ShareOfUnits(RemainderOf(order_line), line.quantity());
    t.paid_minor = share.paid_minor;
    t.tax_minor = share.tax_minor;
    if (line.resolution() == v1::RESOLUTION_EXCHANGE) {
      const std::string field = absl::StrCat("lines[", i, "].replacement_sku");
      auto found = replacement.find(line.replacement_sku());
      if (found == replacement.end()) {
        return PreconditionError(reason::kReplacementNotPriced,
                                 absl::StrCat("the replacement ", line.replacement_sku(),
                                              " has no price in this merchant's stock "
                                              "(InventoryService.SetInventoryLevels)"),
                                 {{"field", field}, {"sku", line.replacement_sku()}});
      }
      if (found->second.first != currency) {
        return PreconditionError(reason::kCurrencyMismatch,
                                 absl::StrCat("the replacement is priced in ", found->second.first,
                                              ", the order in ", currency),
                                 {{"field", field}});
      }
      t.replacement_unit_minor = found->second.second;
      auto quote = QuoteExchange(t.unit_price_minor, t.replacement_unit_minor, line.quantity());
      if (!quote.ok()) return quote.status();
      t.upsell_minor = quote->upsell_minor;
      t.downsell_minor = quote->downsell_minor;
    }
    terms.push_back(t);
  }
  return terms;
}

// "SW1A 1AA" and "sw1a1aa" are one postal code: case and spaces ignored.
std::string PostalCodeKey(absl::string_view code) {
  std::string key;
  for (char c : code) {
    if (c != ' ') key.push_back(absl::ascii_toupper(static_cast<unsigned char>(c)));
  }
  return key;
}

}  // namespace

absl::Status CheckGiftProof(const storage::ReturnWindow& window, const std::string& order_id,
                            const v1::GiftReturn& gift) {
  const bool by_postal_code =
      !gift.shipping_postal_code().empty() && !window.shipping_postal_code.empty() &&
      PostalCodeKey(gift.shipping_postal_code()) == PostalCodeKey(window.shipping_postal_code);
  const bool by_gift_code = !gift.gift_code().empty() && window.gift_code_sha256 &&
                            crypto::Sha256Hex(gift.gift_code()) == *window.gift_code_sha256;
  // A wrong proof answers as an unknown order: it tells nothing about the order.
  if (!by_postal_code && !by_gift_code) return NotFoundError("order", order_id);
  return absl::OkStatus();
}

std::vector<v1::ReturnReason> ShippingRefundReasonsOf(const storage::ReturnWindow& window) {
  std::vector<v1::ReturnReason> reasons;
  for (const auto& name : nlohmann::json::parse(window.shipping_refund_reasons)) {
    if (auto reason = ParseEnum<v1::ReturnReason>(name.get<std::string>())) {
      reasons.push_back(*reason);
    }
  }
  return reasons;
}

LineReturnRules ReturnRulesOf(const storage::ReturnWindow& window) {
  LineReturnRules rules;
  rules.default_window_days = window.return_window_days;
  for (const auto& sku : nlohmann::json::parse(window.final_sale_skus)) {
    rules.final_sale_skus.insert(sku.get<std::string>());
  }
  const nlohmann::json by_category = nlohmann::json::parse(window.category_return_window_days);
  for (const auto& [category, days] : by_category.items()) {
    rules.window_days_by_category[category] = days.get<int>();
  }
  const nlohmann::json by_sku = nlohmann::json::parse(window.sku_return_window_days);
  for (const auto& [sku, days] : by_sku.items()) rules.window_days_by_sku[sku] = days.get<int>();
  for (const auto& category : nlohmann::json::parse(window.final_sale_categories)) {
    rules.final_sale_categories.insert(category.get<std::string>());
  }
  return rules;
}

FeeSchedule FeeScheduleOf(const storage::ReturnWindow& window) {
  // Bonus credit may waive store credit's fees (docs/policy.md, "Bonus credit").
  if (window.bonus_waives_fees) {
    return FeeSchedule{window.restocking_fee_minor, window.restocking_fee_basis_points, 0, 0};
  }
  return FeeSchedule{window.restocking_fee_minor, window.restocking_fee_basis_points,
                     window.store_credit_restocking_fee_minor,
                     window.store_credit_restocking_fee_basis_points};
}

BonusRule BonusRuleOf(const storage::ReturnWindow& window) {
  BonusRule rule;
  rule.store_credit_fixed_minor = window.store_credit_bonus_minor;
  rule.store_credit_basis_points = window.store_credit_bonus_basis_points;
  rule.exchange_fixed_minor = window.exchange_bonus_minor;
  rule.exchange_basis_points = window.exchange_bonus_basis_points;
  rule.cap_per_return_minor = window.bonus_cap_per_return_minor;
  for (const auto& category : nlohmann::json::parse(window.bonus_excluded_categories)) {
    rule.excluded_categories.insert(category.get<std::string>());
  }
  rule.waives_fees = window.bonus_waives_fees;
  return rule;
}

absl::StatusOr<ReturnQuote> QuoteReturn(storage::Tx& tx, const CallContext& call,
                                        const v1::CreateReturnRequest& request,
                                        bool outside_window_allowed, bool lock_lines) {
  const std::optional<storage::ReturnWindow> window =
      storage::OrderStore(tx).GetReturnWindow(call.merchant_id, request.order_id());
  if (!window) return NotFoundError("order", request.order_id());
  if (request.has_gift()) {
    if (absl::Status s = CheckGiftProof(*window, request.order_id(), request.gift()); !s.ok()) {
      return s;
    }
    // A gift goes back as store credit to its recipient (or an exchange), unless the policy
    // refunds gifts to the buyer (docs/money.md, "Gift returns").
    for (int i = 0; i < request.lines_size(); ++i) {
      if (request.lines(i).resolution() == v1::RESOLUTION_REFUND && !window->gift_refund_to_buyer) {
        return PreconditionError(
            reason::kGiftReturnNotRefunded,
            "a gift return is resolved as store credit to its recipient or an exchange: the "
            "policy does not refund gifts to the buyer",
            {{"field", absl::StrCat("lines[", i, "].resolution")}});
      }
    }
  }
  std::optional<absl::Time> delivered;
  if (window->delivered_time_us) delivered = absl::FromUnixMicros(*window->delivered_time_us);
  const LineReturnRules rules = ReturnRulesOf(*window);
  const FeeSchedule fee_schedule = FeeScheduleOf(*window);
  const absl::Time now = absl::FromUnixMicros(window->now_us);
  // The order's default window first (before delivery every line is refused the same way).
  if (absl::Status s = CheckReturnWindow(delivered, rules.default_window_days, now);
      !s.ok() && ReasonOf(s) != reason::kReturnWindowClosed) {
    return s;
  }
  ReturnQuote quote;
  quote.currency = window->currency_code;
  quote.policy.auto_approve_max_minor = window->auto_approve_max_minor;
  quote.policy.default_carrier = window->default_carrier;
  quote.policy.restocking_fee_minor = window->restocking_fee_minor;
  quote.policy.return_shipping_fee_minor = window->return_shipping_fee_minor;
  quote.policy_version = window->policy_version;
  quote.policy.risk_review_threshold_milli = window->risk_review_threshold_milli;
  quote.policy.risk_in_use = quote.policy.risk_review_threshold_milli < 1000 ||
                             window->risk_instant_exchange_max_milli < 1000;
  std::vector<OrderLineSnapshot> lines =
      lock_lines ? LockOrderLines(tx, call.merchant_id, request.order_id())
                 : ReadOrderLines(tx, call.merchant_id, request.order_id());
  // Each line's window (its SKU's, its category's or the default), judged by the database's
  // clock like every other deadline.
  std::map<std::string, const OrderLineSnapshot*> by_id;
  for (const auto& line : lines) by_id[line.line_id] = &line;
  for (const auto& wanted : request.lines()) {
    auto it = by_id.find(wanted.order_line_id());
    if (it == by_id.end()) continue;  // CheckReturnQuantities names it
    if (absl::Status s = CheckReturnWindow(delivered, rules.WindowDays(*it->second), now);
        !s.ok() && !(outside_window_allowed && ReasonOf(s) == reason::kReturnWindowClosed)) {
      return s;
    }
  }
  if (absl::Status s = CheckReturnQuantities(lines, rules, request.lines()); !s.ok()) return s;
  // Read after the lines' locks: a return created meanwhile has taken it or not, for good.
  const bool shipping_refund_taken =
      storage::OrderStore(tx).ShippingRefundTaken(call.merchant_id, request.order_id());
  auto terms = PriceLines(tx, call.merchant_id, quote.currency, lines, request);
  if (!terms.ok()) return terms.status();
  quote.terms = *std::move(terms);
  const std::vector<v1::ReturnReason> reasons = ShippingRefundReasonsOf(*window);
  // Each line's bonus, then the return's cap over them in the request's order.
  quote.bonus_rule = BonusRuleOf(*window);
  const BonusRule& bonus_rule = quote.bonus_rule;
  std::vector<int64_t> bonuses;
  for (int i = 0; i < request.lines_size(); ++i) {
    auto it = by_id.find(request.lines(i).order_line_id());
    bonuses.push_back(LineBonus(request.lines(i).resolution(), quote.terms[i].paid_minor,
                                request.lines(i).quantity(),
                                it == by_id.end() ? std::string() : it->second->category,
                                quote.terms[i].upsell_minor, bonus_rule));
  }
  bonuses = CapBonuses(bonuses, bonus_rule.cap_per_return_minor);
  std::vector<PlanLineInput> plan_lines;
  for (int i = 0; i < request.lines_size(); ++i) {
    const LineTerms& t = quote.terms[i];
    if (__builtin_add_overflow(quote.upsell, t.upsell_minor, &quote.upsell) ||
        __builtin_add_overflow(quote.downsell, t.downsell_minor, &quote.downsell)) {
      return absl::OutOfRangeError("the exchange quote overflows");
    }
    const v1::ReturnLine& line = request.lines(i);
    quote.terms[i].restocking_fee_minor =
        LineRestockingFee(line.resolution(), t.paid_minor, fee_schedule);
    quote.terms[i].bonus_minor = bonuses[i];
    plan_lines.push_back({line.order_line_id(), line.quantity(), line.resolution(),
                          t.unit_price_minor, t.upsell_minor, t.downsell_minor,
                          quote.terms[i].restocking_fee_minor, t.paid_minor, t.tax_minor,
                          bonuses[i]});
    // The order's shipping, once per order, with the first return that refunds or credits a
    // line of a reason the policy names (docs/money.md, "The shipping refund").
    if (!shipping_refund_taken && line.resolution() != v1::RESOLUTION_EXCHANGE &&
        std::find(reasons.begin(), reasons.end(), line.reason()) != reasons.end()) {
      quote.shipping_refund = window->shipping_paid_minor;
    }
  }
  auto plan = BuildSettlementPlan(
      plan_lines, {quote.policy.restocking_fee_minor, quote.policy.return_shipping_fee_minor},
      quote.currency, quote.policy_version, quote.shipping_refund);
  if (!plan.ok()) return plan.status();
  quote.plan = *std::move(plan);
  // The refund's split over the order's tenders as they stand now; the resolution splits what it
  // actually refunds again, under the tenders' locks.
  const TenderSplit split =
      SplitOverTenders(quote.plan.refund_total().amount_minor(),
                       TenderBalancesOf(storage::OrderStore(tx).ReadOrderPayments(
                           call.merchant_id, request.order_id())),
                       RefundTenderOrderOf(window->refund_tender_order), quote.currency);
  for (const v1::TenderShare& share : split.shares) *quote.plan.add_refund_tenders() = share;
  return quote;
}

}  // namespace returns::app
