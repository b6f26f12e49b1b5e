// Bonus credit's arithmetic (domain/bonus_credit.h; docs/policy.md, "Bonus credit").
#include "domain/bonus_credit.h"

#include <limits>

#include <gtest/gtest.h>

namespace returns {
namespace {

BonusRule Rule() {
  BonusRule rule;
  rule.store_credit_fixed_minor = 100;
  rule.store_credit_basis_points = 1000;  // 10 %
  rule.exchange_fixed_minor = 50;
  rule.exchange_basis_points = 500;  // 5 %
  rule.excluded_categories = {"gift-cards"};
  return rule;
}

TEST(BonusCreditTest, StoreCreditGetsItsFixedAmountAndPercentageRoundedDown) {
  EXPECT_EQ(LineBonus(v1::RESOLUTION_STORE_CREDIT, 2599, 1, "shirts", 0, Rule()), 100 + 259);
}

TEST(BonusCreditTest, TheFixedAmountIsPerUnitSoSplittingALineEarnsNoMore) {
  const int64_t whole = LineBonus(v1::RESOLUTION_STORE_CREDIT, 7500, 3, "shirts", 0, Rule());
  EXPECT_EQ(whole, 300 + 750);
  EXPECT_EQ(LineBonus(v1::RESOLUTION_STORE_CREDIT, 2500, 1, "shirts", 0, Rule()) +
                LineBonus(v1::RESOLUTION_STORE_CREDIT, 5000, 2, "shirts", 0, Rule()),
            whole);
}

TEST(BonusCreditTest, ARefundNeverGetsABonus) {
  EXPECT_EQ(LineBonus(v1::RESOLUTION_REFUND, 2500, 1, "shirts", 0, Rule()), 0);
  EXPECT_EQ(LineBonus(v1::RESOLUTION_UNSPECIFIED, 2500, 1, "shirts", 0, Rule()), 0);
}

TEST(BonusCreditTest, AnExchangesBonusIsAtMostItsUpsell) {
  EXPECT_EQ(LineBonus(v1::RESOLUTION_EXCHANGE, 2000, 1, "shirts", 1000, Rule()), 150);
  EXPECT_EQ(LineBonus(v1::RESOLUTION_EXCHANGE, 2000, 1, "shirts", 120, Rule()), 120);
  EXPECT_EQ(LineBonus(v1::RESOLUTION_EXCHANGE, 2000, 1, "shirts", 0, Rule()), 0)
      << "an exchange with no upsell has nothing for the bonus to lower";
}

TEST(BonusCreditTest, AnExcludedCategoryOrAValuelessLineGetsNone) {
  EXPECT_EQ(LineBonus(v1::RESOLUTION_STORE_CREDIT, 2500, 1, "gift-cards", 0, Rule()), 0);
  EXPECT_EQ(LineBonus(v1::RESOLUTION_STORE_CREDIT, 0, 1, "shirts", 0, Rule()), 0);
  EXPECT_EQ(LineBonus(v1::RESOLUTION_STORE_CREDIT, -5, 1, "shirts", 0, Rule()), 0);
}

TEST(BonusCreditTest, HugeAmountsSaturateInsteadOfOverflowing) {
  BonusRule rule = Rule();
  rule.store_credit_fixed_minor = std::numeric_limits<int64_t>::max();
  rule.store_credit_basis_points = 10000;
  EXPECT_EQ(
      LineBonus(v1::RESOLUTION_STORE_CREDIT, std::numeric_limits<int64_t>::max(), 1, "x", 0, rule),
      std::numeric_limits<int64_t>::max());
}

TEST(BonusCreditTest, TheCapIsSharedOverTheLinesInOrder) {
  EXPECT_EQ(CapBonuses({300, 300, 300}, 700), (std::vector<int64_t>{300, 300, 100}));
  EXPECT_EQ(CapBonuses({300, 0, 300}, 300), (std::vector<int64_t>{300, 0, 0}));
  EXPECT_EQ(CapBonuses({300, 300}, 0), (std::vector<int64_t>{300, 300})) << "zero: no cap";
}

}  // namespace
}  // namespace returns
