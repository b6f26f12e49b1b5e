#include "domain/money.h"

#include <cstdint>
#include <limits>

#include <gtest/gtest.h>

namespace returns {
namespace {

TEST(MoneyTest, RefusesMalformedCurrencyCodes) {
  EXPECT_TRUE(Money::Of("EUR", 1).ok());
  for (const char* bad : {"", "eur", "EU", "EURO", "E1R", "€UR"}) {
    EXPECT_FALSE(Money::Of(bad, 1).ok()) << bad;
  }
}

TEST(MoneyTest, AddsAndSubtractsInMinorUnits) {
  Money a = *Money::Of("EUR", 2500);
  Money b = *Money::Of("EUR", 799);
  EXPECT_EQ(a.Plus(b)->amount_minor(), 3299);
  EXPECT_EQ(b.Minus(a)->amount_minor(), -1701);
  EXPECT_EQ(a.Times(3)->amount_minor(), 7500);
}

TEST(MoneyTest, RefusesToMixCurrencies) {
  Money eur = *Money::Of("EUR", 100);
  Money usd = *Money::Of("USD", 100);
  EXPECT_EQ(eur.Plus(usd).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(eur.Minus(usd).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(MoneyTest, RefusesToOverflow) {
  Money max = *Money::Of("EUR", std::numeric_limits<int64_t>::max());
  Money min = *Money::Of("EUR", std::numeric_limits<int64_t>::min());
  EXPECT_EQ(max.Plus(*Money::Of("EUR", 1)).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(min.Minus(*Money::Of("EUR", 1)).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(max.Times(2).status().code(), absl::StatusCode::kOutOfRange);
}

TEST(MoneyTest, MinusFloorZeroNeverGoesNegative) {
  Money refund = *Money::Of("EUR", 500);
  EXPECT_EQ(refund.MinusFloorZero(*Money::Of("EUR", 200))->amount_minor(), 300);
  EXPECT_EQ(refund.MinusFloorZero(*Money::Of("EUR", 900))->amount_minor(), 0);
  EXPECT_EQ(refund.MinusFloorZero(*Money::Of("EUR", 900))->currency_code(), "EUR");
}

}  // namespace
}  // namespace returns
