#include "domain/settlement_plan.h"

#include <algorithm>

namespace returns {
namespace {

void Set(v1::Money* money, const std::string& currency, int64_t amount) {
  money->set_currency_code(currency);
  money->set_amount_minor(amount);
}

}  // namespace

absl::StatusOr<v1::SettlementPlan> BuildSettlementPlan(const std::vector<PlanLineInput>& lines,
                                                       const ResolutionFees& fees,
                                                       const std::string& currency,
                                                       int64_t policy_version,
                                                       int64_t shipping_refund_minor) {
  std::vector<ResolutionLine> resolution_lines;
  for (const PlanLineInput& line : lines) {
    resolution_lines.push_back(
        {line.order_line_id, line.resolution, line.unit_price_minor, line.quantity, false,
         line.restocking_fee_minor, line.paid_minor,
         line.resolution == v1::RESOLUTION_STORE_CREDIT ? line.bonus_minor : 0});
  }
  auto resolved = PlanResolution(resolution_lines, fees, shipping_refund_minor);
  if (!resolved.ok()) return resolved.status();
  v1::SettlementPlan plan;
  int64_t restocking = 0, upsell = 0, downsell = 0, bonus_total = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    const PlanLineInput& in = lines[i];
    v1::SettlementPlan::Line* out = plan.add_lines();
    out->set_order_line_id(in.order_line_id);
    out->set_quantity(in.quantity);
    out->set_resolution(in.resolution);
    Set(out->mutable_unit_price(), currency, in.unit_price_minor);
    Set(out->mutable_refund(), currency, resolved->lines[i].refund_minor);
    Set(out->mutable_store_credit(), currency, resolved->lines[i].store_credit_minor);
    // What PlanResolution kept of the line's value (what was paid, or price x quantity, which
    // it checked for overflow) as its restocking fee.
    const int64_t value = in.paid_minor.value_or(in.unit_price_minor * in.quantity);
    Set(out->mutable_paid(), currency, value);
    Set(out->mutable_tax(), currency, in.paid_minor ? in.tax_minor : 0);
    const bool exchange = in.resolution == v1::RESOLUTION_EXCHANGE;
    const bool credit = in.resolution == v1::RESOLUTION_STORE_CREDIT;
    // Only store credit and exchange earn a bonus; an exchange's never exceeds its upsell.
    const int64_t bonus = credit     ? std::max<int64_t>(in.bonus_minor, 0)
                          : exchange ? std::clamp<int64_t>(in.bonus_minor, 0, in.upsell_minor)
                                     : 0;
    const int64_t fee = in.resolution == v1::RESOLUTION_REFUND
                            ? value - resolved->lines[i].refund_minor
                        : credit ? value - (resolved->lines[i].store_credit_minor - bonus)
                                 : 0;
    Set(out->mutable_restocking_fee(), currency, fee);
    const int64_t upsell_due = exchange ? in.upsell_minor - bonus : 0;
    Set(out->mutable_upsell_amount_due(), currency, upsell_due);
    Set(out->mutable_downsell_credit(), currency, exchange ? in.downsell_minor : 0);
    Set(out->mutable_bonus_credit(), currency, bonus);
    if (__builtin_add_overflow(restocking, fee, &restocking) ||
        __builtin_add_overflow(bonus_total, bonus, &bonus_total) ||
        (exchange && (__builtin_add_overflow(upsell, upsell_due, &upsell) ||
                      __builtin_add_overflow(downsell, in.downsell_minor, &downsell)))) {
      return absl::OutOfRangeError("settlement amount overflows");
    }
  }
  Set(plan.mutable_refund_total(), currency, resolved->refund_total_minor);
  Set(plan.mutable_store_credit_total(), currency, resolved->store_credit_total_minor);
  Set(plan.mutable_return_shipping_fee(), currency, resolved->fees_minor - restocking);
  Set(plan.mutable_fees_total(), currency, resolved->fees_minor);
  Set(plan.mutable_upsell_total(), currency, upsell);
  Set(plan.mutable_downsell_total(), currency, downsell);
  plan.set_policy_version(policy_version);
  Set(plan.mutable_shipping_refund(), currency, resolved->shipping_refund_minor);
  Set(plan.mutable_bonus_credit_total(), currency, bonus_total);
  return plan;
}

}  // namespace returns
