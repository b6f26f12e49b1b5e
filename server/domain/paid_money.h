#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "returns/v1/money.pb.h"
#include "returns/v1/order.pb.h"

// Money as the customer paid it (docs/money.md): what each order line and the shipping cost after
// discounts, with tax; how a return's units take their share of it; how a refund is split over
// the order's tenders. Pure functions in integer minor units; every rounding is documented in
// docs/money.md and never gives back more than was paid.
namespace returns {

// What one order line paid, for all its units.
struct LineMoney {
  int64_t gross_minor = 0;                 // unit price x quantity
  int64_t line_discount_minor = 0;         // the line's own discounts
  int64_t order_discount_share_minor = 0;  // its share of the order-level discount
  int64_t net_minor = 0;                   // gross less both discounts
  int64_t tax_minor = 0;                   // the sum of its tax lines
  int64_t paid_minor = 0;                  // net, plus tax when tax is exclusive
};

// What the whole order paid.
struct OrderMoney {
  std::vector<LineMoney> lines;  // in the order's line order
  int64_t shipping_minor = 0;
  int64_t shipping_tax_minor = 0;
  int64_t shipping_paid_minor = 0;  // shipping, plus its tax when tax is exclusive
  int64_t total_minor = 0;          // the lines' paid plus shipping_paid
};

// Checks the order's money and computes what was paid: every amount in the order's currency and
// not negative; discounts no larger than the line; no tax on a line (or shipping) that paid
// nothing; inclusive tax no larger than what it is included in; order_discount_share on every
// line or on none (then allocated by AllocateLargestRemainder over the lines' value after their
// own discounts), adding up to order_discount; payments of a known kind, unique ids and positive
// amounts adding up to the total; total, when given, equal to the computed one. INVALID_ARGUMENT
// naming the field (under `prefix`, for example "order") otherwise; OUT_OF_RANGE on overflow.
absl::StatusOr<OrderMoney> ComputeOrderMoney(const v1::Order& order, const std::string& prefix);

// Splits `amount` over `weights` in proportion, each share rounded down, the cents left over
// going one each to the largest remainders (ties: the earlier position). The shares add up to
// `amount` exactly. All weights zero: everything to position 0 (the caller refuses that case
// where it matters). Requires amount >= 0, weights >= 0, at least one weight.
std::vector<int64_t> AllocateLargestRemainder(int64_t amount, const std::vector<int64_t>& weights);

// What is left of a line to return: units not yet in returns or claims, and the paid amount and
// tax not yet taken by them.
struct LineRemainder {
  int32_t units = 0;
  int64_t paid_minor = 0;
  int64_t tax_minor = 0;
};

// The share of a line's paid amount (and of the tax in it) that `units` of its remaining units
// take: all that remains when they are the last units, else remaining x units / remaining units,
// rounded down. Returning every unit, one at a time or all together or in any split, therefore
// gives back exactly what the line paid and never a cent more. Requires 0 < units <=
// remainder.units.
struct UnitsShare {
  int64_t paid_minor = 0;
  int64_t tax_minor = 0;
};
UnitsShare ShareOfUnits(const LineRemainder& remainder, int32_t units);

// One tender's refundable balance, in the order's payment order.
struct TenderBalance {
  std::string payment_id;
  v1::TenderKind kind = v1::TENDER_KIND_UNSPECIFIED;
  std::string reference;
  int64_t refundable_minor = 0;
};

struct TenderSplit {
  std::vector<v1::TenderShare> shares;  // only tenders that get something, in the split's order
  int64_t unallocated_minor = 0;        // what no tender could take (no payments recorded)
};

// Splits `amount` over the tenders: kinds in `kind_order` first, in that order (payments of one
// kind in the order's payment order), then the kinds not listed; each tender gets at most its
// refundable balance. A negative amount splits as zero.
TenderSplit SplitOverTenders(int64_t amount, const std::vector<TenderBalance>& tenders,
                             const std::vector<v1::TenderKind>& kind_order,
                             const std::string& currency);

// The policy's default refund_tender_order: gift card and store credit first, the card last.
std::vector<v1::TenderKind> DefaultRefundTenderOrder();

}  // namespace returns
