#include "domain/resolution.h"

#include <algorithm>

#include "absl/status/status.h"

namespace returns {
namespace {

absl::Status Overflow() { return absl::OutOfRangeError("resolution amount overflows"); }

}  // namespace

absl::StatusOr<ResolutionPlan> PlanResolution(const std::vector<ResolutionLine>& lines,
                                              const ResolutionFees& fees) {
  ResolutionPlan plan;
  int64_t refunds = 0;
  bool any_refund_line = false;
  for (const ResolutionLine& line : lines) {
    ResolutionPlan::Line out;
    int64_t value = 0;
    if (__builtin_mul_overflow(line.unit_price_minor, static_cast<int64_t>(line.quantity), &value)) {
      return Overflow();
    }
    if (!line.withheld && line.resolution == v1::RESOLUTION_REFUND) {
      any_refund_line = true;
      const int64_t fee = std::min(value, fees.restocking_fee_minor);
      out.refund_minor = value - fee;
      plan.fees_minor += fee;
      if (__builtin_add_overflow(refunds, out.refund_minor, &refunds)) return Overflow();
    } else if (!line.withheld && line.resolution == v1::RESOLUTION_STORE_CREDIT) {
      out.store_credit_minor = value;
      if (__builtin_add_overflow(plan.store_credit_total_minor, value, &plan.store_credit_total_minor)) {
        return Overflow();
      }
    }
    plan.lines.push_back(out);
  }
  if (any_refund_line) {
    const int64_t shipping = std::min(refunds, fees.return_shipping_fee_minor);
    plan.refund_total_minor = refunds - shipping;
    plan.fees_minor += shipping;
  }
  return plan;
}

}  // namespace returns
