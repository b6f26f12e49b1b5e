#include "domain/risk_score.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace returns {

RiskScore ScoreReturnRisk(const RiskFacts& f) {
  const double rate = std::clamp(f.return_rate, 0.0, 1.0);
  const int claims = std::clamp(f.claims_last_year, 0, 5);
  const double days = std::clamp(f.days_since_delivery, 0.0, 60.0);
  const double value = std::max<int64_t>(f.order_value_minor, 0);
  const double share = std::clamp(f.share_returned, 0.0, 1.0);
  RiskScore score;
  auto add = [&](const char* name, double term, std::string words) {
    score.factors.push_back({name, static_cast<int>(std::lround(term * 1000)), std::move(words)});
    return term;
  };
  double logit = -3.0;
  logit +=
      add("return_rate", 3.0 * rate,
          absl::StrFormat("the customer returned %.0f%% of the units bought in the last 365 days",
                          rate * 100));
  logit += add(
      "claims", 0.7 * claims,
      absl::StrCat("the customer filed ", f.claims_last_year, " claim(s) in the last 365 days"));
  logit += add("days_since_delivery", 0.05 * days,
               absl::StrFormat("%.0f day(s) since delivery", f.days_since_delivery));
  logit += add("order_value", 0.4 * std::log1p(value / 10000.0),
               absl::StrCat("the order is worth ", f.order_value_minor, " (minor units)"));
  logit += add("share_returned", 1.2 * share,
               absl::StrFormat("this return holds %.0f%% of the order's units", share * 100));
  score.score_milli = static_cast<int>(std::lround(1000.0 / (1.0 + std::exp(-logit))));
  std::stable_sort(score.factors.begin(), score.factors.end(),
                   [](const RiskFactor& a, const RiskFactor& b) {
                     return a.contribution_milli > b.contribution_milli;
                   });
  return score;
}

}  // namespace returns
