// OrderService end to end: the real returnsd over a real channel.
#include <set>

#include "e2e_fixture.h"

namespace returns::testing {
namespace {

using OrderServiceTest = E2ETest;

TEST_F(OrderServiceTest, UpsertThenGetReturnsTheOrder) {
  v1::UpsertOrderRequest request = SampleOrder("1001");
  v1::Order created;
  ASSERT_TRUE(Upsert(request, &created).ok());
  EXPECT_EQ(created.order_id(), "1001");
  EXPECT_EQ(created.lines_size(), 2);
  EXPECT_EQ(created.etag(), "\"1\"");

  v1::GetOrderRequest get;
  get.set_order_id("1001");
  v1::Order read;
  ASSERT_TRUE(stubs_.orders->GetOrder(Context().get(), get, &read).ok());
  EXPECT_EQ(read.lines(0).sku(), "TEE-BLUE-S");
  EXPECT_EQ(read.lines(0).variant_attributes().at("size"), "S");
  EXPECT_EQ(read.lines(0).unit_price().amount_minor(), 2500);
  EXPECT_EQ(read.shipping_address().city(), "London");
  EXPECT_EQ(read.delivered_time().seconds(), request.order().delivered_time().seconds());
}

TEST_F(OrderServiceTest, ResyncChangesTheOrderAndUnchangedResyncWritesNothing) {
  v1::UpsertOrderRequest request = SampleOrder("1001");
  ASSERT_TRUE(Upsert(request).ok());
  request.set_request_id("another-request-id");
  ASSERT_TRUE(Upsert(request).ok());  // same content, new request_id
  EXPECT_EQ(QueryScalar(db_.url(), "SELECT count(*) FROM timeline_events"), "1");

  v1::UpsertOrderRequest changed = request;
  changed.set_request_id("a-third-request-id");
  changed.mutable_order()->mutable_lines(0)->set_quantity(4);
  v1::Order order;
  ASSERT_TRUE(Upsert(changed, &order).ok());
  EXPECT_EQ(order.lines(0).quantity(), 4);
  EXPECT_EQ(order.etag(), "\"2\"");
  EXPECT_EQ(
      QueryScalar(db_.url(),
                  "SELECT string_agg(event_type, ',' ORDER BY event_id) FROM timeline_events"),
      "order.created,order.updated");
}

TEST_F(OrderServiceTest, ResyncMayNotShrinkALineBelowWhatIsReturned) {
  ASSERT_TRUE(Upsert(SampleOrder("1001", 3)).ok());
  ASSERT_TRUE(Create(SampleReturn("1001", "L1", 2)).ok());
  grpc::Status status = Upsert(SampleOrder("1001", 1));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(status), "ORDER_LINE_IN_USE");
  v1::UpsertOrderRequest without_l1 = SampleOrder("1001", 3);
  without_l1.mutable_order()->mutable_lines()->DeleteSubrange(0, 1);
  EXPECT_EQ(Reason(Upsert(without_l1)), "ORDER_LINE_IN_USE");
}

TEST_F(OrderServiceTest, ListOrdersWalksEveryPageOnce) {
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(Upsert(SampleOrder("A" + std::to_string(i))).ok());
  v1::ListOrdersRequest request;
  request.set_page_size(2);
  std::vector<std::string> seen;
  int pages = 0;
  do {
    v1::ListOrdersResponse page;
    ASSERT_TRUE(stubs_.orders->ListOrders(Context().get(), request, &page).ok());
    for (const auto& o : page.orders()) seen.push_back(o.order_id());
    request.set_page_token(page.next_page_token());
    ++pages;
  } while (!request.page_token().empty());
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, (std::vector<std::string>{"A0", "A1", "A2", "A3", "A4"}));
}

TEST_F(OrderServiceTest, ErrorsNameTheirField) {
  v1::UpsertOrderRequest bad = SampleOrder("1001");
  bad.mutable_order()->mutable_lines(0)->set_quantity(0);
  grpc::Status status = Upsert(bad);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Field(status), "order.lines[0].quantity");

  v1::GetOrderRequest get;
  get.set_order_id("nope");
  v1::Order order;
  status = stubs_.orders->GetOrder(Context().get(), get, &order);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);

  v1::ListOrdersRequest list;
  list.set_page_token("forged.token");
  v1::ListOrdersResponse page;
  status = stubs_.orders->ListOrders(Context().get(), list, &page);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Field(status), "page_token");
  // Nothing was stored for the rejected upsert.
  EXPECT_EQ(QueryScalar(db_.url(), "SELECT count(*) FROM idempotency_keys"), "0");
}

TEST_F(OrderServiceTest, AnotherMerchantsOrderIsNotFound) {
  ASSERT_TRUE(Upsert(SampleOrder("1001")).ok());
  client::ClientOptions other = OtherMerchant();
  Stubs stubs = StubsFor(other);
  v1::GetOrderRequest get;
  get.set_order_id("1001");
  v1::Order order;
  grpc::Status status = stubs.orders->GetOrder(client::MakeContext(other).get(), get, &order);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  v1::ListOrdersResponse page;
  ASSERT_TRUE(stubs.orders->ListOrders(client::MakeContext(other).get(), {}, &page).ok());
  EXPECT_EQ(page.orders_size(), 0);
}

}  // namespace
}  // namespace returns::testing
