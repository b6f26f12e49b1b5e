// ReturnService end to end: every path of CreateReturn, GetReturn, ListReturns, CancelReturn.
#include <set>

#include "e2e_fixture.h"
#include "exchange_fixture.h"
#include "returns/v1/inventory_service.grpc.pb.h"

namespace returns::testing {
namespace {

class ReturnServiceTest : public E2ETest {
 protected:
  void SetUp() override {
    E2ETest::SetUp();
    ASSERT_TRUE(Upsert(SampleOrder("1001", /*quantity=*/3)).ok());
  }
  grpc::Status Cancel(const std::string& return_id, const std::string& etag, v1::Return* out) {
    v1::CancelReturnRequest request;
    request.set_request_id(client::NewRequestId());
    request.set_return_id(return_id);
    request.set_etag(etag);
    return stubs_.returns->CancelReturn(Context().get(), request, out);
  }
};

TEST_F(ReturnServiceTest, CreateGetListCancel) {
  // The exchange is quoted from the replacement's price in stock.
  auto inventory = v1::InventoryService::NewStub(client::MakeChannel(options_));
  v1::SetInventoryLevelsResponse levels;
  ASSERT_TRUE(inventory->SetInventoryLevels(Context().get(), ReplacementStock(5), &levels).ok());
  v1::CreateReturnRequest request = SampleReturn("1001", "L1", 2);
  request.mutable_lines(0)->set_resolution(v1::RESOLUTION_EXCHANGE);
  request.mutable_lines(0)->set_replacement_sku("TEE-BLUE-M");
  v1::Return created;
  ASSERT_TRUE(Create(request, &created).ok());
  EXPECT_EQ(created.state(), v1::RETURN_STATE_REQUESTED);
  EXPECT_EQ(created.lines(0).replacement_sku(), "TEE-BLUE-M");

  v1::GetReturnRequest get;
  get.set_return_id(created.return_id());
  v1::Return read;
  ASSERT_TRUE(stubs_.returns->GetReturn(Context().get(), get, &read).ok());
  EXPECT_EQ(read.SerializeAsString(), created.SerializeAsString());

  v1::ListReturnsRequest list;
  list.set_order_id("1001");
  v1::ListReturnsResponse page;
  ASSERT_TRUE(stubs_.returns->ListReturns(Context().get(), list, &page).ok());
  ASSERT_EQ(page.returns_size(), 1);

  v1::Return cancelled;
  ASSERT_TRUE(Cancel(created.return_id(), created.etag(), &cancelled).ok());
  EXPECT_EQ(cancelled.state(), v1::RETURN_STATE_CANCELLED);
  EXPECT_EQ(cancelled.etag(), "\"2\"");

  list.set_state(v1::RETURN_STATE_REQUESTED);
  page.Clear();
  ASSERT_TRUE(stubs_.returns->ListReturns(Context().get(), list, &page).ok());
  EXPECT_EQ(page.returns_size(), 0);
  list.set_state(v1::RETURN_STATE_CANCELLED);
  ASSERT_TRUE(stubs_.returns->ListReturns(Context().get(), list, &page).ok());
  EXPECT_EQ(page.returns_size(), 1);
}

TEST_F(ReturnServiceTest, UnknownOrderIsNotFound) {
  grpc::Status status = Create(SampleReturn("9999"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(Reason(status), "NOT_FOUND");
}

TEST_F(ReturnServiceTest, UndeliveredOrderHasNoWindowYet) {
  ASSERT_TRUE(Upsert(SampleOrder("2002", 1, /*delivered_days_ago=*/-1)).ok());
  grpc::Status status = Create(SampleReturn("2002"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(status), "ORDER_NOT_DELIVERED");
}

TEST_F(ReturnServiceTest, ClosedWindowIsRefused) {
  ASSERT_TRUE(Upsert(SampleOrder("3003", 1, /*delivered_days_ago=*/31)).ok());
  grpc::Status status = Create(SampleReturn("3003"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(status), "RETURN_WINDOW_CLOSED");
  // The policy row decides the window: a merchant with 60 days accepts it.
  QueryScalar(db_.url(), "UPDATE policies SET return_window_days = 60");
  EXPECT_TRUE(Create(SampleReturn("3003")).ok());
}

TEST_F(ReturnServiceTest, MoreThanBoughtIsRefusedNamingTheField) {
  ASSERT_TRUE(Create(SampleReturn("1001", "L1", 2)).ok());
  grpc::Status status = Create(SampleReturn("1001", "L1", 2));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(status), "RETURN_QUANTITY_EXCEEDED");
  EXPECT_EQ(client::ParseErrorDetails(status).metadata["field"], "lines[0].quantity");
  EXPECT_EQ(client::ParseErrorDetails(status).metadata["returnable_quantity"], "1");
}

TEST_F(ReturnServiceTest, UnknownLineAndBadInputNameTheField) {
  grpc::Status status = Create(SampleReturn("1001", "L9", 1));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Field(status), "lines[0].order_line_id");

  v1::CreateReturnRequest bad = SampleReturn("1001");
  bad.mutable_lines(0)->set_reason(v1::RETURN_REASON_UNSPECIFIED);
  status = Create(bad);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Field(status), "lines[0].reason");

  v1::GetReturnRequest get;
  get.set_return_id("not-a-uuid");
  v1::Return ret;
  status = stubs_.returns->GetReturn(Context().get(), get, &ret);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Field(status), "return_id");

  get.set_return_id("5f0c3a52-8e8b-4a8e-9d7e-3f2b2d0c1a11");
  EXPECT_EQ(stubs_.returns->GetReturn(Context().get(), get, &ret).error_code(),
            grpc::StatusCode::NOT_FOUND);

  v1::CancelReturnRequest cancel;
  cancel.set_return_id("5f0c3a52-8e8b-4a8e-9d7e-3f2b2d0c1a11");
  status = stubs_.returns->CancelReturn(Context().get(), cancel, &ret);
  EXPECT_EQ(Field(status), "request_id");
  cancel.set_request_id("c1");
  EXPECT_EQ(stubs_.returns->CancelReturn(Context().get(), cancel, &ret).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

TEST_F(ReturnServiceTest, CancelTwiceNamesTheCurrentState) {
  v1::Return created, out;
  ASSERT_TRUE(Create(SampleReturn("1001"), &created).ok());
  ASSERT_TRUE(Cancel(created.return_id(), "", &out).ok());
  grpc::Status status = Cancel(created.return_id(), "", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Reason(status), "INVALID_STATE");
  EXPECT_EQ(client::ParseErrorDetails(status).metadata["state"], "CANCELLED");
  EXPECT_NE(status.error_message().find("CANCELLED"), std::string::npos);
}

TEST_F(ReturnServiceTest, StaleEtagIsAborted) {
  v1::Return created, out;
  ASSERT_TRUE(Create(SampleReturn("1001"), &created).ok());
  grpc::Status status = Cancel(created.return_id(), "\"7\"", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(Reason(status), "ETAG_MISMATCH");
}

TEST_F(ReturnServiceTest, ListReturnsPaginatesAndTokensKeepTheirFilters) {
  ASSERT_TRUE(Upsert(SampleOrder("4004", 5)).ok());
  std::set<std::string> created;
  for (int i = 0; i < 5; ++i) {
    v1::Return ret;
    ASSERT_TRUE(Create(SampleReturn("4004", "L1", 1), &ret).ok());
    created.insert(ret.return_id());
  }
  v1::ListReturnsRequest request;
  request.set_order_id("4004");
  request.set_page_size(2);
  std::set<std::string> seen;
  std::string first_token;
  do {
    v1::ListReturnsResponse page;
    ASSERT_TRUE(stubs_.returns->ListReturns(Context().get(), request, &page).ok());
    for (const auto& r : page.returns()) EXPECT_TRUE(seen.insert(r.return_id()).second);
    if (first_token.empty()) first_token = page.next_page_token();
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  EXPECT_EQ(seen, created);

  // A token continues only the list it came from.
  v1::ListReturnsRequest other;
  other.set_order_id("1001");
  other.set_page_token(first_token);
  v1::ListReturnsResponse page;
  grpc::Status status = stubs_.returns->ListReturns(Context().get(), other, &page);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Field(status), "page_token");
}

}  // namespace
}  // namespace returns::testing

namespace returns::testing {
namespace {

TEST_F(ReturnServiceTest, ReceiveRecordsEveryLinesCondition) {
  v1::CreateReturnRequest request = SampleReturn("1001", "L1", 1);
  *request.add_lines() = SampleReturn("1001", "L2", 1).lines(0);
  v1::Return created;
  ASSERT_TRUE(Create(request, &created).ok());
  client::ClientOptions warehouse = options_;
  warehouse.api_key = CreateTestApiKey(db_.url(), merchant_id_, v1::API_KEY_ROLE_CARRIER);
  auto stub = v1::ReturnService::NewStub(client::MakeChannel(warehouse));
  v1::ReceiveReturnRequest receive;
  receive.set_request_id("receive-1");
  receive.set_return_id(created.return_id());
  auto* item = receive.add_items();
  item->set_order_line_id("L1");
  item->set_condition(v1::ITEM_CONDITION_OK);
  v1::Return received;
  grpc::Status status =
      stub->ReceiveReturn(client::MakeContext(warehouse).get(), receive, &received);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);  // L2 has no condition
  EXPECT_EQ(Field(status), "items");
  item = receive.add_items();
  item->set_order_line_id("L2");
  item->set_condition(v1::ITEM_CONDITION_WRONG_ITEM);
  ASSERT_TRUE(stub->ReceiveReturn(client::MakeContext(warehouse).get(), receive, &received).ok());
  EXPECT_EQ(received.state(), v1::RETURN_STATE_RECEIVED);
  EXPECT_EQ(received.lines(0).condition(), v1::ITEM_CONDITION_OK);
  EXPECT_EQ(received.lines(1).condition(), v1::ITEM_CONDITION_WRONG_ITEM);
  // A received return can no longer be cancelled.
  v1::Return out;
  status = Cancel(created.return_id(), "", &out);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(client::ParseErrorDetails(status).metadata["state"], "RECEIVED");
}

}  // namespace
}  // namespace returns::testing
