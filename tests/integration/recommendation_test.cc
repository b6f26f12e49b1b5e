// CheckEligibility's replacement recommendations: the size order with no history, then what the
// merchant's settled exchanges teach, counted in the transaction that settles each one.
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "app_fixture.h"
#include "sample_orders.h"

namespace returns::testing {
namespace {

class RecommendationTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    v1::SetInventoryLevelsRequest stock;
    stock.set_request_id("catalogue");
    for (const auto& [sku, size] :
         std::vector<std::pair<std::string, std::string>>{{"TEE-BLUE-S", "S"},
                                                          {"TEE-BLUE-M", "M"},
                                                          {"TEE-BLUE-L", "L"},
                                                          {"TEE-BLUE-XL", "XL"}}) {
      v1::InventoryLevel* level = stock.add_levels();
      level->set_sku(sku);
      level->set_on_hand(sku == "TEE-BLUE-XL" ? 0 : 100);
      level->mutable_unit_price()->set_currency_code("EUR");
      level->mutable_unit_price()->set_amount_minor(2500);
      level->set_product_id("TEE");
      level->set_size(size);
    }
    auto call = Call(stock.request_id());
    v1::SetInventoryLevelsResponse levels;
    ASSERT_TRUE(app::SetInventoryLevels(app_, call, stock, &levels).ok());
  }
  void Order(const std::string& order_id) {
    v1::UpsertOrderRequest upsert = SampleOrder(order_id, 1, 3);
    upsert.mutable_order()->mutable_lines(0)->set_product_id("TEE");
    auto call = Call("order-" + order_id);
    v1::Order order;
    ASSERT_TRUE(app::UpsertOrder(app_, call, upsert, &order).ok());
  }
  // A settled exchange of order_id's S tee, for `reason`, to `replacement`.
  void SettleExchange(const std::string& order_id, v1::ReturnReason reason,
                      const std::string& replacement,
                      v1::ItemCondition condition = v1::ITEM_CONDITION_OK) {
    Order(order_id);
    v1::CreateReturnRequest create = SampleReturn(order_id, "L1", 1);
    create.mutable_lines(0)->set_reason(reason);
    create.mutable_lines(0)->set_resolution(v1::RESOLUTION_EXCHANGE);
    create.mutable_lines(0)->set_replacement_sku(replacement);
    auto call = Call(create.request_id());
    v1::Return ret;
    ASSERT_TRUE(app::CreateReturn(app_, call, create, &ret).ok());
    v1::ReceiveReturnRequest receive;
    receive.set_request_id("receive-" + order_id);
    receive.set_return_id(ret.return_id());
    v1::ReceivedItem* item = receive.add_items();
    item->set_order_line_id("L1");
    item->set_condition(condition);
    call = Call(receive.request_id());
    ASSERT_TRUE(app::ReceiveReturn(app_, call, receive, &ret).ok());
  }
  std::vector<v1::VariantRecommendation> Recommend(const std::string& order_id,
                                                   v1::ReturnReason reason) {
    v1::CheckEligibilityRequest request;
    request.set_order_id(order_id);
    request.set_reason(reason);
    v1::CheckEligibilityResponse response;
    const absl::Status status = app::CheckEligibility(app_, Call(), request, &response);
    EXPECT_TRUE(status.ok()) << status;
    if (response.lines_size() == 0) return {};
    return {response.lines(0).recommendations().begin(), response.lines(0).recommendations().end()};
  }
};

TEST_F(RecommendationTest, WithoutHistoryTheSizeOrderDecides) {
  Order("100");
  auto up = Recommend("100", v1::RETURN_REASON_TOO_SMALL);
  ASSERT_FALSE(up.empty());
  EXPECT_EQ(up[0].sku(), "TEE-BLUE-M");
  EXPECT_EQ(up[0].size(), "M");
  EXPECT_EQ(up[0].exchanges_observed(), 0);
  EXPECT_TRUE(up[0].in_stock());
  EXPECT_TRUE(absl::StrContains(up[0].explanation(), "1 size up")) << up[0].explanation();
  EXPECT_GT(up[0].confidence_milli(), up[1].confidence_milli());
  for (const auto& r : up) EXPECT_NE(r.sku(), "TEE-BLUE-S");  // never the size that did not fit
  // Too large from the smallest size: nothing smaller exists, so nothing is recommended.
  EXPECT_TRUE(Recommend("100", v1::RETURN_REASON_TOO_LARGE).empty());
  // No reason given: both size reasons are answered.
  v1::CheckEligibilityRequest request;
  request.set_order_id("100");
  v1::CheckEligibilityResponse response;
  ASSERT_TRUE(app::CheckEligibility(app_, Call(), request, &response).ok());
  ASSERT_GE(response.lines(0).recommendations_size(), 1);
  EXPECT_EQ(response.lines(0).recommendations(0).reason(), v1::RETURN_REASON_TOO_SMALL);
  // A line whose product has no catalogue gets none.
  EXPECT_EQ(response.lines(1).recommendations_size(), 0);
}

TEST_F(RecommendationTest, SettledExchangesTeachTheModelInTheSameTransaction) {
  // This tee runs small: customers who find S too small keep choosing L.
  for (int i = 0; i < 6; ++i)
    SettleExchange(absl::StrCat("2", i), v1::RETURN_REASON_TOO_SMALL, "TEE-BLUE-L");
  EXPECT_EQ(Scalar("SELECT exchanges FROM exchange_affinities WHERE sku = 'TEE-BLUE-S' "
                   "AND reason = 'TOO_SMALL' AND replacement_sku = 'TEE-BLUE-L'"),
            "6");
  Order("300");
  auto up = Recommend("300", v1::RETURN_REASON_TOO_SMALL);
  ASSERT_FALSE(up.empty());
  EXPECT_EQ(up[0].sku(), "TEE-BLUE-L");
  EXPECT_EQ(up[0].exchanges_observed(), 6);
  EXPECT_GT(up[0].confidence_milli(), 600);
  EXPECT_TRUE(absl::StrContains(up[0].explanation(), "6 of 6 settled exchanges"))
      << up[0].explanation();
  // Another reason learns nothing from these.
  EXPECT_EQ(Recommend("300", v1::RETURN_REASON_DAMAGED)[0].sku(), "TEE-BLUE-S");
}

// An original received damaged waits for an agent: until the return resolves with it accepted,
// the exchange is not settled and teaches nothing.
TEST_F(RecommendationTest, AnOriginalAwaitingAnAgentTeachesNothing) {
  SettleExchange("400", v1::RETURN_REASON_TOO_SMALL, "TEE-BLUE-L", v1::ITEM_CONDITION_DAMAGED);
  EXPECT_EQ(Scalar("SELECT count(*) FROM exchange_affinities"), "0");
}

TEST_F(RecommendationTest, AStockOnlySyncKeepsTheCatalogue) {
  v1::SetInventoryLevelsRequest stock;
  stock.set_request_id("stock-only");
  v1::InventoryLevel* level = stock.add_levels();
  level->set_sku("TEE-BLUE-M");
  level->set_on_hand(5);
  level->mutable_unit_price()->set_currency_code("EUR");
  level->mutable_unit_price()->set_amount_minor(2500);
  auto call = Call(stock.request_id());
  v1::SetInventoryLevelsResponse levels;
  ASSERT_TRUE(app::SetInventoryLevels(app_, call, stock, &levels).ok());
  EXPECT_EQ(levels.levels(0).product_id(), "TEE");
  EXPECT_EQ(levels.levels(0).size(), "M");
  EXPECT_EQ(levels.levels(0).on_hand(), 5);
}

}  // namespace
}  // namespace returns::testing
