// The published risk model (docs/decisions.md): its formula on known points, its factors in
// order, and that it only ever grows with each factor.
#include "domain/risk_score.h"

#include <cmath>
#include <random>

#include <gtest/gtest.h>

namespace returns {
namespace {

int Expected(double logit) {
  return static_cast<int>(std::lround(1000.0 / (1.0 + std::exp(-logit))));
}

TEST(RiskScoreTest, TheFormulaOnKnownPoints) {
  RiskFacts quiet;  // no history, delivered today, free order, nothing returned
  EXPECT_EQ(ScoreReturnRisk(quiet).score_milli, Expected(-3.0));
  RiskFacts typical{0.1, 0, 3, 5000, 0.5};
  EXPECT_EQ(ScoreReturnRisk(typical).score_milli,
            Expected(-3.0 + 0.3 + 0 + 0.15 + 0.4 * std::log1p(0.5) + 0.6));
  RiskFacts heavy{0.8, 2, 25, 30000, 1.0};
  EXPECT_EQ(ScoreReturnRisk(heavy).score_milli,
            Expected(-3.0 + 2.4 + 1.4 + 1.25 + 0.4 * std::log1p(3.0) + 1.2));
  EXPECT_GT(ScoreReturnRisk(heavy).score_milli, 900);
  EXPECT_EQ(ScoreReturnRisk(heavy).model_version, "risk/1");
}

TEST(RiskScoreTest, FactorsComeLargestFirstWithTheirWords) {
  const RiskScore score = ScoreReturnRisk({0.8, 0, 1, 0, 0.2});
  ASSERT_EQ(score.factors.size(), 5u);
  EXPECT_EQ(score.factors[0].factor, "return_rate");
  EXPECT_EQ(score.factors[0].contribution_milli, 2400);
  EXPECT_NE(score.factors[0].explanation.find("80%"), std::string::npos);
  for (size_t i = 1; i < score.factors.size(); ++i) {
    EXPECT_GE(score.factors[i - 1].contribution_milli, score.factors[i].contribution_milli);
  }
}

// Generated: raising any one factor never lowers the score, and inputs out of range are clamped.
TEST(RiskScoreTest, TheScoreNeverFallsWhenAFactorRises) {
  std::mt19937_64 random(11);
  std::uniform_real_distribution<double> unit(0, 1);
  for (int i = 0; i < 5000; ++i) {
    RiskFacts f{unit(random), static_cast<int>(unit(random) * 6), unit(random) * 70,
                static_cast<int64_t>(unit(random) * 100000), unit(random)};
    const int base = ScoreReturnRisk(f).score_milli;
    ASSERT_GE(base, 0);
    ASSERT_LE(base, 1000);
    RiskFacts g = f;
    g.return_rate += 0.1;
    ASSERT_GE(ScoreReturnRisk(g).score_milli, base);
    g = f;
    g.claims_last_year += 1;
    ASSERT_GE(ScoreReturnRisk(g).score_milli, base);
    g = f;
    g.days_since_delivery += 5;
    ASSERT_GE(ScoreReturnRisk(g).score_milli, base);
    g = f;
    g.order_value_minor += 10000;
    ASSERT_GE(ScoreReturnRisk(g).score_milli, base);
    g = f;
    g.share_returned += 0.1;
    ASSERT_GE(ScoreReturnRisk(g).score_milli, base);
  }
  RiskFacts wild{5.0, 100, 1000, -5, -1};
  EXPECT_EQ(ScoreReturnRisk(wild).score_milli, ScoreReturnRisk({1.0, 100, 60, 0, 0}).score_milli);
}

}  // namespace
}  // namespace returns
