// Exchange tokens as use cases on real PostgreSQL, with a clock the test moves: issue, stock
// reservation, price difference, expiry, charge-due, revocation, policy, and concurrency.
#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "absl/synchronization/mutex.h"
#include "app/exchange_tokens/move_exchange_token.h"
#include "app/use_cases.h"
#include "storage/transaction.h"
#include "app_fixture.h"
#include "domain/errors.h"
#include "client/returns_client.h"
#include "exchange_fixture.h"
#include "exchange_token_fixture.h"

namespace returns::testing {
namespace {

TEST_F(ExchangeTokenTest, IssueReservesStockStatesThePriceAndStoresOnlyAHash) {
  const std::string return_id = Prepare(1, 10);
  v1::IssueExchangeTokenResponse issued;
  ASSERT_TRUE(Issue(IssueRequest(return_id), &issued).ok());
  const v1::ExchangeToken& token = issued.exchange_token();
  EXPECT_EQ(token.state(), v1::EXCHANGE_TOKEN_STATE_ISSUED);
  EXPECT_EQ(token.upsell_amount_due().amount_minor(), 500);  // 30.00 replaces 25.00
  EXPECT_EQ(token.downsell_credit().amount_minor(), 0);
  EXPECT_EQ(token.charge_amount().amount_minor(), 3000);
  // Fourteen days from the database's now() (the same machine's clock here).
  EXPECT_NEAR(token.expire_time().seconds(),
              absl::ToUnixSeconds(absl::Now() + absl::Hours(24 * 14)), 5);
  EXPECT_TRUE(codec_->Verify(issued.token()));
  EXPECT_EQ(Stock("reserved"), "1");
  EXPECT_EQ(Scalar("SELECT count(*) FROM exchange_tokens WHERE token_hash = '" +
                   ExchangeTokenCodec::Hash(issued.token()) + "'"),
            "1");
  EXPECT_EQ(Scalar("SELECT count(*) FROM idempotency_keys WHERE position('" +
                   issued.token().substr(10, 30) + "' in encode(response, 'escape')) > 0"),
            "0");
  EXPECT_EQ(Scalar("SELECT outcome FROM decisions WHERE kind = 'instant_exchange'"), "APPROVED");
  EXPECT_EQ(Scalar("SELECT count(*) FROM outbox_events WHERE type = 'exchange_token.issued'"), "1");
  // A second token for the same line is refused while the first lives.
  v1::IssueExchangeTokenResponse again;
  EXPECT_EQ(ReasonOf(Issue(IssueRequest(return_id), &again)), "EXCHANGE_TOKEN_EXISTS");
}

TEST_F(ExchangeTokenTest, TokenRequestIdsAnswerForTheTokensWholeLife) {
  const std::string return_id = Prepare(1, 10);
  v1::IssueExchangeTokenResponse issued;
  ASSERT_TRUE(Issue(IssueRequest(return_id), &issued).ok());
  v1::ExchangeToken redeemed;
  ASSERT_TRUE(Redeem(issued.token(), &redeemed).ok());
  // Orders and returns keep their keys 24 hours; token methods for the token's whole life.
  EXPECT_EQ(
      Scalar("SELECT bool_and(expire_time < now() + interval '25 hours') FROM idempotency_keys "
             "WHERE method IN ('UpsertOrder', 'CreateReturn', 'SetInventoryLevels')"),
      "t");
  EXPECT_EQ(
      Scalar("SELECT bool_and(expire_time > now() + interval '700 days') FROM idempotency_keys "
             "WHERE method IN ('IssueExchangeToken', 'RedeemExchangeToken')"),
      "t");
  EXPECT_EQ(Scalar("SELECT count(*) FROM idempotency_keys WHERE method IN ('IssueExchangeToken', "
                   "'RedeemExchangeToken')"),
            "2");
}

TEST_F(ExchangeTokenTest, ExpiryReleasesTheReservationOnce) {
  const std::string return_id = Prepare(1, 10);
  v1::IssueExchangeTokenResponse issued;
  ASSERT_TRUE(Issue(IssueRequest(return_id), &issued).ok());
  Advance(absl::Hours(24 * 14) - absl::Minutes(1));
  EXPECT_EQ(Sweep()->expired, 0);
  Advance(absl::Minutes(2));
  EXPECT_EQ(Sweep()->expired, 1);
  EXPECT_EQ(Sweep()->expired, 0);  // never twice
  EXPECT_EQ(Stock("reserved"), "0");
  EXPECT_EQ(Stock("on_hand"), "10");
  v1::ExchangeToken redeemed;
  EXPECT_EQ(ReasonOf(Redeem(issued.token(), &redeemed)), "EXCHANGE_TOKEN_INVALID");
  // A new token may be issued for the line once the old one expired.
  v1::IssueExchangeTokenResponse next;
  EXPECT_TRUE(Issue(IssueRequest(return_id), &next).ok());
}

TEST_F(ExchangeTokenTest, AnExpiredButUnsweptTokenIsNotRedeemable) {
  const std::string return_id = Prepare(1, 10);
  v1::IssueExchangeTokenResponse issued;
  ASSERT_TRUE(Issue(IssueRequest(return_id), &issued).ok());
  Advance(absl::Hours(24 * 15));
  v1::ExchangeToken out;
  EXPECT_EQ(ReasonOf(Redeem(issued.token(), &out)), "EXCHANGE_TOKEN_INVALID");
}

TEST_F(ExchangeTokenTest, ChargeDueOnlyOnceTheReplacementShipped) {
  const std::string return_id = Prepare(1, 10);
  v1::IssueExchangeTokenResponse issued;
  ASSERT_TRUE(Issue(IssueRequest(return_id), &issued).ok());
  v1::ExchangeToken redeemed;
  ASSERT_TRUE(Redeem(issued.token(), &redeemed).ok());
  EXPECT_EQ(redeemed.state(), v1::EXCHANGE_TOKEN_STATE_REDEEMED);
  EXPECT_EQ(Stock("reserved"), "0");
  EXPECT_EQ(Stock("on_hand"), "9");
  EXPECT_EQ(Scalar("SELECT state FROM shipments WHERE direction = 'OUTBOUND'"), "REQUESTED");

  Advance(absl::Hours(24 * 15));                           // past the 14-day charge window
  EXPECT_EQ(Sweep()->charge_due, 0);                       // replacement not shipped
  Scalar("UPDATE shipments SET state = 'LABEL_CREATED'");  // the warehouse shipped it
  EXPECT_EQ(Sweep()->charge_due, 1);
  EXPECT_EQ(Sweep()->charge_due, 0);
  EXPECT_EQ(Scalar("SELECT state FROM exchange_tokens"), "CHARGE_DUE");
  EXPECT_EQ(Scalar("SELECT payload->'charge_amount'->>'amount_minor' FROM outbox_events "
                   "WHERE type = 'exchange_token.charge_due'"),
            "3000");

  v1::ExchangeToken charged;
  ASSERT_TRUE(
      ReportOutcome(redeemed.exchange_token_id(), v1::CHARGE_OUTCOME_CHARGED, "charge-1", &charged)
          .ok());
  EXPECT_EQ(charged.state(), v1::EXCHANGE_TOKEN_STATE_CHARGED);
  EXPECT_EQ(MetadataOf(ReportOutcome(redeemed.exchange_token_id(), v1::CHARGE_OUTCOME_CHARGED,
                                     "charge-2", &charged))["state"],
            "CHARGED");
}

TEST_F(ExchangeTokenTest, RevokeReleasesAndIsFinal) {
  const std::string return_id = Prepare(1, 10);
  v1::IssueExchangeTokenResponse issued;
  ASSERT_TRUE(Issue(IssueRequest(return_id), &issued).ok());
  v1::RevokeExchangeTokenRequest revoke;
  revoke.set_request_id("revoke-1");
  revoke.set_exchange_token_id(issued.exchange_token().exchange_token_id());
  auto call = Call("revoke-1");
  v1::ExchangeToken revoked;
  ASSERT_TRUE(app::RevokeExchangeToken(app_, call, revoke, &revoked).ok());
  EXPECT_EQ(revoked.state(), v1::EXCHANGE_TOKEN_STATE_REVOKED);
  EXPECT_EQ(Stock("reserved"), "0");
  v1::ExchangeToken out;
  EXPECT_EQ(ReasonOf(Redeem(issued.token(), &out)), "EXCHANGE_TOKEN_INVALID");
  revoke.set_request_id("revoke-2");
  auto again = Call("revoke-2");
  EXPECT_EQ(MetadataOf(app::RevokeExchangeToken(app_, again, revoke, &out))["state"], "REVOKED");
}

TEST_F(ExchangeTokenTest, CancellingTheReturnRevokesItsTokenButNotARedeemedOne) {
  const std::string return_id = Prepare(1, 10);
  v1::IssueExchangeTokenResponse issued;
  ASSERT_TRUE(Issue(IssueRequest(return_id), &issued).ok());
  v1::CancelReturnRequest cancel;
  cancel.set_request_id("cancel-1");
  cancel.set_return_id(return_id);
  auto call = Call("cancel-1");
  v1::Return cancelled;
  ASSERT_TRUE(app::CancelReturn(app_, call, cancel, &cancelled).ok());
  EXPECT_EQ(Scalar("SELECT state FROM exchange_tokens"), "REVOKED");
  EXPECT_EQ(Stock("reserved"), "0");
  v1::ExchangeToken out;
  EXPECT_EQ(ReasonOf(Redeem(issued.token(), &out)), "EXCHANGE_TOKEN_INVALID");
}

TEST_F(ExchangeTokenTest, ARedeemedExchangeBlocksCancellingTheReturn) {
  const std::string return_id = Prepare(1, 10);
  v1::IssueExchangeTokenResponse issued;
  ASSERT_TRUE(Issue(IssueRequest(return_id), &issued).ok());
  v1::ExchangeToken redeemed;
  ASSERT_TRUE(Redeem(issued.token(), &redeemed).ok());
  v1::CancelReturnRequest cancel;
  cancel.set_request_id("cancel-2");
  cancel.set_return_id(return_id);
  auto call = Call("cancel-2");
  v1::Return cancelled;
  EXPECT_EQ(ReasonOf(app::CancelReturn(app_, call, cancel, &cancelled)), "EXCHANGE_IN_PROGRESS");
  EXPECT_EQ(Scalar("SELECT state FROM returns"), "REQUESTED");
  EXPECT_EQ(Scalar("SELECT state FROM exchange_tokens"), "REDEEMED");
}

TEST_F(ExchangeTokenTest, PolicyDecides) {
  const std::string return_id = Prepare(1, 10);
  v1::IssueExchangeTokenResponse issued;
  Scalar("UPDATE policies SET instant_exchange_enabled = false");
  EXPECT_EQ(ReasonOf(Issue(IssueRequest(return_id), &issued)), "INSTANT_EXCHANGE_DISABLED");
  Scalar(
      "UPDATE policies SET instant_exchange_enabled = true, instant_exchange_max_item_minor = "
      "2000");
  EXPECT_EQ(ReasonOf(Issue(IssueRequest(return_id), &issued)), "ITEM_VALUE_ABOVE_LIMIT");
  Scalar("UPDATE policies SET instant_exchange_max_item_minor = 50000, require_collateral = true");
  EXPECT_EQ(ReasonOf(Issue(IssueRequest(return_id), &issued)), "COLLATERAL_REQUIRED");
  v1::IssueExchangeTokenRequest with_collateral = IssueRequest(return_id);
  auto* collateral = with_collateral.mutable_collateral();
  collateral->set_authorization_reference("auth_123");
  collateral->mutable_amount()->set_currency_code("EUR");
  collateral->mutable_amount()->set_amount_minor(3000);
  ASSERT_TRUE(Issue(with_collateral, &issued).ok());
  EXPECT_EQ(issued.exchange_token().collateral().authorization_reference(), "auth_123");
  EXPECT_EQ(Stock("reserved"), "1");  // refused attempts reserved nothing
}

TEST_F(ExchangeTokenTest, SixtyFourConcurrentIssuesWithOneRequestIdMakeOneToken) {
  const std::string return_id = Prepare(1, 10);
  const v1::IssueExchangeTokenRequest request = IssueRequest(return_id);
  std::vector<std::string> ids(64);
  std::vector<std::thread> threads;
  for (int i = 0; i < 64; ++i) {
    threads.emplace_back([&, i] {
      v1::IssueExchangeTokenResponse out;
      if (Issue(request, &out).ok()) ids[i] = out.exchange_token().exchange_token_id();
    });
  }
  for (auto& t : threads) t.join();
  std::set<std::string> distinct(ids.begin(), ids.end());
  distinct.erase("");
  EXPECT_EQ(distinct.size(), 1u);
  EXPECT_EQ(Scalar("SELECT count(*) FROM exchange_tokens"), "1");
  EXPECT_EQ(Stock("reserved"), "1");
}

TEST_F(ExchangeTokenTest, StockOfTenAndSixtyFourLinesMakeExactlyTenTokens) {
  const std::string return_id = Prepare(64, 10);
  std::atomic<int> ok{0}, out_of_stock{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 64; ++i) {
    threads.emplace_back([&, i] {
      v1::IssueExchangeTokenResponse out;
      absl::Status status = Issue(IssueRequest(return_id, i), &out);
      if (status.ok())
        ++ok;
      else if (ReasonOf(status) == "OUT_OF_STOCK")
        ++out_of_stock;
      else
        ++other;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 10);
  EXPECT_EQ(out_of_stock.load(), 54);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(Stock("reserved"), "10");
  EXPECT_EQ(Scalar("SELECT count(*) FROM exchange_tokens WHERE state = 'ISSUED'"), "10");
}

TEST_F(ExchangeSettlementTest, AScannedOriginalIsNeverCharged) {
  const std::string return_id = Prepare(1, 10);
  Redeemed(return_id);
  EXPECT_EQ(Scan(return_id), 1);
  EXPECT_EQ(Scan(return_id), 0);  // a later scan changes nothing
  EXPECT_EQ(TokenState(), "IN_TRANSIT");
  Advance(absl::Hours(24 * 30));
  EXPECT_EQ(Sweep()->charge_due, 0);
  ASSERT_TRUE(Receive(return_id, v1::ITEM_CONDITION_OK).ok());
  EXPECT_EQ(TokenState(), "SETTLED");
  // When it settled, for the KPIs' tokens_settled (and the day GetKpis counts it on).
  EXPECT_EQ(Scalar("SELECT settle_time IS NOT NULL AND settle_time <= now() FROM exchange_tokens"),
            "t");
  v1::Kpis kpis;
  ASSERT_TRUE(app::GetKpis(app_, Call(), v1::GetKpisRequest(), &kpis).ok());
  EXPECT_EQ(kpis.totals().tokens_settled(), 1);
  // Every line in good condition: the return resolves at receipt.
  EXPECT_EQ(Scalar("SELECT state FROM returns"), "RESOLVED");
  EXPECT_EQ(Scalar("SELECT condition FROM return_lines"), "OK");
}

TEST_F(ExchangeSettlementTest, AnOriginalArrivingAfterTheChargeSettlesAndAsksForARefund) {
  const std::string return_id = Prepare(1, 10);
  v1::ExchangeToken token = Redeemed(return_id);
  Advance(absl::Hours(24 * 15));
  ASSERT_EQ(Sweep()->charge_due, 1);
  ASSERT_TRUE(
      ReportOutcome(token.exchange_token_id(), v1::CHARGE_OUTCOME_CHARGED, "charged", &token).ok());
  ASSERT_TRUE(Receive(return_id, v1::ITEM_CONDITION_OK).ok());
  EXPECT_EQ(TokenState(), "SETTLED");
  EXPECT_EQ(Scalar("SELECT payload->'charge_amount'->>'amount_minor' FROM outbox_events "
                   "WHERE type = 'exchange_token.charge_refund_due'"),
            "3000");
}

TEST_F(ExchangeSettlementTest, AReceiptWithoutAnyScanSettles) {
  const std::string return_id = Prepare(1, 10);
  Redeemed(return_id);
  ASSERT_TRUE(Receive(return_id, v1::ITEM_CONDITION_OK).ok());
  EXPECT_EQ(TokenState(), "SETTLED");
  EXPECT_EQ(
      Scalar("SELECT count(*) FROM outbox_events WHERE type = 'exchange_token.charge_refund_due'"),
      "0");
}

TEST_F(ExchangeSettlementTest, AChargeInFlightWhenTheOriginalArrivesIsRefunded) {
  const std::string return_id = Prepare(1, 10);
  v1::ExchangeToken token = Redeemed(return_id);
  Advance(absl::Hours(24 * 15));
  ASSERT_EQ(Sweep()->charge_due, 1);
  ASSERT_TRUE(Receive(return_id, v1::ITEM_CONDITION_OK).ok());  // settles from CHARGE_DUE
  EXPECT_EQ(TokenState(), "SETTLED");
  v1::ExchangeToken reported;
  ASSERT_TRUE(
      ReportOutcome(token.exchange_token_id(), v1::CHARGE_OUTCOME_CHARGED, "late-charge", &reported)
          .ok());
  EXPECT_EQ(reported.state(), v1::EXCHANGE_TOKEN_STATE_SETTLED);
  EXPECT_EQ(
      Scalar("SELECT count(*) FROM outbox_events WHERE type = 'exchange_token.charge_refund_due'"),
      "1");
  // The outcome is in: a second report is refused.
  EXPECT_EQ(ReasonOf(ReportOutcome(token.exchange_token_id(), v1::CHARGE_OUTCOME_CHARGED,
                                   "late-charge-2", &reported)),
            "INVALID_STATE");
}

TEST_F(ExchangeSettlementTest, AScanAfterTheChargeStillLeadsToARefundAtReceipt) {
  const std::string return_id = Prepare(1, 10);
  v1::ExchangeToken token = Redeemed(return_id);
  Advance(absl::Hours(24 * 15));
  ASSERT_EQ(Sweep()->charge_due, 1);
  ASSERT_TRUE(
      ReportOutcome(token.exchange_token_id(), v1::CHARGE_OUTCOME_CHARGED, "charged", &token).ok());
  EXPECT_EQ(Scan(return_id), 1);  // CHARGED -> IN_TRANSIT
  ASSERT_TRUE(Receive(return_id, v1::ITEM_CONDITION_OK).ok());
  EXPECT_EQ(TokenState(), "SETTLED");
  EXPECT_EQ(
      Scalar("SELECT count(*) FROM outbox_events WHERE type = 'exchange_token.charge_refund_due'"),
      "1");
}

TEST_F(ExchangeSettlementTest, NoTokenIsIssuedOrRedeemedOnceTheOriginalIsIn) {
  const std::string return_id = Prepare(1, 10);
  v1::IssueExchangeTokenResponse issued;
  ASSERT_TRUE(Issue(IssueRequest(return_id), &issued).ok());
  ASSERT_TRUE(Receive(return_id, v1::ITEM_CONDITION_OK).ok());
  EXPECT_EQ(TokenState(), "REVOKED");  // unredeemed: nothing left to do
  EXPECT_EQ(Stock("reserved"), "0");
  v1::ExchangeToken out;
  EXPECT_EQ(ReasonOf(Redeem(issued.token(), &out)), "EXCHANGE_TOKEN_INVALID");
  v1::IssueExchangeTokenResponse again;
  absl::Status refused = Issue(IssueRequest(return_id), &again);
  EXPECT_EQ(ReasonOf(refused), "INVALID_STATE");
  EXPECT_EQ(MetadataOf(refused)["state"], "RESOLVED");
  // The token never shipped a replacement, so the resolution asks the warehouse for one now.
  EXPECT_EQ(Scalar("SELECT count(*) FROM shipments WHERE direction = 'OUTBOUND'"), "1");
  // Stored with the previous release's text until the contract step (app/common/enqueue_job.h).
  EXPECT_EQ(Scalar("SELECT count(*) FROM jobs WHERE kind = 'REQUEST_FULFILMENT'"), "1");
}

TEST_F(ExchangeSettlementTest, ADamagedOriginalDoesNotSettle) {
  const std::string return_id = Prepare(1, 10);
  Redeemed(return_id);
  ASSERT_TRUE(Receive(return_id, v1::ITEM_CONDITION_DAMAGED).ok());
  EXPECT_EQ(TokenState(), "REDEEMED");
  EXPECT_EQ(Scalar("SELECT condition FROM return_lines"), "DAMAGED");
  // A received return cannot be received again.
  EXPECT_EQ(MetadataOf(Receive(return_id, v1::ITEM_CONDITION_OK))["state"], "RECEIVED");
}

TEST_F(ExchangeSettlementTest, AnAgentAcceptingADamagedOriginalSettlesTheToken) {
  const std::string return_id = Prepare(1, 10);
  Redeemed(return_id);
  ASSERT_TRUE(Receive(return_id, v1::ITEM_CONDITION_DAMAGED).ok());
  v1::ResolveReturnRequest resolve;
  resolve.set_request_id("resolve-1");
  resolve.set_return_id(return_id);
  resolve.set_note("light wear, resellable");
  v1::Return resolved;
  auto call = Call("resolve-1");
  ASSERT_TRUE(app::ResolveReturn(app_, call, resolve, &resolved).ok());
  EXPECT_EQ(resolved.state(), v1::RETURN_STATE_RESOLVED);
  EXPECT_EQ(TokenState(), "SETTLED");
  // The replacement went out with the token: no second one is requested.
  EXPECT_EQ(Scalar("SELECT count(*) FROM shipments WHERE direction = 'OUTBOUND'"), "1");
}

TEST_F(ExchangeSettlementTest, AWithheldOriginalMakesTheReplacementsChargeDue) {
  const std::string return_id = Prepare(1, 10);
  Redeemed(return_id);
  EXPECT_EQ(Scan(return_id), 1);
  ASSERT_TRUE(Receive(return_id, v1::ITEM_CONDITION_WRONG_ITEM).ok());
  EXPECT_EQ(TokenState(), "IN_TRANSIT");
  v1::ResolveReturnRequest resolve;
  resolve.set_request_id("resolve-1");
  resolve.set_return_id(return_id);
  resolve.add_withheld_order_line_ids("L0");
  resolve.set_note("a different shirt came back");
  v1::Return resolved;
  auto call = Call("resolve-1");
  ASSERT_TRUE(app::ResolveReturn(app_, call, resolve, &resolved).ok());
  EXPECT_EQ(TokenState(), "CHARGE_DUE");
  EXPECT_EQ(Scalar("SELECT count(*) FROM outbox_events WHERE type = 'exchange_token.charge_due'"),
            "1");
  EXPECT_EQ(Scalar("SELECT count(*) FROM shipments WHERE direction = 'OUTBOUND'"), "1");
}

}  // namespace
}  // namespace returns::testing
