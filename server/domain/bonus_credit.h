#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "returns/v1/return.pb.h"

// Bonus credit (docs/policy.md, "Bonus credit"): what the policy adds when a customer takes
// store credit or an exchange instead of a refund, as pure functions of the policy's rule and a
// return's lines, in integer minor units. The plan quotes it per line; the resolution gives it
// only for lines received OK and not withheld.
namespace returns {

struct BonusRule {
  int64_t store_credit_fixed_minor = 0;  // per unit of a STORE_CREDIT line
  int32_t store_credit_basis_points = 0;
  int64_t exchange_fixed_minor = 0;  // per unit of an EXCHANGE line
  int32_t exchange_basis_points = 0;
  int64_t cap_per_return_minor = 0;  // 0: no cap
  std::set<std::string> excluded_categories;
  // Store credit keeps no restocking fee (applied to the fee schedule, domain/resolution.h).
  bool waives_fees = false;
};

// A line's bonus before the return's cap: for STORE_CREDIT the store-credit fixed amount per unit
// (so splitting a line over several returns earns no more) plus its basis points of
// `value_minor` (what the line's `units` paid; rounded down), for EXCHANGE the exchange ones, at
// most `upsell_minor` (the bonus only reduces what the customer owes: the rest is forfeited);
// none for REFUND, for a line of an excluded category, or for a value of zero or less. Never
// overflows (saturates at INT64_MAX before the upsell bound).
int64_t LineBonus(v1::Resolution resolution, int64_t value_minor, int32_t units,
                  const std::string& category, int64_t upsell_minor, const BonusRule& rule);

// The return's cap over its lines' bonuses, in their order: each line gets its bonus or what is
// left of the cap, whichever is less. A cap of zero or less caps nothing.
std::vector<int64_t> CapBonuses(const std::vector<int64_t>& bonuses, int64_t cap_minor);

}  // namespace returns
