#include "domain/resolution.h"

#include <algorithm>

#include "absl/status/status.h"

namespace returns {
namespace {

absl::Status Overflow() { return absl::OutOfRangeError("resolution amount overflows"); }

// value x basis points / 10000, rounded down, without overflow.
int64_t Percent(int64_t value, int32_t basis_points) {
  return static_cast<int64_t>(static_cast<__int128>(value) * basis_points / 10000);
}

}  // namespace

int64_t LineRestockingFee(v1::Resolution resolution, int64_t value_minor, const FeeSchedule& fees) {
  int64_t fee = 0;
  if (resolution == v1::RESOLUTION_REFUND) {
    fee = Percent(value_minor, fees.refund_basis_points);
    if (__builtin_add_overflow(fee, fees.refund_fixed_minor, &fee)) fee = value_minor;
  } else if (resolution == v1::RESOLUTION_STORE_CREDIT) {
    fee = Percent(value_minor, fees.store_credit_basis_points);
    if (__builtin_add_overflow(fee, fees.store_credit_fixed_minor, &fee)) fee = value_minor;
  }
  return std::clamp<int64_t>(fee, 0, std::max<int64_t>(value_minor, 0));
}

absl::StatusOr<ResolutionPlan> PlanResolution(const std::vector<ResolutionLine>& lines,
                                              const ResolutionFees& fees,
                                              int64_t shipping_refund_minor) {
  ResolutionPlan plan;
  int64_t refunds = 0;
  bool any_refund_line = false;
  bool any_credit_line = false;
  for (const ResolutionLine& line : lines) {
    ResolutionPlan::Line out;
    int64_t value = 0;
    if (line.paid_minor) {
      value = *line.paid_minor;
    } else if (__builtin_mul_overflow(line.unit_price_minor, static_cast<int64_t>(line.quantity),
                                      &value)) {
      return Overflow();
    }
    if (!line.withheld && line.resolution == v1::RESOLUTION_REFUND) {
      any_refund_line = true;
      const int64_t fee =
          std::min(value, line.restocking_fee_minor.value_or(fees.restocking_fee_minor));
      out.refund_minor = value - fee;
      if (__builtin_add_overflow(plan.fees_minor, fee, &plan.fees_minor)) return Overflow();
      if (__builtin_add_overflow(refunds, out.refund_minor, &refunds)) return Overflow();
    } else if (!line.withheld && line.resolution == v1::RESOLUTION_STORE_CREDIT) {
      any_credit_line = true;
      const int64_t fee = std::clamp<int64_t>(line.restocking_fee_minor.value_or(0), 0, value);
      const int64_t bonus = std::max<int64_t>(line.bonus_minor, 0);
      if (__builtin_add_overflow(value - fee, bonus, &out.store_credit_minor) ||
          __builtin_add_overflow(plan.bonus_minor, bonus, &plan.bonus_minor)) {
        return Overflow();
      }
      if (__builtin_add_overflow(plan.fees_minor, fee, &plan.fees_minor)) return Overflow();
      if (__builtin_add_overflow(plan.store_credit_total_minor, out.store_credit_minor,
                                 &plan.store_credit_total_minor)) {
        return Overflow();
      }
    }
    plan.lines.push_back(out);
  }
  if (any_refund_line) {
    plan.shipping_refund_minor = shipping_refund_minor;
    if (__builtin_add_overflow(refunds, shipping_refund_minor, &refunds)) return Overflow();
  } else if (any_credit_line) {
    plan.shipping_refund_minor = shipping_refund_minor;
    if (__builtin_add_overflow(plan.store_credit_total_minor, shipping_refund_minor,
                               &plan.store_credit_total_minor)) {
      return Overflow();
    }
  }
  if (any_refund_line) {
    const int64_t shipping = std::min(refunds, fees.return_shipping_fee_minor);
    plan.refund_total_minor = refunds - shipping;
    if (__builtin_add_overflow(plan.fees_minor, shipping, &plan.fees_minor)) return Overflow();
  }
  return plan;
}

}  // namespace returns
