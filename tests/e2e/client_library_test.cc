// The C++ client library (client/returns_facade.h) against the real server: a mutation's
// request_id is drawn once and reused on every retry; retries cross a frozen server (the first
// attempt committed late, the retry answered with its stored response) and a returnsd restart on
// the same address, with exactly one effect; errors arrive with their reason and field; codes a
// retry cannot fix are not retried.
#include <signal.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <unistd.h>

#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client/returns_facade.h"
#include "e2e_fixture.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "sample_orders.h"

namespace returns::testing {
namespace {

using client::CallResult;
using client::ReturnsClient;

class ClientLibraryTest : public E2ETest {
 protected:
  // returnsd on a fixed port of this machine (so it can come back on the same address).
  void StartOnFixedPort() {
    ServerProcess probe(db_.url());
    port_ = probe.port();
    probe.Kill();
    fixed_ =
        std::make_unique<ServerProcess>(db_.url(), std::vector<std::string>{"--listen", Address()});
  }
  std::string Address() const { return absl::StrCat("127.0.0.1:", port_); }
  client::ClientOptions Options(absl::Duration timeout) const {
    client::ClientOptions options = options_;
    options.address = Address();
    options.timeout = timeout;
    return options;
  }

  int port_ = 0;
  std::unique_ptr<ServerProcess> fixed_;
};

TEST_F(ClientLibraryTest, ErrorsComeWithTheirReasonAndFieldAndAreNotRetried) {
  ReturnsClient client(options_);
  v1::CreateReturnRequest bad = SampleReturn("nope", "L1", 1);
  bad.mutable_lines(0)->set_quantity(0);
  v1::Return ret;
  CallResult result =
      client.Call(client.returns(), &v1::ReturnService::Stub::CreateReturn, bad, &ret);
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(result.error.field, "lines[0].quantity");
  EXPECT_FALSE(result.error.reason.empty());
  EXPECT_EQ(result.attempts, 1);            // not a code a retry can fix
  EXPECT_FALSE(result.request_id.empty());  // drawn for the caller
}

TEST_F(ClientLibraryTest, AStaleEtagIsNotRetried) {
  client::ClientOptions admin = options_;
  admin.api_key = admin_key_;
  ReturnsClient client(admin);
  v1::Policy current;
  ASSERT_TRUE(client
                  .Call(client.policies(), &v1::PolicyService::Stub::GetPolicy,
                        v1::GetPolicyRequest(), &current)
                  .status.ok());
  v1::UpdatePolicyRequest first;
  first.mutable_policy()->set_return_window_days(45);
  first.mutable_policy()->set_etag(current.etag());
  first.mutable_update_mask()->add_paths("return_window_days");
  v1::Policy updated;
  ASSERT_TRUE(
      client.Call(client.policies(), &v1::PolicyService::Stub::UpdatePolicy, first, &updated)
          .status.ok());

  // The same etag again is stale now: a retry would fail the same way, so there is none.
  v1::UpdatePolicyRequest stale = first;
  stale.clear_request_id();
  stale.mutable_policy()->set_return_window_days(50);
  CallResult result =
      client.Call(client.policies(), &v1::PolicyService::Stub::UpdatePolicy, stale, &updated);
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(result.error.reason, "ETAG_MISMATCH");
  EXPECT_EQ(result.attempts, 1);
}

TEST_F(ClientLibraryTest, OnlyWhatARetryCanFixIsRetryable) {
  auto with_reason = [](grpc::StatusCode code, const std::string& why) {
    google::rpc::Status rich;
    rich.set_code(static_cast<int>(code));
    google::rpc::ErrorInfo info;
    info.set_reason(why);
    rich.add_details()->PackFrom(info);
    return grpc::Status(code, "x", rich.SerializeAsString());
  };
  EXPECT_TRUE(client::IsRetryable(grpc::Status(grpc::StatusCode::UNAVAILABLE, "down")));
  EXPECT_TRUE(client::IsRetryable(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "slow")));
  EXPECT_TRUE(client::IsRetryable(with_reason(grpc::StatusCode::ABORTED, "CONCURRENT_UPDATE")));
  EXPECT_TRUE(client::IsRetryable(with_reason(grpc::StatusCode::ABORTED, "REQUEST_IN_PROGRESS")));
  EXPECT_TRUE(
      client::IsRetryable(with_reason(grpc::StatusCode::RESOURCE_EXHAUSTED, "SERVER_BUSY")));
  EXPECT_TRUE(
      client::IsRetryable(with_reason(grpc::StatusCode::RESOURCE_EXHAUSTED, "RATE_LIMITED")));
  EXPECT_FALSE(client::IsRetryable(with_reason(grpc::StatusCode::ABORTED, "ETAG_MISMATCH")));
  EXPECT_FALSE(client::IsRetryable(
      with_reason(grpc::StatusCode::RESOURCE_EXHAUSTED, "EVIDENCE_QUOTA_EXCEEDED")));
  EXPECT_FALSE(
      client::IsRetryable(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "message too large")));
  EXPECT_FALSE(client::IsRetryable(grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "no")));
}

TEST_F(ClientLibraryTest, ARetryAcrossAFrozenAndARestartedServerHasExactlyOneEffect) {
  StartOnFixedPort();
  // Attempts enough for a restart under the sanitizers on a loaded machine (about a minute at
  // most): a retry budget shorter than the outage would fail the test, not the library.
  ReturnsClient client(Options(absl::Milliseconds(700)),
                       client::RetryPolicy{60, absl::Milliseconds(100), absl::Seconds(1)});
  v1::Order order;
  ASSERT_TRUE(client
                  .Call(client.orders(), &v1::OrderService::Stub::UpsertOrder,
                        SampleOrder("cl-1", 5), &order)
                  .ok());

  // 1. The server freezes with the call in flight and thaws later: the first attempt times out
  // but commits when the server wakes; the retry, with the same request_id, gets the stored answer.
  v1::CreateReturnRequest request = SampleReturn("cl-1", "L1", 1);
  request.clear_request_id();  // the library draws it
  fixed_->Signal(SIGSTOP);
  std::thread thaw([&] {
    absl::SleepFor(absl::Milliseconds(1200));
    fixed_->Signal(SIGCONT);
  });
  v1::Return first;
  CallResult result =
      client.Call(client.returns(), &v1::ReturnService::Stub::CreateReturn, request, &first);
  thaw.join();
  ASSERT_TRUE(result.ok()) << client::DescribeError(result.status);
  EXPECT_GE(result.attempts, 2);
  EXPECT_EQ(QueryScalar(db_.url(), "SELECT count(*) FROM returns WHERE order_id = 'cl-1'"), "1");
  EXPECT_EQ(QueryScalar(db_.url(),
                        absl::StrCat("SELECT count(*) FROM idempotency_keys WHERE request_id = '",
                                     result.request_id, "'")),
            "1");

  // 2. The server is killed and comes back on the same address a moment later: the next
  // logical operation is retried through the outage and acts once.
  fixed_->Kill();
  std::thread restart([&] {
    absl::SleepFor(absl::Milliseconds(1500));
    fixed_ =
        std::make_unique<ServerProcess>(db_.url(), std::vector<std::string>{"--listen", Address()});
  });
  v1::CreateReturnRequest second_request = SampleReturn("cl-1", "L1", 1);
  second_request.clear_request_id();
  v1::Return second;
  result = client.Call(client.returns(), &v1::ReturnService::Stub::CreateReturn, second_request,
                       &second);
  restart.join();
  ASSERT_TRUE(result.ok()) << client::DescribeError(result.status);
  EXPECT_GE(result.attempts, 2);
  EXPECT_NE(second.return_id(), first.return_id());
  EXPECT_EQ(QueryScalar(db_.url(), "SELECT count(*) FROM returns WHERE order_id = 'cl-1'"), "2");
  // A later retry of the same logical operation (the caller keeps the request_id) is a replay.
  second_request.set_request_id(result.request_id);
  v1::Return again;
  ASSERT_TRUE(
      client.Call(client.returns(), &v1::ReturnService::Stub::CreateReturn, second_request, &again)
          .ok());
  EXPECT_EQ(again.return_id(), second.return_id());
  EXPECT_EQ(QueryScalar(db_.url(), "SELECT count(*) FROM returns WHERE order_id = 'cl-1'"), "2");
}

}  // namespace
}  // namespace returns::testing
