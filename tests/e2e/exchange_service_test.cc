// ExchangeService end to end on the real returnsd: redemption exactly once across two processes,
// a restart between issue and redeem, one error for every unusable token, and the timeline.
#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "e2e_fixture.h"
#include "exchange_fixture.h"
#include "returns/v1/exchange_service.grpc.pb.h"
#include "returns/v1/inventory_service.grpc.pb.h"

namespace returns::testing {
namespace {

class ExchangeServiceTest : public E2ETest {
 protected:
  void SetUp() override {
    E2ETest::SetUp();
    ASSERT_TRUE(Upsert(ExchangeOrder("1001")).ok());
    v1::SetInventoryLevelsResponse levels;
    ASSERT_TRUE(v1::InventoryService::NewStub(client::MakeChannel(options_))
                    ->SetInventoryLevels(Context().get(), ReplacementStock(10), &levels)
                    .ok());
    v1::Return ret;
    ASSERT_TRUE(Create(ExchangeReturn("1001"), &ret).ok());
    return_id_ = ret.return_id();
  }
  std::unique_ptr<v1::ExchangeService::Stub> Stub(const client::ClientOptions& options) {
    return v1::ExchangeService::NewStub(client::MakeChannel(options));
  }
  v1::IssueExchangeTokenResponse IssueToken() {
    v1::IssueExchangeTokenResponse issued;
    grpc::Status status =
        Stub(options_)->IssueExchangeToken(Context().get(), IssueRequest(return_id_), &issued);
    EXPECT_TRUE(status.ok()) << client::DescribeError(status);
    return issued;
  }
  static v1::RedeemExchangeTokenRequest RedeemRequest(const std::string& token) {
    v1::RedeemExchangeTokenRequest request;
    request.set_request_id(client::NewRequestId());
    request.set_token(token);
    return request;
  }
  std::string return_id_;
};

TEST_F(ExchangeServiceTest, TwoProcessesSixtyFourRedeemersOneWinner) {
  const std::string token = IssueToken().token();
  ServerProcess second(db_.url());
  client::ClientOptions on_second = options_;
  on_second.address = second.address();
  std::atomic<int> ok{0}, refused{0}, other{0};
  std::string winner_request_id;
  v1::ExchangeToken winner;
  std::mutex winner_mu;
  std::vector<std::thread> redeemers;
  for (int i = 0; i < 64; ++i) {
    redeemers.emplace_back([&, i] {
      const client::ClientOptions& target = i % 2 == 0 ? options_ : on_second;
      v1::RedeemExchangeTokenRequest request = RedeemRequest(token);
      v1::ExchangeToken out;
      // A redeemer retries what a retry can fix (a busy or slow server), with the same request,
      // as the client library does: the answers are then one win and 63 refusals.
      grpc::Status status;
      for (int attempt = 0; attempt < 30; ++attempt) {
        status =
            Stub(target)->RedeemExchangeToken(client::MakeContext(target).get(), request, &out);
        if (status.ok() || !client::IsRetryable(status)) break;
        absl::SleepFor(absl::Milliseconds(20 * (attempt + 1)));
      }
      if (status.ok()) {
        ++ok;
        std::lock_guard<std::mutex> lock(winner_mu);
        winner_request_id = request.request_id();
        winner = out;
      } else if (Reason(status) == "EXCHANGE_TOKEN_INVALID") {
        ++refused;
      } else {
        ++other;
      }
    });
  }
  for (auto& t : redeemers) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(refused.load(), 63);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(QueryScalar(db_.url(), "SELECT count(*) FROM shipments WHERE direction = 'OUTBOUND'"),
            "1");
  EXPECT_EQ(QueryScalar(db_.url(), "SELECT on_hand || '/' || reserved FROM inventory_levels"),
            "9/0");
  // The winner's retry answers the original success.
  v1::RedeemExchangeTokenRequest replay = RedeemRequest(token);
  replay.set_request_id(winner_request_id);
  v1::ExchangeToken again;
  ASSERT_TRUE(Stub(on_second)
                  ->RedeemExchangeToken(client::MakeContext(on_second).get(), replay, &again)
                  .ok());
  EXPECT_EQ(again.SerializeAsString(), winner.SerializeAsString());
}

TEST_F(ExchangeServiceTest, RestartBetweenIssueAndRedeem) {
  const std::string token = IssueToken().token();
  server_->Kill();
  RestartServer();
  v1::ExchangeToken redeemed;
  grpc::Status status =
      Stub(options_)->RedeemExchangeToken(Context().get(), RedeemRequest(token), &redeemed);
  ASSERT_TRUE(status.ok()) << client::DescribeError(status);
  EXPECT_EQ(redeemed.state(), v1::EXCHANGE_TOKEN_STATE_REDEEMED);
}

TEST_F(ExchangeServiceTest, EveryUnusableTokenGetsTheSameAnswer) {
  const std::string token = IssueToken().token();
  std::string tampered = token;
  tampered[20] = tampered[20] == 'A' ? 'B' : 'A';
  const std::string unknown_key = "xt1.zz9" + token.substr(token.find('.', 4));
  v1::ExchangeToken out;
  ASSERT_TRUE(
      Stub(options_)->RedeemExchangeToken(Context().get(), RedeemRequest(token), &out).ok());
  std::string message;
  for (const std::string& bad :
       {tampered, unknown_key, std::string("garbage"), token /* redeemed */}) {
    grpc::Status status =
        Stub(options_)->RedeemExchangeToken(Context().get(), RedeemRequest(bad), &out);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(Reason(status), "EXCHANGE_TOKEN_INVALID");
    if (!message.empty()) {
      EXPECT_EQ(status.error_message(), message);
    }
    message = status.error_message();
  }
}

TEST_F(ExchangeServiceTest, TokenStepsReachTheTimelineAndTheListsAndNeverTheLogs) {
  v1::IssueExchangeTokenResponse issued = IssueToken();
  v1::ExchangeToken redeemed;
  ASSERT_TRUE(Stub(options_)
                  ->RedeemExchangeToken(Context().get(), RedeemRequest(issued.token()), &redeemed)
                  .ok());
  v1::GetTimelineRequest request;
  request.set_order_id("1001");
  v1::GetTimelineResponse timeline;
  ASSERT_TRUE(stubs_.timeline->GetTimeline(Context().get(), request, &timeline).ok());
  std::vector<std::string> types;
  for (const auto& e : timeline.events()) types.push_back(e.event_type());
  EXPECT_EQ(types,
            (std::vector<std::string>{"order.created", "return.requested", "exchange_token.issued",
                                      "exchange_token.redeemed", "shipment.requested"}));
  v1::ListExchangeTokensRequest list;
  list.set_return_id(return_id_);
  list.set_state(v1::EXCHANGE_TOKEN_STATE_REDEEMED);
  v1::ListExchangeTokensResponse tokens;
  ASSERT_TRUE(Stub(options_)->ListExchangeTokens(Context().get(), list, &tokens).ok());
  ASSERT_EQ(tokens.exchange_tokens_size(), 1);
  EXPECT_EQ(tokens.exchange_tokens(0).exchange_token_id(), redeemed.exchange_token_id());
  ASSERT_EQ(server_->Terminate(), 0);
  EXPECT_EQ(server_->logs().find(issued.token().substr(10)), std::string::npos);
}

}  // namespace
}  // namespace returns::testing
