#include "domain/resolution.h"

#include <limits>

#include <gtest/gtest.h>

namespace returns {
namespace {

ResolutionLine Line(v1::Resolution resolution, int64_t price, int32_t quantity,
                    bool withheld = false) {
  ResolutionLine line;
  line.order_line_id = "L";
  line.resolution = resolution;
  line.unit_price_minor = price;
  line.quantity = quantity;
  line.withheld = withheld;
  return line;
}

TEST(ResolutionTest, RefundIsPriceTimesQuantityLessRestockingAndShippingFees) {
  auto plan = PlanResolution({Line(v1::RESOLUTION_REFUND, 2500, 2)}, ResolutionFees{300, 500});
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->lines[0].refund_minor, 4700);  // 5000 - 300 restocking
  EXPECT_EQ(plan->refund_total_minor, 4200);     // less 500 shipping, once
  EXPECT_EQ(plan->fees_minor, 800);
  EXPECT_EQ(plan->store_credit_total_minor, 0);
}

TEST(ResolutionTest, TheShippingFeeIsChargedOncePerReturnAndRestockingPerLine) {
  auto plan =
      PlanResolution({Line(v1::RESOLUTION_REFUND, 1000, 1), Line(v1::RESOLUTION_REFUND, 2000, 1)},
                     ResolutionFees{100, 400});
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->lines[0].refund_minor, 900);
  EXPECT_EQ(plan->lines[1].refund_minor, 1900);
  EXPECT_EQ(plan->refund_total_minor, 2400);
  EXPECT_EQ(plan->fees_minor, 600);
}

TEST(ResolutionTest, FeesNeverMakeARefundNegative) {
  auto plan = PlanResolution({Line(v1::RESOLUTION_REFUND, 300, 1)}, ResolutionFees{250, 1000});
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->lines[0].refund_minor, 50);
  EXPECT_EQ(plan->refund_total_minor, 0);
  EXPECT_EQ(plan->fees_minor, 300);  // only what there was to keep
}

TEST(ResolutionTest, StoreCreditIsTheFullValueWithoutFees) {
  auto plan =
      PlanResolution({Line(v1::RESOLUTION_STORE_CREDIT, 2500, 3)}, ResolutionFees{300, 500});
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->lines[0].store_credit_minor, 7500);
  EXPECT_EQ(plan->store_credit_total_minor, 7500);
  EXPECT_EQ(plan->refund_total_minor, 0);
  EXPECT_EQ(plan->fees_minor, 0);  // no refund line: no shipping fee either
}

TEST(ResolutionTest, ExchangeLinesMoveNoMoney) {
  auto plan = PlanResolution({Line(v1::RESOLUTION_EXCHANGE, 2500, 1)}, ResolutionFees{300, 500});
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->lines[0].refund_minor, 0);
  EXPECT_EQ(plan->lines[0].store_credit_minor, 0);
  EXPECT_EQ(plan->fees_minor, 0);
}

TEST(ResolutionTest, AWithheldLinePaysNothingAndIsChargedNoFee) {
  auto plan = PlanResolution({Line(v1::RESOLUTION_REFUND, 2500, 1, /*withheld=*/true),
                              Line(v1::RESOLUTION_STORE_CREDIT, 1000, 1, /*withheld=*/true)},
                             ResolutionFees{300, 500});
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->refund_total_minor, 0);
  EXPECT_EQ(plan->store_credit_total_minor, 0);
  EXPECT_EQ(plan->fees_minor, 0);
}

TEST(ResolutionTest, OverflowIsRefused) {
  auto plan = PlanResolution({Line(v1::RESOLUTION_REFUND, std::numeric_limits<int64_t>::max(), 2)},
                             ResolutionFees{});
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kOutOfRange);
}

}  // namespace
}  // namespace returns
