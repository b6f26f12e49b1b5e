#include "app/returns/quote_return.h"

#include <map>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "app/orders/lock_order_lines.h"
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
  std::map<std::string, int64_t> unit_price;
  for (const auto& line : order_lines) unit_price[line.line_id] = line.unit_price_minor;
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
    t.unit_price_minor = unit_price[line.order_line_id()];
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

}  // namespace

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
  return FeeSchedule{window.restocking_fee_minor, window.restocking_fee_basis_points,
                     window.store_credit_restocking_fee_minor,
                     window.store_credit_restocking_fee_basis_points};
}

absl::StatusOr<ReturnQuote> QuoteReturn(storage::Tx& tx, const CallContext& call,
                                        const v1::CreateReturnRequest& request,
                                        bool outside_window_allowed, bool lock_lines) {
  const std::optional<storage::ReturnWindow> window =
      storage::OrderStore(tx).GetReturnWindow(call.merchant_id, request.order_id());
  if (!window) return NotFoundError("order", request.order_id());
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
  auto terms = PriceLines(tx, call.merchant_id, quote.currency, lines, request);
  if (!terms.ok()) return terms.status();
  quote.terms = *std::move(terms);
  std::vector<PlanLineInput> plan_lines;
  for (int i = 0; i < request.lines_size(); ++i) {
    const LineTerms& t = quote.terms[i];
    if (__builtin_add_overflow(quote.upsell, t.upsell_minor, &quote.upsell) ||
        __builtin_add_overflow(quote.downsell, t.downsell_minor, &quote.downsell)) {
      return absl::OutOfRangeError("the exchange quote overflows");
    }
    int64_t value = 0;
    if (__builtin_mul_overflow(t.unit_price_minor,
                               static_cast<int64_t>(request.lines(i).quantity()), &value)) {
      return absl::OutOfRangeError("the line's value overflows");
    }
    quote.terms[i].restocking_fee_minor =
        LineRestockingFee(request.lines(i).resolution(), value, fee_schedule);
    plan_lines.push_back({request.lines(i).order_line_id(), request.lines(i).quantity(),
                          request.lines(i).resolution(), t.unit_price_minor, t.upsell_minor,
                          t.downsell_minor, quote.terms[i].restocking_fee_minor});
  }
  auto plan = BuildSettlementPlan(
      plan_lines, {quote.policy.restocking_fee_minor, quote.policy.return_shipping_fee_minor},
      quote.currency, quote.policy_version);
  if (!plan.ok()) return plan.status();
  quote.plan = *std::move(plan);
  return quote;
}

}  // namespace returns::app
