#include "domain/return_rules.h"

#include <gtest/gtest.h>

#include "domain/errors.h"

namespace returns {
namespace {

const absl::Time kDelivered = absl::FromUnixSeconds(1'700'000'000);

TEST(ReturnRulesTest, WindowNeedsADelivery) {
  absl::Status status = CheckReturnWindow(std::nullopt, 30, kDelivered);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(status), "ORDER_NOT_DELIVERED");
}

TEST(ReturnRulesTest, WindowIncludesItsLastInstantAndNothingAfter) {
  const absl::Time closes = kDelivered + absl::Hours(24 * 30);
  EXPECT_TRUE(CheckReturnWindow(kDelivered, 30, kDelivered).ok());
  EXPECT_TRUE(CheckReturnWindow(kDelivered, 30, closes).ok());
  absl::Status late = CheckReturnWindow(kDelivered, 30, closes + absl::Seconds(1));
  EXPECT_EQ(late.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(late), "RETURN_WINDOW_CLOSED");
  EXPECT_EQ(MetadataOf(late)["window_days"], "30");
}

google::protobuf::RepeatedPtrField<v1::ReturnLine> Lines(
    std::initializer_list<std::pair<const char*, int>> lines) {
  google::protobuf::RepeatedPtrField<v1::ReturnLine> out;
  for (const auto& [id, quantity] : lines) {
    auto* line = out.Add();
    line->set_order_line_id(id);
    line->set_quantity(quantity);
  }
  return out;
}

OrderLineSnapshot Snapshot(const std::string& line_id, const std::string& sku, int32_t quantity,
                           int32_t returned, bool referenced, int64_t unit_price_minor = 0) {
  OrderLineSnapshot line;
  line.line_id = line_id;
  line.sku = sku;
  line.quantity = quantity;
  line.returned_quantity = returned;
  line.referenced = referenced;
  line.unit_price_minor = unit_price_minor;
  return line;
}

const std::vector<OrderLineSnapshot> kOrder = {
    Snapshot("L1", "TEE", /*quantity=*/3, /*returned=*/1, true),
    Snapshot("L2", "CAP", /*quantity=*/1, /*returned=*/0, false),
};

TEST(ReturnRulesTest, QuantitiesUpToWhatIsLeftPass) {
  EXPECT_TRUE(CheckReturnQuantities(kOrder, {}, Lines({{"L1", 2}, {"L2", 1}})).ok());
}

TEST(ReturnRulesTest, MoreThanLeftIsRefusedNamingTheField) {
  absl::Status status = CheckReturnQuantities(kOrder, {}, Lines({{"L2", 1}, {"L1", 3}}));
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ReasonOf(status), "RETURN_QUANTITY_EXCEEDED");
  EXPECT_EQ(MetadataOf(status)["field"], "lines[1].quantity");
  EXPECT_EQ(MetadataOf(status)["returnable_quantity"], "2");
}

TEST(ReturnRulesTest, UnknownLineIsInvalidArgumentNamingTheField) {
  absl::Status status = CheckReturnQuantities(kOrder, {}, Lines({{"L9", 1}}));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldOf(status), "lines[0].order_line_id");
}

TEST(ReturnRulesTest, FinalSaleSkusAreRefused) {
  LineReturnRules rules;
  rules.final_sale_skus = {"CAP"};
  absl::Status status = CheckReturnQuantities(kOrder, rules, Lines({{"L2", 1}}));
  EXPECT_EQ(ReasonOf(status), "FINAL_SALE");
}

TEST(ReturnRulesTest, WindowsAndFinalSaleBySkuThenCategoryThenDefault) {
  LineReturnRules rules;
  rules.default_window_days = 30;
  rules.window_days_by_category = {{"shoes", 60}, {"swimwear", 14}};
  rules.window_days_by_sku = {{"SHOE-9", 90}};
  rules.final_sale_categories = {"underwear"};
  OrderLineSnapshot shoe = Snapshot("L1", "SHOE-8", 1, 0, false, 100);
  shoe.category = "shoes";
  EXPECT_EQ(rules.WindowDays(shoe), 60);
  shoe.sku = "SHOE-9";
  EXPECT_EQ(rules.WindowDays(shoe), 90);  // the SKU's own window wins
  OrderLineSnapshot plain = Snapshot("L2", "TEE", 1, 0, false, 100);
  EXPECT_EQ(rules.WindowDays(plain), 30);
  EXPECT_EQ(rules.FinalSale(plain), "");
  plain.category = "underwear";
  EXPECT_EQ(rules.FinalSale(plain), "SKU TEE is final sale (category underwear)");
  std::vector<OrderLineSnapshot> order = {plain};
  EXPECT_EQ(ReasonOf(CheckReturnQuantities(order, rules, Lines({{"L2", 1}}))), "FINAL_SALE");
}

TEST(ReturnRulesTest, OrderUpdateMayNotDropOrShrinkLinesInReturns) {
  v1::Order order;
  auto* l1 = order.add_lines();
  l1->set_line_id("L1");
  l1->set_sku("TEE");
  l1->set_quantity(1);                                     // 1 returned: still fine
  EXPECT_TRUE(CheckOrderLineChanges(kOrder, order).ok());  // L2 unreferenced: may go

  l1->set_quantity(0);
  EXPECT_EQ(ReasonOf(CheckOrderLineChanges(kOrder, order)), "ORDER_LINE_IN_USE");

  l1->set_quantity(3);
  l1->set_sku("OTHER");
  EXPECT_EQ(ReasonOf(CheckOrderLineChanges(kOrder, order)), "ORDER_LINE_IN_USE");

  v1::Order without_l1;
  auto* l2 = without_l1.add_lines();
  l2->set_line_id("L2");
  l2->set_sku("CAP");
  l2->set_quantity(1);
  EXPECT_EQ(ReasonOf(CheckOrderLineChanges(kOrder, without_l1)), "ORDER_LINE_IN_USE");
}

}  // namespace
}  // namespace returns
