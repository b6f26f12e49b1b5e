#include "domain/bonus_credit.h"

#include <algorithm>
#include <limits>

namespace returns {

int64_t LineBonus(v1::Resolution resolution, int64_t value_minor, int32_t units,
                  const std::string& category, int64_t upsell_minor, const BonusRule& rule) {
  if (value_minor <= 0 || rule.excluded_categories.count(category) > 0) return 0;
  int64_t fixed = 0;
  int32_t basis_points = 0;
  if (resolution == v1::RESOLUTION_STORE_CREDIT) {
    fixed = rule.store_credit_fixed_minor;
    basis_points = rule.store_credit_basis_points;
  } else if (resolution == v1::RESOLUTION_EXCHANGE) {
    fixed = rule.exchange_fixed_minor;
    basis_points = rule.exchange_basis_points;
  } else {
    return 0;
  }
  const __int128 bonus =
      static_cast<__int128>(value_minor) * std::clamp<int32_t>(basis_points, 0, 10000) / 10000 +
      static_cast<__int128>(std::max<int64_t>(fixed, 0)) * std::max<int32_t>(units, 0);
  int64_t capped =
      static_cast<int64_t>(std::min<__int128>(bonus, std::numeric_limits<int64_t>::max()));
  if (resolution == v1::RESOLUTION_EXCHANGE)
    capped = std::min(capped, std::max<int64_t>(upsell_minor, 0));
  return capped;
}

std::vector<int64_t> CapBonuses(const std::vector<int64_t>& bonuses, int64_t cap_minor) {
  if (cap_minor <= 0) return bonuses;
  std::vector<int64_t> capped;
  int64_t left = cap_minor;
  for (const int64_t bonus : bonuses) {
    const int64_t given = std::clamp<int64_t>(bonus, 0, left);
    capped.push_back(given);
    left -= given;
  }
  return capped;
}

}  // namespace returns
