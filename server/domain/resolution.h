#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "returns/v1/return.pb.h"

// What a received return pays out (PRODUCT.md 4.5), as a pure function of its lines and the
// policy's fees, in integer minor units of the order's currency:
//  - a line's value: what the customer paid for its units (docs/money.md), or price x quantity
//    for returns created before money as paid;
//  - a REFUND line: its value less its restocking fee, never below zero;
//  - the refund total: the lines' refunds less the return shipping fee (once per return, and
//    only when something is refunded), never below zero;
//  - a STORE_CREDIT line: its value less its store-credit restocking fee (none unless the
//    policy sets one), never below zero, plus its bonus credit (domain/bonus_credit.h);
//  - an EXCHANGE line: no money; the replacement is the resolution;
//  - a withheld line (an agent's decision at ResolveReturn): nothing, and no fee.
namespace returns {

struct ResolutionLine {
  std::string order_line_id;
  v1::Resolution resolution = v1::RESOLUTION_UNSPECIFIED;
  int64_t unit_price_minor = 0;
  int32_t quantity = 0;
  bool withheld = false;
  // The line's restocking fee as its plan set it (LineRestockingFee at creation); unset for
  // returns planned before per-line fees: a REFUND line then pays the return-level fee below.
  std::optional<int64_t> restocking_fee_minor;
  // What the customer paid for these units (docs/money.md); unset for returns created before
  // money as paid: the line's value is then unit price x quantity.
  std::optional<int64_t> paid_minor;
  // The bonus credit a STORE_CREDIT line gets (its plan's quote; zero unless it was received OK);
  // an EXCHANGE line's bonus comes off its upsell, outside this plan.
  int64_t bonus_minor = 0;
};

struct ResolutionFees {
  int64_t restocking_fee_minor = 0;       // per refunded line without a fee of its own
  int64_t return_shipping_fee_minor = 0;  // per return with a refund
};

// The policy's restocking fees, as a return's creation applies them to each line.
struct FeeSchedule {
  int64_t refund_fixed_minor = 0;
  int32_t refund_basis_points = 0;
  int64_t store_credit_fixed_minor = 0;
  int32_t store_credit_basis_points = 0;
};

// A line's restocking fee: for a REFUND line the fixed fee plus the percentage of its value
// (price x quantity), for a STORE_CREDIT line the store-credit ones, for an exchange none;
// percentages round down (in the customer's favour) and the fee never exceeds the value.
int64_t LineRestockingFee(v1::Resolution resolution, int64_t value_minor, const FeeSchedule& fees);

struct ResolutionPlan {
  struct Line {
    int64_t refund_minor = 0;
    int64_t store_credit_minor = 0;
  };
  std::vector<Line> lines;  // in the order of the input
  int64_t refund_total_minor = 0;
  int64_t store_credit_total_minor = 0;
  int64_t fees_minor = 0;             // restocking and shipping fees actually kept
  int64_t shipping_refund_minor = 0;  // the order's shipping given back (in one of the totals)
  int64_t bonus_minor = 0;            // the store-credit lines' bonus (in store_credit_total)
};

// `shipping_refund_minor`, the order's shipping this return refunds (docs/money.md), joins the
// refund total before the return shipping fee comes off when the return refunds a line, else
// the store credit when it credits one; nothing when every line is withheld or exchanged.
// OUT_OF_RANGE when an amount would overflow.
absl::StatusOr<ResolutionPlan> PlanResolution(const std::vector<ResolutionLine>& lines,
                                              const ResolutionFees& fees,
                                              int64_t shipping_refund_minor = 0);

}  // namespace returns
