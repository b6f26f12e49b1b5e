// The risk score in use: kept with each return, shown with its factors, an input of the
// approval Decision; the policy's thresholds send a risky return to a person and refuse it an
// instant exchange.
#include "absl/strings/match.h"
#include "app_fixture.h"
#include "domain/errors.h"
#include "domain/exchange_token_codec.h"
#include "exchange_fixture.h"
#include "integrations/integrations.h"
#include "sample_orders.h"

namespace returns::testing {
namespace {

class RiskTest : public AppTest {
 protected:
  RiskTest() {
    app_.integrations = &integrations_;  // the sandbox carrier, for approvals
    app_.token_codec = codec_.get();     // exchange tokens
  }
  const integrations::Integrations integrations_ = integrations::SandboxIntegrations();
  const std::unique_ptr<ExchangeTokenCodec> codec_ = std::make_unique<ExchangeTokenCodec>(
      *ExchangeTokenCodec::Create({{"t1", std::string(32, 'k')}}));
  v1::Return Return(const std::string& order_id, const std::string& line, int quantity) {
    auto call = Call("return-" + order_id + line);
    v1::Return ret;
    const absl::Status status =
        app::CreateReturn(app_, call, SampleReturn(order_id, line, quantity), &ret);
    EXPECT_TRUE(status.ok()) << status;
    return ret;
  }
  void Order(const std::string& order_id) {
    auto call = Call("order-" + order_id);
    v1::Order order;
    ASSERT_TRUE(app::UpsertOrder(app_, call, SampleOrder(order_id, 2, 3), &order).ok());
  }
};

TEST_F(RiskTest, AReturnKeepsItsScoreAndAFrequentReturnerScoresHigher) {
  Scalar("UPDATE policies SET risk_review_threshold_milli = 999");  // the score is in use
  Order("1001");
  const v1::Return first = Return("1001", "L2", 1);
  ASSERT_TRUE(first.has_risk());
  EXPECT_EQ(first.risk().model_version(), "risk/1");
  EXPECT_EQ(first.risk().factors_size(), 5);
  // The same customer returns everything of two more orders.
  Order("1002");
  Return("1002", "L1", 2);
  Return("1002", "L2", 1);
  Order("1003");
  const v1::Return later = Return("1003", "L1", 2);
  EXPECT_GT(later.risk().score_milli(), first.risk().score_milli());
  EXPECT_EQ(later.risk().factors(0).factor(), "return_rate");
  // GetReturn shows the score it was created with.
  v1::GetReturnRequest get;
  get.set_return_id(later.return_id());
  v1::Return read;
  ASSERT_TRUE(app::GetReturn(app_, Call(), get, &read).ok());
  EXPECT_EQ(read.risk().score_milli(), later.risk().score_milli());
  // With every threshold off (the default), nothing is scored: CreateReturn skips the read.
  Scalar("UPDATE policies SET risk_review_threshold_milli = 1000");
  Order("1004");
  EXPECT_FALSE(Return("1004", "L1", 1).has_risk());
}

TEST_F(RiskTest, TheReviewThresholdSendsARiskyReturnToAPersonWithItsReason) {
  Scalar("UPDATE policies SET auto_approve_max_minor = 1000000, risk_review_threshold_milli = 1");
  Order("2001");
  const v1::Return ret = Return("2001", "L1", 1);
  EXPECT_EQ(ret.state(), v1::RETURN_STATE_REQUESTED);
  const std::string reasons =
      Scalar("SELECT reasons::text FROM decisions WHERE kind = 'return_approval'");
  EXPECT_TRUE(absl::StrContains(reasons, "above the review threshold 1")) << reasons;
  EXPECT_EQ(Scalar("SELECT score_milli FROM decisions WHERE kind = 'return_approval'"),
            std::to_string(ret.risk().score_milli()));
  EXPECT_EQ(
      Scalar(
          "SELECT inputs->'risk'->>'model_version' FROM decisions WHERE kind = 'return_approval'"),
      "risk/1");
  // Off (1000): approved within the value limit.
  Scalar("UPDATE policies SET risk_review_threshold_milli = 1000");
  EXPECT_EQ(Return("2001", "L2", 1).state(), v1::RETURN_STATE_APPROVED);
}

TEST_F(RiskTest, AboveTheInstantExchangeLimitNoTokenIsIssued) {
  Scalar(absl::StrCat(
      "INSERT INTO inventory_levels (merchant_id, sku, on_hand, currency_code, unit_price_minor) "
      "VALUES ('",
      merchant_id_, "', 'TEE-BLUE-M', 10, 'EUR', 2500) RETURNING 1"));
  Scalar("UPDATE policies SET risk_instant_exchange_max_milli = 1");
  auto call = Call("order-x");
  v1::Order order;
  ASSERT_TRUE(app::UpsertOrder(app_, call, ExchangeOrder("3001"), &order).ok());
  call = Call("return-x");
  v1::Return ret;
  ASSERT_TRUE(app::CreateReturn(app_, call, ExchangeReturn("3001"), &ret).ok());
  call = Call("issue-x");
  v1::IssueExchangeTokenResponse issued;
  const absl::Status refused =
      app::IssueExchangeToken(app_, call, IssueRequest(ret.return_id()), &issued);
  EXPECT_EQ(ReasonOf(refused), "RISK_TOO_HIGH") << refused;
  EXPECT_EQ(Scalar("SELECT count(*) FROM exchange_tokens"), "0");
  Scalar("UPDATE policies SET risk_instant_exchange_max_milli = 1000");
  call = Call("issue-y");
  EXPECT_TRUE(app::IssueExchangeToken(app_, call, IssueRequest(ret.return_id()), &issued).ok());
}

}  // namespace
}  // namespace returns::testing
