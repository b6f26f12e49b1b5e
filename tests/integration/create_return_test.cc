// CreateReturn and CancelReturn as use cases on real PostgreSQL: rules, idempotency, the
// timeline/outbox rows written with the change, and quantities under concurrency.
#include <atomic>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "app/use_cases.h"
#include "app_fixture.h"
#include "domain/errors.h"
#include "sample_orders.h"

namespace returns::testing {
namespace {

class CreateReturnTest : public AppTest {
 protected:
  void SetUp() override {
    auto call = Call("order-sync");
    v1::Order order;
    ASSERT_TRUE(app::UpsertOrder(app_, call, SampleOrder("1001", /*quantity=*/5), &order).ok());
  }
  std::string Returned(const std::string& line = "L1") {
    return Scalar("SELECT returned_quantity FROM order_lines WHERE line_id = '" + line + "'");
  }
};

TEST_F(CreateReturnTest, CountsTheQuantityAndWritesTimelineAndOutboxTogether) {
  auto call = Call("r1");
  v1::Return ret;
  ASSERT_TRUE(app::CreateReturn(app_, call, SampleReturn("1001", "L1", 2), &ret).ok());
  EXPECT_EQ(ret.state(), v1::RETURN_STATE_REQUESTED);
  EXPECT_EQ(Returned(), "2");
  EXPECT_EQ(Scalar("SELECT count(*) FROM timeline_events WHERE event_type = 'return.requested' "
                   "AND resource_id = '" +
                   ret.return_id() + "'"),
            "1");
  EXPECT_EQ(Scalar("SELECT count(*) FROM outbox_events WHERE type = 'return.requested' "
                   "AND aggregateid = '" +
                   ret.return_id() + "'"),
            "1");
  // The outbox payload is the resource as the API shows it.
  EXPECT_EQ(
      Scalar("SELECT payload->>'return_id' FROM outbox_events WHERE type = 'return.requested'"),
      ret.return_id());
  // Sequences are per merchant and gap-free: order.created is 1, return.requested is 2.
  EXPECT_EQ(Scalar("SELECT string_agg(sequence::text, ',' ORDER BY sequence) FROM outbox_events"),
            "1,2");
}

TEST_F(CreateReturnTest, ReplayAnswersTheOriginalWithoutASecondEffect) {
  v1::CreateReturnRequest request = SampleReturn("1001", "L1", 1);
  auto first_call = Call(request.request_id());
  v1::Return first, second;
  ASSERT_TRUE(app::CreateReturn(app_, first_call, request, &first).ok());
  auto second_call = Call(request.request_id());
  ASSERT_TRUE(app::CreateReturn(app_, second_call, request, &second).ok());
  EXPECT_TRUE(second_call.replayed);
  EXPECT_EQ(first.SerializeAsString(), second.SerializeAsString());
  EXPECT_EQ(Returned(), "1");
  EXPECT_EQ(Scalar("SELECT count(*) FROM returns"), "1");
  EXPECT_EQ(Scalar("SELECT count(*) FROM outbox_events WHERE type = 'return.requested'"), "1");
}

TEST_F(CreateReturnTest, ExpiredRequestIdsArePurgedAndOnlyThose) {
  v1::CreateReturnRequest request = SampleReturn("1001", "L1", 1);
  auto call = Call(request.request_id());
  v1::Return ret;
  ASSERT_TRUE(app::CreateReturn(app_, call, request, &ret).ok());
  // The replay window is judged by the database's clock: 23 hours pass, then 2 more.
  Scalar("UPDATE idempotency_keys SET expire_time = expire_time - interval '23 hours'");
  EXPECT_EQ(*app::PurgeExpiredRequestIds(app_), 0);
  EXPECT_EQ(Scalar("SELECT count(*) FROM idempotency_keys"), "2");  // the order sync's and ours
  Scalar("UPDATE idempotency_keys SET expire_time = expire_time - interval '2 hours'");
  EXPECT_EQ(*app::PurgeExpiredRequestIds(app_), 2);
  EXPECT_EQ(Scalar("SELECT count(*) FROM idempotency_keys"), "0");
}

TEST_F(CreateReturnTest, SameKeyWithAnotherRequestIsRefused) {
  v1::CreateReturnRequest request = SampleReturn("1001", "L1", 1);
  auto call = Call(request.request_id());
  v1::Return ret;
  ASSERT_TRUE(app::CreateReturn(app_, call, request, &ret).ok());
  request.mutable_lines(0)->set_quantity(2);
  auto again = Call(request.request_id());
  absl::Status status = app::CreateReturn(app_, again, request, &ret);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReasonOf(status), "IDEMPOTENCY_KEY_REUSED");
  EXPECT_EQ(FieldOf(status), "request_id");
  EXPECT_EQ(Returned(), "1");
}

TEST_F(CreateReturnTest, RejectedRequestsStoreNothing) {
  v1::CreateReturnRequest request = SampleReturn("1001", "L1", 6);  // only 5 bought
  auto call = Call(request.request_id());
  v1::Return ret;
  absl::Status status = app::CreateReturn(app_, call, request, &ret);
  EXPECT_EQ(ReasonOf(status), "RETURN_QUANTITY_EXCEEDED");
  EXPECT_EQ(Scalar("SELECT count(*) FROM idempotency_keys WHERE method = 'CreateReturn'"), "0");
  EXPECT_EQ(Scalar("SELECT count(*) FROM returns"), "0");
  // A corrected retry with the same request_id is evaluated afresh.
  request.mutable_lines(0)->set_quantity(5);
  auto retry = Call(request.request_id());
  EXPECT_TRUE(app::CreateReturn(app_, retry, request, &ret).ok());
}

TEST_F(CreateReturnTest, ConcurrentDuplicatesHaveOneEffect) {
  v1::CreateReturnRequest request = SampleReturn("1001", "L1", 1);
  std::vector<std::thread> threads;
  std::vector<std::string> ids(16);
  std::atomic<int> ok{0};
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&, i] {
      auto call = Call(request.request_id());
      v1::Return ret;
      if (app::CreateReturn(app_, call, request, &ret).ok()) {
        ids[i] = ret.return_id();
        ++ok;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 16);  // late duplicates wait for the first and get its answer
  for (const auto& id : ids) EXPECT_EQ(id, ids[0]);
  EXPECT_EQ(Scalar("SELECT count(*) FROM returns"), "1");
  EXPECT_EQ(Returned(), "1");
}

TEST_F(CreateReturnTest, ConcurrentReturnsNeverExceedTheBoughtQuantity) {
  std::atomic<int> ok{0}, exceeded{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 24; ++i) {
    threads.emplace_back([&] {
      v1::CreateReturnRequest request = SampleReturn("1001", "L1", 1);
      auto call = Call(request.request_id());
      v1::Return ret;
      absl::Status status = app::CreateReturn(app_, call, request, &ret);
      if (status.ok())
        ++ok;
      else if (ReasonOf(status) == "RETURN_QUANTITY_EXCEEDED")
        ++exceeded;
      else
        ++other;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 5);
  EXPECT_EQ(exceeded.load(), 19);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(Returned(), "5");
  EXPECT_EQ(Scalar("SELECT sum(quantity) FROM return_lines"), "5");
}

TEST_F(CreateReturnTest, CancelGivesTheQuantityBackOnce) {
  v1::CreateReturnRequest request = SampleReturn("1001", "L1", 5);
  auto call = Call(request.request_id());
  v1::Return ret;
  ASSERT_TRUE(app::CreateReturn(app_, call, request, &ret).ok());
  EXPECT_EQ(Returned(), "5");

  v1::CancelReturnRequest cancel;
  cancel.set_request_id("cancel-1");
  cancel.set_return_id(ret.return_id());
  cancel.set_reason("customer kept it");
  auto cancel_call = Call(cancel.request_id());
  v1::Return cancelled;
  ASSERT_TRUE(app::CancelReturn(app_, cancel_call, cancel, &cancelled).ok());
  EXPECT_EQ(cancelled.state(), v1::RETURN_STATE_CANCELLED);
  EXPECT_EQ(cancelled.cancel_reason(), "customer kept it");
  EXPECT_EQ(Returned(), "0");

  // The replay answers the same; a new cancel names the current state.
  auto replay_call = Call(cancel.request_id());
  ASSERT_TRUE(app::CancelReturn(app_, replay_call, cancel, &cancelled).ok());
  EXPECT_TRUE(replay_call.replayed);
  EXPECT_EQ(Returned(), "0");
  cancel.set_request_id("cancel-2");
  auto again_call = Call(cancel.request_id());
  absl::Status again = app::CancelReturn(app_, again_call, cancel, &cancelled);
  EXPECT_EQ(again.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(MetadataOf(again)["state"], "CANCELLED");
  EXPECT_EQ(Returned(), "0");
}

}  // namespace
}  // namespace returns::testing
