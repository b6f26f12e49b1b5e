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
    fixed_ = std::make_unique<ServerProcess>(db_.url(), std::vector<std::string>{"--listen", Address()});
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
  CallResult result = client.Call(client.returns(), &v1::ReturnService::Stub::CreateReturn, bad, &ret);
  EXPECT_EQ(result.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(result.error.field, "lines[0].quantity");
  EXPECT_FALSE(result.error.reason.empty());
  EXPECT_EQ(result.attempts, 1);  // not a code a retry can fix
  EXPECT_FALSE(result.request_id.empty());  // drawn for the caller
}

TEST_F(ClientLibraryTest, ARetryAcrossAFrozenAndARestartedServerHasExactlyOneEffect) {
  StartOnFixedPort();
  ReturnsClient client(Options(absl::Milliseconds(700)), client::RetryPolicy{20, absl::Milliseconds(100), absl::Seconds(1)});
  v1::Order order;
  ASSERT_TRUE(client.Call(client.orders(), &v1::OrderService::Stub::UpsertOrder, SampleOrder("cl-1", 5), &order).ok());

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
  CallResult result = client.Call(client.returns(), &v1::ReturnService::Stub::CreateReturn, request, &first);
  thaw.join();
  ASSERT_TRUE(result.ok()) << client::DescribeError(result.status);
  EXPECT_GE(result.attempts, 2);
  EXPECT_EQ(QueryScalar(db_.url(), "SELECT count(*) FROM returns WHERE order_id = 'cl-1'"), "1");
  EXPECT_EQ(QueryScalar(db_.url(), absl::StrCat("SELECT count(*) FROM idempotency_keys WHERE request_id = '",
                                                result.request_id, "'")),
            "1");

  // 2. The server is killed and comes back on the same address a moment later: the next
  // logical operation is retried through the outage and acts once.
  fixed_->Kill();
  std::thread restart([&] {
    absl::SleepFor(absl::Milliseconds(1500));
    fixed_ = std::make_unique<ServerProcess>(db_.url(), std::vector<std::string>{"--listen", Address()});
  });
  v1::CreateReturnRequest second_request = SampleReturn("cl-1", "L1", 1);
  second_request.clear_request_id();
  v1::Return second;
  result = client.Call(client.returns(), &v1::ReturnService::Stub::CreateReturn, second_request, &second);
  restart.join();
  ASSERT_TRUE(result.ok()) << client::DescribeError(result.status);
  EXPECT_GE(result.attempts, 2);
  EXPECT_NE(second.return_id(), first.return_id());
  EXPECT_EQ(QueryScalar(db_.url(), "SELECT count(*) FROM returns WHERE order_id = 'cl-1'"), "2");
  // A later retry of the same logical operation (the caller keeps the request_id) is a replay.
  second_request.set_request_id(result.request_id);
  v1::Return again;
  ASSERT_TRUE(client.Call(client.returns(), &v1::ReturnService::Stub::CreateReturn, second_request, &again).ok());
  EXPECT_EQ(again.return_id(), second.return_id());
  EXPECT_EQ(QueryScalar(db_.url(), "SELECT count(*) FROM returns WHERE order_id = 'cl-1'"), "2");
}

}  // namespace
}  // namespace returns::testing
