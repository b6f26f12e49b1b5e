#include "app/quote_return.h"

#include <map>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "app/lock_order_lines.h"
#include "domain/errors.h"
#include "domain/exchange_token_rules.h"
#include "domain/return_rules.h"

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
    for (const auto& row : tx.Exec("inventory/replacement_prices", merchant_id, skus.dump())) {
      replacement[row[0].as<std::string>()] = {row[1].as<std::string>(), row[2].as<int64_t>()};
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

LineReturnRules ReturnRulesFromRow(const pqxx::row& row) {
  LineReturnRules rules;
  rules.default_window_days = row[1].as<int>();
  for (const auto& sku : nlohmann::json::parse(row[2].as<std::string>())) {
    rules.final_sale_skus.insert(sku.get<std::string>());
  }
  const nlohmann::json by_category = nlohmann::json::parse(row[12].as<std::string>());
  for (const auto& [category, days] : by_category.items()) rules.window_days_by_category[category] = days.get<int>();
  const nlohmann::json by_sku = nlohmann::json::parse(row[13].as<std::string>());
  for (const auto& [sku, days] : by_sku.items()) rules.window_days_by_sku[sku] = days.get<int>();
  for (const auto& category : nlohmann::json::parse(row[14].as<std::string>())) {
    rules.final_sale_categories.insert(category.get<std::string>());
  }
  return rules;
}

FeeSchedule FeeScheduleFromRow(const pqxx::row& row) {
  return FeeSchedule{row[7].as<int64_t>(), row[15].as<int32_t>(), row[16].as<int64_t>(), row[17].as<int32_t>()};
}

absl::StatusOr<ReturnQuote> QuoteReturn(storage::Tx& tx, const CallContext& call,
                                        const v1::CreateReturnRequest& request,
                                        bool outside_window_allowed, bool lock_lines) {
  auto order = tx.Exec("orders/get_return_window", call.merchant_id, request.order_id());
  if (order.empty()) return NotFoundError("order", request.order_id());
  std::optional<absl::Time> delivered;
  if (!order[0][0].is_null()) delivered = absl::FromUnixMicros(order[0][0].as<int64_t>());
  const LineReturnRules rules = ReturnRulesFromRow(order[0]);
  const FeeSchedule fee_schedule = FeeScheduleFromRow(order[0]);
  const absl::Time now = absl::FromUnixMicros(order[0][4].as<int64_t>());
  // The order's default window first (before delivery every line is refused the same way).
  if (absl::Status s = CheckReturnWindow(delivered, rules.default_window_days, now);
      !s.ok() && ReasonOf(s) != reason::kReturnWindowClosed) {
    return s;
  }
  ReturnQuote quote;
  quote.currency = order[0][3].as<std::string>();
  quote.policy.auto_approve_max_minor = order[0][5].as<int64_t>();
  quote.policy.default_carrier = order[0][6].as<std::string>();
  quote.policy.restocking_fee_minor = order[0][7].as<int64_t>();
  quote.policy.return_shipping_fee_minor = order[0][8].as<int64_t>();
  quote.policy_version = order[0][9].as<int64_t>();
  quote.policy.risk_review_threshold_milli = order[0][10].as<int>();
  quote.policy.risk_in_use = quote.policy.risk_review_threshold_milli < 1000 || order[0][11].as<int>() < 1000;
  std::vector<OrderLineSnapshot> lines = lock_lines ? LockOrderLines(tx, call.merchant_id, request.order_id())
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
    if (__builtin_mul_overflow(t.unit_price_minor, static_cast<int64_t>(request.lines(i).quantity()), &value)) {
      return absl::OutOfRangeError("the line's value overflows");
    }
    quote.terms[i].restocking_fee_minor = LineRestockingFee(request.lines(i).resolution(), value, fee_schedule);
    plan_lines.push_back({request.lines(i).order_line_id(), request.lines(i).quantity(),
                          request.lines(i).resolution(), t.unit_price_minor, t.upsell_minor, t.downsell_minor,
                          quote.terms[i].restocking_fee_minor});
  }
  auto plan = BuildSettlementPlan(plan_lines,
                                  {quote.policy.restocking_fee_minor, quote.policy.return_shipping_fee_minor},
                                  quote.currency, quote.policy_version);
  if (!plan.ok()) return plan.status();
  quote.plan = *std::move(plan);
  return quote;
}

}  // namespace returns::app
