// CheckEligibility tells what CreateReturn would accept: per line the quantity left, the
// window, final sale, instant exchange and the fees.
#include "absl/strings/match.h"
#include "app_fixture.h"
#include "sample_orders.h"

namespace returns::testing {
namespace {

class EligibilityTest : public AppTest {
 protected:
  void Order(const std::string& order_id, int delivered_days_ago = 3) {
    auto call = Call("order-" + order_id);
    v1::Order order;
    ASSERT_TRUE(
        app::UpsertOrder(app_, call, SampleOrder(order_id, 2, delivered_days_ago), &order).ok());
  }
  v1::CheckEligibilityResponse Check(const std::string& order_id) {
    v1::CheckEligibilityRequest request;
    request.set_order_id(order_id);
    v1::CheckEligibilityResponse response;
    const absl::Status status = app::CheckEligibility(app_, Call(), request, &response);
    EXPECT_TRUE(status.ok()) << status;
    return response;
  }
};

TEST_F(EligibilityTest, EachLineSaysWhatCanStillBeReturnedAndHow) {
  Order("1001");
  v1::CheckEligibilityResponse answer = Check("1001");
  ASSERT_EQ(answer.lines_size(), 2);
  EXPECT_TRUE(answer.lines(0).eligible());
  EXPECT_EQ(answer.lines(0).returnable_quantity(), 2);
  EXPECT_EQ(answer.lines(0).allowed_resolutions_size(), 3);
  EXPECT_TRUE(answer.lines(0).instant_exchange_offered());
  EXPECT_TRUE(answer.has_window_end_time());
  EXPECT_EQ(answer.policy_version(), 1);

  auto call = Call("return-1");
  v1::Return ret;
  ASSERT_TRUE(app::CreateReturn(app_, call, SampleReturn("1001", "L1", 1), &ret).ok());
  answer = Check("1001");
  EXPECT_EQ(answer.lines(0).returnable_quantity(), 1);
  call = Call("return-2");
  ASSERT_TRUE(app::CreateReturn(app_, call, SampleReturn("1001", "L1", 1), &ret).ok());
  answer = Check("1001");
  EXPECT_FALSE(answer.lines(0).eligible());
  EXPECT_EQ(answer.lines(0).returnable_quantity(), 0);
  EXPECT_TRUE(absl::StrContains(answer.lines(0).reasons(0), "already in returns or claims"));
  // What it says is what CreateReturn does.
  call = Call("return-3");
  EXPECT_EQ(app::CreateReturn(app_, call, SampleReturn("1001", "L1", 1), &ret).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(EligibilityTest, FinalSaleWindowAndDeliveryAreReasons) {
  Scalar("UPDATE policies SET final_sale_skus = '{CAP-RED}'");
  Order("2001");
  v1::CheckEligibilityResponse answer = Check("2001");
  EXPECT_TRUE(answer.lines(0).eligible());
  EXPECT_FALSE(answer.lines(1).eligible());
  EXPECT_TRUE(absl::StrContains(answer.lines(1).reasons(0), "final sale"))
      << answer.lines(1).reasons(0);

  Order("2002", /*delivered_days_ago=*/40);
  answer = Check("2002");
  EXPECT_FALSE(answer.lines(0).eligible());
  EXPECT_TRUE(absl::StrContains(answer.lines(0).reasons(0), "window"))
      << answer.lines(0).reasons(0);

  Order("2003", /*delivered_days_ago=*/-1);
  answer = Check("2003");
  EXPECT_FALSE(answer.lines(0).eligible());
  EXPECT_FALSE(answer.has_window_end_time());
}

TEST_F(EligibilityTest, InstantExchangeSaysWhyNot) {
  Order("3001");
  Scalar("UPDATE policies SET instant_exchange_max_item_minor = 2000");
  v1::CheckEligibilityResponse answer = Check("3001");
  EXPECT_FALSE(answer.lines(0).instant_exchange_offered());  // 2500 > 2000
  EXPECT_TRUE(absl::StrContains(answer.lines(0).instant_exchange_note(),
                                "above the instant-exchange limit"));
  EXPECT_TRUE(answer.lines(1).instant_exchange_offered());  // 1500
  Scalar("UPDATE policies SET instant_exchange_enabled = false");
  answer = Check("3001");
  EXPECT_FALSE(answer.lines(1).instant_exchange_offered());
  EXPECT_TRUE(absl::StrContains(answer.lines(1).instant_exchange_note(), "off"));
  v1::CheckEligibilityRequest unknown;
  unknown.set_order_id("nope");
  v1::CheckEligibilityResponse none;
  EXPECT_EQ(app::CheckEligibility(app_, Call(), unknown, &none).code(),
            absl::StatusCode::kNotFound);
}

// Windows by SKU and category, final-sale categories and the fee schedule, per line, exactly as
// CreateReturn applies them.
TEST_F(EligibilityTest, EachLineHasItsOwnWindowFinalSaleAndFees) {
  Scalar(
      "UPDATE policies SET return_window_days = 2, category_return_window_days = '{\"tees\": 60}', "
      "sku_return_window_days = '{\"CAP-RED\": 10}', final_sale_categories = '{\"clearance\"}', "
      "restocking_fee_minor = 100, restocking_fee_basis_points = 1000, "
      "store_credit_restocking_fee_minor = 0, store_credit_restocking_fee_basis_points = 250");
  v1::UpsertOrderRequest upsert = SampleOrder("4001", 2, 5);  // delivered 5 days ago
  upsert.mutable_order()->mutable_lines(0)->set_category("tees");
  auto call = Call("order-4001");
  v1::Order order;
  ASSERT_TRUE(app::UpsertOrder(app_, call, upsert, &order).ok());
  v1::CheckEligibilityResponse answer = Check("4001");
  // The tee's category gives it 60 days, the cap's SKU 10, though the default (2) has closed.
  ASSERT_TRUE(answer.lines(0).eligible()) << answer.lines(0).reasons(0);
  EXPECT_TRUE(answer.lines(1).eligible());
  EXPECT_EQ(
      answer.lines(0).window_end_time().seconds() - answer.lines(1).window_end_time().seconds(),
      50 * 86400);
  EXPECT_EQ(answer.window_end_time().seconds(),
            answer.lines(1).window_end_time().seconds() - 8 * 86400);
  // 2 x 25.00: refund fee 1.00 + 10% = 6.00; store credit 2.5% = 1.25.
  EXPECT_EQ(answer.lines(0).refund_restocking_fee().amount_minor(), 600);
  EXPECT_EQ(answer.lines(0).store_credit_restocking_fee().amount_minor(), 125);
  // What CreateReturn then does: the tee is accepted and its plan keeps those fees.
  v1::CreateReturnRequest create = SampleReturn("4001", "L1", 2);
  create.mutable_lines(0)->set_resolution(v1::RESOLUTION_STORE_CREDIT);
  call = Call(create.request_id());
  v1::Return ret;
  ASSERT_TRUE(app::CreateReturn(app_, call, create, &ret).ok());
  EXPECT_EQ(ret.plan().lines(0).restocking_fee().amount_minor(), 125);
  EXPECT_EQ(ret.plan().store_credit_total().amount_minor(), 5000 - 125);

  // A clearance line is final sale; a line of no category with the default window is late.
  upsert = SampleOrder("4002", 1, 5);
  upsert.mutable_order()->mutable_lines(0)->set_category("clearance");
  upsert.mutable_order()->mutable_lines(1)->set_sku("SOCKS");
  call = Call("order-4002");
  ASSERT_TRUE(app::UpsertOrder(app_, call, upsert, &order).ok());
  answer = Check("4002");
  EXPECT_FALSE(answer.lines(0).eligible());
  ASSERT_EQ(answer.lines(0).reasons_size(), 2);  // late too: its category has no window of its own
  EXPECT_TRUE(absl::StrContains(answer.lines(0).reasons(1), "category clearance"))
      << answer.lines(0).reasons(1);
  EXPECT_FALSE(answer.lines(1).eligible());
  EXPECT_TRUE(absl::StrContains(answer.lines(1).reasons(0), "window"))
      << answer.lines(1).reasons(0);
  create = SampleReturn("4002", "L1", 1);
  call = Call(create.request_id());
  EXPECT_EQ(app::CreateReturn(app_, call, create, &ret).code(),
            absl::StatusCode::kFailedPrecondition);
  create = SampleReturn("4002", "L2", 1);
  call = Call(create.request_id());
  EXPECT_EQ(app::CreateReturn(app_, call, create, &ret).code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace returns::testing
