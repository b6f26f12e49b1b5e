#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"

// The published risk score of a return (docs/decisions.md): a logistic model over the
// customer's history and the return itself, versioned, with the factors that pushed it up. The
// policy's thresholds use it for automatic approval and instant exchange; it never denies.
namespace returns {

inline constexpr char kRiskModelVersion[] = "risk/1";

struct RiskFacts {
  double return_rate = 0;    // the customer's units returned / bought over 365 days (0..1)
  int claims_last_year = 0;  // the customer's claims over 365 days
  double days_since_delivery = 0;
  int64_t order_value_minor = 0;
  double share_returned = 0;  // this return's units / the order's units (0..1)
};

struct RiskFactor {
  std::string
      factor;  // "return_rate", "claims", "days_since_delivery", "order_value", "share_returned"
  int contribution_milli = 0;  // its term in the logit, in thousandths
  std::string explanation;     // in words
};

struct RiskScore {
  int score_milli = 0;  // 1000 x the logistic of the logit, 0..1000
  std::string model_version = kRiskModelVersion;
  std::vector<RiskFactor> factors;  // every term, largest contribution first
};

// logit = -3.0 + 3.0 x return_rate + 0.7 x min(claims, 5) + 0.05 x min(days, 60)
//         + 0.4 x ln(1 + order value / 10000 minor units) + 1.2 x share_returned
RiskScore ScoreReturnRisk(const RiskFacts& facts);

}  // namespace returns
