// The exchange recommender (docs/decisions.md): the size order without history, the learned
// counts with it, the product-level step shared across sizes, and the naive rule it is measured
// against.
#include "domain/exchange_recommender.h"

#include <gtest/gtest.h>

namespace returns {
namespace {

std::vector<Variant> Tee() {
  return {{"T-XS", "XS", 0, true},
          {"T-S", "S", 0, true},
          {"T-M", "M", 0, true},
          {"T-L", "L", 0, true},
          {"T-XL", "XL", 0, false}};
}

TEST(ExchangeRecommenderTest, SizeKeysOrderLettersThenNumbersAndHonourExplicitRanks) {
  EXPECT_LT(*SizeKey("XS", 0), *SizeKey("s", 0));
  EXPECT_LT(*SizeKey("XL", 0), *SizeKey("2XL", 0) + 0.5);
  EXPECT_LT(*SizeKey("3XL", 0), *SizeKey("36", 0));
  EXPECT_LT(*SizeKey("10", 0), *SizeKey("10.5", 0));
  EXPECT_EQ(*SizeKey("W32 L34", 7), 7);
  EXPECT_FALSE(SizeKey("W32 L34", 0).has_value());
}

TEST(ExchangeRecommenderTest, WithoutHistoryTheNextSizeInTheReasonsDirection) {
  auto up = RecommendReplacements("T-S", "TOO_SMALL", Tee(), {}, 3);
  ASSERT_EQ(up.size(), 3u);
  EXPECT_EQ(up[0].sku, "T-M");
  EXPECT_EQ(up[1].sku, "T-L");
  EXPECT_GT(up[0].probability, up[1].probability);
  EXPECT_NE(up[0].explanation.find("1 size up"), std::string::npos) << up[0].explanation;
  auto down = RecommendReplacements("T-L", "TOO_LARGE", Tee(), {}, 5);
  EXPECT_EQ(down[0].sku, "T-M");
  for (const auto& r : down) EXPECT_NE(r.sku, "T-XL");  // never the wrong way
  EXPECT_EQ(RecommendReplacements("T-M", "DAMAGED", Tee(), {}, 1)[0].sku, "T-M");
  EXPECT_TRUE(RecommendReplacements("T-XL", "TOO_SMALL", Tee(), {}, 3).empty());
  EXPECT_EQ(*NaiveReplacement("T-S", "TOO_SMALL", Tee()), "T-M");
  EXPECT_FALSE(NaiveReplacement("T-XL", "TOO_SMALL", Tee()).has_value());
}

TEST(ExchangeRecommenderTest, TheSkusOwnHistoryOutweighsThePrior) {
  std::vector<ExchangeCount> counts = {{"T-S", "T-L", 9}, {"T-S", "T-M", 1}};
  auto up = RecommendReplacements("T-S", "TOO_SMALL", Tee(), counts, 3);
  EXPECT_EQ(up[0].sku, "T-L");
  EXPECT_EQ(up[0].observed, 9);
  EXPECT_GT(up[0].probability, 0.6);
  EXPECT_NE(up[0].explanation.find("9 of 10 settled exchanges"), std::string::npos)
      << up[0].explanation;
  double total = 0;
  for (const auto& r : RecommendReplacements("T-S", "TOO_SMALL", Tee(), counts, 10))
    total += r.probability;
  EXPECT_NEAR(total, 1.0, 1e-9);
}

TEST(ExchangeRecommenderTest, AProductThatRunsSmallTeachesSizesWithNoHistoryOfTheirOwn) {
  // XS and S customers went two sizes up; M has no history of its own.
  std::vector<ExchangeCount> counts = {{"T-XS", "T-M", 8}, {"T-S", "T-L", 8}};
  auto up = RecommendReplacements("T-M", "TOO_SMALL", Tee(), counts, 2);
  EXPECT_EQ(up[0].sku, "T-XL");
  EXPECT_EQ(up[0].observed, 0);
  EXPECT_FALSE(up[0].in_stock);
  EXPECT_NE(up[0].explanation.find("across the product, 16 of 16"), std::string::npos)
      << up[0].explanation;
}

TEST(ExchangeRecommenderTest, UnrankedSizesComeLast) {
  std::vector<Variant> variants = Tee();
  variants.push_back({"T-ODD", "one size", 0, true});
  auto up = RecommendReplacements("T-S", "TOO_SMALL", variants, {}, 10);
  EXPECT_EQ(up.back().sku, "T-ODD");
  EXPECT_TRUE(RecommendReplacements("T-ODD", "TOO_SMALL", variants, {}, 10).size() > 0);
}

}  // namespace
}  // namespace returns
