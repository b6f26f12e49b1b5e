// AIP-155 end to end: replays, reused keys, duplicates in flight on two returnsd processes,
// and replays after a crash and restart.
#include <algorithm>
#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "e2e_fixture.h"

namespace returns::testing {
namespace {

class IdempotencyTest : public E2ETest {
 protected:
  void SetUp() override {
    E2ETest::SetUp();
    ASSERT_TRUE(Upsert(SampleOrder("1001", /*quantity=*/5)).ok());
  }
  std::string Returned() {
    return QueryScalar(db_.url(), "SELECT returned_quantity FROM order_lines WHERE line_id = 'L1'");
  }
};

TEST_F(IdempotencyTest, ReplayReturnsTheOriginalResponse) {
  v1::CreateReturnRequest request = SampleReturn("1001", "L1", 2);
  v1::Return first, second;
  ASSERT_TRUE(Create(request, &first).ok());
  ASSERT_TRUE(Create(request, &second).ok());
  EXPECT_EQ(first.SerializeAsString(), second.SerializeAsString());
  EXPECT_EQ(Returned(), "2");
  EXPECT_NE(server_->logs().find("\"replayed\":true"), std::string::npos);
}

TEST_F(IdempotencyTest, SameRequestIdWithAnotherRequestIsRefused) {
  v1::CreateReturnRequest request = SampleReturn("1001", "L1", 1);
  ASSERT_TRUE(Create(request).ok());
  request.mutable_lines(0)->set_reason(v1::RETURN_REASON_DAMAGED);
  grpc::Status status = Create(request);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(Reason(status), "IDEMPOTENCY_KEY_REUSED");
  EXPECT_EQ(Field(status), "request_id");
  // Keys are per method: the same request_id on another method is a different key.
  v1::UpsertOrderRequest upsert = SampleOrder("2002");
  upsert.set_request_id(request.request_id());
  EXPECT_TRUE(Upsert(upsert).ok());
}

TEST_F(IdempotencyTest, ThirtyTwoConcurrentReturnsOnTwoServersNeverExceedTheQuantity) {
  ServerProcess second(db_.url());
  client::ClientOptions second_options = options_;
  second_options.address = second.address();
  std::atomic<int> ok{0}, exceeded{0}, other{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < 32; ++i) {
    clients.emplace_back([&, i] {
      const client::ClientOptions& target = i % 2 == 0 ? options_ : second_options;
      auto stub = v1::ReturnService::NewStub(client::MakeChannel(target));
      v1::Return ret;
      grpc::Status status = stub->CreateReturn(client::MakeContext(target).get(),
                                               SampleReturn("1001", "L1", 1), &ret);
      if (status.ok())
        ++ok;
      else if (Reason(status) == "RETURN_QUANTITY_EXCEEDED")
        ++exceeded;
      else
        ++other;
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(ok.load(), 5);
  EXPECT_EQ(exceeded.load(), 27);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(Returned(), "5");
  EXPECT_EQ(QueryScalar(db_.url(), "SELECT sum(quantity) FROM return_lines"), "5");
}

TEST_F(IdempotencyTest, OneRequestIdSentThirtyTwoTimesToTwoServersHasOneEffect) {
  ServerProcess second(db_.url());
  client::ClientOptions second_options = options_;
  second_options.address = second.address();
  v1::CreateReturnRequest request = SampleReturn("1001", "L1", 1);
  std::vector<std::string> ids(32);
  std::vector<std::string> failures(32);
  std::atomic<int> retried{0};
  std::vector<std::thread> clients;
  for (int i = 0; i < 32; ++i) {
    clients.emplace_back([&, i] {
      const client::ClientOptions& target = i % 2 == 0 ? options_ : second_options;
      auto stub = v1::ReturnService::NewStub(client::MakeChannel(target));
      // Each client retries what the service calls retryable (the request in flight elsewhere,
      // a busy or slow server), as a storefront does, with the same request_id: every one of
      // them ends with the same return.
      for (int attempt = 0; attempt < 30; ++attempt) {
        v1::Return ret;
        grpc::Status status = stub->CreateReturn(client::MakeContext(target).get(), request, &ret);
        if (status.ok()) {
          ids[i] = ret.return_id();
          failures[i].clear();
          return;
        }
        failures[i] = client::DescribeError(status);
        const grpc::StatusCode code = status.error_code();
        if (code != grpc::StatusCode::ABORTED && code != grpc::StatusCode::UNAVAILABLE &&
            code != grpc::StatusCode::RESOURCE_EXHAUSTED &&
            code != grpc::StatusCode::DEADLINE_EXCEEDED) {
          return;
        }
        ++retried;
        absl::SleepFor(absl::Milliseconds(20 * (attempt + 1)));
      }
    });
  }
  for (auto& t : clients) t.join();
  std::set<std::string> distinct;
  for (int i = 0; i < 32; ++i) {
    EXPECT_FALSE(ids[i].empty()) << "client " << i << ": " << failures[i];
    if (!ids[i].empty()) distinct.insert(ids[i]);
  }
  EXPECT_EQ(distinct.size(), 1u) << retried.load() << " retries";
  EXPECT_EQ(QueryScalar(db_.url(), "SELECT count(*) FROM returns"), "1");
  EXPECT_EQ(Returned(), "1");
}

TEST_F(IdempotencyTest, ReplayAfterACrashAndRestart) {
  v1::CreateReturnRequest request = SampleReturn("1001", "L1", 1);
  v1::Return before, after;
  ASSERT_TRUE(Create(request, &before).ok());
  server_->Kill();  // SIGKILL: no drain, as a crash
  RestartServer();
  ASSERT_TRUE(Create(request, &after).ok());
  EXPECT_EQ(before.SerializeAsString(), after.SerializeAsString());
  EXPECT_EQ(Returned(), "1");
  EXPECT_EQ(QueryScalar(db_.url(), "SELECT count(*) FROM returns"), "1");
}

}  // namespace
}  // namespace returns::testing
